"""Optimisers worth trusting: the reusable pieces of every assignment model.

A model is written once in matrix form (:class:`MatrixModel`, solved by HiGHS
through ``highspy`` and kept alive for warm-started re-solves) and the
questions the committee asks of it are answered here, the same way for the
rotation planner, the slate and the training schedule:

* :func:`lexicographic` — rules first, then scores: solve the objectives one
  after the other, each later stage keeping the earlier ones at their optimum
  (within a declared tolerance). A soft rule therefore never gives way while a
  compliant plan exists, whatever the size of the scores (no penalty scaling
  to tune).
* :func:`count_equivalent` — how many plans are within the tie tolerance of
  the optimum ("n phương án tương đương"), counted up to a limit.
* :func:`difference_row` / :func:`diverse_alternatives` — alternatives that
  differ from every earlier plan by at least ``min_difference`` *people*
  (a person moved, added or dropped counts once; supersets are not excluded).
* :func:`robust_core` — the choices found in every plan within ε of the
  optimum ("chắc chắn") and those that are interchangeable.
* :func:`weight_ranges` — for each weight, the interval over which the chosen
  plan stays optimal (exact parametric search, one solve per breakpoint).

Everything is deterministic (single thread, fixed seed) and silent.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from pydantic import Field

from kimson_ds.config import StrictModel

__all__ = [
    "INF",
    "MatrixModel",
    "SolveResult",
    "SolverSettings",
    "TieSettings",
    "RobustnessSettings",
    "Stage",
    "lexicographic",
    "count_equivalent",
    "difference_row",
    "diverse_alternatives",
    "robust_core",
    "weight_ranges",
]

INF = float("inf")
_BANNER_DONE = False


# --------------------------------------------------------------------------- settings
class SolverSettings(StrictModel):
    """Solver limits, recorded in ``run.json``."""

    time_limit: float = Field(default=60.0, gt=0)
    gap: float = Field(default=0.0, ge=0, le=1)


class TieSettings(StrictModel):
    """How ties are detected and broken.

    ``tolerance`` (in objective points): plans within it of the optimum are
    *tương đương*; ``order``: the secondary criteria, applied one after the
    other among the tied plans; ``count_limit``: stop counting tied plans there.
    """

    tolerance: float = Field(default=1e-6, ge=0)
    order: list[str] | None = None
    count_limit: int = Field(default=10, ge=1, le=1000)
    rating_years: int = Field(default=5, ge=1)


class RobustnessSettings(StrictModel):
    """Robustness core and weight sensitivity (``epsilon`` in objective points)."""

    enabled: bool = True
    epsilon: float = Field(default=0.05, ge=0)
    sensitivity: bool = True
    max_weight: float = Field(default=10.0, gt=0)


# --------------------------------------------------------------------------- model
@dataclass
class SolveResult:
    """One solve: status, values and what the solver reached."""

    optimal: bool
    status: str  # Vietnamese
    values: np.ndarray
    objective: float | None
    gap: float | None
    seconds: float
    time_limit_hit: bool = False


def _highs():
    global _BANNER_DONE
    import highspy

    if _BANNER_DONE:
        h = highspy.Highs()
    else:  # HiGHS prints its banner on the first construction: keep stdout clean
        import sys

        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _BANNER_DONE = True
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    return h


@dataclass
class MatrixModel:
    """A maximisation MILP ``max c·x, row_lower ≤ A x ≤ row_upper, lower ≤ x ≤ upper``.

    Rows are added in blocks from CSR arrays (no per-row Python work). The
    HiGHS instance is created on the first :meth:`solve` and kept: later
    solves after a bound, cost or row change start from the previous solution.
    """

    cost: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    integer: np.ndarray  # bool per column
    settings: SolverSettings = field(default_factory=SolverSettings)
    _starts: list = field(default_factory=list)
    _index: list = field(default_factory=list)
    _value: list = field(default_factory=list)
    _rlo: list = field(default_factory=list)
    _rhi: list = field(default_factory=list)
    n_rows: int = 0
    optima: list = field(default_factory=list)  # raw optimum of each stage of the last lexicographic solve
    _h: object = None
    _last: np.ndarray | None = None
    _screened: np.ndarray | None = None
    _allowed0: np.ndarray | None = None
    _pending_screen: bool = False
    mip_solves: int = 0
    last_rc: np.ndarray | None = None  # reduced costs of the last solve when it ended on the LP (else None)
    build_seconds: float = 0.0

    @property
    def n_cols(self) -> int:
        return len(self.cost)

    def add_rows(self, starts: np.ndarray, index: np.ndarray, value: np.ndarray, lo, hi) -> np.ndarray:
        """Add rows given in CSR form (``starts`` has one entry per row plus the end); return their ids."""
        k = len(starts) - 1
        if k <= 0:
            return np.array([], dtype=np.int64)
        lo = np.broadcast_to(np.asarray(lo, dtype=float), (k,)).copy()
        hi = np.broadcast_to(np.asarray(hi, dtype=float), (k,)).copy()
        ids = np.arange(self.n_rows, self.n_rows + k)
        if self._h is None:
            self._starts.append(np.asarray(starts, dtype=np.int64))
            self._index.append(np.asarray(index, dtype=np.int32))
            self._value.append(np.asarray(value, dtype=float))
            self._rlo.append(lo)
            self._rhi.append(hi)
        else:
            self._h.addRows(k, lo, hi, len(index), np.asarray(starts[:-1], dtype=np.int32),
                            np.asarray(index, dtype=np.int32), np.asarray(value, dtype=float))
        self.n_rows += k
        return ids

    def add_row(self, index, value, lo: float = -INF, hi: float = INF) -> int:
        """Add one row ``lo ≤ Σ value·x[index] ≤ hi``; return its id."""
        index = np.asarray(index, dtype=np.int64)
        return int(self.add_rows(np.array([0, len(index)]), index, np.asarray(value, dtype=float), lo, hi)[0])

    def delete_rows_from(self, first: int) -> None:
        """Delete every row with id ≥ ``first`` (temporary rows of a stage)."""
        if first >= self.n_rows:
            return
        self._ensure()
        ids = np.arange(first, self.n_rows, dtype=np.int32)
        self._h.deleteRows(len(ids), ids)
        self.n_rows = first

    def _ensure(self) -> None:
        if self._h is not None:
            return
        import highspy

        h = _highs()
        lp = highspy.HighsLp()
        n = self.n_cols
        lp.num_col_ = n
        lp.num_row_ = self.n_rows
        lp.col_cost_ = np.asarray(self.cost, dtype=float)
        lp.col_lower_ = np.asarray(self.lower, dtype=float)
        lp.col_upper_ = np.asarray(self.upper, dtype=float)
        if self.n_rows:
            offs = np.cumsum([0] + [s[-1] for s in self._starts[:-1]])
            starts = np.concatenate([s[:-1] + o for s, o in zip(self._starts, offs, strict=True)]
                                    + [np.array([offs[-1] + self._starts[-1][-1]])])
            lp.row_lower_ = np.concatenate(self._rlo)
            lp.row_upper_ = np.concatenate(self._rhi)
            lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
            lp.a_matrix_.start_ = starts.astype(np.int32)
            lp.a_matrix_.index_ = np.concatenate(self._index).astype(np.int32)
            lp.a_matrix_.value_ = np.concatenate(self._value)
        lp.integrality_ = [highspy.HighsVarType.kContinuous] * n  # LP first; see solve()
        lp.sense_ = highspy.ObjSense.kMaximize
        h.passModel(lp)
        h.setOptionValue("time_limit", float(self.settings.time_limit))
        h.setOptionValue("mip_rel_gap", float(self.settings.gap))
        self._h = h
        if self._screened is not None:
            self._apply_screen(np.flatnonzero(self._screened))
        self._starts, self._index, self._value, self._rlo, self._rhi = [], [], [], [], []

    def set_row_bounds(self, rows, lo, hi) -> None:
        """Change the bounds of existing rows (a panel change: counts, minimums)."""
        rows = np.atleast_1d(np.asarray(rows, dtype=np.int64))
        lo = np.broadcast_to(np.asarray(lo, dtype=float), rows.shape).copy()
        hi = np.broadcast_to(np.asarray(hi, dtype=float), rows.shape).copy()
        self._ensure()
        self._h.changeRowsBounds(len(rows), rows.astype(np.int32), lo, hi)

    def set_cost(self, cost: np.ndarray) -> None:
        """Replace the objective (maximised)."""
        cost = np.asarray(cost, dtype=float)
        self.cost = cost
        if self._h is not None:
            self._h.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost)

    def set_bounds(self, cols, lower, upper) -> None:
        """Change the bounds of ``cols`` (a screened-out column stays at 0 until priced in)."""
        cols = np.atleast_1d(np.asarray(cols, dtype=np.int64))
        lower = np.broadcast_to(np.asarray(lower, dtype=float), cols.shape).copy()
        upper = np.broadcast_to(np.asarray(upper, dtype=float), cols.shape).copy()
        self.lower = self.lower.copy()
        self.upper = self.upper.copy()
        self.lower[cols] = lower
        self.upper[cols] = upper
        if self._h is not None and len(cols):
            eff = np.where(self._screened[cols], 0.0, upper) if self._screened is not None else upper
            self._h.changeColsBounds(len(cols), cols.astype(np.int32), lower, eff)

    def screen(self, allowed: np.ndarray) -> None:
        """Start with only the ``allowed`` columns (the others held at 0).

        Exact: after every LP solve the reduced costs of the held columns are
        checked and every column that could improve the objective is let in
        (column generation), so the answer is the optimum over all columns.
        """
        self._allowed0 = np.asarray(allowed, dtype=bool).copy()
        self._screened = ~self._allowed0 & (self.lower == 0)
        if self._h is not None:
            self._apply_screen(np.flatnonzero(self._screened))

    def _apply_screen(self, cols: np.ndarray) -> None:
        if len(cols):
            self._h.changeColsBounds(len(cols), cols.astype(np.int32), self.lower[cols],
                                     np.where(self._screened[cols], 0.0, self.upper[cols]))

    def _unscreen(self, cols: np.ndarray) -> None:
        self._screened[cols] = False
        self._apply_screen(cols)

    def _run(self):
        import highspy

        h = self._h
        h.run()
        st = h.getModelStatus()
        info = h.getInfo()
        has_sol = info.primal_solution_status == 2  # kSolutionStatusFeasible
        limit = st == highspy.HighsModelStatus.kTimeLimit
        return st, info, has_sol, limit

    def solve(self) -> SolveResult:
        """Solve: the LP relaxation first (warm-started from the previous basis), priced over
        the screened-out columns; when its solution is integral it is the MILP optimum,
        otherwise the MILP is solved over all columns."""
        import highspy

        self._ensure()
        h = self._h
        t0 = time.perf_counter()
        ints = np.flatnonzero(self.integer)
        if self._screened is None:
            self._screened = np.zeros(self.n_cols, dtype=bool)
        mip = False
        while True:
            st, info, has_sol, limit = self._run()
            if st == highspy.HighsModelStatus.kOptimal:
                rc = np.asarray(h.getSolution().col_dual, dtype=float)
                enter = np.flatnonzero(self._screened & (rc > 1e-7) & (self.upper > 0))
                if len(enter):
                    self._unscreen(enter)
                    continue
                vals = np.asarray(h.getSolution().col_value, dtype=float)
                frac = np.abs(vals[ints] - np.round(vals[ints])) > 1e-6
                if not frac.any():
                    break
            elif st == highspy.HighsModelStatus.kInfeasible and self._screened.any():
                self._unscreen(np.flatnonzero(self._screened))  # the held columns may be needed to be feasible
                continue
            elif st != highspy.HighsModelStatus.kOptimal:
                break
            # fractional LP optimum: solve the MILP over every column, then go back to the LP
            mip = True
            self._unscreen(np.flatnonzero(self._screened))
            kint = [highspy.HighsVarType.kInteger] * len(ints)
            h.changeColsIntegrality(len(ints), ints.astype(np.int32), kint)
            if self._last is not None:
                start = highspy.HighsSolution()
                start.col_value = list(np.clip(self._last, self.lower, self.upper))
                start.value_valid = True
                with contextlib.suppress(Exception):
                    h.setSolution(start)
            st, info, has_sol, limit = self._run()
            h.changeColsIntegrality(len(ints), ints.astype(np.int32), [highspy.HighsVarType.kContinuous] * len(ints))
            if self._allowed0 is not None and st == highspy.HighsModelStatus.kOptimal:
                # back to a small LP for the next solve (pricing keeps it exact)
                used = np.asarray(h.getSolution().col_value, dtype=float) > 1e-9
                self._screened = ~(self._allowed0 | used) & (self.lower == 0)
                self._pending_screen = True
            break
        vals_now = np.asarray(h.getSolution().col_value, dtype=float) if has_sol or st == highspy.HighsModelStatus.kOptimal \
            else None
        if self._pending_screen:
            self._apply_screen(np.flatnonzero(self._screened))
            self._pending_screen = False
        secs = time.perf_counter() - t0
        optimal = st == highspy.HighsModelStatus.kOptimal or (limit and has_sol)
        text = {highspy.HighsModelStatus.kOptimal: "Tối ưu",
                highspy.HighsModelStatus.kInfeasible: "Không khả thi",
                highspy.HighsModelStatus.kTimeLimit: "Hết thời gian (phương án tốt nhất tìm được)"
                if has_sol else "Hết thời gian, chưa có phương án"}.get(st, "Không xác định")
        if not optimal:
            return SolveResult(False, text, np.array([]), None, None, secs, limit)
        vals = vals_now
        vals[ints] = np.round(vals[ints])
        self._last = vals
        self.last_rc = None if mip else np.asarray(h.getSolution().col_dual, dtype=float)
        gap = (float(info.mip_gap) if np.isfinite(info.mip_gap) else 0.0) if mip else 0.0
        self.mip_solves += int(mip)
        return SolveResult(True, text, vals, float(self.cost @ vals), max(gap, 0.0), secs, limit)


# --------------------------------------------------------------------------- stages
@dataclass
class Stage:
    """One objective of a lexicographic solve: maximise ``cost·x``; later stages keep it
    within ``tolerance`` of its optimum."""

    name: str
    cost: np.ndarray
    tolerance: float = 1e-6


def lexicographic(model: MatrixModel, stages: Sequence[Stage], *, keep: bool = False
                  ) -> tuple[SolveResult, list[float]]:
    """Solve ``stages`` in order; return the last solve and the value of every stage.

    Each stage after the first is solved with the earlier objectives held at
    ``≥ optimum − tolerance``. The rows holding them are removed afterwards
    unless ``keep``. A stage whose cost is all zero is skipped.
    """
    first_row = model.n_rows
    values: list[float] = []
    model.optima = []
    held: list = []
    res = None
    for j, st in enumerate(stages):
        cost = np.asarray(st.cost, dtype=float)
        if j > 0 and not np.any(cost):
            values.append(0.0)
            model.optima.append(0.0)
            continue
        model.set_cost(cost)
        res = model.solve()
        if not res.optimal:
            break
        val = float(cost @ res.values)
        values.append(val)
        model.optima.append(val)
        if j < len(stages) - 1:
            nz = np.flatnonzero(cost)
            slack = st.tolerance + 1e-9 * max(1.0, abs(val))
            model.add_row(nz, cost[nz], lo=val - slack)
            if model.last_rc is not None:
                # a plan within `slack` of this optimum loses Σ|reduced cost| ≥ the reduced cost of each of its
                # columns: a column whose reduced cost is below −slack is in no such plan (exact reduction)
                out = np.flatnonzero((model.last_rc < -slack - 1e-7) & (model.upper > 0) & model.integer)
                held.append((out, model.lower[out].copy(), model.upper[out].copy()))
                model.set_bounds(out, 0.0, 0.0)
    if res is not None and res.optimal:
        values = [float(np.asarray(s.cost, dtype=float) @ res.values) for s in stages]
    for cols, lo, hi in reversed(held):
        model.set_bounds(cols, lo, hi)
    if not keep:
        model.delete_rows_from(first_row)
    return res, values


def difference_row(groups: np.ndarray, chosen: np.ndarray, n_cols: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Linear form of "number of people whose choice differs from plan ``chosen``".

    ``groups[i]`` is the person of binary column ``i`` (each person takes at
    most one column). A person differs when the column chosen for them in the
    plan is off, or when a person not in the plan is given any column:
    ``Σ_{i∈chosen}(1 − x_i) + Σ_{i: groups[i] ∉ plan} x_i``. Returns
    ``(index, value, constant)`` so that the difference is ``value·x[index] + constant``.
    """
    groups = np.asarray(groups)
    in_plan_person = np.isin(groups, groups[chosen])
    other = np.flatnonzero(~in_plan_person)
    index = np.concatenate([np.asarray(chosen, dtype=np.int64), other])
    value = np.concatenate([-np.ones(len(chosen)), np.ones(len(other))])
    return index, value, float(len(chosen))


