r"""Rotation planner (luân chuyển): which planned cadre goes to which commune post.

One model, one module: :func:`prepare` turns a dataset and a scenario into the
eligible pairs and their scores, :func:`build` makes the PuLP model,
:func:`solve` runs it, :func:`explain` turns a solution into the tables the
committee reads, and :func:`run` does all of it (with the automatic elastic
re-solve, the diagnosis and the alternatives). :func:`resolve` is what an
interactive panel calls: it re-solves a changed scenario on an already loaded
dataset (≈ 0.1 s at district size, see ``benchmarks/rotation.py``).

The same engine staffs merged communes (``merger:`` in the scenario): the
candidates are, by default, all the cadres of the old communes (every cadre
whose unit is one of the predecessor communes, and every holder of a post
there: key-post holders, phó chủ tịch, chủ tịch MTTQ, công chức xã …), the
posts are the key posts of the new commune, and the cadres left without a post
are the surplus (dôi dư). ``candidates.key_holders_of`` narrows the pool to the
key-post holders only.

Formulation
-----------
Sets
    :math:`C` candidates, :math:`P` posts, :math:`E \subseteq C \times P` the
    eligible pairs (:mod:`kimson_ds.rotation.eligibility`); :math:`T` titles;
    :math:`W \subseteq C` the women; :math:`U` source units; :math:`G`
    communes; :math:`R` pairs of related candidates; :math:`B \subseteq E` the
    baseline plan; :math:`S_1, \dots, S_{k-1}` plans already found.
Parameters
    :math:`s_{cp}` pair score = :math:`w_m\,\text{merit}_c + w_n\,\text{need}_p
    + w_d\,\text{dev}_{cp} - w_k\,\text{km}_{cp}` (or the committee's own score
    from ``pair_scores``); :math:`n_t` posts to fill per title; :math:`K`,
    :math:`K_t` minimum women (total, per title); :math:`M` maximum per
    source unit; :math:`\lambda` baseline weight; :math:`\rho` slack penalties.
Variables
    :math:`x_{cp} \in \{0,1\}` for :math:`(c,p) \in E` only; slacks
    :math:`u, v, z, w \ge 0` when the rule is soft.
Objective
    :math:`\max \sum_E s_{cp} x_{cp} + \lambda \sum_B x_{cp}
    - \rho_{n} \sum u - \rho_{g} \sum v - \rho_{n} \sum z - \rho_{v} \sum w`
    (the baseline term is a penalty :math:`\lambda` per baseline pair changed,
    up to a constant).
Constraints
    (1) one post per candidate: :math:`\sum_p x_{cp} \le 1`;
    (2) one candidate per post: :math:`\sum_c x_{cp} \le 1`;
    (3) posts to fill: per title :math:`\sum_{p \in P_t} \sum_c x_{cp} + u_t = n_t`
    (counts), or per required post :math:`\sum_c x_{cp} + u_p = 1`
    (explicit list, merger); :math:`u \equiv 0` when strict;
    (4) women overall: :math:`\sum_{c \in W} \sum_p x_{cp} + v \ge K`;
    (5) women per title: :math:`\sum_{c \in W} \sum_{p \in P_t} x_{cp} + v_t \ge K_t`;
    (6) source units: :math:`\sum_{c \in C_u} \sum_p x_{cp} \le M`;
    (7) relatives never together: :math:`\sum_{p \in P_g} (x_{ap} + x_{bp}) \le 1`
    for :math:`(a,b) \in R`, :math:`g \in G`;
    (8) pins: :math:`x_{cp} + z_{cp} \ge 1` (:math:`z \equiv 0` when strict);
    (9) merger, every predecessor commune :math:`h` of new commune :math:`g`
    represented where possible: :math:`\sum_{c \in C_h} \sum_{p \in P_g} x_{cp}
    + w_{gh} \ge 1` (always soft);
    (10) alternatives, no-good cuts: :math:`\sum_{(c,p) \in S_j} x_{cp} \le |S_j| - 1`;
    (11) history rules in ``bat_buoc`` mode (``rules.two_terms``: heads past the
    consecutive-terms limit of Quy định 65-QĐ/TW; ``rules.reappointment``:
    appointments due for renewal), each named cadre :math:`c \in H` is moved:
    :math:`\sum_p x_{cp} + y_c \ge 1` (:math:`y \equiv 0` when strict). In
    ``uu_tien`` mode they get ``bonus`` added to the score of their pairs instead.
    Both modes put the named cadres in the pool (:mod:`kimson_ds.rotation.tenure`).

With ``strict: false`` (or automatically when the strict model is
infeasible) constraints (3), (4), (5), (8) and (11) get their slacks and the report
names every rule that gave way and by how much.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field, PrivateAttr, model_validator

from kimson_ds.config import StrictModel, load_scenario
from kimson_ds.data.codes import COMMUNE_KINDS, GENDER, RATING_ORDER, TITLE
from kimson_ds.errors import InfeasibleError, KimsonError, ScenarioError
from kimson_ds.optimise import RobustnessSettings, SolverSettings, TieSettings
from kimson_ds.rotation import tenure
from kimson_ds.rotation.eligibility import (
    RULES,
    EligibilityRules,
    candidate_facts,
    commune_of,
    current_holders,
    eligibility,
    key_holders,
    post_facts,
    rule_overrides,
)
from kimson_ds.rules.parameters import ParameterSet, parameters
from kimson_ds.rules.relatives import related_pairs, relatives_graph
from kimson_ds.solver import default_solver, status_text

if TYPE_CHECKING:
    import pulp

__all__ = [
    "RotationScenario",
    "Problem",
    "Model",
    "Solution",
    "RotationResult",
    "load_rotation_scenario",
    "prepare",
    "build",
    "solve",
    "explain",
    "run",
    "resolve",
    "score_pairs",
]


# =========================================================================== scenario
class GenderRule(StrictModel):
    """At least ``min_women`` women (or ``min_women_share`` of the posts), optionally per title."""

    enabled: bool = True
    min_women: int | None = Field(default=None, ge=0)
    min_women_share: float | None = Field(default=None, ge=0, le=1)
    per_title: dict[str, int] = {}


class SourceUnitsRule(StrictModel):
    """At most ``max_per_unit`` candidates from the same source unit (``None``: no cap)."""

    enabled: bool = True
    max_per_unit: int | None = Field(default=None, ge=0)


class PredecessorsRule(StrictModel):
    """Merger: each new commune's leadership draws on every predecessor where possible (soft)."""

    enabled: bool = True


class HistoryRule(StrictModel):
    """A rule read from the work history that names cadres to rotate (off unless enabled).

    ``mode``: ``bat_buoc`` — each named cadre must be moved (a constraint, soft
    when ``strict: false``); ``uu_tien`` — ``bonus`` is added to the score of
    every pair of a named cadre. Named cadres join the candidate pool either way
    (``include``), and with ``open_posts`` the posts they leave are open to fill.
    The rule names the holders of the posts the request could fill (same titles,
    communes in force); with ``anywhere`` it names every holder in the data
    (e.g. district heads whose appointment ends, as candidates for commune posts).
    """

    enabled: bool = False
    mode: Literal["bat_buoc", "uu_tien"] = "uu_tien"
    bonus: float = Field(default=0.5, ge=0)
    include: bool = True
    open_posts: bool = True
    anywhere: bool = False


class ReappointmentRule(HistoryRule):
    """Appointments whose fixed term ends within ``within_months`` of ``as_of`` (or has ended)."""

    within_months: int = Field(default=12, ge=0, le=120)


class Rules(EligibilityRules):
    """Every rule of the planner, each with an ``enabled`` switch."""

    gender: GenderRule = GenderRule()
    source_units: SourceUnitsRule = SourceUnitsRule()
    predecessors: PredecessorsRule = PredecessorsRule()
    two_terms: HistoryRule = HistoryRule()
    reappointment: ReappointmentRule = ReappointmentRule()


class PostsSpec(StrictModel):
    """The posts to fill: ``counts`` per title, or an explicit ``position_ids`` list,
    or every key post of ``units`` (merger staffing)."""

    counts: dict[str, int] | None = None
    position_ids: list[str] | None = None
    units: list[str] | None = None

    @model_validator(mode="after")
    def _one_way(self):
        if self.counts is not None and self.position_ids is not None:
            raise ValueError("chỉ dùng một trong hai cách: 'counts' hoặc 'position_ids'")
        if self.counts is None and self.position_ids is None and not self.units:
            raise ValueError("cần 'counts', 'position_ids' hoặc 'units'")
        return self


class CandidatesSpec(StrictModel):
    """The candidate pool: explicit ``cadre_ids``, every cadre of the communes ``cadres_of``
    (merger default: all predecessor communes), only the key-post holders of
    ``key_holders_of``, or derived from planning (current or next term)."""

    cadre_ids: list[str] | None = None
    cadres_of: list[str] | None = None
    key_holders_of: list[str] | None = None
    planning_terms: list[str] | None = None
    source_kinds: list[str] | None = None


class Pair(StrictModel):
    """One candidate–post pair."""

    cadre_id: str
    post_id: str


class Weights(StrictModel):
    """Weights of the pair score components."""

    merit: float = 1.0
    need: float = 0.5
    development: float = 0.5
    distance: float = 0.2
    merit_years: int = Field(default=3, ge=1)
    merit_missing: float = Field(default=0.5, ge=0, le=1)
    distance_scale_km: float | None = Field(default=None, gt=0)


class Penalties(StrictModel):
    """Relative weight of a unit of shortfall of each soft rule, among the soft rules.

    The rules are settled before the scores (lexicographic solve), so these
    only say which soft rule gives way first; they need not dominate the scores.
    """

    count: float = 1000.0
    gender: float = 100.0
    coverage: float = 10.0


class MergerSpec(StrictModel):
    """Merger staffing: new commune id → list of predecessor commune ids.

    ``district_units``: bodies abolished by the merger (the district level on
    1-7-2025); their cadres join the pool and may be posted to any new commune.
    """

    effective: dt.date | None = None
    new_units: dict[str, list[str]]
    district_units: list[str] = []
    note: str = ""


class RotationScenario(StrictModel):
    """A rotation (or merger staffing) request; loaded from YAML, unknown keys rejected."""

    name: str = "Kịch bản luân chuyển"
    description: str = ""
    as_of: dt.date
    posts: PostsSpec
    candidates: CandidatesSpec = CandidatesSpec()
    rules: Rules = Rules()
    pins: list[Pair] = []
    bans: list[Pair] = []
    weights: Weights = Weights()
    penalties: Penalties = Penalties()
    pair_scores: str | None = None
    baseline: str | None = None
    baseline_penalty: float = Field(default=1.0, ge=0)
    alternatives: int = Field(default=1, ge=1, le=20)
    strict: bool = True
    merger: MergerSpec | None = None
    parameters: dict[str, Any] = {}
    rule_costs: bool = True
    min_difference: int = Field(default=2, ge=1)
    ties: TieSettings = TieSettings()
    robustness: RobustnessSettings = RobustnessSettings()
    solver: SolverSettings = SolverSettings()

    @model_validator(mode="after")
    def _known_tie_criteria(self):
        from kimson_ds.rotation.matrix import TIE_CRITERIA

        bad = sorted(set(self.ties.order or []) - set(TIE_CRITERIA))
        if bad:
            raise ValueError("ties.order có tiêu chí không hợp lệ: " + ", ".join(bad)
                             + " (chọn trong: " + ", ".join(TIE_CRITERIA) + ")")
        return self

    _base_dir: Path = PrivateAttr(default_factory=Path.cwd)

    def path(self, p: str) -> Path:
        """Resolve a path of the scenario relative to the scenario file."""
        q = Path(p)
        return q if q.is_absolute() else self._base_dir / q


def load_rotation_scenario(path: str | Path) -> RotationScenario:
    """Load a rotation scenario YAML (paths inside are relative to the file)."""
    sc = load_scenario(path, RotationScenario)
    sc._base_dir = Path(path).resolve().parent
    return sc


