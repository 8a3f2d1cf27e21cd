"""Set-up of the dashboards: the bundled register and the dashboards' cache.

``python -m art60kit.dashboards prepare`` (also run by ``serve``):

0. when the calculation engine is not compiled yet, compiles it in another process
   meanwhile (:func:`prepare`);
1. builds the synthetic register (20,000 requests) with the register's own
   :func:`art60kit.register.build_register` when the SQLite file is missing;
2. adds the ``dashboards`` service user (role ``onem``) if needed;
3. reads the register once through its API (``export_jsonl``: ONEM-only, audited, with
   a reason) into a temporary file, and derives, per request, the incomplete-data
   flag; the temporary export is deleted at once;
4. plans the reform population (first sent version of each request, or a reproducible
   sample) under both rule sets with the calculation core (:mod:`.reform`) and stores
   the results in Parquet, with the register's fingerprint.

The cache holds no case content and no personal data: request ids, flags, dates,
day counts and categories.
"""
from __future__ import annotations

import gzip
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

import pandas as pd

from . import source
from ..caseio import data_is_uncertain
from .flags import is_incomplete_data_comment

PREP_REASON = "préparation des tableaux de bord (indicateurs agrégés, simulation de la réforme)"
#: the reform simulation plans every sent request (population engine); set
#: ART60KIT_REFORM_SAMPLE=N for a reproducible sample of N requests instead
DEFAULT_REFORM_SAMPLE = "all"


def _log(msg: str) -> None:
    print(f"[dashboards] {msg}", file=sys.stderr, flush=True)


def ensure_register(location: Optional[str] = None, size: int = 20_000,
                    processes: Optional[int] = None, read_cases: Optional[dict] = None) -> str:
    """Build the bundled synthetic register if the SQLite file is missing
    (``read_cases`` receives the cases read to plan it, by content hash)."""
    loc = source.register_location(location)
    if source.register_exists(loc):
        return loc
    from ..register import build_register
    _log(f"building the synthetic register ({size} requests) at {loc} - about a minute")
    t = time.perf_counter()
    rep = build_register(loc, size=size, processes=processes, log=lambda msg: _log(f"  {msg}"),
                         read_cases=read_cases)
    _log(f"register built: {rep.requests} requests, {rep.versions} versions in {time.perf_counter() - t:.0f} s "
         f"(generated and planned in {rep.seconds_generate:.0f} s, loaded in {rep.seconds_load:.0f} s)")
    return loc


