"""The population engine: plan (and compare) many cases with the compiled kernel.

``plan_population(cases, lines)`` returns one row per case with the figures of the
``plan --json`` result (:data:`~art60kit.batch.percase.RESULT_COLUMNS`, nested objects
flattened) plus the carried-through case columns. Cases are processed in chunks of
``chunk_size`` (memory is bounded by the chunk, not the population), each chunk by
:func:`art60kit.batch.kernel.plan_chunk` in parallel over the machine's cores. The
kernel releases the GIL: while it plans one chunk in a worker thread, the main thread
reads and encodes the next one and decodes the previous one (:func:`_pipeline`), so on
a small machine the table work hides behind the kernel; at most two chunks are
encoded at once.

Every case is planned exactly as the per-case planner would plan it
(``art60kit.planner.plan(case, sensitivity=False)``, which runs the same compiled
search for one case). Cases the kernel does not cover (figures beyond its exact
integer range), cases whose input the screen flags, and cases using the fields beside
the end date go through the per-case path; the ``engine``
column says which path planned a case (``kernel`` or ``planner``), and ``error`` holds
the input problems (``case ID: line N: field: message``, one per line) of a case that
could not be planned, without stopping the others.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable, Optional, Sequence, Union

import numpy as np
import pandas as pd

from ..credit import CONTRACT_LEAD_DAYS
from ..model import Options
from ..rules import RuleBook, default_rulebook
from . import kernel as K
from .encode import EncodedBook, encode, encode_book, owner_positions
from .run import KERNEL_CHUNK, kernel_compiled, run_kernel  # noqa: F401
from .percase import KEY_COLUMNS, RESULT_COLUMNS, plan_case_dict
from .tables import BESIDE_COLUMNS, CASE_COLUMNS, TableLike, case_dict_from_rows, normalise_cases, normalise_lines, read_table

DEFAULT_CHUNK = 100_000
#: at most this many cases go to the kernel at a time, whatever the chunk size: the
#: pipeline's first and last steps (encoding before the kernel starts, decoding and
#: per-case planning after it ends) run alone, so they are kept short
PIPELINE_CASES = 25_000
_EPOCH = date(1970, 1, 1).toordinal()


def kernel_supports(options: Options) -> bool:
    """Whether the compiled kernel implements these interpretation options: every
    registered reading of each option is compiled."""
    return True


def _dates(o: np.ndarray) -> np.ndarray:
    out = (o - _EPOCH).astype("datetime64[D]").astype("datetime64[s]")
    out[o < 0] = np.datetime64("NaT")
    return out


@dataclass
class RunStats:
    """What a run did: cases by path, time in the kernel."""

    cases: int = 0
    kernel: int = 0
    planner: int = 0  # flagged by the screen or not covered by the kernel
    errors: int = 0
    kernel_seconds: float = 0.0

    def add(self, o: "RunStats") -> None:
        for k in ("cases", "kernel", "planner", "errors", "kernel_seconds"):
            setattr(self, k, getattr(self, k) + getattr(o, k))


def _progress(total: int, enabled):
    if enabled is False or (enabled is None and not sys.stderr.isatty()):
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="case", desc="art60kit batch")


def _run_kernel(enc, eb: EncodedBook, options: Options, check: bool = False) -> np.ndarray:
    """The kernel's output matrix for an encoded chunk. ``check``: recompute every
    table-driven window credit the direct way and count the differences (tests)."""
    import numba

    out = np.zeros((enc.n, K.O_NFIELDS), np.int64)
    if enc.n == 0:
        return out
    a, b = enc.arrays, eb.arrays
    # cases differ in cost (1 to 100+ evaluations): small chunks handed out to the
    # threads as they free up, instead of one half of the chunk each, keep both cores
    # busy to the end (and when the main thread encodes the next chunk beside them)
    previous = numba.set_parallel_chunksize(1)  # one block of KERNEL_CHUNK cases
    try:
        run_kernel(enc.n, enc.arrays, eb, options, out, check, KERNEL_CHUNK)
    finally:
        numba.set_parallel_chunksize(previous)
    return out


def _decode(out: np.ndarray, eb: EncodedBook, case_ids: np.ndarray) -> pd.DataFrame:
    n = len(out)
    k = out[:, K.O_K]
    ok = out[:, K.O_STATUS] == K.OK
    # lookup tables (rule set, index) -> id
    maxc = max(len(c) for c in eb.cond_ids)
    cond_tab = np.array([list(c) + [None] * (maxc - len(c)) for c in eb.cond_ids], dtype=object)
    days_tab = np.array([list(c) + [0] * (maxc - len(c)) for c in eb.cond_days], dtype=np.int64)
    months_tab = np.array([list(c) + [0] * (maxc - len(c)) for c in eb.cond_months], dtype=np.int64)
    maxa = max(1, max(len(c) for c in eb.cat_ids))
    cat_tab = np.array([list(c) + [None] * (maxa - len(c)) for c in eb.cat_ids], dtype=object)
    ids = np.array(eb.ids, dtype=object)
    kk = np.where(ok, k, 0)
    ci = np.where(ok, out[:, K.O_COND], 0)
    cat = out[:, K.O_CAT]
    end = out[:, K.O_END]
    already = out[:, K.O_ALREADY].astype(bool)
    reach = out[:, K.O_REACH].astype(bool)
    request = np.where(end >= 0, end + 1, np.where(already, 0, -1))
    df = pd.DataFrame({
        "case_id": case_ids,
        "rules": ids[kk],
        "end_date": _dates(end),
        "request_date": _dates(request),
        "days_required": out[:, K.O_REQ],
        "days_to_work": out[:, K.O_DAYS],
        "past_days_in_window": np.round(out[:, K.O_PAST] / K.UNIT, 4),
        "age_category": np.where(cat >= 0, cat_tab[kk, np.maximum(cat, 0)], None),
        "window_start": _dates(out[:, K.O_WSTART]),
        "window_end": _dates(out[:, K.O_WEND]),
        "window_extended_by_days": out[:, K.O_WBASE] - out[:, K.O_WSTART],
        "condition_id": cond_tab[kk, ci],
        "condition_days": days_tab[kk, ci],
        "condition_months": months_tab[kk, ci],
        "condition_counted": out[:, K.O_COUNTED],
        "condition_units": out[:, K.O_UNITS] / K.UNIT,
        "condition_satisfied": out[:, K.O_SAT].astype(bool),
        "condition_missing": out[:, K.O_MISS],
        "already_admissible": already,
        "reachable": reach,
        "naive_end_date": _dates(out[:, K.O_NAIVE]),
        # cases with a field beside the end date go to the planner (see _finish)
        "dispense_de_stage": False, "subsidy_days_beyond": None, "subsidy_region_limit_end": _dates(np.full(n, -1)),
        "engine": "kernel",
        "error": None,
    })
    # already admissible: request date = contract start (filled by the caller)
    return df


def _derived(cases: pd.DataFrame, lines: pd.DataFrame, options: Options) -> np.ndarray:
    """Cases whose career gets lines the law adds (art60kit.derived_lines): a student
    contract with hours, or a job ended by its term or a dismissal when the public
    holidays after it count. The kernel does not derive them: the planner plans these."""
    kinds = lines["kind"].astype(str)
    need = (kinds == "student_contract") & lines["hours"].notna()
    if options.holidays_after_end != "ignored" and "end_reason" in lines.columns:
        need |= (kinds == "work") & lines["end_reason"].notna()
    ids = set(lines.loc[need.to_numpy(), "case_id"].astype(str))
    return cases["case_id"].astype(str).isin(ids).to_numpy() if ids else np.zeros(len(cases), dtype=bool)


def _case_dicts(cases: pd.DataFrame, lines: pd.DataFrame, idx: np.ndarray) -> list:
    """``(mapping, line_nos)`` of the cases at positions ``idx`` (case-format mappings
    for the per-case planner, :func:`art60kit.batch.tables.case_dict_from_rows`)."""
    sub = cases.iloc[idx]
    ids = set(sub["case_id"].astype(str))
    lsub = lines[lines["case_id"].astype(str).isin(ids)]
    groups: dict = {}
    for r in lsub.to_dict("records"):
        groups.setdefault(str(r["case_id"]), []).append(r)
    return [case_dict_from_rows(row, groups.get(str(row["case_id"]), [])) for row in sub.to_dict("records")]


def _plan_dicts(dicts: list, book: RuleBook, options: Options, steps: bool = False, lang: str = "en") -> list:
    return [plan_case_dict(d, nos, book, options, steps, lang) for d, nos in dicts]


def _rows_frame(rows: list, steps: bool = False) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(RESULT_COLUMNS) + (["steps", "warnings"] if steps else []))
    for c in ("end_date", "request_date", "window_start", "window_end", "naive_end_date", "subsidy_region_limit_end"):
        df[c] = pd.to_datetime(df[c]).astype("datetime64[s]")
    return df


def _percase_rows(cases: pd.DataFrame, lines: pd.DataFrame, idx: np.ndarray, book: RuleBook,
                  options: Options, steps: bool = False, lang: str = "en") -> pd.DataFrame:
    return _rows_frame(_plan_dicts(_case_dicts(cases, lines, idx), book, options, steps, lang), steps)


#: the per-case helper process's book and options (set once when it starts)
_HELPER: dict = {}


def _helper_start(book: RuleBook, options: Options) -> None:
    _HELPER["book"], _HELPER["options"] = book, options


def _helper_plan(dicts: list) -> list:
    return _plan_dicts(dicts, _HELPER["book"], _HELPER["options"])


class _PerCaseHelper:
    """A child process that plans, beside the kernel, the cases a chunk leaves to the
    per-case planner (fields beside the end date, lines the law adds, sums beyond the
    compiled kernel's integers, searched by its interpreted copy; in the main thread
    they would hold up the reading and encoding of the next chunks). Started on first use, by ``fork`` on
    Linux only (the child shares the parent's loaded modules and compiled search, and
    plans each case on its own thread, never with the kernel's threads); elsewhere, or
    when it cannot start, the cases are planned in the calling thread. The rows are
    the same either way: the same function plans them."""

    def __init__(self, book: RuleBook, options: Options):
        self.book, self.options = book, options
        self.pool = None
        self.usable = sys.platform.startswith("linux")

    def submit(self, dicts: list):
        """A future of the planned rows, or None: plan them in the calling thread."""
        if not self.usable:
            return None
        if self.pool is None:
            import multiprocessing as mp
            import warnings
            from concurrent.futures import ProcessPoolExecutor

            try:
                if mp.current_process().daemon:  # a daemonic process has no children
                    raise RuntimeError("daemonic process")
                self.pool = ProcessPoolExecutor(1, mp_context=mp.get_context("fork"), initializer=_helper_start,
                                                initargs=(self.book, self.options))
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)  # fork beside the kernel's threads
                    return self.pool.submit(_helper_plan, dicts)
            except Exception:  # noqa: BLE001 - no child process: plan in this thread
                self.usable = False
                self.close()
                return None
        return self.pool.submit(_helper_plan, dicts)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


@dataclass
class _Prepared:
    """A chunk ready for the kernel: normalised tables and their encoding."""

    cases: pd.DataFrame
    lines: pd.DataFrame
    enc: object  # Encoded, or None when the kernel is not used


def _prepare(cases: pd.DataFrame, lines: pd.DataFrame, eb: EncodedBook, options: Options,
             use_kernel: bool, normalised: bool = False) -> _Prepared:
    if normalised:  # tables already read by normalise_cases and normalise_lines
        cases = cases.reset_index(drop=True)
    else:
        cases = normalise_cases(cases).reset_index(drop=True)
        lines = normalise_lines(lines)
    enc = encode(cases, lines, eb) if use_kernel and kernel_supports(options) else None
    return _Prepared(cases, lines, enc)


def _kernel_out(prep: _Prepared, eb: EncodedBook, options: Options) -> tuple:
    """(output matrix, seconds) of the kernel for a prepared chunk; the compiled kernel
    releases the GIL, so this may run in a worker thread while the next chunk is read
    and encoded."""
    import time

    if prep.enc is None:
        return None, 0.0
    t = time.perf_counter()
    out = _run_kernel(prep.enc, eb, options)
    if options.month_end == "refuse":
        out2 = _run_kernel(prep.enc, eb, options.with_(month_end="next_day"))
        differ = out[:, K.O_END] != out2[:, K.O_END]
        out[differ, K.O_STATUS] = K.FALLBACK  # the planner reports the ambiguity
    return out, time.perf_counter() - t


@dataclass
class _Settled:
    """A chunk's results from the kernel, waiting for the rows of the cases it leaves
    to the per-case planner (``rows``: planned rows, or a future of them)."""

    cases: pd.DataFrame
    res: Optional[pd.DataFrame]
    back: np.ndarray
    dicts: list
    rows: object
    seconds: float


def _settle(prep: _Prepared, kout: tuple, book: RuleBook, eb: EncodedBook, options: Options,
            helper: Optional[_PerCaseHelper] = None) -> _Settled:
    """A chunk's kernel results decoded; the cases the kernel did not plan handed to the
    per-case planner (``helper``: in its child process, when it has one)."""
    cases, lines, enc = prep.cases, prep.lines, prep.enc
    out, seconds = kout
    if out is not None:
        res = _decode(out, eb, enc.case_ids)
        s0 = _dates(enc.arrays["c_s0"])
        already = res["already_admissible"].to_numpy()
        res.loc[already, "request_date"] = s0[already]
        # the kernel plans the end date only: a case that gives an earlier right, a planned
        # end or a region (art60kit.right) is validated and planned by the planner
        beside = np.zeros(len(cases), dtype=bool)
        for c in BESIDE_COLUMNS:
            if c in cases.columns:
                beside |= cases[c].notna().to_numpy()
        back = np.nonzero((out[:, K.O_STATUS] != K.OK) | beside | _derived(cases, lines, options))[0]
    else:
        res = None
        back = np.arange(len(cases))
    dicts = _case_dicts(cases, lines, back) if len(back) else []
    rows = None
    if dicts:
        rows = helper.submit(dicts) if helper is not None else None
        if rows is None:
            rows = _plan_dicts(dicts, book, options)
    return _Settled(cases, res, back, dicts, rows, seconds)


def _complete(s: _Settled, book: RuleBook, options: Options, stats: Optional[RunStats]) -> pd.DataFrame:
    """The chunk's result table, with the per-case planner's rows in place."""
    cases, res, back = s.cases, s.res, s.back
    st = RunStats(cases=len(cases), kernel_seconds=s.seconds)
    if len(back):
        rows = s.rows
        if not isinstance(rows, list):
            try:
                rows = rows.result()
            except Exception:  # noqa: BLE001 - the child process failed: plan here
                rows = _plan_dicts(s.dicts, book, options)
        pc = _rows_frame(rows)
        if res is None:
            res = pc
        else:
            pc.index = back
            for c in RESULT_COLUMNS:
                if res[c].dtype != pc[c].dtype and c not in (
                        "end_date", "request_date", "window_start", "window_end", "naive_end_date",
                        "subsidy_region_limit_end"):
                    res[c] = res[c].astype(object)
            res.loc[back, list(RESULT_COLUMNS)] = pc[list(RESULT_COLUMNS)].to_numpy()
    st.planner = len(back)
    st.kernel = len(cases) - len(back)
    st.errors = int(res["error"].notna().sum())
    if stats is not None:
        stats.add(st)
    extra = [c for c in cases.columns if c not in CASE_COLUMNS and c not in BESIDE_COLUMNS]
    for c in extra:
        col = cases[c]
        # a text column as it is, rather than through Python strings read back as text
        res[c] = col.array if col.dtype == "str" and col.notna().any() else col.to_numpy()
    return res


def _finish(prep: _Prepared, kout: tuple, book: RuleBook, eb: EncodedBook, options: Options,
            stats: Optional[RunStats]) -> pd.DataFrame:
    """Results of a chunk from the kernel's output; cases the kernel did not plan go
    through the per-case planner (in this thread)."""
    return _complete(_settle(prep, kout, book, eb, options), book, options, stats)


def plan_chunk_frame(cases: pd.DataFrame, lines: pd.DataFrame, book: Optional[RuleBook] = None,
                     options: Optional[Options] = None, eb: Optional[EncodedBook] = None,
                     stats: Optional[RunStats] = None, use_kernel: bool = True) -> pd.DataFrame:
    """Plan one chunk (tables already in memory); results in the order of ``cases``."""
    book = book or default_rulebook()
    options = options or Options()
    eb = eb or encode_book(book)
    prep = _prepare(cases, lines, eb, options, use_kernel)
    return _finish(prep, _kernel_out(prep, eb, options), book, eb, options, stats)


def _pipeline(chunks: Iterable, book: RuleBook, eb: EncodedBook, options: Options, stats: Optional[RunStats],
              use_kernel: bool, bar=None) -> list:
    """Plan a stream of (cases, lines) chunks, the kernel of one chunk running in a
    worker thread while the next chunk is read and encoded and the previous one decoded
    (the compiled kernel releases the GIL): on two cores the single-threaded table work
    hides behind the kernel instead of adding to it. The cases a chunk leaves to the
    per-case planner are planned beside both (:class:`_PerCaseHelper`) while more
    chunks follow; those of the last chunk in this thread. Results in chunk order,
    identical to planning the chunks one after the other."""
    from concurrent.futures import ThreadPoolExecutor

    parts: list = []
    waiting: list = []  # (position in parts, settled chunk) whose per-case rows are not in yet

    def settle(prep, kout, helper=None):
        parts.append(None)
        waiting.append((len(parts) - 1, _settle(prep, kout, book, eb, options, helper)))
        if bar is not None:
            bar.update(len(prep.cases))
        for i, s in list(waiting):  # completed as soon as their rows are in: memory stays bounded
            if isinstance(s.rows, list) or s.rows is None or s.rows.done():
                parts[i] = _complete(s, book, options, stats)
                waiting.remove((i, s))

    pending = None
    helper = _PerCaseHelper(book, options)
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="art60kit-kernel") as pool:
            for cc, ll in chunks:
                prep = _prepare(cc, ll, eb, options, use_kernel, normalised=True)
                fut = pool.submit(_kernel_out, prep, eb, options)
                if pending is not None:
                    settle(pending[0], pending[1].result(), helper)
                pending = (prep, fut)
            if pending is not None:
                settle(pending[0], pending[1].result())
        for i, s in waiting:
            parts[i] = _complete(s, book, options, stats)
        return parts
    finally:
        helper.close()


def _chunks(cases: pd.DataFrame, lines: pd.DataFrame, chunk_size: int):
    """(cases chunk, lines chunk) pairs of at most ``chunk_size`` and
    :data:`PIPELINE_CASES` cases; lines are grouped once, not searched per chunk (lines
    already in the order of their cases are sliced, not copied)."""
    chunk_size = min(chunk_size, PIPELINE_CASES)
    owner = owner_positions(cases["case_id"], lines["case_id"])
    in_order = bool(np.all(owner[1:] >= owner[:-1]))
    order = None if in_order else np.argsort(owner, kind="stable")
    so = owner if in_order else owner[order]
    for lo in range(0, len(cases), chunk_size):
        hi = min(lo + chunk_size, len(cases))
        a, b = np.searchsorted(so, lo, "left"), np.searchsorted(so, hi, "left")
        yield cases.iloc[lo:hi], lines.iloc[a:b] if in_order else lines.iloc[order[a:b]]


def plan_population(cases: TableLike, lines: TableLike, book: Optional[RuleBook] = None,
                    options: Optional[Options] = None, chunk_size: int = DEFAULT_CHUNK, progress=None,
                    explain: Union[bool, Sequence[str]] = False, lang: str = "en",
                    stats: Optional[RunStats] = None, use_kernel: bool = True, right: bool = False) -> pd.DataFrame:
    """Plan every case of the population.

    ``cases``/``lines``: DataFrames or Parquet/CSV paths (schemas in
    :mod:`art60kit.batch.tables`), or ``cases`` a folder of aligned Parquet parts
    (:mod:`art60kit.batch.parts`; ``lines`` None or the same folder), streamed part
    by part so that memory does not grow with the population. ``book``: the rule book (default: the shipped rule
    sets; a variant from :meth:`RuleBook.with_changes`). ``options``: interpretation
    options for every case (default: the documented defaults). ``chunk_size``: cases per
    chunk (the kernel takes at most :data:`PIPELINE_CASES` at a time); results do not
    depend on it. ``progress``: True/False, or None for a bar
    only when standard error is a terminal (a widget in a notebook, via tqdm.auto).
    ``explain``: True, or a list of case ids, to add ``steps`` and ``warnings`` (JSON
    text) for those cases, from the per-case planner. ``stats``: a :class:`RunStats`
    filled with what the run did. ``right``: add the right each request opens
    (:mod:`art60kit.batch.rightcols`; about 2 ms a case more).
    """
    from .parts import is_parts_folder, iter_parts, part_files

    book = book or default_rulebook()
    options = options or Options()
    eb = encode_book(book)
    parts = []
    if is_parts_folder(cases):
        # aligned parts (art60kit.batch.parts): streamed, one part in memory at a time
        if lines is not None and Path(lines) != Path(cases):
            raise ValueError(f"{lines}: with a parts folder, give the same folder (or None) for the lines")
        import pyarrow.parquet as pq

        files = part_files(cases)[0]
        bar = _progress(sum(pq.ParquetFile(f).metadata.num_rows for f in files), progress)
        kept_c, kept_l = [], []

        def streamed():
            for cc, ll in iter_parts(cases):
                cc, ll = normalise_cases(cc), normalise_lines(ll)
                if explain or right:
                    kept_c.append(cc)
                    kept_l.append(ll)
                yield from _chunks(cc, ll, max(1, int(chunk_size)))

        parts = _pipeline(streamed(), book, eb, options, stats, use_kernel, bar)
        if explain or right:
            cases, lines = pd.concat(kept_c, ignore_index=True), pd.concat(kept_l, ignore_index=True)
    else:
        cases = normalise_cases(read_table(cases))
        lines = normalise_lines(read_table(lines))
        bar = _progress(len(cases), progress)
        parts = _pipeline(_chunks(cases, lines, max(1, int(chunk_size))), book, eb, options, stats, use_kernel, bar)
    if bar is not None:
        bar.close()
    res = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(RESULT_COLUMNS))
    if explain:
        want = set(res["case_id"]) if explain is True else set(map(str, explain))
        idx = np.nonzero(cases["case_id"].astype(str).isin(want).to_numpy())[0]
        ex = _percase_rows(cases, lines, idx, book, options, steps=True, lang=lang)
        m = dict(zip(ex["case_id"], zip(ex["steps"], ex["warnings"])))
        res["steps"] = res["case_id"].map(lambda c: m.get(c, (None, None))[0])
        res["warnings"] = res["case_id"].map(lambda c: m.get(c, (None, None))[1])
    if right:
        from .rightcols import add_right_columns
        res = add_right_columns(res, cases, lines, book, options)
    return res


def compare_results(a: pd.DataFrame, b: pd.DataFrame, columns: Iterable[str] = KEY_COLUMNS) -> pd.DataFrame:
    """Rows where two result tables (same case ids) differ in ``columns`` (NaN = NaN)."""
    m = a[["case_id", *columns]].merge(b[["case_id", *columns]], on="case_id", how="outer", suffixes=("", "_b")).set_index("case_id")
    bad = np.zeros(len(m), bool)
    for c in columns:
        x, y = m[c], m[c + "_b"]
        same = (x == y) | (x.isna() & y.isna())
        bad |= ~same.fillna(False).to_numpy(dtype=bool)
    return m[bad]