# =========================================================================== problem
@dataclass
class Problem:
    """Everything the model needs, derived once from a dataset and a scenario."""

    scenario: RotationScenario
    params: ParameterSet
    cands: pd.DataFrame
    posts: pd.DataFrame
    elig: pd.DataFrame  # every pair, with reasons and fail_* flags
    scores: pd.DataFrame  # every pair not held/banned: merit, need, development, distance, score
    pairs: pd.DataFrame  # the eligible pairs (variables), sorted
    baseline: pd.DataFrame
    related: pd.DataFrame  # related candidate pairs (a < b)
    demands: pd.DataFrame  # kind, key, label, need
    prechecks: list[str]
    dataset: Any = None
    successor_of: dict[str, str] = field(default_factory=dict)
    #: cadres named by the history rules (:func:`kimson_ds.rotation.tenure.flags`), one row per cadre, post and rule
    history: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=tenure.COLUMNS))


_POST_OUT = {"cadre_id": "Mã cán bộ", "post_id": "Mã vị trí"}


def _check_ids(kind: str, ids, known, what: str) -> None:
    unknown = sorted(set(ids) - set(known))
    if unknown:
        raise ScenarioError(f"Kịch bản nêu {what} không có trong dữ liệu ({kind}): " + ", ".join(unknown) + ".")


def _term_bounds(term: pd.Series) -> tuple[pd.Series, pd.Series]:
    parts = term.astype(str).str.extract(r"(\d{4})\D+(\d{4})")
    return pd.to_numeric(parts[0]), pd.to_numeric(parts[1])


def _select_posts(ds, sc: RotationScenario, opened=(), *, any_holder: bool = False) -> list[str]:
    """The posts to fill; ``opened`` posts count as open for rotation, ``any_holder`` lists the
    posts of the request's scope whoever holds them (the scope of the history rules)."""
    pos, units = ds["positions"], ds["units"]
    t = pd.Timestamp(sc.as_of)
    if sc.posts.position_ids is not None:
        _check_ids("positions", sc.posts.position_ids, pos["position_id"], "vị trí")
        return list(sc.posts.position_ids)
    u = units.set_index("unit_id")
    if sc.posts.units:
        _check_ids("units", sc.posts.units, units["unit_id"], "đơn vị")
    if sc.posts.counts is not None:
        bad = sorted(set(sc.posts.counts) - set(TITLE))
        if bad:
            raise ScenarioError("Kịch bản có chức danh không hợp lệ trong posts.counts: " + ", ".join(bad) + ".")
        valid = (u["valid_from"].isna() | (u["valid_from"] <= t)) & (u["valid_to"].isna() | (u["valid_to"] >= t))
        kind = pos["unit_id"].map(u["kind"])
        sel = (kind.isin(COMMUNE_KINDS) & pos["unit_id"].map(valid).fillna(False).astype(bool)
               & pos["title"].isin(list(sc.posts.counts))
               & (any_holder | pos["holder_id"].isna() | pos["open_for_rotation"].fillna(False).astype(bool)
                  | pos["position_id"].isin(list(opened))))
        if sc.posts.units:
            sel &= pos["unit_id"].isin(sc.posts.units)
        return sorted(pos.loc[sel, "position_id"])
    sel = pos["unit_id"].isin(sc.posts.units) & pos["is_key"].astype(bool)
    return sorted(pos.loc[sel, "position_id"])


def _merger_date(ds, sc: RotationScenario) -> pd.Timestamp:
    if sc.merger is not None and sc.merger.effective is not None:
        return pd.Timestamp(sc.merger.effective)
    u = ds["units"].set_index("unit_id")
    new = list(sc.merger.new_units) if sc.merger is not None else []
    start = u["valid_from"].reindex(new).min()
    return pd.Timestamp(sc.as_of) if pd.isna(start) else start


def _resolve_units(units: pd.DataFrame, effective: pd.Timestamp, stop=()) -> pd.Series:
    """Each unit mapped through ``successor_unit_id`` while it ended before ``effective``
    (a unit in ``stop``, a predecessor named in the merger, is never mapped further)."""
    u = units.set_index("unit_id")
    ended = (u["valid_to"].notna() & (u["valid_to"] < effective) & u["successor_unit_id"].notna()
             & ~u.index.isin(list(stop)))
    step = pd.Series(np.where(ended, u["successor_unit_id"], u.index), index=u.index)
    cur = pd.Series(u.index, index=u.index)
    for _ in range(8):  # chains are short (2016 → 2020 → 2025)
        nxt = cur.map(step).fillna(cur)
        if nxt.equals(cur):
            break
        cur = nxt
    return cur


def _select_candidates(ds, sc: RotationScenario, params: ParameterSet) -> list[str]:
    cadres = ds["cadres"]
    spec = sc.candidates
    t = pd.Timestamp(sc.as_of)
    if spec.cadre_ids is not None:
        _check_ids("cadres", spec.cadre_ids, cadres["cadre_id"], "cán bộ")
        return list(spec.cadre_ids)
    communes_of = spec.cadres_of
    if (communes_of is None and spec.key_holders_of is None and spec.planning_terms is None
            and sc.merger is not None):  # merger default: every cadre of every predecessor commune
        communes_of = list(dict.fromkeys([*(u for olds in sc.merger.new_units.values() for u in olds),
                                          *sc.merger.district_units]))  # and of the abolished bodies
    wanted = communes_of if communes_of is not None else spec.key_holders_of
    if wanted is not None:
        _check_ids("units", wanted, ds["units"]["unit_id"], "đơn vị")
        communes = commune_of(ds["units"])
        resolve = None
        if sc.merger is not None:  # cadres recorded under a commune that merged earlier count too
            stop = [u for olds in sc.merger.new_units.values() for u in olds]
            resolve = _resolve_units(ds["units"], _merger_date(ds, sc), stop)

        def in_wanted(unit_ids: pd.Series) -> pd.Series:
            comm = unit_ids.map(communes).fillna(unit_ids)
            hit = comm.isin(wanted)
            if resolve is not None:
                hit |= comm.map(resolve).fillna(comm).isin(wanted)
            return hit

        pos = ds["positions"]
        held = pos["holder_id"].notna() & in_wanted(pos["unit_id"])
        if communes_of is None:  # key_holders_of: the key-post holders only
            return sorted(pos.loc[held & pos["is_key"].astype(bool), "holder_id"].unique())
        # a dataset rebuilt from a work history says who is in service that day (not retired, not left)
        serving = cadres["in_service"].fillna(True).astype(bool) if "in_service" in cadres.columns else True
        ids = set(pos.loc[held, "holder_id"]) | set(cadres.loc[in_wanted(cadres["unit_id"]) & serving, "cadre_id"])
        return sorted(ids)
    plan = ds["planning"]
    active = (plan["added_on"].isna() | (plan["added_on"] <= t)) & (plan["removed_on"].isna() | (plan["removed_on"] > t))
    start, end = _term_bounds(plan["term"])
    if spec.planning_terms is not None:
        in_term = plan["term"].isin(spec.planning_terms)
    else:  # the current term and the next one
        length = int(params.get("term.length_years"))
        in_term = (end > t.year) & (start <= t.year + length)
    ids = plan.loc[active & in_term, "cadre_id"].unique()
    if spec.source_kinds is not None:
        kind = cadres.set_index("cadre_id")["unit_id"].map(ds["units"].set_index("unit_id")["kind"])
        ids = [i for i in ids if kind.get(i) in set(spec.source_kinds)]
    return sorted(ids)


def _merit(ds, cands: pd.DataFrame, as_of: dt.date, years: int) -> pd.Series:
    """Mean rating over the last ``years`` finished years (1 = xuất sắc … 0 = không hoàn thành)."""
    r = ds["ratings"]
    last = as_of.year - 1
    r = r[r["cadre_id"].isin(cands["cadre_id"]) & (r["year"] <= last) & (r["year"] > last - years)]
    rank = r["level"].map({lv: i for i, lv in enumerate(RATING_ORDER)})
    val = 1 - rank / (len(RATING_ORDER) - 1)
    val = val.where(val.notna(), pd.to_numeric(r["score"], errors="coerce") / 100)
    m = val.groupby(r["cadre_id"]).mean()
    return cands["cadre_id"].map(m).astype(float)


def _need(ds, posts: pd.DataFrame, as_of: dt.date, params: ParameterSet | None = None) -> pd.Series:
    """Weakness of the commune's latest Party-organisation rating (0 = xuất sắc … 1 = không hoàn thành).

    Ratings on the old scale (before 2018) are read through ``rating.org_scale_crosswalk``.
    """
    o = ds["org_ratings"]
    o = o[(o["scheme"] == "tccsd") & (o["year"] <= as_of.year - 1)]
    latest = o.sort_values("year").drop_duplicates("unit_id", keep="last").set_index("unit_id")["level"]
    if params is not None and "rating.org_scale_crosswalk" in params:
        latest = latest.map(params.get("rating.org_scale_crosswalk")).fillna(latest)
    rank = latest.map({lv: i for i, lv in enumerate(RATING_ORDER)}) / (len(RATING_ORDER) - 1)
    return posts["commune_id"].map(rank).fillna(0.0).astype(float)


def distance_scale(ds, sc: RotationScenario) -> float:
    """The fixed distance scale (km): ``weights.distance_scale_km``, else the largest
    distance in the units table (the district's farthest unit), else 1."""
    if sc.weights.distance_scale_km is not None:
        return float(sc.weights.distance_scale_km)
    d = pd.to_numeric(ds["units"]["distance_km"], errors="coerce") if "distance_km" in ds["units"] else pd.Series([])
    top = float(d.max()) if d.notna().any() else 0.0
    return top if top > 0 else 1.0


def merit_window(sc: RotationScenario) -> tuple[int, int]:
    """The rating years the merit score uses (first, last)."""
    last = sc.as_of.year - 1
    return last - sc.weights.merit_years + 1, last


def score_pairs(ds, cands: pd.DataFrame, posts: pd.DataFrame, ci: np.ndarray, pi: np.ndarray,
                sc: RotationScenario, params: ParameterSet) -> pd.DataFrame:
    """Score components of the pairs ``(cands[ci], posts[pi])``.

    Every scale is fixed and declared, never taken from the current set of
    candidates or pairs, so that adding, removing or banning a pair nobody
    would get changes no other score. Returns columns ``merit`` (mean rating
    over the ``weights.merit_years`` finished years before ``as_of``, 0–1; no
    rating in the window → ``weights.merit_missing``), ``need`` (commune's weak
    Party-organisation rating, 0–1), ``development`` (1 when a cadre under
    ``rotation.young_age_limit`` goes to a deputy post), ``distance`` (|km of
    post − km of source| / :func:`distance_scale`, 0–1) and ``score`` =
    weighted sum (distance subtracted), rounded to 6 decimals.
    """
    w = sc.weights
    merit = _merit(ds, cands, sc.as_of, w.merit_years)
    merit = merit.fillna(w.merit_missing).to_numpy()
    need = _need(ds, posts, sc.as_of, params).to_numpy()
    limit = int(params.get("rotation.young_age_limit"))
    young = (cands["age"].to_numpy(dtype=float) < limit)
    dev = (young[ci] & posts["deputy"].to_numpy(dtype=bool)[pi]).astype(float)
    units = ds["units"].set_index("unit_id")
    src_km = cands["source_commune"].where(cands["source_commune"].notna(), cands["unit_id"]) \
        .map(units["distance_km"]).astype(float).fillna(0.0).to_numpy()
    km = np.abs(posts["distance_km"].astype(float).fillna(0.0).to_numpy()[pi] - src_km[ci])
    dist = km / distance_scale(ds, sc)
    score = w.merit * merit[ci] + w.need * need[pi] + w.development * dev - w.distance * dist
    return pd.DataFrame({"merit": merit[ci].round(6), "need": need[pi].round(6), "development": dev,
                         "distance_km": km.round(3), "score": np.round(score, 6)})


