r"""Slate optimiser for succession planning (quy hoạch): build, solve, explain, run.

Chooses the slate of every key post of a term at once (RULEBOOK §2).

Formulation
-----------
Sets
    :math:`P` key posts; :math:`C` candidates; :math:`E \subseteq C \times P`
    eligible pairs (hard rules already applied: age, discipline, standards
    closable before the term, exclusions); :math:`L` levels (xã, huyện);
    :math:`P_\ell` posts of level :math:`\ell`; :math:`B(c,p)` the posts whose
    title is a lower-level basis of :math:`p` (``planning.lower_level_titles``)
    for the pairs :math:`(c,p) \in E_B` whose candidate does not already hold
    a basis post.
Parameters
    :math:`s_{cp}` pair score = :math:`w_r \cdot` readiness points (3 ready now,
    2 in 1–2 years, 1 later) + :math:`w_m \cdot` merit (mean recent rating
    points) + :math:`w_k \cdot` [on the current list] + a tie-break below
    :math:`10^{-3}` decreasing with the cadre id's order;
    :math:`\underline{n}_p, \overline{n}_p` slate size bounds (per seat for
    the maximum); :math:`K` posts per person per level; :math:`\alpha` women
    share, :math:`\beta` young share (targets, possibly absent);
    :math:`f_c, g_c \in \{0,1\}` woman, young; :math:`k_c \in \{1,2,3\}` age
    cohort (``planning.age_cohort_bounds``); :math:`N` candidates; weights
    :math:`\pi_n, \pi_w, \pi_y, \pi_k > 0` ranking the targets against each other.
Variables
    :math:`x_{cp} \in \{0,1\}` c on the slate of p; :math:`y_c \in \{0,1\}` c on
    the list; shortfalls :math:`u_p, \sigma_w, \sigma_y \ge 0` (persons);
    :math:`v_p, v_w, v_y, v_k \in \{0,1\}` target broken (slate minimum of p,
    women share, young share, age cohorts); :math:`e \in \{0,1\}` list not empty.
Objective (lexicographic: rules first, then scores)
    phase 1: :math:`\min V = \pi_n \sum_p v_p + \pi_w v_w + \pi_y v_y + \pi_k v_k`;
    phase 2: :math:`\max \sum_{E} s_{cp} x_{cp}` subject to :math:`V \le V^*`.
    So a target is never given up for a higher score while a slate meeting it
    exists, and every proposal passes ``plan --check`` except for the targets
    phase 1 proves cannot be met (reported with the reason).
Constraints
    1. slate maximum: :math:`\sum_c x_{cp} \le \overline{n}_p \;\forall p`
    2. slate minimum: :math:`\sum_c x_{cp} + u_p \ge \underline{n}_p`, :math:`u_p \le \underline{n}_p v_p \;\forall p`
    3. posts per person and level: :math:`\sum_{p \in P_\ell} x_{cp} \le K \;\forall c, \ell`
    4. list membership: (a) :math:`x_{cp} \le y_c \;\forall (c,p)`; (b) :math:`y_c \le \sum_p x_{cp} \;\forall c`
    5. women share: :math:`\sum_c (f_c - \alpha) y_c + \sigma_w \ge 0`, :math:`\sigma_w \le \alpha N v_w`,
       :math:`v_w + e \ge 1` (as in the check, an empty list does not meet a positive minimum)
    6. young share: the same with :math:`g_c, \beta, \sigma_y, v_y`
    7. pins: :math:`x_{cp} = 1` for every pinned pair
    8. lower-level basis: :math:`x_{cp} \le \sum_{q \in B(c,p)} x_{cq} \;\forall (c,p) \in E_B`
    9. list not empty: :math:`\sum_c y_c \le N e`, :math:`e \le \sum_c y_c`; age cohorts:
       :math:`\sum_{c: k_c = k} y_c + v_k \ge e \;\forall k \in \{1,2,3\}`

A share target of 0 % (or none in force) adds no constraint: any list meets it,
the empty one included. Ties: the score carries a tie-break below
:math:`10^{-3}` by (cadre, post) order (:func:`score_pairs`); after the solve,
equally good slates without it are looked for and reported (:func:`explain`).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pulp
from pydantic import Field

from kimson_ds.config import StrictModel
from kimson_ds.errors import InfeasibleError, ScenarioError
from kimson_ds.planning import succession as su
from kimson_ds.rules.parameters import ParameterSet, parameters
from kimson_ds.solver import default_solver, status_text

__all__ = ["CHANGE", "TIE_CRITERIA", "PlanScenario", "SlateConfig", "SlateModel", "SlateResult", "base_scores",
           "build", "explain", "find_ties", "run", "score_pairs", "slate_tables", "solve", "tie_breaks"]

#: Vietnamese labels of the changes against the current list.
CHANGE = {"giu": "Giữ nguyên", "them": "Đề xuất mới", "bo": "Không đưa vào"}


# --------------------------------------------------------------------------- scenario
class PostRef(StrictModel):
    """One (cadre, post) pair named in a scenario."""

    cadre_id: str
    target_title: str
    target_unit_id: str


class Exclude(StrictModel):
    """Leave a cadre out of every slate, or out of one post."""

    cadre_id: str
    target_title: str | None = None
    target_unit_id: str | None = None


class Weights(StrictModel):
    """Score weights, and the weight of each broken target when targets cannot all be met.

    Targets always come first (lexicographic solve); the ``*_slack`` weights
    only rank the targets against each other when not all can be met.
    """

    readiness: float = Field(1.0, ge=0)
    merit: float = Field(1.0, ge=0)
    keep_current: float = Field(0.5, ge=0)
    women_slack: float = Field(20.0, gt=0)
    young_slack: float = Field(20.0, gt=0)
    slate_min_slack: float = Field(50.0, gt=0)
    cohorts_slack: float = Field(20.0, gt=0)


class Review(StrictModel):
    """Dates of the annual review."""

    date_from: dt.date
    date_to: dt.date


class PlanScenario(StrictModel):
    """Scenario of the ``plan`` command (YAML; unknown keys are rejected)."""

    term: str = "2020-2025"
    as_of: dt.date | None = None
    term_start: dt.date | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    merit_years: int = Field(3, ge=1, le=10)
    slate_size: int | None = Field(None, ge=1, le=10)
    weights: Weights = Field(default_factory=Weights)
    pins: list[PostRef] = Field(default_factory=list)
    excludes: list[Exclude] = Field(default_factory=list)
    extra_candidates: list[PostRef] = Field(default_factory=list)
    review: Review | None = None
    time_limit_s: float = Field(60.0, gt=0)


# --------------------------------------------------------------------------- model
@dataclass
class SlateConfig:
    """Numbers of one optimisation (regulation values already resolved)."""

    max_posts_per_person: int
    women_share: float | None = None
    young_share: float | None = None
    penalty_women: float = 20.0
    penalty_young: float = 20.0
    penalty_slate_min: float = 50.0
    penalty_cohorts: float = 20.0
    cohorts: bool = True
    pins: list[tuple[str, str]] = field(default_factory=list)
    time_limit: float | None = None


@dataclass
class SlateModel:
    """A built model: the PuLP problem, its variables and the data it came from."""

    prob: pulp.LpProblem
    x: list
    y: dict
    u: dict
    slack_women: Any
    slack_young: Any
    pairs: pd.DataFrame
    posts: pd.DataFrame
    candidates: pd.DataFrame
    config: SlateConfig
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    status: int = pulp.LpStatusNotSolved
    stages: str = ""
    violations: Any = None
    score: Any = None
    flags: dict = field(default_factory=dict)
    broken: float = 0.0


@dataclass
class SlateResult:
    """What the optimiser reports."""

    slates: pd.DataFrame
    shares: pd.DataFrame
    unmet: pd.DataFrame
    diff: pd.DataFrame
    status: str
    objective: float
    build_seconds: float
    solve_seconds: float
    pairs: pd.DataFrame = field(default_factory=pd.DataFrame)
    posts: pd.DataFrame = field(default_factory=pd.DataFrame)
    params: ParameterSet | None = None
    param_sets: list = field(default_factory=list)
    ties: pd.DataFrame = field(default_factory=pd.DataFrame)


_SAFE = re.compile(r"[^A-Za-z0-9_]")


def _cid(text: str) -> str:
    return _SAFE.sub("_", str(text))


#: The declared criteria that break ties between equally scored slates, in order.
TIE_CRITERIA = ("mức sẵn sàng, thành tích, đang trong danh sách (điểm tổng hợp bằng nhau)",
                "mã cán bộ nhỏ hơn, rồi mã chức danh nhỏ hơn (ưu tiên theo thứ tự cặp cán bộ – chức danh)")


def base_scores(pairs: pd.DataFrame, weights: Weights | None = None) -> pd.Series:
    """Pair score without tie-break: weighted readiness points + merit + keep bonus."""
    w = weights or Weights()
    ready = pairs["readiness"].map(su._READY_POINTS).fillna(0.0)
    keep = pairs["on_current_list"].astype(float) if "on_current_list" in pairs else 0.0
    return w.readiness * ready + w.merit * pairs["merit"].astype(float) + w.keep_current * keep


def tie_breaks(pairs: pd.DataFrame) -> pd.Series:
    """Deterministic tie-break below 10⁻⁴ per (cadre, post) pair, larger for earlier pairs.

    Pairs are ordered by (cadre id, post id); the weight is convex in the
    order, so swapping two people between two posts changes the total (a
    weight linear in the order would leave such swaps tied).
    """
    order = pd.MultiIndex.from_arrays([pairs["cadre_id"].astype(str), pairs["post_id"].astype(str)])
    rank = pd.Series(order.argsort().argsort() + 1, index=pairs.index, dtype=float) if len(pairs) else \
        pd.Series(dtype=float)
    return 1e-4 * (1.0 - rank / (len(pairs) + 1.0)) ** 2


def score_pairs(pairs: pd.DataFrame, weights: Weights | None = None) -> pd.Series:
    """Pair score: :func:`base_scores` + :func:`tie_breaks`.

    ``pairs`` needs ``cadre_id, readiness, merit``; ``post_id`` for the
    tie-break; ``on_current_list`` is optional.
    """
    return base_scores(pairs, weights) + tie_breaks(pairs)


def build(pairs: pd.DataFrame, posts: pd.DataFrame, candidates: pd.DataFrame, config: SlateConfig,
          basis_links: pd.DataFrame | None = None) -> SlateModel:
    """Build the slate model (the module's formulation: hard rules, then the targets as counted violations).

    Parameters
    ----------
    pairs : DataFrame
        Eligible pairs ``cadre_id, post_id, score``.
    posts : DataFrame
        ``post_id, level, slate_min, slate_max``.
    candidates : DataFrame
        ``cadre_id, is_woman, is_young`` and, for the age-cohort rule,
        ``cohort`` (1, 2, 3; :func:`kimson_ds.planning.succession.person_facts`).
    config : SlateConfig
    basis_links : DataFrame, optional
        ``cadre_id, post_id, basis_post_id``: the pair (cadre, post) needs the
        cadre on the slate of one of its basis posts (constraint 8). A pair in
        ``needs_basis`` (column of ``pairs``, optional) with no link is dropped.

    Returns
    -------
    SlateModel
    """
    t0 = time.perf_counter()
    pairs = pairs.reset_index(drop=True).copy()
    if "needs_basis" in pairs:
        linked = set() if basis_links is None or basis_links.empty else set(
            zip(basis_links["cadre_id"], basis_links["post_id"], strict=True))
        keep = ~pairs["needs_basis"].astype(bool).to_numpy() | su.pair_mask(pairs, linked)
        pairs = pairs.loc[keep].reset_index(drop=True)
    posts = posts.reset_index(drop=True)
    pairs["level"] = pairs["post_id"].map(posts.set_index("post_id")["level"])
    prob = pulp.LpProblem("quy_hoach_slates", pulp.LpMaximize)
    x = [pulp.LpVariable(f"x_{k}", cat=pulp.LpBinary) for k in range(len(pairs))]
    scores = pairs["score"].astype(float).to_numpy()
    obj = pulp.LpAffineExpression(zip(x, scores, strict=True))
    by_post = pairs.groupby("post_id").indices
    # (1) slate maximum, (2) slate minimum with shortfall u_p, counted as broken by v_p
    u, v_min = {}, {}
    for pid, smin, smax in posts[["post_id", "slate_min", "slate_max"]].itertuples(index=False):
        idx = by_post.get(pid, [])
        expr = pulp.LpAffineExpression([(x[k], 1.0) for k in idx])
        prob += (expr <= int(smax), f"c1_slate_max_{_cid(pid)}")
        if int(smin) > 0:
            u[pid] = pulp.LpVariable(f"u_{_cid(pid)}", lowBound=0)
            v_min[pid] = pulp.LpVariable(f"v_min_{_cid(pid)}", cat=pulp.LpBinary)
            prob += (expr + u[pid] >= int(smin), f"c2_slate_min_{_cid(pid)}")
            prob += (u[pid] - int(smin) * v_min[pid] <= 0, f"c2_short_{_cid(pid)}")
    # (3) posts per person and level
    K = int(config.max_posts_per_person)
    for (cid, lvl), idx in pairs.groupby(["cadre_id", "level"]).indices.items():
        if len(idx) > K:
            prob += (pulp.LpAffineExpression([(x[k], 1.0) for k in idx]) <= K, f"c3_posts_{_cid(cid)}_{lvl}")
    # (7) pins
    pos_of = {k: i for i, k in enumerate(zip(pairs["cadre_id"], pairs["post_id"], strict=True))}
    for cid, pid in config.pins:
        k = pos_of.get((cid, pid))
        if k is None:
            raise InfeasibleError(f"Cán bộ {cid} được chỉ định vào {pid} nhưng không có trong danh sách ứng viên "
                                  "đủ điều kiện.")
        prob += (x[k] == 1, f"c7_pin_{_cid(cid)}_{_cid(pid)}")
    # (8) lower-level basis
    if basis_links is not None and not basis_links.empty:
        bl = basis_links.assign(
            k=[pos_of.get(t) for t in zip(basis_links["cadre_id"], basis_links["post_id"], strict=True)],
            q=[pos_of.get(t) for t in zip(basis_links["cadre_id"], basis_links["basis_post_id"], strict=True)])
        bl = bl.dropna(subset=["k"])
        for k, g in bl.groupby("k")["q"]:
            qs = [int(q) for q in g.dropna()]
            prob += (x[int(k)] - pulp.LpAffineExpression([(x[q], 1.0) for q in qs]) <= 0, f"c8_basis_{int(k)}")
    # (4) list membership: y_c = 1 exactly when c is on some slate
    by_cadre = pairs.groupby("cadre_id").indices
    cand = candidates.drop_duplicates("cadre_id").set_index("cadre_id").reindex(list(by_cadre))
    y: dict = {}
    for cid, idx in by_cadre.items():
        y[cid] = pulp.LpVariable(f"y_{_cid(cid)}", cat=pulp.LpBinary)
        for k in idx:  # (4a) x_cp <= y_c
            prob += (x[k] - y[cid] <= 0, f"c4a_{k}")
        prob += (y[cid] - pulp.LpAffineExpression([(x[k], 1.0) for k in idx]) <= 0, f"c4b_{_cid(cid)}")
    n_max = max(1, len(by_cadre))
    viol: list = [(v, float(config.penalty_slate_min)) for v in v_min.values()]
    sw = sy = vw = vy = v_coh = None
    e = None
    if y:  # e = 1 exactly when the list is not empty: sum_c y_c <= N e, e <= sum_c y_c
        e = pulp.LpVariable("list_not_empty", cat=pulp.LpBinary)
        everyone = pulp.LpAffineExpression([(y[c], 1.0) for c in y])
        prob += (n_max * e - everyone >= 0, "c9_list_not_empty")
        prob += (e - everyone <= 0, "c9_list_empty")
    for key, target, name in (("is_woman", config.women_share, "women"), ("is_young", config.young_share, "young")):
        if target is None or float(target) <= 0 or not y:
            continue  # a 0 % minimum is met by any list, the empty one included
        a = float(target)
        flag = cand[key].fillna(False).astype(float)
        slack = pulp.LpVariable(f"slack_{name}", lowBound=0)
        broken = pulp.LpVariable(f"v_{name}", cat=pulp.LpBinary)
        # (5)/(6) share; a shortfall (persons) only when the target is counted as broken
        prob += (pulp.LpAffineExpression([(y[c], float(flag[c]) - a) for c in y]) + slack >= 0, f"c5_{name}_share")
        prob += (slack - a * n_max * broken <= 0, f"c5_{name}_broken")
        prob += (broken + e >= 1, f"c5_{name}_empty_list")  # the check counts an empty list as not meeting it
        viol.append((broken, float(config.penalty_women if name == "women" else config.penalty_young)))
        if name == "women":
            sw, vw = slack, broken
        else:
            sy, vy = slack, broken
    cohorts = cand["cohort"] if "cohort" in cand.columns else None
    if config.cohorts and cohorts is not None and y:
        # (9) a non-empty list has someone of every age cohort: sum_{c in k} y_c + v >= e
        v_coh = pulp.LpVariable("v_cohorts", cat=pulp.LpBinary)
        for k in (1, 2, 3):
            members = [c for c in y if cohorts.get(c) == k]
            prob += (pulp.LpAffineExpression([(y[c], 1.0) for c in members] + [(v_coh, 1.0), (e, -1.0)]) >= 0,
                     f"c9_cohort_{k}")
        viol.append((v_coh, float(config.penalty_cohorts)))
    prob += obj
    model = SlateModel(prob, x, y, u, sw, sy, pairs, posts, candidates, config)
    model.violations, model.score = pulp.LpAffineExpression(viol), obj
    model.flags = {"women": vw, "young": vy, "cohorts": v_coh, **{f"min:{p}": v for p, v in v_min.items()}}
    model.build_seconds = time.perf_counter() - t0
    return model


def solve(model: SlateModel) -> SlateModel:
    """Solve lexicographically: first the fewest broken targets, then the best score among those slates.

    Phase 1 minimises the weighted number of broken targets (a slate below its
    minimum, the women share, the young share, the age cohorts; weights from
    the scenario's ``weights``). Phase 2 keeps that number and maximises the
    score. So the optimiser never gives a target up for a higher score while a
    slate meeting it exists, and its proposals pass the compliance check except
    for the targets phase 1 proves cannot be met. The best-score slate is
    solved first: when it already meets every target it is the answer (one
    solve). Raises :class:`InfeasibleError` if no plan exists (pins against
    the hard rules).
    """
    t0 = time.perf_counter()
    solver = default_solver(model.config.time_limit)
    prob = model.prob
    stages = []
    if len(model.violations):
        # the best score alone first: when its slate already meets every target it is the lexicographic optimum
        prob.sense = pulp.LpMaximize
        prob.setObjective(model.score)
        status = prob.solve(solver)
        if status == pulp.LpStatusOptimal and not _broken_targets(model):
            for v in model.flags.values():
                if v is not None:
                    v.varValue = 0.0
            model.status, model.stages, model.broken = status, "score", 0.0
            model.solve_seconds = time.perf_counter() - t0
            return model
        prob.sense = pulp.LpMinimize
        prob.setObjective(model.violations)
        status = prob.solve(solver)
        stages.append("rules")
        if status != pulp.LpStatusOptimal:
            model.status = status
            model.solve_seconds = time.perf_counter() - t0
            raise InfeasibleError(_diagnose(model), result=model)
        best = float(pulp.value(model.violations) or 0.0)
        prob += (model.violations <= best + 1e-6, "lex_keep_rules")
        model.broken = best
        prob.sense = pulp.LpMaximize
        prob.setObjective(model.score)
    status = prob.solve(solver)
    stages.append("score")
    model.status = status
    model.stages = "+".join(stages)
    model.solve_seconds = time.perf_counter() - t0
    if model.status != pulp.LpStatusOptimal:
        raise InfeasibleError(_diagnose(model), result=model)
    return model


def _broken_targets(model: SlateModel) -> list[str]:
    """Targets the current solution breaks, counted as the compliance check counts them."""
    chosen = np.array([(v.value() or 0.0) > 0.5 for v in model.x], dtype=bool)
    picked = model.pairs.loc[chosen] if len(model.x) else model.pairs.iloc[:0]
    out = []
    sizes = picked.groupby("post_id").size()
    for pid, smin in zip(model.posts["post_id"], model.posts["slate_min"], strict=True):
        if int(sizes.get(pid, 0)) < int(smin):
            out.append(f"min:{pid}")
    cand = model.candidates.drop_duplicates("cadre_id").set_index("cadre_id")
    people = picked["cadre_id"].drop_duplicates()
    n = len(people)
    for key, target, name in (("is_woman", model.config.women_share, "women"),
                              ("is_young", model.config.young_share, "young")):
        if target is not None and float(target) > 0:
            have = float(cand[key].reindex(people).fillna(False).astype(bool).sum()) if n else 0.0
            if n == 0 or have < float(target) * n - 1e-9:
                out.append(name)
    if model.config.cohorts and "cohort" in cand.columns and n:
        if len(set(cand["cohort"].reindex(people).dropna().astype(int)) & {1, 2, 3}) < 3:
            out.append("cohorts")
    return out


def _diagnose(model: SlateModel) -> str:
    """Vietnamese diagnosis of an infeasible model (pins against the hard rules)."""
    lines = [f"Không lập được danh sách quy hoạch ({status_text(model.status)})."]
    pins = pd.DataFrame(model.config.pins, columns=["cadre_id", "post_id"])
    if not pins.empty:
        posts = model.posts.set_index("post_id")
        per_post = pins.groupby("post_id").size()
        for pid, n in per_post.items():
            if pid in posts.index and n > posts.loc[pid, "slate_max"]:
                lines.append(f"Chỉ định {n} người vào {posts.loc[pid, 'post_vi'] if 'post_vi' in posts else pid} "
                             f"nhưng tối đa {posts.loc[pid, 'slate_max']} người.")
        lvl = pins.merge(model.posts[["post_id", "level"]], on="post_id").groupby(["cadre_id", "level"]).size()
        for (cid, _), n in lvl.items():
            if n > model.config.max_posts_per_person:
                lines.append(f"Cán bộ {cid} được chỉ định vào {n} chức danh cùng cấp, tối đa "
                             f"{model.config.max_posts_per_person}.")
        lines.append("Một người được chỉ định cho chức danh cấp huyện có thể cần được quy hoạch ở chức danh cấp "
                     "dưới (quy hoạch cấp dưới là cơ sở) nhưng không còn chỗ.")
    return " ".join(lines)


def explain(model: SlateModel, *, current: pd.DataFrame | None = None, all_pairs: pd.DataFrame | None = None
            ) -> SlateResult:
    """Read the solution: slates, achieved shares, unmet targets with reasons, differences from the current list.

    Parameters
    ----------
    current : DataFrame, optional
        The current list (``cadre_id, post_id``) to compare with.
    all_pairs : DataFrame, optional
        Every considered pair with ``eligible`` and ``reasons`` (to explain
        why a current member was dropped).
    """
    if model.status != pulp.LpStatusOptimal:
        raise InfeasibleError(_diagnose(model), result=model)
    vals = np.array([v.value() or 0.0 for v in model.x])
    chosen = model.pairs.loc[vals > 0.5].copy()
    info = model.posts.set_index("post_id")
    if "post_vi" in info:
        chosen["post_vi"] = chosen["post_id"].map(info["post_vi"])
    chosen = chosen.sort_values(["post_id", "score", "cadre_id"], ascending=[True, False, True])
    chosen["order"] = chosen.groupby("post_id").cumcount() + 1
    cand = model.candidates.set_index("cadre_id")
    people = chosen["cadre_id"].drop_duplicates()
    n = len(people)
    rows, unmet = [], []
    elig_people = model.pairs["cadre_id"].drop_duplicates()
    hard = ("vẫn giữ các quy tắc bắt buộc (số người tối đa mỗi chức danh, số chức danh mỗi người cùng cấp, "
            "người được chỉ định, quy hoạch cấp dưới là cơ sở) và các chỉ tiêu khác")
    for key, label, target in (("is_woman", "Tỷ lệ nữ", model.config.women_share),
                               ("is_young", "Tỷ lệ cán bộ trẻ", model.config.young_share)):
        flags = cand[key].reindex(people).fillna(False).astype(bool)
        got = float(flags.mean()) if n else 0.0
        short = max(0.0, float(target) * n - float(flags.sum())) if target is not None else 0.0
        rows.append((label, target, got, int(flags.sum()), n, short))
        if target is not None and float(target) > 0 and got < float(target) - 1e-9:
            avail = int(cand[key].reindex(elig_people).fillna(False).astype(bool).sum())
            need = int(np.ceil(float(target) * n - 1e-9))
            who = "nữ" if key == "is_woman" else "trẻ"
            if avail < need:
                why = f"chỉ có {avail} ứng viên {who} đủ điều kiện, cần {need} trên {n} người"
            else:
                why = f"không có cách chọn nào đạt chỉ tiêu này mà {hard}"
            unmet.append((label, su.percent_text(target, 0), su.percent_text(got), short, why))
    shares = pd.DataFrame(rows, columns=["indicator", "target", "achieved", "count", "list_size", "shortfall"])
    coh = cand["cohort"] if "cohort" in cand.columns else None
    if model.config.cohorts and coh is not None and n:
        have = set(coh.reindex(people).dropna().astype(int))
        missing = [k for k in (1, 2, 3) if k not in have]
        if missing:
            avail = set(coh.reindex(elig_people).dropna().astype(int))
            none = [k for k in missing if k not in avail]
            why = ("không có ứng viên đủ điều kiện thuộc độ tuổi " + ", ".join(str(k) for k in none) if none
                   else f"không có cách chọn nào có đủ ba độ tuổi mà {hard}")
            unmet.append(("Đủ ba độ tuổi", "3 độ tuổi", f"{3 - len(missing)} độ tuổi", float(len(missing)), why))
    for pid, var in model.u.items():
        short = float(var.value() or 0.0)
        if short > 1e-6:
            n_el = int((model.pairs["post_id"] == pid).sum())
            name = info.loc[pid, "post_vi"] if "post_vi" in info else pid
            unmet.append((f"Số người tối thiểu: {name}", str(int(info.loc[pid, "slate_min"])),
                          str(int(info.loc[pid, "slate_min"] - short + 1e-6)), short,
                          f"chỉ có {n_el} ứng viên đủ điều kiện cho chức danh này" if n_el < info.loc[pid, "slate_min"]
                          else f"không thể chọn đủ người cho chức danh này mà {hard}"))
    unmet_df = pd.DataFrame(unmet, columns=["target", "required", "achieved", "shortfall", "reason"])
    diff = _diff(chosen, current, all_pairs, info)
    res = SlateResult(chosen.reset_index(drop=True), shares, unmet_df, diff, status_text(model.status),
                      float(pulp.value(model.score) or 0.0), model.build_seconds, model.solve_seconds,
                      model.pairs, model.posts)
    res.ties = find_ties(model, vals > 0.5)
    return res


def find_ties(model: SlateModel, chosen: np.ndarray) -> pd.DataFrame:
    """Another slate as good as the chosen one before the tie-break, if any, and how the tie was broken.

    With the broken targets kept (phase 1), the model is solved once more
    without the tie-break term, requiring the same score and a different set
    of (cadre, post) pairs. When one exists the slates are tied; the declared
    criteria (:data:`TIE_CRITERIA`) chose the proposal.

    Returns
    -------
    DataFrame
        One row per post whose slate differs in the alternative: ``post_id,
        post_vi, chosen, alternative, criterion`` (empty when the optimum is unique).
    """
    cols = ["post_id", "post_vi", "chosen", "alternative", "criterion"]
    if "base_score" not in model.pairs or not len(model.x):
        return pd.DataFrame(columns=cols)
    base = model.pairs["base_score"].astype(float).to_numpy()
    best = float(base[chosen].sum())
    prob = model.prob.copy()
    prob.sense = pulp.LpMaximize
    prob.setObjective(pulp.LpAffineExpression([(v, 1.0) for v in model.x]) * 0)
    prob += (pulp.LpAffineExpression(zip(model.x, base, strict=True)) >= best - 1e-6, "tie_same_score")
    prob += (pulp.LpAffineExpression([(v, 1.0 if c else -1.0) for v, c in zip(model.x, chosen, strict=True)])
             <= int(chosen.sum()) - 1, "tie_other_slate")
    keep = {v.name: v.varValue for v in model.prob.variables()}
    status = prob.solve(default_solver(model.config.time_limit))
    alt = np.array([(v.value() or 0.0) > 0.5 for v in model.x])
    for v in model.prob.variables():  # restore the proposal's values
        v.varValue = keep.get(v.name)
    if status != pulp.LpStatusOptimal:
        return pd.DataFrame(columns=cols)
    p = model.pairs
    names = p.drop_duplicates("cadre_id").set_index("cadre_id")["full_name"] if "full_name" in p else None
    who = p["cadre_id"] if names is None else p["cadre_id"].map(names).fillna(p["cadre_id"]) + " (" + p["cadre_id"] + ")"
    a = p.assign(_who=who, _c=chosen, _a=alt)
    rows = []
    for pid, g in a.groupby("post_id", sort=True):  # the posts of one instance
        if (g["_c"] != g["_a"]).any():
            rows.append((pid, ", ".join(g.loc[g["_c"], "_who"]), ", ".join(g.loc[g["_a"], "_who"])))
    out = pd.DataFrame(rows, columns=["post_id", "chosen", "alternative"])
    info = model.posts.set_index("post_id")
    out["post_vi"] = out["post_id"].map(info["post_vi"]) if "post_vi" in info else out["post_id"]
    out["criterion"] = "; ".join(TIE_CRITERIA)
    return out[cols]


def _diff(chosen: pd.DataFrame, current: pd.DataFrame | None, all_pairs: pd.DataFrame | None,
          info: pd.DataFrame) -> pd.DataFrame:
    cols = ["cadre_id", "post_id", "post_vi", "change", "change_vi", "reason"]
    if current is None:
        return pd.DataFrame(columns=cols)
    keys = ["cadre_id", "post_id"]
    m = current[keys].drop_duplicates().merge(chosen[keys], how="outer", indicator=True)
    m["change"] = m["_merge"].map({"both": "giu", "left_only": "bo", "right_only": "them"}).astype(str)
    m["change_vi"] = m["change"].map(CHANGE)
    reasons = pd.Series("", index=m.index)
    if all_pairs is not None and not all_pairs.empty:
        r = m[keys].merge(all_pairs[[*keys, "reasons"]].drop_duplicates(keys), on=keys, how="left")["reasons"]
        reasons = r.fillna("").to_numpy()
    m["reason"] = np.where((m["change"] == "bo") & (reasons != ""), reasons,
                           np.where(m["change"] == "bo", "Điểm thấp hơn người được chọn hoặc vượt giới hạn", ""))
    m["post_vi"] = m["post_id"].map(info["post_vi"]) if "post_vi" in info else m["post_id"]
    return m[cols].sort_values(["post_id", "change", "cadre_id"]).reset_index(drop=True)


# --------------------------------------------------------------------------- run
def _resolve(scenario: PlanScenario, posts: pd.DataFrame, cadres: pd.DataFrame) -> None:
    known_c = set(cadres["cadre_id"])
    known_p = set(posts["post_id"])
    bad = []
    for ref in [*scenario.pins, *scenario.extra_candidates]:
        if ref.cadre_id not in known_c:
            bad.append(f"mã cán bộ '{ref.cadre_id}' không có trong bảng cán bộ")
        pid = f"{ref.target_title}@{ref.target_unit_id}"
        if pid not in known_p:
            bad.append(f"chức danh '{pid}' không phải chức danh chủ chốt của nhiệm kỳ")
    for ex in scenario.excludes:
        if ex.cadre_id not in known_c:
            bad.append(f"mã cán bộ '{ex.cadre_id}' (loại trừ) không có trong bảng cán bộ")
    if bad:
        raise ScenarioError("Kịch bản quy hoạch có mã không hợp lệ: " + "; ".join(sorted(set(bad))) + ".")


def run(data, scenario: PlanScenario | None = None, *, as_of=None, term: str | None = None) -> SlateResult:
    """Build, solve and explain the slates of a term from a dataset and a scenario.

    Parameters
    ----------
    data : Dataset or mapping of DataFrame
    scenario : PlanScenario, optional
    as_of, term : optional
        Override the scenario's values.

    Returns
    -------
    SlateResult

    Raises
    ------
    ScenarioError
        Unknown ids in the scenario.
    InfeasibleError
        Pins that break a hard rule (with the Vietnamese diagnosis).
    """
    sc = scenario or PlanScenario()
    term = term or sc.term
    tables = su._tables(data)
    if as_of is None:
        as_of = sc.as_of or (su.term_window(term, parameters(dt.date.today()), sc.term_start).start
                             - pd.Timedelta(days=1))
    P = parameters(as_of, sc.parameters or None)
    extra = pd.DataFrame([(r.cadre_id, f"{r.target_title}@{r.target_unit_id}") for r in
                          [*sc.extra_candidates, *sc.pins]], columns=["cadre_id", "post_id"])
    std_sets: list = []
    plan_now = su.active_planning(su._table(tables, "planning"), term, as_of)
    _resolve(sc, su.key_posts(tables, term, P, term_start=sc.term_start, planning=plan_now),
             su._table(tables, "cadres"))
    pairs, posts = su.candidate_pairs(tables, term, as_of, params=P, term_start=sc.term_start, extra=extra,
                                      merit_years=sc.merit_years, used_params=std_sets)
    if sc.slate_size is not None:
        posts["slate_max"] = np.minimum(posts["slate_max"], sc.slate_size * posts["seats"])
    # exclusions
    ex_all = {e.cadre_id for e in sc.excludes if e.target_title is None}
    ex_one = {(e.cadre_id, f"{e.target_title}@{e.target_unit_id}") for e in sc.excludes if e.target_title}
    excluded = pairs["cadre_id"].isin(ex_all).to_numpy() | su.pair_mask(pairs, ex_one)
    pairs.loc[excluded, "reasons"] = (pairs.loc[excluded, "reasons"] + "; loại trừ theo kịch bản").str.strip("; ")
    pairs.loc[excluded, "eligible"] = False
    pins = [(r.cadre_id, f"{r.target_title}@{r.target_unit_id}") for r in sc.pins]
    pin_keys = set(pins)
    bad = pairs.loc[su.pair_mask(pairs, pin_keys) & ~pairs["eligible"].to_numpy()]
    if not bad.empty:
        msg = "; ".join(f"{c} vào {p}: {r}" for c, p, r in bad[["cadre_id", "post_id", "reasons"]].itertuples(
            index=False))
        raise InfeasibleError("Người được chỉ định không đủ điều kiện quy hoạch: " + msg + ".")
    el = pairs.loc[pairs["eligible"]].copy()
    el["base_score"] = base_scores(el, sc.weights)
    el["score"] = el["base_score"] + tie_breaks(el)
    # (8) basis links: district pairs whose candidate does not hold a basis title need a basis slate
    el["needs_basis"] = el["basis_applies"] & ~el["basis_held"]
    mapping = P.get("planning.lower_level_titles")
    links = pd.DataFrame([(t, b) for t, bs in mapping.items() for b in bs], columns=["target_title", "basis_title"])
    need = el.loc[el["needs_basis"], ["cadre_id", "post_id", "target_title"]].merge(links, on="target_title")
    opts = el[["cadre_id", "post_id", "target_title"]].rename(
        columns={"post_id": "basis_post_id", "target_title": "basis_title"})
    basis_links = need.merge(opts, on=["cadre_id", "basis_title"])
    basis_links = basis_links.loc[basis_links["basis_post_id"] != basis_links["post_id"],
                                  ["cadre_id", "post_id", "basis_post_id"]]
    young_share = float(P.get("planning.young_share_min")) if "planning.young_share_min" in P else None
    cfg = SlateConfig(
        max_posts_per_person=int(P.get("planning.max_posts_per_person")),
        women_share=float(P.get("planning.women_share_min")),
        young_share=young_share,
        penalty_women=sc.weights.women_slack, penalty_young=sc.weights.young_slack,
        penalty_slate_min=sc.weights.slate_min_slack, penalty_cohorts=sc.weights.cohorts_slack, pins=pins,
        time_limit=sc.time_limit_s)
    cands = el.drop_duplicates("cadre_id")[["cadre_id", "is_woman", "is_young", "cohort"]]
    model = solve(build(el, posts, cands, cfg, basis_links))
    current = su.active_planning(su._table(tables, "planning"), term, as_of)
    res = explain(model, current=current, all_pairs=pairs)
    res.pairs, res.posts, res.params = pairs, posts, P
    res.param_sets = [P, *std_sets]
    return res


# --------------------------------------------------------------------------- display tables (Vietnamese)


def slate_tables(res: SlateResult) -> dict[str, pd.DataFrame]:
    """Display-ready Vietnamese tables of a slate optimisation (for reports, CSV and Excel).

    Same conventions as :func:`kimson_ds.planning.succession.compliance_tables`:
    Vietnamese headers, labels for codes, "có"/"không", shares as percentages
    in "(%)" columns, id columns kept (``Mã cán bộ``, ``Mã chức danh quy hoạch``).

    Returns
    -------
    dict of DataFrame
        ``slates``, ``shares``, ``unmet``, ``diff``, ``diff_counts``, ``candidates``, ``ties``
        (posts whose slate had an equally good alternative, and the criterion that chose).
    """
    sl = res.slates
    slates = pd.DataFrame({
        "Mã chức danh quy hoạch": sl["post_id"],
        "Chức danh quy hoạch": sl["post_vi"] if "post_vi" in sl else sl["post_id"],
        "Thứ tự": sl["order"],
        "Mã cán bộ": sl["cadre_id"],
        "Họ và tên": sl["full_name"],
        "Giới tính": sl["gender"].map({"nam": "Nam", "nu": "Nữ"}),
        "Tuổi": sl["age"].astype("Int64"),
        "Cán bộ trẻ": su._yes_no(sl["is_young"]),
        "Mức sẵn sàng": sl["readiness_vi"],
        "Điểm thành tích": pd.to_numeric(sl["merit"]).round(2),
        "Điểm tổng hợp": pd.to_numeric(sl["score"]).round(3),
        "Đang trong danh sách quy hoạch": su._yes_no(sl["on_current_list"]),
    }).reset_index(drop=True)
    sh = res.shares
    shares = pd.DataFrame({
        "Chỉ tiêu": sh["indicator"],
        "Mức tối thiểu (%)": su._pct(sh["target"]),
        "Đạt được (%)": su._pct(sh["achieved"]),
        "Số người": sh["count"],
        "Tổng số người trong danh sách": sh["list_size"],
        "Còn thiếu (người)": pd.to_numeric(sh["shortfall"]).round(2),
    })
    un = res.unmet
    unmet = pd.DataFrame({
        "Chỉ tiêu chưa đạt": un["target"], "Yêu cầu": un["required"], "Đạt được": un["achieved"],
        "Còn thiếu": pd.to_numeric(un["shortfall"]).round(2), "Lý do": un["reason"],
    })
    d = res.diff
    names = {}
    if res.pairs is not None and len(res.pairs):
        names = res.pairs.drop_duplicates("cadre_id").set_index("cadre_id")["full_name"]
    diff = pd.DataFrame({
        "Mã cán bộ": d["cadre_id"],
        "Họ và tên": d["cadre_id"].map(names) if len(names) else "",
        "Mã chức danh quy hoạch": d["post_id"],
        "Chức danh quy hoạch": d["post_vi"],
        "Thay đổi": d["change"].map(CHANGE),
        "Lý do": su._text(d["reason"]),
    })
    order = pd.Categorical(diff["Thay đổi"], categories=list(CHANGE.values()), ordered=True)
    counts = (diff.assign(_o=order).groupby("_o", observed=True).size().rename("Số lượt").reset_index()
              .rename(columns={"_o": "Thay đổi"}))
    counts["Thay đổi"] = counts["Thay đổi"].astype(str)
    cand = su.planning_rows_table(res.pairs) if res.pairs is not None and len(res.pairs) else pd.DataFrame()
    t = res.ties if res.ties is not None else pd.DataFrame(columns=["post_id", "post_vi", "chosen", "alternative",
                                                                      "criterion"])
    ties = pd.DataFrame({
        "Mã chức danh quy hoạch": t["post_id"], "Chức danh quy hoạch": t["post_vi"],
        "Người được chọn": t["chosen"], "Phương án khác cùng điểm": t["alternative"],
        "Tiêu chí phân định": t["criterion"],
    })
    return {"slates": slates, "shares": shares, "unmet": unmet, "diff": diff, "diff_counts": counts,
            "candidates": cand, "ties": ties}
