"""The rotation model in matrix form, solved by HiGHS (the fast path of :func:`run`).

Same formulation as the readable PuLP reference in :mod:`kimson_ds.rotation.model`
(constraints (1)–(10) of its docstring), built from numpy index arrays: one
CSR block per constraint family, no per-pair Python work. The model is kept
alive so that ties, alternatives, the robustness core and the weight ranges
are warm-started re-solves of the same HiGHS instance.

Objective, solved lexicographically (:func:`kimson_ds.optimise.lexicographic`):

1. *rules* (elastic mode only): minimise the weighted shortfall of the soft
   rules, ``Σ ρ_k s_k`` (ρ = ``penalties``: their order of importance);
2. *objective*: maximise ``Σ s_cp x_cp + λ Σ_B x_cp`` (pair scores plus the
   baseline bonus) with the shortfall held at its minimum;
3. *tie-break*: among the plans within ``ties.tolerance`` of that optimum,
   the declared secondary criteria in their declared order.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kimson_ds.optimise import INF, MatrixModel, SolverSettings, Stage, lexicographic

__all__ = ["FastModel", "build_fast", "set_demand", "TIE_CRITERIA", "tie_vectors", "stages", "solve_stages"]

#: Secondary criteria a scenario may name in ``ties.order`` (Vietnamese label, per-pair value).
TIE_CRITERIA = {
    "seniority": "thâm niên công tác nhiều hơn",
    "rating_history": "xếp loại các năm gần đây cao hơn",
    "distance": "khoảng cách từ nơi đang công tác gần hơn",
    "years_left": "còn nhiều năm công tác hơn",
}


#: Above this many pairs the first solve starts from the best ``SCREEN_TOP`` pairs of every post and
#: candidate; the others enter when their reduced cost says they could improve the plan (exact).
SCREEN_ABOVE = 5000
SCREEN_TOP = 8


@dataclass
class FastModel:
    """A built matrix model with the bookkeeping needed to read and explain it."""

    problem: object
    mm: MatrixModel
    pairs: pd.DataFrame
    soft: bool
    slacks: list  # (kind, key, label, need, column, penalty)
    families: dict  # family → [(name, label, idx, rhs, sense)] as in the PuLP model
    score: np.ndarray  # full-length cost of the pair scores
    bonus: np.ndarray  # full-length baseline bonus
    penalty: np.ndarray  # full-length shortfall weights (≥ 0, on slack columns)
    build_seconds: float
    demands: dict  # (kind, key) → row id of the demand row, for in-place panel changes

    @property
    def m(self) -> int:
        return len(self.pairs)


def _csr(codes: np.ndarray, n_groups: int, extra: list[np.ndarray] | None = None):
    """Rows grouping the columns by ``codes`` (0..n_groups−1); ``extra[g]`` columns appended to row g."""
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=n_groups)
    if extra is None:
        starts = np.concatenate([[0], np.cumsum(counts)])
        return starts, order, np.ones(len(order))
    parts, lens = [], []
    bounds = np.concatenate([[0], np.cumsum(counts)])
    for g in range(n_groups):  # few groups (demands): loop over groups, not pairs
        seg = np.concatenate([order[bounds[g]:bounds[g + 1]], extra[g]])
        parts.append(seg)
        lens.append(len(seg))
    starts = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
    index = np.concatenate(parts) if parts else np.array([], dtype=np.int64)
    return starts, index, np.ones(len(index))


def build_fast(pb, *, soft: bool | None = None, exclude_rules: tuple[str, ...] = (),
               pairs: pd.DataFrame | None = None, settings: SolverSettings | None = None) -> FastModel:
    """Build the matrix model of ``pb`` (see :func:`kimson_ds.rotation.model.build` for the arguments)."""
    t0 = time.perf_counter()
    sc = pb.scenario
    soft = (not sc.strict) if soft is None else soft
    pairs = pb.pairs if pairs is None else pairs
    m = len(pairs)
    ci = pairs["ci"].to_numpy()
    pi = pairs["pi"].to_numpy()
    cands, posts = pb.cands, pb.posts
    pen = sc.penalties
    title_of = posts["title"].to_numpy()[pi].astype(str)
    woman = cands["gender"].to_numpy()[ci] == "nu"

    # slack columns first (their count is known from the demands), then the rows
    slacks: list = []
    demand_rows: list = []  # (family, name, label, idx, lo, hi, slack)
    if sc.posts.counts is not None:
        for d in pb.demands[pb.demands["kind"] == "count"].itertuples():
            idx = np.flatnonzero(title_of == d.key)
            demand_rows.append(("fill", d.label, idx, d.need, d.need, ("count", d.key, d.label, d.need, pen.count)))
    else:
        dem = pb.demands[pb.demands["kind"] == "post"]
        codes = pd.Categorical(pairs["post_id"].to_numpy(), categories=dem["key"].to_numpy()).codes
        keep = codes >= 0
        order = np.flatnonzero(keep)[np.argsort(codes[keep], kind="stable")]
        counts = np.bincount(codes[keep], minlength=len(dem))
        bounds = np.concatenate([[0], np.cumsum(counts)])
        for g, d in enumerate(dem.itertuples()):
            demand_rows.append(("fill", d.label, order[bounds[g]:bounds[g + 1]], 1, 1,
                                ("post", d.key, d.label, 1, pen.count)))
    if "gender" not in exclude_rules:
        for d in pb.demands[pb.demands["kind"].isin(["women", "women_title"])].itertuples():
            sel = woman if d.kind == "women" else woman & (title_of == d.key)
            demand_rows.append(("gender", d.label, np.flatnonzero(sel), d.need, INF,
                                (d.kind, d.key, d.label, d.need, pen.gender)))
    keyed = pd.Series(np.arange(m), index=pd.MultiIndex.from_arrays([pairs["cadre_id"], pairs["post_id"]]))
    for p in sc.pins:
        i = keyed.get((p.cadre_id, p.post_id))
        idx = np.array([] if i is None else [int(i)], dtype=np.int64)
        demand_rows.append(("pins", f"{p.cadre_id} → {p.post_id}", idx, 1, INF,
                            ("pin", f"{p.cadre_id}→{p.post_id}", f"{p.cadre_id} → {p.post_id}", 1, pen.count)))
    must = pb.demands[pb.demands["kind"] == "must_move"]
    if len(must):  # (11) cadres a history rule requires to move: placed somewhere
        codes = pd.Index(must["key"].to_numpy()).get_indexer(pairs["cadre_id"].to_numpy())
        keep = codes >= 0
        order = np.flatnonzero(keep)[np.argsort(codes[keep], kind="stable")]
        bounds = np.concatenate([[0], np.cumsum(np.bincount(codes[keep], minlength=len(must)))])
        for g, d in enumerate(must.itertuples()):
            demand_rows.append(("history", d.label, order[bounds[g]:bounds[g + 1]], 1, INF,
                                ("must_move", d.key, d.label, 1, pen.count)))
    if sc.merger is not None and sc.rules.predecessors.enabled and "predecessors" not in exclude_rules:
        src = cands["source_commune"].to_numpy()[ci]
        dst = posts["commune_id"].to_numpy()[pi]
        for new, olds in sorted(sc.merger.new_units.items()):
            for old in sorted(olds):
                idx = np.flatnonzero((src == old) & (dst == new))
                if len(idx):  # always soft
                    demand_rows.append(("predecessors", f"{old} → {new}", idx, 1, INF,
                                        ("cover", f"{old}→{new}", f"{old} → {new}", 1, pen.coverage)))
    with_slack = [r for r in demand_rows if soft or r[5][0] == "cover"]
    n_slack = len(with_slack)
    n = m + n_slack
    cost_pen = np.zeros(n)
    lower = np.zeros(n)
    upper = np.concatenate([np.ones(m), np.full(n_slack, INF)])
    integer = np.concatenate([np.ones(m, dtype=bool), np.zeros(n_slack, dtype=bool)])
    mm = MatrixModel(np.zeros(n), lower, upper, integer, settings or SolverSettings())
    families: dict[str, list] = {}

    # (1) one post per candidate, (2) one candidate per post
    for codes_src in (ci, pi):
        codes, _ = pd.factorize(pd.Series(codes_src), sort=True)
        k = int(codes.max()) + 1 if m else 0
        if k:
            st, ix, va = _csr(codes, k)
            mm.add_rows(st, ix, va, -INF, 1.0)
    # (3), (4), (5), (8), (9), (11): demand rows, with their slack when soft
    col = m
    lo_all, hi_all, parts = [], [], []
    for fam, label, idx, lo, hi, sl in demand_rows:
        extra = np.array([], dtype=np.int64)
        if soft or sl[0] == "cover":
            extra = np.array([col])
            slacks.append((sl[0], sl[1], sl[2], sl[3], col, sl[4]))
            cost_pen[col] = sl[4]
            col += 1
        parts.append(np.concatenate([np.asarray(idx, dtype=np.int64), extra]))
        lo_all.append(lo)
        hi_all.append(hi)
        sense = "=" if hi == lo else ">="
        families.setdefault(fam, []).append((f"{fam}_{len(families.get(fam, []))}", label, np.asarray(idx), lo, sense))
    demand_ids = np.array([], dtype=np.int64)
    if parts:
        starts = np.concatenate([[0], np.cumsum([len(q) for q in parts])])
        demand_ids = mm.add_rows(starts, np.concatenate(parts), np.ones(int(starts[-1])), np.array(lo_all, float),
                    np.array(hi_all, float))
    # (6) source units
    su = sc.rules.source_units
    if "source_units" not in exclude_rules and su.enabled and su.max_per_unit is not None and m:
        unit = cands["unit_id"].to_numpy()[ci].astype(str)
        codes, uniq = pd.factorize(pd.Series(unit), sort=True)
        distinct = pd.Series(ci).groupby(codes).nunique().reindex(range(len(uniq)), fill_value=0).to_numpy()
        over = distinct > su.max_per_unit
        if over.any():
            remap = np.full(len(uniq), -1)
            remap[over] = np.arange(int(over.sum()))
            c2 = remap[codes]
            sel = np.flatnonzero(c2 >= 0)
            st, ix, va = _csr(c2[sel], int(over.sum()))
            mm.add_rows(st, sel[ix], va, -INF, float(su.max_per_unit))
            for u, (a, b) in zip(uniq[over], zip(st[:-1], st[1:], strict=True), strict=True):
                families.setdefault("source_units", []).append((f"source_{u}", str(u), sel[ix[a:b]],
                                                                su.max_per_unit, "<="))
    # (7) relatives never together in one commune
    if "relatives" not in exclude_rules and len(pb.related) and m:
        comm = posts["commune_id"].to_numpy()[pi]
        cc = pd.DataFrame({"cadre_id": pairs["cadre_id"].to_numpy(), "commune_id": comm, "i": np.arange(m)})
        a = pb.related.merge(cc, left_on="a", right_on="cadre_id")
        both = a.merge(cc, left_on=["b", "commune_id"], right_on=["cadre_id", "commune_id"], suffixes=("_a", "_b"))
        if len(both):
            both = both.sort_values(["a", "b", "commune_id"], kind="mergesort")
            g = both.groupby(["a", "b", "commune_id"], sort=True).ngroup().to_numpy()
            long = pd.DataFrame({"g": np.concatenate([g, g]),
                                 "i": np.concatenate([both["i_a"].to_numpy(), both["i_b"].to_numpy()])})
            long = long.drop_duplicates().sort_values(["g", "i"], kind="mergesort")
            k = int(g.max()) + 1
            counts = np.bincount(long["g"].to_numpy(), minlength=k)
            starts = np.concatenate([[0], np.cumsum(counts)])
            idx_all = long["i"].to_numpy()
            mm.add_rows(starts, idx_all, np.ones(len(idx_all)), -INF, 1.0)
            keys = both.drop_duplicates(["a", "b", "commune_id"])
            for j, r in enumerate(keys.itertuples()):  # one row per related pair and commune (few)
                families.setdefault("relatives", []).append(
                    (f"kin_{j}", f"{r.a} – {r.b} tại {r.commune_id}", idx_all[starts[j]:starts[j + 1]], 1, "<="))
    score = np.zeros(n)
    score[:m] = pairs["score"].to_numpy(dtype=float)
    bonus = np.zeros(n)
    if len(pb.baseline) and sc.baseline_penalty > 0:
        in_base = pd.MultiIndex.from_arrays([pairs["cadre_id"], pairs["post_id"]]).isin(
            pd.MultiIndex.from_frame(pb.baseline[["cadre_id", "post_id"]]))
        bonus[:m] = sc.baseline_penalty * in_base
    if m > SCREEN_ABOVE:  # large instances: start from each post's and each candidate's best pairs
        best = pd.DataFrame({"ci": ci, "pi": pi, "s": score[:m] + bonus[:m]}).sort_values(
            ["s", "ci", "pi"], ascending=[False, True, True], kind="mergesort")
        allowed = np.ones(n, dtype=bool)
        allowed[:m] = False
        allowed[best.groupby("pi", sort=False).head(SCREEN_TOP).index.to_numpy()] = True
        allowed[best.groupby("ci", sort=False).head(SCREEN_TOP).index.to_numpy()] = True
        mm.screen(allowed)
    mm.build_seconds = time.perf_counter() - t0
    demand_keys = [(r[5][0], r[5][1]) for r in demand_rows]
    return FastModel(pb, mm, pairs, soft, slacks, families, score, bonus, cost_pen, time.perf_counter() - t0,
                     dict(zip(demand_keys, demand_ids.tolist(), strict=True)))


def set_demand(fm: FastModel, kind: str, key: str, need: int) -> None:
    """Change one demand of a built model in place (``count`` of a title, ``women`` minimum …).

    The next solve is warm-started from the previous plan: this is how a
    panel change is answered without rebuilding the model.
    """
    row = fm.demands[(kind, key)]
    hi = float(need) if kind in ("count", "post") else INF
    fm.mm.set_row_bounds([row], float(need), hi)
    for j, s in enumerate(fm.slacks):
        if (s[0], s[1]) == (kind, key):
            fm.slacks[j] = (s[0], s[1], s[2], int(need), s[4], s[5])


def tie_vectors(fm: FastModel) -> list[tuple[str, np.ndarray]]:
    """The declared tie-break criteria as full-length cost vectors (larger is better), in order."""
    pb = fm.problem
    order = pb.scenario.ties.order
    order = list(TIE_CRITERIA)[:3] if order is None else order
    ci = fm.pairs["ci"].to_numpy()
    out = []
    for name in order:
        v = np.zeros(fm.mm.n_cols)
        if name == "seniority":
            v[:fm.m] = pb.cands["years_service"].to_numpy(dtype=float)[ci]
        elif name == "years_left":
            v[:fm.m] = pb.cands["years_left"].to_numpy(dtype=float)[ci]
        elif name == "rating_history":
            v[:fm.m] = pb.cands["rating_history"].to_numpy(dtype=float)[ci] if "rating_history" in pb.cands else 0.0
        elif name == "distance":
            v[:fm.m] = -fm.pairs["distance_km"].to_numpy(dtype=float)
        out.append((name, np.nan_to_num(v)))
    return out


def stages(fm: FastModel, *, ties: bool = True) -> list[Stage]:
    """The lexicographic stages: rules (elastic), objective (within the tie tolerance), tie-break criteria."""
    tol = fm.problem.scenario.ties.tolerance
    out = []
    if fm.slacks:
        out.append(Stage("rules", -fm.penalty, 1e-6))
    out.append(Stage("objective", fm.score + fm.bonus, tol if ties else 1e-6))
    if ties:
        out += [Stage(name, v, 1e-6) for name, v in tie_vectors(fm)]
    return out


def solve_stages(fm: FastModel, *, ties: bool = True):
    """Lexicographic solve of :func:`stages`; returns ``(result, values, optima)``."""
    res, values = lexicographic(fm.mm, stages(fm, ties=ties))
    return res, values, list(fm.mm.optima)