def _read_pairs_csv(path: Path, what: str, with_score: bool = False, ds=None) -> pd.DataFrame:
    """Read a pairs CSV (pair scores, baseline); every problem names the file, row, column and value."""
    from kimson_ds.config import NUMBER_MAX, shorten

    name = shorten(str(path), 200)
    if not path.is_file():
        raise ScenarioError(f"Không tìm thấy tệp {what} '{name}'.")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", header=None)
    except UnicodeDecodeError:
        raise ScenarioError(f"Tệp {what} '{name}' không phải CSV mã UTF-8.") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise ScenarioError(f"Tệp {what} '{name}' không đọc được dạng CSV ({shorten(str(exc), 200)}).") from None
    header = [str(h).strip() for h in df.iloc[0]] if len(df) else []
    df = df.iloc[1:].reset_index(drop=True)
    aliases = {v: k for k, v in {**_POST_OUT, **_OUT_NAMES}.items()}
    header = [aliases.get(h, h) for h in header]
    dup_cols = sorted({h for h in header if h and header.count(h) > 1})
    if dup_cols:
        raise ScenarioError(f"Tệp {what} '{name}', dòng 1: cột trùng tên {', '.join(map(shorten, dup_cols))} "
                            "(mỗi cột chỉ một lần).")
    df.columns = header
    need = ["cadre_id", "post_id"] + (["score"] if with_score else [])
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise ScenarioError(f"Tệp {what} '{name}' thiếu cột: " + ", ".join(missing) + ".")
    df = df[need].apply(lambda col: col.str.strip())
    problems: list[str] = []

    def flag(mask, col, message):
        for i in np.flatnonzero(np.asarray(mask))[:10]:
            problems.append(f"dòng {i + 2}, cột {col}: giá trị '{shorten(df[col].iloc[i])}' — {message}")
        if int(np.asarray(mask).sum()) > 10:
            problems.append(f"… và {int(np.asarray(mask).sum()) - 10} dòng khác ở cột {col} cùng lỗi")

    for col in ("cadre_id", "post_id"):
        flag(df[col] == "", col, "thiếu mã")
    if ds is not None:
        flag((df["cadre_id"] != "") & ~df["cadre_id"].isin(set(ds["cadres"]["cadre_id"])), "cadre_id",
             "mã cán bộ không có trong dữ liệu (cadres)")
        flag((df["post_id"] != "") & ~df["post_id"].isin(set(ds["positions"]["position_id"])), "post_id",
             "mã vị trí không có trong dữ liệu (positions)")
    flag(df.duplicated(["cadre_id", "post_id"], keep="first") & (df["cadre_id"] != ""), "cadre_id",
         "cặp cán bộ – vị trí trùng với một dòng trước (mỗi cặp chỉ một dòng)")
    if with_score:
        num = pd.to_numeric(df["score"].where(df["score"].str.match(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"),
                                              None), errors="coerce")
        flag(num.isna(), "score", "không phải là số (dấu chấm thập phân, ví dụ 0.75)")
        flag(num.notna() & ~(num.abs() <= NUMBER_MAX), "score",
             f"số vô hạn hoặc quá lớn (cần số từ -{NUMBER_MAX:,} đến {NUMBER_MAX:,})".replace(",", "."))
        df["score"] = num
    if problems:
        raise ScenarioError(f"Tệp {what} '{name}' có lỗi:\n  - " + "\n  - ".join(problems[:40]))
    return df


def prepare(ds, sc: RotationScenario) -> Problem:
    """Select posts and candidates, build the eligibility table and the pair scores.

    Parameters
    ----------
    ds : Dataset
        Loaded with :func:`kimson_ds.data.io.load_dataset` (or ``Dataset.from_frames``).
    sc : RotationScenario

    Returns
    -------
    Problem

    Raises
    ------
    ScenarioError
        Unknown ids (posts, cadres, units, pins, bans) or bad CSV inputs.
    """
    overrides = {**sc.parameters, **rule_overrides(sc.rules, sc.as_of)}
    params = parameters(sc.as_of, overrides)
    named = _history_named(ds, sc, params)
    opened = named.loc[named["rule"].map(lambda r: getattr(sc.rules, r).open_posts).astype(bool), "position_id"]
    post_ids = _select_posts(ds, sc, opened)
    cadre_ids = _select_candidates(ds, sc, params)
    joining = named.loc[named["rule"].map(lambda r: getattr(sc.rules, r).include).astype(bool), "cadre_id"]
    cadre_ids = list(dict.fromkeys([*cadre_ids, *joining]))
    for what, pairs in (("chỉ định (pins)", sc.pins), ("cặp cấm (bans)", sc.bans)):
        _check_ids("cadres", [p.cadre_id for p in pairs], ds["cadres"]["cadre_id"], f"cán bộ trong {what}")
        _check_ids("positions", [p.post_id for p in pairs], ds["positions"]["position_id"], f"vị trí trong {what}")
    # pinned cadres and posts always take part
    cadre_ids = list(dict.fromkeys([*cadre_ids, *(p.cadre_id for p in sc.pins)]))
    post_ids = list(dict.fromkeys([*post_ids, *(p.post_id for p in sc.pins)]))
    cadre_ids, post_ids = sorted(cadre_ids), sorted(post_ids)

    successor_of: dict[str, str] = {}
    if sc.merger is not None:
        all_old = [u for olds in sc.merger.new_units.values() for u in olds]
        _check_ids("units", [*sc.merger.new_units, *all_old, *sc.merger.district_units], ds["units"]["unit_id"],
                   "đơn vị sáp nhập")
        successor_of = {old: new for new, olds in sc.merger.new_units.items() for old in olds}

    cands = candidate_facts(ds, cadre_ids, sc.as_of, params)
    cands["rating_history"] = _merit(ds, cands, sc.as_of, sc.ties.rating_years).fillna(0.0).to_numpy()
    if sc.merger is not None:  # cadres of a commune that merged earlier count for its successor
        resolved = _resolve_units(ds["units"], _merger_date(ds, sc), list(successor_of))
        pos = ds["positions"]
        held = pos[pos["is_key"].astype(bool) & pos["holder_id"].isin(cadre_ids)]
        held_comm = held.assign(c=held["unit_id"].map(commune_of(ds["units"]))).dropna(subset=["c"])
        held_comm = held_comm.sort_values("position_id").drop_duplicates("holder_id").set_index("holder_id")["c"]
        cands["source_commune"] = cands["source_commune"].fillna(cands["cadre_id"].map(held_comm))
        cands["source_commune"] = cands["source_commune"].map(resolved).fillna(cands["source_commune"])
    if sc.merger is not None:  # cadres of the abolished bodies may go to any new commune
        cands["any_successor"] = cands["unit_id"].isin(sc.merger.district_units).to_numpy() \
            & cands["source_commune"].isna().to_numpy()
    posts = post_facts(ds, post_ids)
    bans = pd.DataFrame([p.model_dump() for p in sc.bans], columns=["cadre_id", "post_id"])
    holders = key_holders(ds, sc.as_of)
    elig = eligibility(cands, posts, params, sc.rules, relatives=ds["relatives"], holders=holders,
                       bans=bans, successor_of=successor_of or None, units=ds["units"],
                       holdings=current_holders(ds, sc.as_of))

    nposts = len(posts)
    ci = np.repeat(np.arange(len(cands)), nposts)
    pi = np.tile(np.arange(nposts), len(cands))
    base_ok = ~(elig["fail_holder"].to_numpy() | elig["fail_ban"].to_numpy())
    scores = score_pairs(ds, cands, posts, ci[base_ok], pi[base_ok], sc, params)
    bonus = _history_bonus(sc, named, cands)
    scores["history"] = bonus[ci[base_ok]]
    scores["score"] = (scores["score"] + scores["history"]).round(6)
    scores.insert(0, "row", np.flatnonzero(base_ok))
    scores.insert(1, "ci", ci[base_ok])
    scores.insert(2, "pi", pi[base_ok])
    scores["cadre_id"] = elig["cadre_id"].to_numpy()[base_ok]
    scores["post_id"] = elig["post_id"].to_numpy()[base_ok]
    scores["custom"] = False
    if sc.pair_scores:
        custom = _read_pairs_csv(sc.path(sc.pair_scores), "điểm cặp (pair_scores)", with_score=True, ds=ds)
        merged = scores[["cadre_id", "post_id"]].merge(custom, on=["cadre_id", "post_id"], how="left")
        has = merged["score"].notna().to_numpy()
        scores.loc[has, "score"] = merged.loc[has, "score"].to_numpy().round(6)
        scores.loc[has, "custom"] = True
    eligible_rows = elig["eligible"].to_numpy()[scores["row"].to_numpy()]
    pairs = scores[eligible_rows].reset_index(drop=True)

    baseline = pd.DataFrame(columns=["cadre_id", "post_id"])
    if sc.baseline:
        baseline = _read_pairs_csv(sc.path(sc.baseline), "phương án gốc (baseline)", ds=ds)

    related = pd.DataFrame(columns=["a", "b"])
    if sc.rules.relatives.enabled and len(ds["relatives"]):
        cfg = params.get("rotation.relative_relations")
        rp = related_pairs(relatives_graph(ds["relatives"]), relations=cfg["relations"],
                           include_derived=bool(cfg["include_derived"]))
        rp = rp[rp["cadre_id"].isin(cadre_ids) & rp["relative_id"].isin(cadre_ids)
                & (rp["cadre_id"] < rp["relative_id"])]
        related = pd.DataFrame({"a": rp["cadre_id"].to_numpy(), "b": rp["relative_id"].to_numpy()})

    demands = pd.concat([_demands(sc, posts, cands), _history_demands(sc, named, cands)], ignore_index=True)
    prob = Problem(sc, params, cands, posts, elig, scores, pairs, baseline, related, demands, [], ds,
                   successor_of, named.reset_index(drop=True))
    prob.prechecks = precheck(prob)
    return prob


HISTORY_RULES = ("two_terms", "reappointment")


def _history_named(ds, sc: RotationScenario, params: ParameterSet) -> pd.DataFrame:
    """Holders the enabled history rules name (QĐ 65 terms, reappointment), within the request's scope:
    the posts it could fill whoever holds them (merger staffing: none, every post there is new)."""
    r = sc.rules
    if sc.merger is not None or not (r.two_terms.enabled or r.reappointment.enabled):
        return pd.DataFrame(columns=tenure.COLUMNS)
    found = tenure.flags(ds, sc.as_of, params, two_terms=r.two_terms.enabled,
                         reappointment_months=r.reappointment.within_months if r.reappointment.enabled else None)
    anywhere = found["rule"].map(lambda x: getattr(r, x).anywhere).astype(bool)
    in_scope = found["position_id"].isin(_select_posts(ds, sc, any_holder=True))
    return found[anywhere | in_scope].reset_index(drop=True)


def _history_bonus(sc: RotationScenario, named: pd.DataFrame, cands: pd.DataFrame) -> np.ndarray:
    """Score bonus of each candidate named by a history rule in ``uu_tien`` mode (the largest if several)."""
    out = np.zeros(len(cands))
    for rule in HISTORY_RULES:
        cfg = getattr(sc.rules, rule)
        if cfg.enabled and cfg.mode == "uu_tien" and cfg.bonus > 0:
            hit = cands["cadre_id"].isin(named.loc[named["rule"] == rule, "cadre_id"]).to_numpy()
            out = np.where(hit, np.maximum(out, cfg.bonus), out)
    return out


def _history_demands(sc: RotationScenario, named: pd.DataFrame, cands: pd.DataFrame) -> pd.DataFrame:
    """Rows ``must_move`` (one per cadre a ``bat_buoc`` history rule names): the cadre is placed somewhere."""
    must = named[named["rule"].map(lambda r: getattr(sc.rules, r).mode == "bat_buoc").astype(bool)]
    must = must[must["cadre_id"].isin(cands["cadre_id"])]
    if must.empty:
        return pd.DataFrame(columns=["kind", "key", "label", "need"])
    names = cands.set_index("cadre_id")["full_name"]
    first = must.drop_duplicates("cadre_id").sort_values("cadre_id")
    return pd.DataFrame({"kind": "must_move", "key": first["cadre_id"].to_numpy(),
                         "label": (first["cadre_id"].map(names).fillna(first["cadre_id"]) + " ("
                                   + first["cadre_id"] + ")").to_numpy(), "need": 1})


def _demands(sc: RotationScenario, posts: pd.DataFrame, cands: pd.DataFrame) -> pd.DataFrame:
    """What must be filled: rows ``kind`` (count/post/women/women_title), ``key``, ``label``, ``need``."""
    rows = []
    if sc.posts.counts is not None:
        for t, n in sorted(sc.posts.counts.items()):
            rows.append(("count", t, TITLE.get(t, t), int(n)))
        total = sum(sc.posts.counts.values())
    else:
        for p in posts.itertuples():
            rows.append(("post", p.post_id, f"{p.title_label} {p.unit_name}", 1))
        total = len(posts)
    g = sc.rules.gender
    if g.enabled:
        k = g.min_women or 0
        if g.min_women_share is not None:
            k = max(k, math.ceil(g.min_women_share * total - 1e-9))
        if k > 0:
            rows.append(("women", "", "nữ", int(k)))
        for t, n in sorted(g.per_title.items()):
            if n > 0:
                rows.append(("women_title", t, TITLE.get(t, t), int(n)))
    return pd.DataFrame(rows, columns=["kind", "key", "label", "need"])


def precheck(pb: Problem) -> list[str]:
    """Counting diagnoses that are obvious before solving (Vietnamese).

    The rules of the request itself come first: more women required than
    posts requested (in total or for one title) blocks the request whatever
    the candidates, so it is named before any shortage of candidates.
    """
    out: list[str] = []
    pairs, posts, cands = pb.pairs, pb.posts, pb.cands
    title_of = posts["title"].to_numpy()[pairs["pi"].to_numpy()]
    woman = cands["gender"].to_numpy()[pairs["ci"].to_numpy()] == "nu"
    dem = pb.demands
    counts = pb.scenario.posts.counts
    if counts is not None:
        requested = int(sum(counts.values()))
        per_title = {t: int(n) for t, n in counts.items()}
    else:
        requested = len(posts)
        per_title = posts["title"].value_counts().astype(int).to_dict()
    for r in dem[dem["kind"] == "women"].itertuples():
        if r.need > requested:
            out.append(f"Yêu cầu tối thiểu {r.need} nữ nhưng chỉ bố trí {requested} vị trí")
    for r in dem[dem["kind"] == "women_title"].itertuples():
        n_t = per_title.get(r.key, 0)
        if r.need > n_t:
            out.append(f"Yêu cầu tối thiểu {r.need} nữ làm {r.label} nhưng chỉ bố trí {n_t} vị trí {r.label}")
    for d in dem.itertuples():
        if d.kind == "count":
            n_posts = int((posts["title"] == d.key).sum())
            n_cand = pairs.loc[title_of == d.key, "cadre_id"].nunique()
            if n_posts < d.need:
                out.append(f"Cần {d.need} vị trí {d.label} nhưng chỉ có {n_posts} vị trí đang khuyết "
                           "hoặc dự kiến luân chuyển")
            if n_cand < d.need:
                out.append(f"Cần {d.need} người cho chức danh {d.label} nhưng chỉ có {n_cand} "
                           "ứng viên đủ điều kiện")
        elif d.kind == "post":
            if not (pairs["post_id"] == d.key).any():
                out.append(f"Vị trí {d.label} ({d.key}) không có ứng viên nào đủ điều kiện")
        elif d.kind == "women":
            n_w = pairs.loc[woman, "cadre_id"].nunique()
            if n_w < d.need:
                out.append(f"Cần {d.need} nữ nhưng chỉ có {n_w} ứng viên nữ đủ điều kiện")
        elif d.kind == "women_title":
            n_w = pairs.loc[woman & (title_of == d.key), "cadre_id"].nunique()
            if n_w < d.need:
                out.append(f"Cần {d.need} nữ cho chức danh {d.label} nhưng chỉ có {n_w} "
                           "ứng viên nữ đủ điều kiện")
    if pb.scenario.posts.counts is not None:
        total = sum(pb.scenario.posts.counts.values())
        n_all = pairs["cadre_id"].nunique()
        if n_all < total:
            out.append(f"Cần {total} người nhưng chỉ có {n_all} ứng viên đủ điều kiện cho ít nhất một vị trí")
        su = pb.scenario.rules.source_units
        if su.enabled and su.max_per_unit is not None:
            per_unit = pairs.groupby(cands["unit_id"].to_numpy()[pairs["ci"].to_numpy()])["cadre_id"].nunique()
            cap = int(np.minimum(per_unit.to_numpy(), su.max_per_unit).sum())
            if cap < total <= n_all:
                out.append(f"Cần {total} người nhưng giới hạn {su.max_per_unit} người mỗi đơn vị nguồn chỉ cho "
                           f"phép tối đa {cap} người")
    for d in dem[dem["kind"] == "must_move"].itertuples():
        if not (pairs["cadre_id"] == d.key).any():
            why = "; ".join(pb.history.loc[pb.history["cadre_id"] == d.key, "reason"])
            out.append(f"{d.label} phải luân chuyển ({why}) nhưng không có vị trí nào đủ điều kiện")
    eligible = set(zip(pairs["cadre_id"], pairs["post_id"], strict=True))
    reasons = pb.elig.set_index(["cadre_id", "post_id"])["reasons"]
    for p in pb.scenario.pins:
        if (p.cadre_id, p.post_id) not in eligible:
            why = reasons.get((p.cadre_id, p.post_id), "")
            out.append(f"Chỉ định {p.cadre_id} → {p.post_id} không thực hiện được: {why or 'không đủ điều kiện'}")
    for col, what in (("cadre_id", "cán bộ"), ("post_id", "vị trí")):
        dup = pd.Series([getattr(p, col) for p in pb.scenario.pins]).value_counts()
        for key in dup[dup > 1].index:
            out.append(f"Có {int(dup[key])} chỉ định cho cùng {what} {key}")
    return out


# =========================================================================== model
@dataclass
class Model:
    """A built PuLP model with the bookkeeping needed to read and explain it."""

    problem: Problem
    prob: pulp.LpProblem
    x: list
    pairs: pd.DataFrame
    soft: bool
    slacks: list[tuple[str, str, str, int, Any]]  # (kind, key, label, need, var)
    families: dict[str, list[tuple[str, str, np.ndarray, float, str]]]  # family → (name, label, idx, rhs, sense)
    build_seconds: float = 0.0
    objective: Any = None  # Σ score·x + λ Σ_B x (maximised second)
    shortfall: Any = None  # Σ ρ·slack (minimised first; None when strict)


def _ascii(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", str(text))


def _groups(keys: np.ndarray) -> list[tuple[Any, np.ndarray]]:
    """Indices of equal keys, in sorted key order (no per-row Python work)."""
    if len(keys) == 0:
        return []
    codes, uniq = pd.factorize(pd.Series(keys), sort=True)
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    return list(zip(uniq, np.split(order, bounds), strict=True))


def build(pb: Problem, *, soft: bool | None = None, cuts: list[np.ndarray] | None = None,
          exclude_rules: tuple[str, ...] = (), pairs: pd.DataFrame | None = None) -> Model:
    """Build the PuLP model of the formulation in the module docstring.

    Parameters
    ----------
    pb : Problem
    soft : bool, optional
        Slack variables on (3), (4), (5), (8); default ``not scenario.strict``.
    cuts : list of ndarray, optional
        Plans already found (indices into the pairs) for the no-good cuts (10).
    exclude_rules : tuple of str
        Side rules to leave out (``gender``, ``source_units``, ``relatives``,
        ``predecessors``), used to price the rules.
    pairs : pandas.DataFrame, optional
        Variables to use instead of ``pb.pairs`` (to price eligibility rules).
    """
    import pulp  # the reference model only: keeps `run` (HiGHS) and start-up free of PuLP

    t0 = time.perf_counter()
    sc = pb.scenario
    soft = (not sc.strict) if soft is None else soft
    pairs = pb.pairs if pairs is None else pairs
    m = len(pairs)
    prob = pulp.LpProblem("luan_chuyen", pulp.LpMaximize)
    x = [pulp.LpVariable(f"x_{i}", cat=pulp.LpBinary) for i in range(m)]
    ci = pairs["ci"].to_numpy()
    pi = pairs["pi"].to_numpy()
    cands, posts = pb.cands, pb.posts
    families: dict[str, list] = {}
    slacks: list = []
    penalty_terms: list = []

    def add(family: str, name: str, label: str, idx: np.ndarray, sense: int, rhs: float,
            slack: tuple[str, str, int, float] | None = None) -> None:
        terms = [(x[i], 1.0) for i in idx]
        if slack is not None and soft:
            kind, key, need, weight = slack
            s = pulp.LpVariable(f"s_{name}", lowBound=0)
            terms.append((s, 1.0))
            slacks.append((kind, key, label, need, s))
            penalty_terms.append((s, -weight))
        prob.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression(terms), sense, name, rhs))
        families.setdefault(family, []).append((name, label, idx, rhs, sense))

    # (1) one post per candidate
    for cid, idx in _groups(pairs["cadre_id"].to_numpy()):
        add("one_post", f"one_post_{_ascii(cid)}", str(cid), idx, pulp.LpConstraintLE, 1)
    # (2) one candidate per post
    for pid, idx in _groups(pairs["post_id"].to_numpy()):
        add("one_holder", f"one_holder_{_ascii(pid)}", str(pid), idx, pulp.LpConstraintLE, 1)
    pen = sc.penalties
    title_of = posts["title"].to_numpy()[pi]
    # (3) posts to fill
    if sc.posts.counts is not None:
        grouped = dict(_groups(title_of))
        for d in pb.demands[pb.demands["kind"] == "count"].itertuples():
            idx = grouped.get(d.key, np.array([], dtype=int))
            add("fill", f"fill_{_ascii(d.key)}", d.label, idx, pulp.LpConstraintEQ, d.need,
                ("count", d.key, d.need, pen.count))
    else:
        grouped = dict(_groups(pairs["post_id"].to_numpy()))
        for d in pb.demands[pb.demands["kind"] == "post"].itertuples():
            idx = grouped.get(d.key, np.array([], dtype=int))
            add("fill", f"fill_{_ascii(d.key)}", d.label, idx, pulp.LpConstraintEQ, 1,
                ("post", d.key, 1, pen.count))
    # (4), (5) women
    if "gender" not in exclude_rules:
        woman = cands["gender"].to_numpy()[ci] == "nu"
        for d in pb.demands[pb.demands["kind"].isin(["women", "women_title"])].itertuples():
            sel = woman if d.kind == "women" else woman & (title_of == d.key)
            name = "women_all" if d.kind == "women" else f"women_{_ascii(d.key)}"
            add("gender", name, d.label, np.flatnonzero(sel), pulp.LpConstraintGE, d.need,
                (d.kind, d.key, d.need, pen.gender))
    # (6) source units
    su = sc.rules.source_units
    if "source_units" not in exclude_rules and su.enabled and su.max_per_unit is not None:
        for uid, idx in _groups(cands["unit_id"].to_numpy()[ci].astype(str)):
            if len(pd.unique(ci[idx])) > su.max_per_unit:
                add("source_units", f"source_{_ascii(uid)}", str(uid), idx, pulp.LpConstraintLE, su.max_per_unit)
    # (7) relatives never together in one commune
    if "relatives" not in exclude_rules and len(pb.related):
        comm = posts["commune_id"].to_numpy()[pi]
        cc = pd.DataFrame({"cadre_id": pairs["cadre_id"].to_numpy(), "commune_id": comm, "i": np.arange(m)})
        a = pb.related.merge(cc, left_on="a", right_on="cadre_id")
        both = a.merge(cc, left_on=["b", "commune_id"], right_on=["cadre_id", "commune_id"], suffixes=("_a", "_b"))
        for (ka, kb, g), grp in both.groupby(["a", "b", "commune_id"], sort=True):
            idx = np.unique(np.concatenate([grp["i_a"].to_numpy(), grp["i_b"].to_numpy()]))
            add("relatives", f"kin_{_ascii(ka)}_{_ascii(kb)}_{_ascii(g)}", f"{ka} – {kb} tại {g}", idx,
                pulp.LpConstraintLE, 1)
    # (8) pins
    keyed = pd.Series(np.arange(m), index=pd.MultiIndex.from_arrays([pairs["cadre_id"], pairs["post_id"]]))
    for p in sc.pins:
        i = keyed.get((p.cadre_id, p.post_id))
        idx = np.array([] if i is None else [int(i)], dtype=int)
        add("pins", f"pin_{_ascii(p.cadre_id)}_{_ascii(p.post_id)}", f"{p.cadre_id} → {p.post_id}", idx,
            pulp.LpConstraintGE, 1, ("pin", f"{p.cadre_id}→{p.post_id}", 1, pen.count))
    # (9) merger: every predecessor commune represented (always soft)
    if sc.merger is not None and sc.rules.predecessors.enabled and "predecessors" not in exclude_rules:
        src = cands["source_commune"].to_numpy()[ci]
        dst = posts["commune_id"].to_numpy()[pi]
        for new, olds in sorted(sc.merger.new_units.items()):
            for old in sorted(olds):
                idx = np.flatnonzero((src == old) & (dst == new))
                if len(idx) == 0:
                    continue
                s = pulp.LpVariable(f"w_{_ascii(new)}_{_ascii(old)}", lowBound=0)
                name = f"cover_{_ascii(new)}_{_ascii(old)}"
                prob.addConstraint(pulp.LpConstraint(
                    pulp.LpAffineExpression([(x[i], 1.0) for i in idx] + [(s, 1.0)]), pulp.LpConstraintGE, name, 1))
                families.setdefault("predecessors", []).append((name, f"{old} → {new}", idx, 1, pulp.LpConstraintGE))
                slacks.append(("cover", f"{old}→{new}", f"{old} → {new}", 1, s))
                penalty_terms.append((s, -pen.coverage))
    # (11) cadres a history rule requires to move (QĐ 65 terms, reappointment due)
    by_cadre = dict(_groups(pairs["cadre_id"].to_numpy()))
    for d in pb.demands[pb.demands["kind"] == "must_move"].itertuples():
        idx = by_cadre.get(d.key, np.array([], dtype=int))
        add("history", f"move_{_ascii(d.key)}", d.label, idx, pulp.LpConstraintGE, 1,
            ("must_move", d.key, 1, pen.count))
    # (10) no-good cuts
    for j, plan in enumerate(cuts or []):
        add("cuts", f"cut_{j}", f"phương án {j + 1}", plan, pulp.LpConstraintLE, len(plan) - 1)

    coef = pairs["score"].to_numpy(dtype=float).copy()
    if len(pb.baseline) and sc.baseline_penalty > 0:
        in_base = pd.MultiIndex.from_arrays([pairs["cadre_id"], pairs["post_id"]]).isin(
            pd.MultiIndex.from_frame(pb.baseline[["cadre_id", "post_id"]]))
        coef += sc.baseline_penalty * in_base  # one coefficient per variable (duplicates would overwrite)
    objective = pulp.LpAffineExpression(list(zip(x, coef, strict=True)))
    shortfall = pulp.LpAffineExpression([(s, -w) for s, w in penalty_terms]) if penalty_terms else None
    prob.setObjective(objective)
    return Model(pb, prob, x, pairs, soft, slacks, families, time.perf_counter() - t0, objective, shortfall)


