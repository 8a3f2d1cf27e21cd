"""Files of a population run readable by their owner only.

A population's cases, lines and results are personal data (birth dates, careers, end
dates): whatever the process umask, every file the batch commands write is created
with mode 0600 and every folder they create with mode 0700. A results file is written
to a private temporary file beside it and renamed into place, so it is never visible
half-written nor, even for an instant, with wider permissions; an existing file of the
same name is replaced (its old permissions go with it).
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Union

import pandas as pd

PathLike = Union[str, Path]
FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: PathLike) -> Path:
    """Create ``path`` (and missing parents) as folders readable by their owner only;
    an existing folder is narrowed to 0700. Returns the path."""
    p = Path(path)
    missing = []
    q = p
    while not q.exists():
        missing.append(q)
        if q.parent == q:
            break
        q = q.parent
    p.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    for d in [p, *missing]:
        os.chmod(d, DIR_MODE)  # mkdir's mode is filtered by the umask
    return p


def write_table(df: pd.DataFrame, path: PathLike) -> Path:
    """Write ``df`` to ``path`` (CSV for a ``.csv`` name, Parquet otherwise), mode 0600.

    >>> import tempfile, stat
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_table(pd.DataFrame({"a": [1]}), Path(d) / "r.csv")
    ...     oct(stat.S_IMODE(p.stat().st_mode)), p.read_text()
    ('0o600', 'a\\n1\\n')
    """
    p = Path(path)
    # mkstemp creates the file with mode 0600 whatever the umask
    fd, tmp = tempfile.mkstemp(prefix="." + p.name + ".", suffix=".tmp", dir=p.parent)
    try:
        os.fchmod(fd, FILE_MODE)
        if p.suffix.lower() == ".csv":
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                df.to_csv(f, index=False)
        else:
            with os.fdopen(fd, "wb") as f:
                df.to_parquet(f, index=False)
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return p
