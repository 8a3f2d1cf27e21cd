"""Where the dashboards read their data: the register, through its public API only.

* The register is found with ``ART60KIT_REGISTER`` (a SQLite path or a SQLAlchemy URL),
  default ``var/register.sqlite`` in the project folder.
* The aggregate dashboards' frame is read by one service user, ``dashboards`` (role
  ``onem``), with a stated reason, and kept as a snapshot; the person who opens a page
  is logged in and audited under their own name (:mod:`.access`), and the case explorer
  reads every request as that person. Nothing person-level leaves this module for an
  aggregate page: figures go through the disclosure control of :mod:`.suppress`.
* Two things the register's frames do not carry are prepared once at set-up
  (:mod:`.prepare`) in ``ART60KIT_DASHBOARD_CACHE`` (default ``<register>.dashboards/`` next to the SQLite file):
  a per-request flag "has an incomplete-data comment", and the reform simulation.
"""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Optional

import pandas as pd

REGISTER_ENV = "ART60KIT_REGISTER"
CACHE_ENV = "ART60KIT_DASHBOARD_CACHE"
SERVICE_USER = "dashboards"
SERVICE_ROLE = "onem"
#: the reason written in the audit log for the dashboards' aggregate reads
READ_REASON = "tableaux de bord : statistiques agrégées (secret statistique < 5)"
FLAGS_FILE = "request_flags.parquet"
REFORM_FILE = "reform_impact.parquet"
REFORM_META = "reform_impact.json"


def project_root() -> Path:
    """The checkout holding the package (dashboards run with the notebook folder as
    working directory, so relative defaults are anchored here)."""
    return Path(__file__).resolve().parents[2]


def register_location(location: Optional[str] = None) -> str:
    loc = location or os.environ.get(REGISTER_ENV) or str(project_root() / "var" / "register.sqlite")
    if "://" not in loc:
        loc = str(Path(loc).expanduser().resolve())
    return loc


def cache_dir(location: Optional[str] = None) -> Path:
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser().resolve()
    loc = register_location(location)
    if "://" in loc:
        return project_root() / "var" / "dashboards"
    p = Path(loc)
    return p.parent / f"{p.stem}.dashboards"


def register_exists(location: Optional[str] = None) -> bool:
    loc = register_location(location)
    return "://" in loc or Path(loc).exists()


def open_register(location: Optional[str] = None):
    """The register, opened for reading (no planner: the dashboards never write plans)."""
    from ..register import Register
    return Register.open(register_location(location), planner=None, validator=None)


def ensure_service_user(register) -> None:
    from ..register import User
    if not any(u.user_id == SERVICE_USER for u in register.users()):
        register.add_user(User(SERVICE_USER, "Tableaux de bord / Dashboards", SERVICE_ROLE))


def service_session(register):
    ensure_service_user(register)
    return register.as_user(SERVICE_USER)


SNAPSHOT_FILE = "versions.parquet"
SNAPSHOT_META = "versions.json"
#: audit actions that change what the versions frame shows
WRITE_ACTIONS = ("create", "edit", "send", "modify", "answer", "import")


def _read_snapshot(folder: Path):
    import json
    meta_p, data_p = folder / SNAPSHOT_META, folder / SNAPSHOT_FILE
    if not (meta_p.exists() and data_p.exists()):
        return None, None
    try:
        meta = json.loads(meta_p.read_text(encoding="utf-8"))
        return pd.read_parquet(data_p), meta
    except Exception:  # a half-written or foreign file: read the register again
        return None, None


def _write_snapshot(folder: Path, df: pd.DataFrame, taken_at) -> None:
    import json
    import tempfile
    folder.mkdir(parents=True, exist_ok=True)
    # write then rename: two kernels refreshing at once never leave a torn file
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".parquet", delete=False) as tmp:
        df.drop(columns=[c for c in ("sent_month",) if c in df.columns]).to_parquet(tmp.name, index=False)
    os.replace(tmp.name, folder / SNAPSHOT_FILE)
    with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".json", delete=False, encoding="utf-8") as tmp:
        json.dump({"taken_at": taken_at.isoformat(), "rows": len(df)}, tmp)
    os.replace(tmp.name, folder / SNAPSHOT_META)


def load_versions(location: Optional[str] = None) -> pd.DataFrame:
    """The register's versions frame, through the register API.

    Reading the whole frame costs seconds and appends one audit entry per request, so
    the dashboards keep a snapshot in their cache and, on each open, ask the register's
    audit log (one audited call) whether anything was created, sent, modified or
    answered since; only then is the frame read again.
    """
    from datetime import datetime

    loc = register_location(location)
    folder = cache_dir(loc)
    reg = open_register(loc)
    try:
        session = service_session(reg)
        df, meta = _read_snapshot(folder)
        if df is not None and "case_sha256" not in df.columns:
            df = None  # taken by an older version, without the hashes the persons' keys need
        if df is not None:
            since = datetime.fromisoformat(meta["taken_at"])
            changes = session.audit_frame(reason=READ_REASON, since=since)
            if not changes["action"].isin(WRITE_ACTIONS).any():
                return df
        taken_at = reg.clock()
        df = session.versions_frame(reason=READ_REASON)
        # That read appended one audit entry per request. Check once that nothing was
        # written meanwhile, then date the snapshot after those entries, so later
        # checks only look at what is new.
        checked_at = reg.clock()
        changes = session.audit_frame(reason=READ_REASON, since=taken_at)
        if not changes["action"].isin(WRITE_ACTIONS).any():
            taken_at = checked_at
        try:
            _write_snapshot(folder, df, taken_at)
        except OSError:
            pass  # a read-only cache folder: dashboards still work, just slower to open
        return df
    finally:
        reg.close()


@lru_cache(maxsize=4)
def _versions_cached(location: str) -> pd.DataFrame:
    return load_versions(location)


def versions(location: Optional[str] = None, fresh: bool = False) -> pd.DataFrame:
    """The register's versions frame (one row per version), read once per kernel."""
    loc = register_location(location)
    if fresh:
        _versions_cached.cache_clear()
    return _versions_cached(loc)


def fingerprint(versions_df: pd.DataFrame) -> str:
    """A digest of which versions were sent when: a cache built from another state of
    the register is detected (and reported) rather than shown silently."""
    sent = versions_df.loc[versions_df["sent_at"].notna(), ["request_id", "version_no", "sent_at"]]
    h = hashlib.sha256()
    h.update(pd.util.hash_pandas_object(sent.sort_values(["request_id", "version_no"]),
                                        index=False).to_numpy().tobytes())
    return h.hexdigest()[:16]


def read_flags(location: Optional[str] = None) -> Optional[pd.DataFrame]:
    p = cache_dir(location) / FLAGS_FILE
    return pd.read_parquet(p) if p.exists() else None


def read_reform(location: Optional[str] = None) -> tuple[Optional[pd.DataFrame], dict]:
    import json
    d = cache_dir(location)
    if not (d / REFORM_FILE).exists():
        return None, {}
    meta = json.loads((d / REFORM_META).read_text(encoding="utf-8")) if (d / REFORM_META).exists() else {}
    return pd.read_parquet(d / REFORM_FILE), meta
