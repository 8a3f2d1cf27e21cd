"""The kernel's named structures: what its functions receive instead of long lists of
arrays. Each is a :func:`collections.namedtuple` of numpy arrays and scalars, which
numba passes to compiled functions and reads by attribute (``led.o_num[k, o]``).

The field names keep the prefixes of the encoders' arrays (:mod:`art60kit.batch.encode`,
:mod:`art60kit.batch.one`, :mod:`art60kit.batch.book`), so that a field is found by the
same name on both sides.

What the kernel is given (read only):

- :class:`Cases`: one row per case (``c_*``): the person's birth and previous admission,
  the contract's start, regime (days a week ``r_n/r_d``, weekly hours ``q_n/q_d``,
  full-time hours ``s_n/s_d``), full-time flag and weekday mask, the case's slice of
  career lines (``c_lo .. c_hi``) and of contract events (``c_elo .. c_ehi``), and
  ``c_skip`` (a figure the kernel cannot hold exactly: status FALLBACK);
- :class:`Lines`: career lines (``l_*``: kind, first and last day, employer group,
  measure, regime figures as floats and exact fractions, hours or days declared, the
  child's birth, the encoder's extension flags ``l_xno`` and first extending day
  ``l_xa``) and contract events (``e_*``: kind, first and last day);
- :class:`Book`, the rule book (first axis of its arrays: rule set ``k``), in four
  parts, each handed only to the functions that read it: :class:`Kinds` (each kind of
  line's treatment, cap group, extension limits, default regime and foreign-work need:
  the ledger), :class:`Conds` (each rule set's validity, age categories and conditions:
  the verdict and the skip bounds), :class:`CreditRules` (yearly caps ``cap_units``,
  full-period figure ``FU``, quarter cap ``QCAP``, the weekdays ``EWD`` of the
  quarter-edge rule's start-quarter cap, the holiday table ``hc``/``hbase``: the window
  credit; ``Kinds.rk_deem``: the kinds of line that rule names) and :class:`SearchRules` (the days the search stops at, the bound
  tables of :mod:`art60kit.batch.bounds` ``pgb``/``mpd``, the contract's lead days);
- :class:`Opts`: the readings of the options (``onem``: rounding half up; ``next_day``:
  month end; ``ymd_shift``: extensions shift the window by years, months and days;
  ``PM``: the crediting period in months, 3 or 1) and ``check`` (tests: every
  table-driven credit recomputed the direct way).

One case's workspace (:class:`Workspace`, allocated by :func:`.search.new_workspace`
for a block of cases and reset case after case by :func:`.search.reset_case`); first
axis of the per-rule-set arrays: rule set ``k``:

- :class:`Ledger`: occupations (``o_*``, from ``o_pstart`` to ``o_pend`` in the pieces
  ``p_a``/``p_b``), capped pieces (``cp_*``), their counts, the contract's occupation,
  the foreign-work occupations (``o_isab``) and whether each counts at the request day
  (``ab_ok``), ``cst``, the career's first day, and ``o_deem``: the occupations of work
  known only by its total, which the quarter-edge rule reads (:func:`.credit.piece_span`);
- :class:`Ext`: the extending periods (``x_q``: it extends); :class:`Abroad`: each
  foreign-work line's occupation, last day and the Belgian work that must follow it;
- :class:`Bounds`: the pieces the search's skip bounds sum (:class:`Pieces`; ``ext``:
  work known only by its total, which a window may count to its last quarter's end),
  from the contract start (``pp``) and over the whole career (``ap``), and each rule set's most
  a full crediting period adds (``bonus_all``);
- :class:`Tables`: the per-quarter tables of the window credit
  (:func:`.credit.build_tables`) with ``qspan`` (their first quarter and number of
  quarters), which ledgers have them (``built``, ``fast_ok``), the self-check counters
  ``chk`` (on, checked, differing) and the scratch of :func:`.credit.window_credit_fast`;
- :class:`Verdict`: what :func:`.conditions.evaluate` writes and uses: the verdict
  (``res``) and its conditions (``cr``), the window's merged periods (``used``,
  ``ua``, ``ub``), the windows by length (``wm``, ``ws``, ``wbw``), the credit cache and
  buffers;
- :class:`Scratch`: the rest: the ledger builder's occupation keys (:class:`Grouping`:
  ``g_*`` per occupation, ``line_occ`` and ``ln_*`` per line), the first request day's verdict (``first``), the search's
  memo, the per-year denominators (``Lw``), the stops and walked ranges, and ``need``
  (sizes a case found missing).

A compiled call passes every array of a structure it is given, so each function takes
the smallest structures that hold what it reads.
"""
from __future__ import annotations

from collections import namedtuple

Cases = namedtuple("Cases", "c_birth c_prior c_s0 c_r_n c_r_d c_q_n c_q_d c_s_n c_s_d c_ft c_mask "
                            "c_lo c_hi c_elo c_ehi c_skip")
Lines = namedtuple("Lines", "l_kind l_a l_b l_emp l_msr l_r l_rf_n l_rf_d l_q l_q_n l_q_d l_s l_s_n l_s_d "
                            "l_h_n l_h_d l_d_n l_d_d l_child l_xno l_xa e_kind e_a e_b")
Kinds = namedtuple("Kinds", "rk_treat rk_group rk_minm rk_maxy rk_child rk_def_r rk_def_r_n rk_def_r_d "
                            "rk_def_s rk_def_s_n rk_def_s_d rk_abneed rk_deem")
Conds = namedtuple("Conds", "rs_from rs_until rs_newdays ra_n ra_from rc_n rc_days rc_months rc_type rc_pdays "
                            "rc_pyears rc_target rc_ratio rc_all rc_catmask rc_late")
CreditRules = namedtuple("CreditRules", "cap_units FU QCAP EWD hc hbase")
SearchRules = namedtuple("SearchRules", "stops_rules ages pgb mpd lead")
Book = namedtuple("Book", "kinds conds credit search")
Opts = namedtuple("Opts", "onem next_day ymd_shift PM check")

Ledger = namedtuple("Ledger", "o_num o_den o_mask o_ft o_first o_lastb o_pstart o_pend n_occ contract_occ "
                              "p_a p_b cp_a cp_b cp_mask cp_num cp_den cp_group cp_career n_cap o_isab ab_ok cst o_deem")
Ext = namedtuple("Ext", "x_a x_b x_q n_ext")
Abroad = namedtuple("Abroad", "ab_occ ab_end ab_need n_ab")
Pieces = namedtuple("Pieces", "a b per mask ext n")
Bounds = namedtuple("Bounds", "pp ap bonus_all")
Tables = namedtuple("Tables", "qspan fast_ok built o_lo o_span o_pb PF PD EXa EXc YAa YAc qa_buf qc_buf ycon "
                              "chk eq qv eqa eqb")
Verdict = namedtuple("Verdict", "res cr used ua ub wm ws wbw cache qbuf ybuf")
Grouping = namedtuple("Grouping", "g_emp g_num g_den g_mask g_ft g_deem line_occ ln_num ln_den ln_mask")
Scratch = namedtuple("Scratch", "grp first memo Lw stw wa wb qb2 yb2 need")
Workspace = namedtuple("Workspace", "led ext abr bnd tab ev scr")