# =========================================================================== solve
@dataclass
class Solution:
    """The outcome of one solve."""

    status: int
    status_text: str
    objective: float | None
    chosen: np.ndarray  # indices into model.pairs
    slacks: pd.DataFrame  # kind, key, label, need, short
    soft: bool
    solve_seconds: float
    build_seconds: float
    score: float = 0.0  # Σ pair scores of the plan
    bonus: float = 0.0  # baseline bonus λ·(pairs kept from the baseline)
    penalty: float = 0.0  # weighted shortfall of the soft rules Σ ρ·slack
    optimum: float | None = None  # best objective (before tie-breaking within the tolerance)
    gap: float | None = None
    time_limit_hit: bool = False
    engine: str = "CBC (PuLP, mô hình tham chiếu)"
    stage_values: dict = field(default_factory=dict)

    @property
    def optimal(self) -> bool:
        return self.status == STATUS_OPTIMAL


def solve(model: Model, time_limit: float | None = None) -> Solution:
    """Solve the reference model with :func:`kimson_ds.solver.default_solver`: rules first, then scores.

    In elastic mode the weighted shortfall of the soft rules is minimised first
    and held at its minimum while the objective (scores plus baseline bonus) is
    maximised; values are read only when optimal.
    """
    import pulp

    t0 = time.perf_counter()
    prob = model.prob
    if model.shortfall is not None:
        prob.setObjective(-model.shortfall)
        status = prob.solve(default_solver(time_limit))
        if status == pulp.LpStatusOptimal:
            best = float(pulp.value(model.shortfall) or 0.0)
            prob.addConstraint(pulp.LpConstraint(model.shortfall, pulp.LpConstraintLE, "rules_first",
                                                 best + 1e-6 * max(1.0, best)))
            prob.setObjective(model.objective)
            status = prob.solve(default_solver(time_limit))
            del prob.constraints["rules_first"]
    else:
        status = prob.solve(default_solver(time_limit))
    secs = time.perf_counter() - t0
    if status != pulp.LpStatusOptimal:
        return Solution(status, status_text(status), None, np.array([], dtype=int),
                        pd.DataFrame(columns=["kind", "key", "label", "need", "short"]), model.soft, secs,
                        model.build_seconds)
    vals = np.array([v.varValue or 0.0 for v in model.x])
    chosen = np.flatnonzero(vals > 0.5)
    sl = pd.DataFrame([(k, key, lab, need, round(float(s.varValue or 0.0), 6)) for k, key, lab, need, s in model.slacks],
                      columns=["kind", "key", "label", "need", "short"])
    score = float(model.pairs["score"].to_numpy()[chosen].sum())
    total = float(pulp.value(model.objective) or 0.0)
    penalty = float(pulp.value(model.shortfall) or 0.0) if model.shortfall is not None else 0.0
    return Solution(status, status_text(status), round(total, 6), chosen, sl, model.soft, secs, model.build_seconds,
                    round(score, 6), round(total - score, 6), round(penalty, 6), round(total, 6))