def _read_export(path: Path) -> tuple[dict[str, bool], list[tuple[str, int, dict]]]:
    """From an export file: the incomplete-data flag per request, and the case of the
    first sent version of each request."""
    flags: dict[str, bool] = {}
    first_sent: dict[str, tuple[int, dict]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        next(f)  # header
        for line in f:
            rec = json.loads(line)
            table, row = rec.get("table"), rec.get("row") or {}
            if table == "request_versions":
                rid = row["request_id"]
                case = json.loads(row["case_json"])
                # a comment saying so, or values entered as unknown / bounded
                flags[rid] = (flags.get(rid, False) or is_incomplete_data_comment(case.get("comment"))
                              or data_is_uncertain(case))
                if row.get("sent_at") and (rid not in first_sent or row["version_no"] < first_sent[rid][0]):
                    first_sent[rid] = (row["version_no"], case)
            elif table == "comments":
                rid = row["request_id"]
                flags[rid] = flags.get(rid, False) or is_incomplete_data_comment(row.get("text"))
    items = [(rid, vno, case) for rid, (vno, case) in sorted(first_sent.items())]
    return flags, items


def reform_sample_size() -> Optional[int]:
    v = os.environ.get("ART60KIT_REFORM_SAMPLE", str(DEFAULT_REFORM_SAMPLE)).strip().lower()
    return None if v in ("all", "0", "") else int(v)


def build_cache(location: Optional[str] = None, sample: Optional[int] = -1,
                processes: Optional[int] = None, force: bool = False,
                read_cases: Optional[dict] = None) -> Path:
    """Write the dashboards' cache next to the register; skip what is up to date.
    ``read_cases``: cases already read, by content hash (a register just built): the
    reform simulation does not read them again."""
    from .reform import RESULT_COLUMNS, compared_rule_sets, sample_ids, simulate

    loc = source.register_location(location)
    out = source.cache_dir(loc)
    out.mkdir(parents=True, exist_ok=True)
    from .geo import SHAPES_FILE, write_shapes
    if force or not (out / SHAPES_FILE).exists():
        write_shapes(out)
    sample = reform_sample_size() if sample == -1 else sample
    fp = source.fingerprint(source.versions(loc, fresh=True))
    meta_path = out / source.REFORM_META
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    compared = [rs.id for rs in compared_rule_sets()]
    if (not force and meta.get("fingerprint") == fp and meta.get("sample") == sample
            and meta.get("compared") == compared and meta.get("columns") == list(RESULT_COLUMNS)
            and (out / source.FLAGS_FILE).exists() and (out / source.REFORM_FILE).exists()):
        _log(f"cache up to date in {out}")
        return out
    reg = source.open_register(loc)
    try:
        session = source.service_session(reg)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "export.jsonl.gz"
            t = time.perf_counter()
            # the versions and comments only (not the audit log, most of the file)
            session.export_jsonl(str(path), reason=PREP_REASON, tables=("request_versions", "comments"))
            flags, items = _read_export(path)
        _log(f"read {len(flags)} requests through the register API in {time.perf_counter() - t:.1f} s")
    finally:
        reg.close()
    pd.DataFrame({"request_id": list(flags), "incomplete_data": list(flags.values())}).to_parquet(
        out / source.FLAGS_FILE, index=False)
    ids = set(sample_ids([i[0] for i in items], sample))
    chosen = [i for i in items if i[0] in ids]
    _log(f"planning {len(chosen)} requests under both rule sets (of {len(items)} sent)"
         + ("; the cases read to build the register are not read again" if read_cases else ""))
    t = time.perf_counter()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 15:
            last[0] = time.perf_counter()
            _log(f"  reform simulation {done}/{total}")

    sim = simulate(chosen, processes=processes, progress=progress, read_cases=read_cases)
    sim.to_parquet(out / source.REFORM_FILE, index=False)
    meta = {"fingerprint": fp, "sample": sample, "compared": compared, "columns": list(RESULT_COLUMNS),
            "population": len(items), "planned": len(sim),
            "seconds": round(time.perf_counter() - t, 1)}
    meta_path.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    _log(f"reform simulation done in {meta['seconds']} s -> {out}")
    return out


def prepare(location: Optional[str] = None, size: int = 20_000, sample: Optional[int] = -1,
            processes: Optional[int] = None, force: bool = False) -> Path:
    """The register and the dashboards' cache, and the compiled calculation engine
    (the case explorer plans a request's versions with it): a first set-up compiles it
    in another process while the register's requests are generated and read
    (:func:`art60kit.compile.compile_in_background`); the planning waits for its
    one-case entry, compiled first, and plans on one thread with it until the
    population entry is compiled too."""
    from .. import compile as C

    t = time.perf_counter()
    if C.compile_in_background():
        _log("calculation engine: compiling it in another process while the register is prepared")
    try:
        # the cases read to plan a register just built, for the reform simulation
        read_cases: dict = {}
        loc = ensure_register(location, size=size, processes=processes, read_cases=read_cases)
        reg = source.open_register(loc)
        try:
            source.ensure_service_user(reg)
        finally:
            reg.close()
        out = build_cache(loc, sample=sample, processes=processes, force=force, read_cases=read_cases)
        read_cases.clear()
        # the case explorer's entry compiled before anything is served; the population
        # entry may still be compiling (serve ends it when it stops first)
        C.wait_for_background(threads=False)
    except BaseException:
        C.stop_background()
        raise
    _log(f"data ready in {time.perf_counter() - t:.0f} s")
    return out