def _picked(values: np.ndarray, cols: np.ndarray) -> np.ndarray:
    return cols[values[cols] > 0.5]


def count_equivalent(model: MatrixModel, cost: np.ndarray, optimum: float, tolerance: float, groups: np.ndarray,
                     cols: np.ndarray, chosen: np.ndarray, limit: int) -> tuple[int, bool]:
    """Count distinct plans (by people) with ``cost·x ≥ optimum − tolerance``, up to ``limit``.

    Returns ``(n, complete)``: ``complete`` False when the count stopped at the limit.
    """
    first = model.n_rows
    nz = np.flatnonzero(cost)
    model.add_row(nz, cost[nz], lo=optimum - tolerance - 1e-9 * max(1.0, abs(optimum)))
    model.set_cost(cost)
    n, plans, complete = 1, [chosen], True
    while True:
        idx, val, const = difference_row(groups, plans[-1], len(cols))
        model.add_row(cols[idx], val, lo=1 - const)
        if n >= limit:
            res = model.solve()
            complete = not res.optimal
            break
        res = model.solve()
        if not res.optimal:
            break
        n += 1
        plans.append(np.flatnonzero(res.values[cols] > 0.5))
    model.delete_rows_from(first)
    return n, complete


def diverse_alternatives(model: MatrixModel, stages: Sequence[Stage], groups: np.ndarray, cols: np.ndarray,
                         first_plan: np.ndarray, k: int, min_difference: int) -> list[tuple[SolveResult, list[float]]]:
    """The next ``k − 1`` best plans, each differing from every earlier one by ≥ ``min_difference`` people.

    ``cols`` are the model columns of the binary choices, ``groups[i]`` the
    person of ``cols[i]``; plans are given as positions into ``cols``.
    """
    first = model.n_rows
    plans = [first_plan]
    out = []
    for _ in range(k - 1):
        idx, val, const = difference_row(groups, plans[-1], len(cols))
        model.add_row(cols[idx], val, lo=min_difference - const)
        res, values = lexicographic(model, stages)
        if not res.optimal:
            break
        chosen = np.flatnonzero(res.values[cols] > 0.5)
        out.append((res, values))
        plans.append(chosen)
    model.delete_rows_from(first)
    return out