# =========================================================================== explain
_OUT_NAMES = {
    "rank": "Thứ tự", "cadre_id": "Mã cán bộ", "full_name": "Họ và tên", "gender": "Giới tính", "age": "Tuổi",
    "source_unit": "Đơn vị hiện nay", "current_title": "Chức danh hiện nay", "post_id": "Mã vị trí",
    "commune": "Xã, thị trấn đến", "title": "Chức danh đến", "score": "Tổng điểm", "merit": "Điểm xếp loại",
    "need": "Điểm nhu cầu của xã", "development": "Điểm phát triển cán bộ trẻ", "distance_km": "Khoảng cách (km)",
    "custom": "Điểm do Ban Thường vụ nhập", "in_baseline": "Giữ như phương án gốc", "reason": "Lý do",
    "eligible_posts": "Số vị trí đủ điều kiện", "eligible_candidates": "Số ứng viên đủ điều kiện",
    "eligible": "Đủ điều kiện", "reasons": "Lý do không đủ điều kiện",
    "plan": "Phương án", "objective": "Tổng điểm phương án", "delta": "Chênh lệch so với phương án tốt nhất",
    "changes": "Khác biệt so với phương án tốt nhất", "removed_ids": "Cặp bỏ (mã cán bộ→mã vị trí)",
    "added_ids": "Cặp thêm (mã cán bộ→mã vị trí)", "rule": "Quy tắc", "detail": "Chi tiết",
    "cost": "Điểm mất do quy tắc", "status": "Tình trạng",
    "bonus": "Điểm thưởng giữ phương án gốc", "penalty": "Điểm phạt quy tắc mềm",
    "people_changed": "Số người khác phương án 1", "equivalent": "Tương đương phương án 1",
    "sure": "Chắc chắn (có trong mọi phương án gần tối ưu)", "weight": "Trọng số", "value": "Giá trị đang dùng",
    "low": "Phương án giữ nguyên từ", "high": "Phương án giữ nguyên đến", "note": "Ghi chú",
    "penalty_saved": "Điểm phạt giảm nếu bỏ quy tắc",
    "warnings": "Cần xem xét",
    "policy": "Chính sách áp dụng (tham khảo)",
    "history": "Điểm ưu tiên theo quá trình công tác", "history_reason": "Diện luân chuyển theo quá trình công tác",
}


def assignments_table(pb: Problem, pairs: pd.DataFrame, chosen: np.ndarray) -> pd.DataFrame:
    """Assignments of one solution: candidate, source unit, commune, title and score breakdown."""
    sel = pairs.iloc[chosen]
    c = pb.cands.iloc[sel["ci"].to_numpy()].reset_index(drop=True)
    p = pb.posts.iloc[sel["pi"].to_numpy()].reset_index(drop=True)
    out = pd.DataFrame({
        "cadre_id": c["cadre_id"], "full_name": c["full_name"],
        "gender": c["gender"].map(GENDER).fillna(c["gender"]), "age": c["age"],
        "source_unit": c["unit_name"], "current_title": c["current_title"].map(TITLE),
        "post_id": p["post_id"], "commune": p["unit_name"], "title": p["title_label"],
        "score": sel["score"].to_numpy(), "merit": sel["merit"].to_numpy(), "need": sel["need"].to_numpy(),
        "development": sel["development"].to_numpy(), "distance_km": sel["distance_km"].to_numpy(),
        "custom": sel["custom"].to_numpy(),
    })
    if "warnings" in pb.elig.columns:  # "cần xem xét" notes of the chosen pairs (never exclusions)
        notes = pb.elig["warnings"].to_numpy(dtype=object)[sel["row"].to_numpy()] if "row" in sel.columns \
            else pb.elig.set_index(["cadre_id", "post_id"])["warnings"].reindex(
                pd.MultiIndex.from_arrays([out["cadre_id"], out["post_id"]])).fillna("").to_numpy(dtype=object)
        out["warnings"] = notes
    if len(pb.history):  # QĐ 65 terms, reappointment: why the history named this cadre
        out["history"] = sel["history"].to_numpy() if "history" in sel.columns else 0.0
        out["history_reason"] = out["cadre_id"].map(tenure.per_cadre(pb.history)["reason"]).fillna("")
    if len(pb.baseline):
        base = pd.MultiIndex.from_frame(pb.baseline[["cadre_id", "post_id"]])
        out["in_baseline"] = pd.MultiIndex.from_arrays([out["cadre_id"], out["post_id"]]).isin(base)
    order = {t: i for i, t in enumerate(TITLE)}
    out["_o"] = p["title"].map(order).to_numpy()
    out = out.sort_values(["_o", "commune", "post_id"], kind="mergesort").drop(columns="_o").reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


_RULE_SHORT = {"holder": "đang giữ vị trí", "ban": "cặp cấm", "discipline": "kỷ luật",
               "current_rotation": "đang luân chuyển", "years_left": "tuổi (số năm công tác còn lại)",
               "seniority": "thâm niên, bậc chức danh", "higher": "chức vụ cao hơn (không nổi trội)",
               "young": "cán bộ trẻ chỉ làm cấp phó",
               "home": "quê quán, nơi đang công tác", "relatives": "người thân giữ chức vụ liên quan",
               "successor": "không thuộc xã cũ sáp nhập"}


def _top_reasons(elig: pd.DataFrame, by: str, keys) -> pd.Series:
    """For each key, the reasons (rule names) among its excluded pairs, most frequent first.

    Vectorised: counts per (key, rule) with ``np.bincount``, a stable sort of
    each row (ties keep the order of :data:`RULES`), and the text assembled
    column by column (the loop is over the ≤ 10 rules, not over the keys).
    Returns a Series indexed by the sorted keys, e.g.
    ``"thâm niên, bậc chức danh (3), kỷ luật (1)"``.
    """
    sub = elig[elig[by].isin(keys) & ~elig["eligible"]]
    if not len(sub):
        return pd.Series(dtype=object)
    codes, uniq = pd.factorize(sub[by], sort=True)
    counts = np.stack([np.bincount(codes, weights=sub[f"fail_{r}"].to_numpy(dtype=float), minlength=len(uniq))
                       for r in RULES], axis=1).astype(np.int64)
    order = np.argsort(-counts, axis=1, kind="stable")
    ranked = np.take_along_axis(counts, order, axis=1)
    labels = np.array([_RULE_SHORT[r] for r in RULES], dtype=object)
    out = np.full(len(uniq), "", dtype=object)
    for j in range(len(RULES)):
        has = np.flatnonzero(ranked[:, j] > 0)
        if not has.size:
            break  # columns are sorted by count: nothing further
        piece = labels[order[has, j]] + " (" + ranked[has, j].astype(str).astype(object) + ")"
        out[has] = np.where(j == 0, piece, out[has] + ", " + piece)
    return pd.Series(out, index=pd.Index(uniq, name=by))


def explain(pb: Problem, model: Model, sol: Solution) -> dict[str, pd.DataFrame]:
    """Tables for one solution: ``assignments``, ``unfilled``, ``unused``, ``binding``, ``slacks``."""
    sc = pb.scenario
    pairs = model.pairs
    chosen = sol.chosen
    assigned = assignments_table(pb, pairs, chosen)
    used_c = set(assigned["cadre_id"])
    used_p = set(assigned["post_id"])
    n_elig_post = pairs.groupby("post_id")["cadre_id"].nunique()
    n_elig_cand = pairs.groupby("cadre_id")["post_id"].nunique()

    # unfilled posts
    up = pb.posts[~pb.posts["post_id"].isin(used_p)].copy()
    short_titles = set(sol.slacks.loc[(sol.slacks["kind"] == "count") & (sol.slacks["short"] > 1e-6), "key"])
    why = _top_reasons(pb.elig, "post_id", up["post_id"])
    n = up["post_id"].map(n_elig_post).fillna(0).astype(int)
    reason = np.where(n == 0, "Không có ứng viên đủ điều kiện: " + up["post_id"].map(why).astype(object).fillna("").astype(str),
                      "Có " + n.astype(str) + " ứng viên đủ điều kiện nhưng họ được bố trí nơi khác "
                      "hoặc bị giới hạn bởi quy tắc")
    if sc.posts.counts is not None:
        counted = up["title"].isin(short_titles)
        reason = np.where(counted, reason, "Đã đủ số lượng cần bố trí cho chức danh này; vị trí giữ nguyên")
    unfilled = pd.DataFrame({"post_id": up["post_id"], "commune": up["unit_name"], "title": up["title_label"],
                             "eligible_candidates": n, "reason": reason}).reset_index(drop=True)

    # unused candidates
    uc = pb.cands[~pb.cands["cadre_id"].isin(used_c)].copy()
    whyc = _top_reasons(pb.elig, "cadre_id", uc["cadre_id"])
    k = uc["cadre_id"].map(n_elig_cand).fillna(0).astype(int)
    surplus = "Dôi dư sau sắp xếp: " if sc.merger is not None else ""
    ureason = np.where(k == 0, surplus + "Không đủ điều kiện cho vị trí nào: " + uc["cadre_id"].map(whyc).astype(object).fillna("").astype(str),
                       surplus + "Đủ điều kiện cho " + k.astype(str) + " vị trí nhưng phương án chọn người khác "
                       "(điểm thấp hơn hoặc do quy tắc)")
    unused = pd.DataFrame({"cadre_id": uc["cadre_id"], "full_name": uc["full_name"], "source_unit": uc["unit_name"],
                           "current_title": uc["current_title"].map(TITLE), "eligible_posts": k,
                           "reason": ureason}).reset_index(drop=True)
    if sc.merger is not None and "management.surplus_policy" in pb.params:
        unused["policy"] = surplus_policy(uc, pb.params)

    # binding constraints: inequality rows that are tight at the solution
    pick = np.zeros(len(pairs), dtype=np.int64)
    pick[chosen] = 1
    rows = []
    names = {"gender": "Số nữ tối thiểu", "source_units": "Giới hạn số người mỗi đơn vị nguồn",
             "relatives": "Người thân không cùng một xã", "pins": "Chỉ định bắt buộc",
             "history": "Phải luân chuyển theo quá trình công tác",
             "predecessors": "Mỗi xã cũ có người trong lãnh đạo xã mới"}
    for fam, rows_f in model.families.items():
        if fam not in names:
            continue
        for _name, label, idx, rhs, _sense in rows_f:
            act = int(pick[idx].sum()) if len(idx) else 0
            if act == rhs:
                rows.append((names[fam], label, f"{act} = {rhs:g}"))
    binding = pd.DataFrame(rows, columns=["rule", "detail", "status"])
    return {"assignments": assigned, "unfilled": unfilled, "unused": unused, "binding": binding,
            "slacks": sol.slacks}


def slack_messages(pb: Problem, sol: Solution) -> list[str]:
    """Vietnamese sentences naming every soft rule that gave way, and by how much."""
    out = []
    for s in sol.slacks.itertuples():
        short = int(round(s.short))
        if short <= 0:
            continue
        got = s.need - short
        if s.kind == "count":
            out.append(f"Chỉ bố trí được {got}/{s.need} {s.label} (thiếu {short})")
        elif s.kind == "post":
            out.append(f"Không bố trí được người cho vị trí {s.label} ({s.key})")
        elif s.kind == "women":
            out.append(f"Cần {s.need} nữ nhưng phương án chỉ có {got} nữ (thiếu {short})")
        elif s.kind == "women_title":
            out.append(f"Cần {s.need} nữ cho chức danh {s.label} nhưng chỉ bố trí được {got} (thiếu {short})")
        elif s.kind == "pin":
            out.append(f"Không thực hiện được chỉ định {s.label}")
        elif s.kind == "must_move":
            out.append(f"Không bố trí được {s.label}, người thuộc diện phải luân chuyển theo quá trình công tác")
        elif s.kind == "cover":
            out.append(f"Xã cũ {s.label.split(' → ')[0]} không có người trong lãnh đạo xã mới "
                       f"{s.label.split(' → ')[1]}")
    return out


# =========================================================================== run
@dataclass
class RotationResult:
    """Outcome of :func:`run`."""

    problem: Problem
    model: Any  # FastModel (HiGHS matrix model)
    solution: Solution
    feasible: bool  # the request (strict as asked) can be met
    elastic: bool  # the plan shown comes from the elastic model
    diagnosis: list[str]
    tables: dict[str, pd.DataFrame]
    alternatives: pd.DataFrame  # plan, objective and its parts, delta, people changed, changes
    alternative_plans: list[pd.DataFrame]
    rule_costs: pd.DataFrame
    timings: dict[str, float]
    ties: dict = field(default_factory=dict)  # count, complete, tolerance, order
    sensitivity: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def assignments(self) -> pd.DataFrame:
        return self.tables["assignments"]

    def run_record(self) -> dict:
        """What the run used: scenario, data fingerprint, parameters, solver status, limits and gap."""
        pb = self.problem
        sol = self.solution
        return {
            "scenario": pb.scenario.model_dump(mode="json"),
            "data_fingerprint": getattr(pb.dataset, "fingerprint", None),
            "parameters": pb.params.used,
            "parameters_overridden": sorted(pb.params.overrides),
            "solver": {"status": sol.status_text, "optimal": sol.optimal, "elastic": self.elastic,
                       "objective": sol.objective, "objective_parts": {"score": sol.score, "baseline_bonus": sol.bonus,
                                                                       "penalty": sol.penalty},
                       "optimum": sol.optimum, "variables": int(len(self.model.pairs)), "solver": sol.engine,
                       "time_limit_seconds": pb.scenario.solver.time_limit,
                       "time_limit_reached": sol.time_limit_hit, "gap_requested": pb.scenario.solver.gap,
                       "gap_reached": sol.gap, "stages": sol.stage_values},
            "ties": self.ties,
            "feasible": self.feasible,
            "diagnosis": self.diagnosis,
            "timings_seconds": {k: round(v, 4) for k, v in self.timings.items()},
        }


ENGINE = "HiGHS (highspy, mô hình ma trận)"
_SIDE_LABELS = {"gender": "Số nữ tối thiểu", "source_units": "Giới hạn mỗi đơn vị nguồn",
                "relatives": "Người thân không cùng một xã", "predecessors": "Đại diện các xã cũ"}


def solve_fast(fm, *, ties: bool = True) -> Solution:
    """Solve the matrix model lexicographically (rules, objective, tie-break criteria)."""
    from kimson_ds.rotation.matrix import solve_stages

    t0 = time.perf_counter()
    res, values, optima = solve_stages(fm, ties=ties)
    return _fast_solution(fm, res, optima, time.perf_counter() - t0)


#: PuLP's status codes (``pulp.LpStatusOptimal`` …), kept here so that the HiGHS path never imports PuLP.
STATUS_OPTIMAL, STATUS_NOT_SOLVED, STATUS_INFEASIBLE = 1, 0, -1


def _fast_solution(fm, res, optima, secs: float) -> Solution:
    empty = pd.DataFrame(columns=["kind", "key", "label", "need", "short"])
    if res is None or not res.optimal:
        status = STATUS_NOT_SOLVED if (res is not None and res.time_limit_hit) else STATUS_INFEASIBLE
        return Solution(status, res.status if res is not None else "Không khả thi", None, np.array([], dtype=int),
                        empty, fm.soft, secs, fm.build_seconds, engine=ENGINE,
                        time_limit_hit=bool(res is not None and res.time_limit_hit))
    v = res.values
    chosen = np.flatnonzero(v[:fm.m] > 0.5)
    x = np.zeros(len(v))
    x[chosen] = 1.0
    x[fm.m:] = np.round(v[fm.m:], 6)
    sl = pd.DataFrame([(k, key, lab, need, float(x[col])) for k, key, lab, need, col, _w in fm.slacks],
                      columns=["kind", "key", "label", "need", "short"])
    score, bonus, penalty = float(fm.score @ x), float(fm.bonus @ x), float(fm.penalty @ x)
    k = 1 if fm.slacks else 0
    optimum = optima[k] if len(optima) > k else score + bonus
    from kimson_ds.rotation.matrix import TIE_CRITERIA

    order = fm.problem.scenario.ties.order
    names = (["rules"] if fm.slacks else []) + ["objective"] + list(list(TIE_CRITERIA)[:3] if order is None else order)
    return Solution(STATUS_OPTIMAL, res.status, round(score + bonus, 6), chosen, sl, fm.soft, secs,
                    fm.build_seconds, round(score, 6), round(bonus, 6), round(penalty, 6), round(optimum, 6),
                    res.gap, res.time_limit_hit, ENGINE,
                    {n: round(float(o), 6) for n, o in zip(names, optima, strict=False)})


def _hold_rules(fm, sol: Solution) -> int:
    """Hold the soft-rule shortfall at the plan's (elastic mode); return the first temporary row."""
    first = fm.mm.n_rows
    if fm.slacks:
        cols = np.array([s[4] for s in fm.slacks])
        fm.mm.add_row(cols, fm.penalty[cols], hi=sol.penalty + 1e-6 * max(1.0, sol.penalty))
    return first


def check_reference(pb: Problem, fm, sol: Solution) -> None:
    """Solve the readable PuLP reference model and fail loudly if it disagrees with the matrix model."""
    ref = solve(build(pb, soft=fm.soft))
    same = ref.optimal == sol.optimal
    if same and sol.optimal:
        tol = 1e-5 * max(1.0, abs(ref.objective))
        same = abs(ref.penalty - sol.penalty) <= 1e-5 * max(1.0, ref.penalty) and abs(ref.objective - sol.optimum) <= tol
    if not same:
        raise KimsonError(f"Mô hình ma trận (HiGHS) và mô hình tham chiếu (PuLP) cho kết quả khác nhau: "
                          f"phạt {sol.penalty} / {ref.penalty}, mục tiêu {sol.optimum} / {ref.objective}.")