def robust_core(model: MatrixModel, cost: np.ndarray, optimum: float, epsilon: float, cols: np.ndarray,
                chosen: np.ndarray) -> np.ndarray:
    """For each chosen column, True when every plan within ``epsilon`` of ``optimum`` keeps it.

    One warm-started solve per chosen column, with the column forced to 0:
    the choice is *chắc chắn* when the best plan without it is more than
    ``epsilon`` worse (or there is none).
    """
    model.set_cost(cost)
    sure = np.zeros(len(chosen), dtype=bool)
    for j, c in enumerate(cols[chosen]):
        lo, hi = model.lower[c], model.upper[c]
        model.set_bounds([c], 0.0, 0.0)
        res = model.solve()
        model.set_bounds([c], lo, hi)
        sure[j] = (not res.optimal) or (res.objective < optimum - epsilon - 1e-9 * max(1.0, abs(optimum)))
    return sure


def weight_ranges(model: MatrixModel, base: np.ndarray, parts: dict[str, np.ndarray], weights: dict[str, float],
                  plan: np.ndarray, *, max_weight: float, tolerance: float = 1e-7, max_iter: int = 50
                  ) -> list[tuple[str, float, float, float, bool]]:
    """For each weight, the interval of values (others fixed) over which ``plan`` stays optimal.

    The objective is ``base + Σ_k w_k · parts[k]`` (column vectors). For one
    weight the plan's value and every other plan's value are lines in ``w``;
    starting at an end of ``[0, max_weight]`` the solve returns the best plan
    there, and the next trial point is where its line crosses the plan's
    line — exact after as many solves as breakpoints. Returns rows
    ``(name, weight, low, high, high_capped)``; ``high_capped`` True when the
    plan stays optimal up to ``max_weight`` (the range may go further).
    """
    out = []
    plan = np.asarray(plan, dtype=float)
    for name, part in parts.items():
        w0 = float(weights[name])
        rest = base + sum(weights[k] * parts[k] for k in parts if k != name)
        a0, b0 = float(rest @ plan), float(part @ plan)

        def search(w: float, lo: float, hi: float, rest=rest, part=part, a0=a0, b0=b0, w0=w0) -> float:
            for _ in range(max_iter):
                model.set_cost(rest + w * part)
                res = model.solve()
                if not res.optimal:
                    return w
                a1, b1 = float(rest @ res.values), float(part @ res.values)
                if a1 + w * b1 <= a0 + w * b0 + tolerance * max(1.0, abs(a0 + w * b0)):
                    return w  # the plan is optimal at w
                if abs(b1 - b0) < 1e-12:
                    return w0
                w_new = (a0 - a1) / (b1 - b0)  # where the two lines cross
                w_new = min(max(w_new, lo), hi)
                if abs(w_new - w) < 1e-12:
                    return w
                w = w_new
            return w

        high = search(max(max_weight, w0), w0, max(max_weight, w0))
        low = search(0.0, 0.0, w0)
        out.append((name, w0, low, high, high >= max(max_weight, w0) - 1e-12))
    return out