def _price_rules(pb: Problem, fm, sol: Solution) -> pd.DataFrame:
    """What each enabled rule costs: score gained (and shortfall saved) if it were switched off."""
    from kimson_ds.rotation.matrix import build_fast

    sc = pb.scenario
    rows = []
    labels = {**_SIDE_LABELS, "relatives_together": "Người thân không cùng một xã",
              "seniority": "Thâm niên, bậc chức danh", "higher": "Chức vụ cao hơn, chưa nổi trội",
              "years_left": "Số năm công tác còn lại",
              "young": "Cán bộ trẻ chỉ làm cấp phó", "home": "Không về quê, nơi đang công tác",
              "relatives_elig": "Người thân giữ chức chủ chốt tại xã", "discipline": "Đang bị kỷ luật",
              "current_rotation": "Đang luân chuyển chưa đủ thời gian", "successor": "Chỉ vào xã mới kế thừa"}
    side = []
    if sc.rules.gender.enabled and (pb.demands["kind"].isin(["women", "women_title"])).any():
        side.append("gender")
    if sc.rules.source_units.enabled and sc.rules.source_units.max_per_unit is not None:
        side.append("source_units")
    if len(pb.related):
        side.append("relatives")
    if sc.merger is not None and sc.rules.predecessors.enabled:
        side.append("predecessors")

    def price(label: str, other) -> None:
        s2 = solve_fast(other, ties=False)
        if s2.optimal:
            rows.append((label, round(s2.objective - sol.objective, 6), round(sol.penalty - s2.penalty, 6)))

    for fam in side:
        price(labels[fam], build_fast(pb, soft=fm.soft, exclude_rules=(fam,), settings=sc.solver))
    fails = pb.elig[[f"fail_{r}" for r in RULES]].to_numpy()
    rows_idx = pb.scores["row"].to_numpy()
    for j, r in enumerate(RULES):
        if r in ("holder", "ban") or not fails[:, j].any():
            continue
        other = np.delete(fails, j, axis=1).any(axis=1)
        pairs = pb.scores[~other[rows_idx]].reset_index(drop=True)
        price(labels["relatives_elig" if r == "relatives" else r],
              build_fast(pb, soft=fm.soft, pairs=pairs, settings=sc.solver))
    out = pd.DataFrame(rows, columns=["rule", "cost", "penalty_saved"])
    return out.sort_values(["penalty_saved", "cost", "rule"], ascending=[False, False, True],
                           kind="mergesort").reset_index(drop=True)


def _plan_set(pairs: pd.DataFrame, chosen: np.ndarray) -> set[tuple[str, str]]:
    sel = pairs.iloc[chosen]
    return set(zip(sel["cadre_id"], sel["post_id"], strict=True))


def people_changed(a: set[tuple[str, str]], b: set[tuple[str, str]]) -> int:
    """Number of people whose post differs between two plans (moved, added or dropped)."""
    pa, pb_ = dict(a), dict(b)
    return sum(pa.get(c) != pb_.get(c) for c in set(pa) | set(pb_))


def run(ds, sc: RotationScenario, *, problem: Problem | None = None, raise_infeasible: bool = False,
        rule_costs: bool | None = None, analyses: bool = True) -> RotationResult:
    """Prepare, build, solve, explain; elastic re-solve and diagnosis; ties, alternatives, robustness.

    Parameters
    ----------
    ds : Dataset
    sc : RotationScenario
    problem : Problem, optional
        Reuse an already prepared problem.
    raise_infeasible : bool
        Raise :class:`InfeasibleError` (with the result attached) when the
        strict request cannot be met, instead of returning the elastic plan.
    rule_costs : bool, optional
        Price every enabled rule by re-solving without it (default
        ``scenario.rule_costs``).
    analyses : bool
        Count ties, robustness core and weight ranges (an interactive panel
        may switch them off to answer faster).

    Returns
    -------
    RotationResult
        ``feasible`` False when the strict request cannot be met; the plan
        shown is then the elastic one and ``diagnosis`` names the blocking rules.
    """
    import os

    from kimson_ds.optimise import count_equivalent, diverse_alternatives, robust_core, weight_ranges
    from kimson_ds.rotation.diagnose import blocking_reasons
    from kimson_ds.rotation.matrix import TIE_CRITERIA, build_fast, stages

    t0 = time.perf_counter()
    pb = problem or prepare(ds, sc)
    t_prep = time.perf_counter() - t0
    fm = build_fast(pb, settings=sc.solver)
    sol = solve_fast(fm)
    elastic = fm.soft
    feasible = sol.optimal
    diagnosis: list[str] = []
    if not sol.optimal and not fm.soft and not sol.time_limit_hit:
        fm = build_fast(pb, soft=True, settings=sc.solver)
        sol = solve_fast(fm)
        elastic = True
        diagnosis.append("Yêu cầu không thực hiện được với đầy đủ các quy tắc. Phương án dưới đây là phương án "
                         "nới lỏng (thiếu người hoặc thiếu nữ) để thấy quy tắc nào chặn:")
    if os.environ.get("KIMSON_CHECK_REFERENCE"):
        check_reference(pb, fm, sol)
    if sol.optimal:
        msgs = slack_messages(pb, sol)
        if feasible and msgs:  # strict: false and some soft rule gave way
            diagnosis.append("Phương án có nới lỏng quy tắc mềm (strict: false) vì không có phương án nào "
                             "đáp ứng đủ các quy tắc:")
        if not feasible or msgs:  # the counting causes first: they name the rule that blocks
            diagnosis += [f"- Nguyên nhân: {m}" for m in pb.prechecks]
        diagnosis += [f"- {m}" for m in msgs]
        if msgs:
            diagnosis += blocking_reasons(pb, fm, sol)
        if feasible and not msgs:
            diagnosis.append("Tìm được phương án tối ưu đáp ứng đầy đủ các quy tắc.")
        if sol.time_limit_hit:
            diagnosis.append(f"Lưu ý: bộ giải dừng ở giới hạn thời gian {sc.solver.time_limit:g} giây; "
                             f"khoảng cách tối ưu còn {sol.gap or 0:.2%}.")
    else:
        diagnosis.append(f"Bộ giải không tìm được phương án ({sol.status_text}).")
        diagnosis += [f"- {m}" for m in pb.prechecks]
    diagnosis += [f"Lưu ý: {n}" for n in pb.elig.attrs.get("notes", [])]
    tables = explain(pb, fm, sol) if sol.optimal else {
        "assignments": assignments_table(pb, fm.pairs, np.array([], dtype=int)),
        "unfilled": pd.DataFrame(), "unused": pd.DataFrame(), "binding": pd.DataFrame(), "slacks": sol.slacks}
    if sc.merger is not None:
        diagnosis += _merger_notes(pb, tables)
        diagnosis += _surplus_notes(pb, tables.get("unused", pd.DataFrame()))
    diagnosis += _history_notes(pb, tables)

    t1 = time.perf_counter()
    m = fm.m
    cols = np.arange(m)
    groups = fm.pairs["ci"].to_numpy()
    order = sc.ties.order if sc.ties.order is not None else list(TIE_CRITERIA)[:3]
    ties: dict = {"tolerance": sc.ties.tolerance, "order": order, "count": None, "complete": None}
    sensitivity = pd.DataFrame(columns=["weight", "value", "low", "high", "note"])
    if sol.optimal:
        obj_cost = fm.score + fm.bonus
        first = _hold_rules(fm, sol)
        if analyses:
            n_eq, complete = count_equivalent(fm.mm, obj_cost, sol.optimum, sc.ties.tolerance, groups, cols,
                                              sol.chosen, sc.ties.count_limit)
            ties.update(count=n_eq, complete=complete)
        rb = sc.robustness
        if analyses and rb.enabled:
            sure = robust_core(fm.mm, obj_cost, sol.optimum, rb.epsilon, cols, sol.chosen)
            keyed = dict(zip(zip(fm.pairs["cadre_id"].to_numpy()[sol.chosen],
                                 fm.pairs["post_id"].to_numpy()[sol.chosen], strict=True), sure, strict=True))
            a = tables["assignments"]
            a["sure"] = [bool(keyed.get(k, False)) for k in zip(a["cadre_id"], a["post_id"], strict=True)]
            if rb.sensitivity and not fm.pairs["custom"].any():
                sensitivity = _sensitivity(pb, fm, sol, rb.max_weight, weight_ranges)
        fm.mm.delete_rows_from(first)
        diagnosis += _trust_notes(pb, sol, ties, tables, sensitivity, order, TIE_CRITERIA)

    # alternatives: the next best plans, each differing from every earlier one by ≥ min_difference people
    alt_rows, alt_plans = [], []
    if sol.optimal:
        best = _plan_set(fm.pairs, sol.chosen)
        alt_rows.append((1, sol.objective, sol.score, sol.bonus, sol.penalty, 0.0, 0, "", "", ""))
        if sc.alternatives > 1:
            found = diverse_alternatives(fm.mm, stages(fm), groups, cols, sol.chosen, sc.alternatives,
                                         sc.min_difference)
            for j, (res, _values) in enumerate(found, start=2):
                s2 = _fast_solution(fm, res, [], 0.0)
                a2 = assignments_table(pb, fm.pairs, s2.chosen)
                plan = _plan_set(fm.pairs, s2.chosen)
                removed, added = sorted(best - plan), sorted(plan - best)
                alt_rows.append((j, s2.objective, s2.score, s2.bonus, s2.penalty,
                                 round(s2.objective - sol.objective, 6), people_changed(best, plan),
                                 describe_changes(pb, removed, added), _pair_ids(removed), _pair_ids(added)))
                alt_plans.append(a2)
    alternatives = pd.DataFrame(alt_rows, columns=["plan", "objective", "score", "bonus", "penalty", "delta",
                                                   "people_changed", "changes", "removed_ids", "added_ids"])
    if len(alternatives):
        alternatives["equivalent"] = ((alternatives["delta"].abs() <= sc.ties.tolerance + 1e-9)
                                      & (alternatives["penalty"] - sol.penalty).abs().le(1e-6))
    t_analyses = time.perf_counter() - t1

    do_costs = sc.rule_costs if rule_costs is None else rule_costs
    costs = pd.DataFrame(columns=["rule", "cost", "penalty_saved"])
    if do_costs and sol.optimal:
        costs = _price_rules(pb, fm, sol)
    timings = {"prepare": t_prep, "build": fm.build_seconds, "solve": sol.solve_seconds,
               "analyses": t_analyses, "total": time.perf_counter() - t0}
    result = RotationResult(pb, fm, sol, feasible, elastic, diagnosis, tables, alternatives, alt_plans,
                            costs, timings, ties, sensitivity)
    if raise_infeasible and not feasible:
        raise InfeasibleError("\n".join(diagnosis), diagnosis, result)
    return result


_WEIGHT_LABELS = {"merit": "Trọng số xếp loại", "need": "Trọng số nhu cầu của xã",
                  "development": "Trọng số phát triển cán bộ trẻ", "distance": "Trọng số khoảng cách"}


def _sensitivity(pb: Problem, fm, sol: Solution, max_weight: float, weight_ranges) -> pd.DataFrame:
    """Range of each weight over which the chosen plan stays optimal (other weights fixed)."""
    w = pb.scenario.weights
    n = fm.mm.n_cols
    comp = {}
    for name, col, sign in (("merit", "merit", 1.0), ("need", "need", 1.0), ("development", "development", 1.0),
                            ("distance", "distance", -1.0)):
        v = np.zeros(n)
        if name == "distance":
            v[:fm.m] = sign * fm.pairs["distance_km"].to_numpy(dtype=float) / distance_scale(pb.dataset, pb.scenario)
        else:
            v[:fm.m] = sign * fm.pairs[col].to_numpy(dtype=float)
        comp[name] = v
    weights = {k: float(getattr(w, k)) for k in comp}
    plan = np.zeros(n)
    plan[sol.chosen] = 1.0
    rows = weight_ranges(fm.mm, fm.bonus, comp, weights, plan, max_weight=max_weight)
    fm.mm.set_cost(fm.score + fm.bonus)
    out = pd.DataFrame(rows, columns=["weight", "value", "low", "high", "capped"])
    out["note"] = np.where(out["capped"], f"giữ nguyên đến ít nhất {max_weight:g}", "")
    out["weight"] = out["weight"].map(_WEIGHT_LABELS)
    return out.drop(columns="capped").round({"value": 4, "low": 4, "high": 4})


def _trust_notes(pb, sol, ties, tables, sensitivity, order, criteria) -> list[str]:
    """Vietnamese lines on how far the optimum can be trusted: scales, ties, robustness."""
    sc = pb.scenario
    out = []
    y0, y1 = merit_window(sc)
    r = pb.dataset["ratings"] if pb.dataset is not None else None
    if r is not None:
        have = sorted(set(r.loc[(r["year"] >= y0) & (r["year"] <= y1), "year"].astype(int)))
        years = ", ".join(str(y) for y in have) or "không có năm nào"
        out.append(f"Điểm xếp loại: trung bình các năm {y0}–{y1} (dữ liệu có: {years}); người chưa có xếp loại "
                   f"trong các năm này tính {_num(sc.weights.merit_missing)}.")
    if pb.dataset is not None:
        out.append(f"Khoảng cách chia cho thang cố định {_num(distance_scale(pb.dataset, sc))} km "
                   "(đơn vị xa nhất của huyện theo bảng đơn vị).")
    crit = ", sau đó ".join(criteria[c] for c in order) or "không có"
    n = ties.get("count")
    if n is not None:
        tol = _num(sc.ties.tolerance)
        if n > 1:
            more = "" if ties.get("complete") else "ít nhất "
            out.append(f"Có {more}{n} phương án tương đương (tổng điểm chênh không quá {tol} điểm so với tối ưu). "
                       f"Phương án 1 được chọn trong số đó theo thứ tự tiêu chí phụ: {crit}.")
        else:
            out.append(f"Phương án tối ưu là duy nhất (không có phương án nào khác trong phạm vi {tol} điểm). "
                       f"Thứ tự tiêu chí phụ khi có phương án bằng điểm: {crit}.")
    a = tables["assignments"]
    if "sure" in a:
        k = int(a["sure"].sum())
        eps = _num(sc.robustness.epsilon)
        out.append(f"Độ vững: {k}/{len(a)} bố trí là chắc chắn (có mặt trong mọi phương án kém tối ưu không quá "
                   f"{eps} điểm); {len(a) - k} bố trí có thể thay thế bằng người hoặc vị trí khác.")
    if sol.penalty > 0:
        out.append("Thứ tự ưu tiên: trước hết vi phạm ít nhất các quy tắc mềm (điểm phạt), sau đó tổng điểm cao nhất.")
    return out


def _num(x: float) -> str:
    """A number in Vietnamese form (decimal comma)."""
    text = f"{x:.6f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _pair_ids(pairs: list[tuple[str, str]]) -> str:
    """``"CB0001→POST_A; CB0002→POST_B"``: the machine-readable side of an alternative's changes."""
    return "; ".join(f"{c}→{p}" for c, p in pairs)


def describe_changes(pb: Problem, removed: list[tuple[str, str]], added: list[tuple[str, str]]) -> str:
    """Vietnamese description of how an alternative differs from the best plan.

    Each change names the person and the post, e.g. ``"bỏ Lê Xuân Đạt → Phó Bí thư Hồi Ninh"``;
    two candidates of the same name are told apart by their year of birth, never by an id (the
    ids alone are in the ``removed_ids`` / ``added_ids`` columns, for machines).
    """
    cands = pb.cands.drop_duplicates("cadre_id").set_index("cadre_id")
    names = cands["full_name"].astype(str)
    if "birth_date" in cands.columns:
        same = names.duplicated(keep=False)
        years = pd.to_datetime(cands["birth_date"], errors="coerce").dt.year
        names = names.where(~same | years.isna(), names + " (sinh năm " + years.astype("Int64").astype(str) + ")")
    posts = pb.posts.set_index("post_id")
    post_label = (posts["title_label"].astype(str) + " " + posts["unit_name"].astype(str)).to_dict()

    def one(verb: str, c: str, p: str) -> str:
        return f"{verb} {names.get(c, 'một cán bộ ngoài danh sách')} → {post_label.get(p, p)}"

    return "; ".join([one("bỏ", c, p) for c, p in removed] + [one("thêm", c, p) for c, p in added])


def surplus_policy(cands: pd.DataFrame, params: ParameterSet) -> np.ndarray:
    """What the policy for people left over by a reorganisation says of each of ``cands`` (information only).

    Reads ``management.surplus_policy`` (Nghị định 178/2024/NĐ-CP as amended by
    Nghị định 67/2025/NĐ-CP): early retirement when at most
    ``early_retirement_max_years`` remain to the retirement age; a cadre who held
    a leadership title (``rotation.title_rank`` > 0) keeps the old position pay to
    the end of the term or appointment, at least ``allowance_kept_min_months``.
    """
    cfg = params.get("management.surplus_policy")
    left = cands["years_left"].to_numpy(dtype=float)
    near = left <= float(cfg["early_retirement_max_years"])
    leader = cands["current_rank"].to_numpy(dtype=float) > 0
    left_txt = pd.Series(left).round(1).map(lambda v: "?" if v != v else f"{v:.1f}".replace(".", ",")).to_numpy()
    base = np.where(near, "Còn " + left_txt.astype(object) + f" năm đến tuổi nghỉ hưu (không quá "
                    f"{cfg['early_retirement_max_years']} năm): được xem xét nghỉ hưu trước tuổi theo chính sách, "
                    "hoặc nghỉ thôi việc",
                    "Bố trí công tác khác (công chức xã mới, cơ quan cấp tỉnh) hoặc nghỉ thôi việc theo chính sách")
    keep = (f"; nếu giữ chức vụ thấp hơn hoặc thôi giữ chức vụ: bảo lưu lương chức vụ, phụ cấp chức vụ cũ đến hết "
            f"nhiệm kỳ, thời hạn bổ nhiệm (ít nhất {cfg['allowance_kept_min_months']} tháng)")
    return np.where(leader, base.astype(object) + keep, base.astype(object)) + SURPLUS_SOURCE


#: Source of the surplus policy sentences (the parameter's references name the articles).
SURPLUS_SOURCE = " (Nghị định 178/2024/NĐ-CP, sửa đổi bởi Nghị định 67/2025/NĐ-CP; thông tin tham khảo)."


def _surplus_notes(pb: Problem, unused: pd.DataFrame) -> list[str]:
    """The policy that applies to the surplus of a merger, as information (dated parameter and its texts)."""
    if "management.surplus_policy" not in pb.params or not len(unused):
        return []
    cfg = pb.params.get("management.surplus_policy")
    refs = pb.params.references()
    ref = "; ".join(refs.loc[refs["name"] == "management.surplus_policy", "reference"].astype(str))
    uc = pb.cands.set_index("cadre_id").loc[unused["cadre_id"]]
    near = int((uc["years_left"].to_numpy(dtype=float) <= float(cfg["early_retirement_max_years"])).sum())
    leaders = int((uc["current_rank"].to_numpy(dtype=float) > 0).sum())
    return [f"Chính sách đối với người dôi dư (thông tin, không phải quyết định; từng người ở cột «Chính sách áp "
            f"dụng» của unused.csv): {near} người còn không quá {cfg['early_retirement_max_years']} năm đến tuổi "
            f"nghỉ hưu được xem xét nghỉ hưu trước tuổi ({cfg['early_retirement_max_years_hard_area']} năm ở vùng "
            f"đặc biệt khó khăn); {leaders} người đang giữ chức vụ lãnh đạo được bảo lưu lương chức vụ, phụ cấp "
            f"chức vụ cũ đến hết nhiệm kỳ, thời hạn bổ nhiệm (ít nhất {cfg['allowance_kept_min_months']} tháng) "
            f"nếu thôi giữ chức vụ hoặc giữ chức vụ thấp hơn; người khác được bố trí công tác khác hoặc nghỉ thôi "
            f"việc. Căn cứ: {ref}."]


def _history_notes(pb: Problem, tables: dict[str, pd.DataFrame]) -> list[str]:
    """The history rules of the request: who they named, who the plan moves, who stays and why."""
    sc = pb.scenario
    on = [r for r in HISTORY_RULES if getattr(sc.rules, r).enabled]
    if not on:
        return []
    mode_vi = {"bat_buoc": "bắt buộc", "uu_tien": "ưu tiên"}
    out = []
    placed = set(tables["assignments"]["cadre_id"]) if len(tables.get("assignments", [])) else set()
    names = pb.cands.set_index("cadre_id")["full_name"]
    for rule in on:
        cfg = getattr(sc.rules, rule)
        who = pb.history.loc[pb.history["rule"] == rule, "cadre_id"].drop_duplicates()
        head = f"{tenure.RULE_VI[rule]} ({mode_vi[cfg.mode]}"
        head += f", cộng {_num(cfg.bonus)} điểm" if cfg.mode == "uu_tien" else ""
        if not len(who):
            out.append(f"{head}): không có ai trong phạm vi yêu cầu vào ngày {pd.Timestamp(sc.as_of):%d/%m/%Y}.")
            continue
        moved = [c for c in who if c in placed]
        stay = [f"{names.get(c, c)} ({c})" for c in who if c not in placed]
        shown = ", ".join(stay[:10]) + (f" và {len(stay) - 10} người khác" if len(stay) > 10 else "")
        out.append(f"{head}): {len(who)} người thuộc diện, phương án bố trí {len(moved)} người"
                   + (f"; chưa bố trí: {shown}." if stay else "."))
    return out


def _merger_notes(pb: Problem, tables: dict[str, pd.DataFrame]) -> list[str]:
    """Merger staffing: surplus count, and the what-if ASSUMPTION when the data predate the merger."""
    sc = pb.scenario
    whose = "các xã cũ và các cơ quan kết thúc hoạt động" if sc.merger.district_units else "các xã cũ"
    out = [f"Sáp nhập: {len(pb.cands)} cán bộ của {whose} cho {len(pb.posts)} vị trí chủ chốt của xã mới; "
           f"{len(tables['assignments'])} người được bố trí, {len(tables.get('unused', []))} người dôi dư "
           "so với các chức danh chủ chốt (không được bố trí chức danh chủ chốt của xã mới; nhiều người "
           "vẫn có thể tiếp tục là công chức, cấp phó — xem unused.csv)."]
    effective = pd.Timestamp(sc.merger.effective) if sc.merger.effective is not None else None
    if effective is not None and (effective - pd.Timestamp(sc.as_of)).days > 366:
        out.append(f"GIẢ ĐỊNH: đây là phương án giả định. Sáp nhập có hiệu lực {effective:%d/%m/%Y} "
                   f"nhưng được tính trên dữ liệu chốt ngày {sc.as_of:%d/%m/%Y} (tuổi, thâm niên, xếp loại, "
                   "chức danh, người giữ chức danh tại ngày đó); không phải kết quả bố trí thực tế.")
    if sc.merger.note:
        out.append(f"Ghi chú kịch bản: {sc.merger.note}")
    return out


def resolve(ds, sc: RotationScenario, **changes) -> RotationResult:
    """Re-solve ``sc`` with ``changes`` applied (``model_copy(update=...)``), no rule pricing.

    This is the call an interactive panel makes on every change; at district
    size it takes about a tenth of a second.
    """
    new = RotationScenario.model_validate({**sc.model_dump(), **changes}) if changes else sc
    new._base_dir = sc._base_dir
    return run(ds, new, rule_costs=False)


def with_knobs(sc: RotationScenario, *, n_bi_thu: int | None = None, n_pho_bi_thu: int | None = None,
               min_women: int | None = None, seniority_years_bi_thu: float | None = None,
               seniority_years_pho_bi_thu: float | None = None) -> RotationScenario:
    """Return a copy of ``sc`` with the few knobs a user varies (notebook and panel)."""
    new = sc.model_copy(deep=True)
    new._base_dir = sc._base_dir
    if new.posts.counts is not None:
        if n_bi_thu is not None:
            new.posts.counts["bi_thu"] = int(n_bi_thu)
        if n_pho_bi_thu is not None:
            new.posts.counts["pho_bi_thu"] = int(n_pho_bi_thu)
        new.posts.counts = {k: v for k, v in new.posts.counts.items() if v > 0}
    if min_women is not None:
        new.rules.gender.min_women = int(min_women)
    if seniority_years_bi_thu is not None:
        new.rules.seniority.min_years_service["bi_thu"] = float(seniority_years_bi_thu)
    if seniority_years_pho_bi_thu is not None:
        new.rules.seniority.min_years_service["pho_bi_thu"] = float(seniority_years_pho_bi_thu)
    return new


def vietnamese(frame: pd.DataFrame) -> pd.DataFrame:
    """Rename output columns to their Vietnamese headers (for CSV and display)."""
    out = frame.rename(columns=_OUT_NAMES)
    for col in out.columns:
        if out[col].dtype == bool:
            out[col] = out[col].map({True: "có", False: "không"})
    return out
