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
    (10) alternatives, no-good cuts: :math:`\sum_{(c,p) \in S_j} x_{cp} \le |S_j| - 1`.

With ``strict: false`` (or automatically when the strict model is
infeasible) constraints (3), (4), (5) and (8) get their slacks and the report
names every rule that gave way and by how much.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pulp
from pydantic import Field, PrivateAttr, model_validator

from kimson_ds.config import StrictModel, load_scenario
from kimson_ds.data.codes import COMMUNE_KINDS, GENDER, RATING_ORDER, TITLE
from kimson_ds.errors import InfeasibleError, ScenarioError
from kimson_ds.rotation.eligibility import (
    RULES,
    EligibilityRules,
    candidate_facts,
    commune_of,
    eligibility,
    key_holders,
    post_facts,
    rule_overrides,
)
from kimson_ds.rules.parameters import ParameterSet, parameters
from kimson_ds.rules.relatives import related_pairs, relatives_graph
from kimson_ds.solver import default_solver, status_text

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


class Rules(EligibilityRules):
    """Every rule of the planner, each with an ``enabled`` switch."""

    gender: GenderRule = GenderRule()
    source_units: SourceUnitsRule = SourceUnitsRule()
    predecessors: PredecessorsRule = PredecessorsRule()


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


class Penalties(StrictModel):
    """Penalty per unit of slack of each soft rule (must dominate the scores)."""

    count: float = 1000.0
    gender: float = 100.0
    coverage: float = 10.0


class MergerSpec(StrictModel):
    """Merger staffing: new commune id → list of predecessor commune ids."""

    effective: dt.date | None = None
    new_units: dict[str, list[str]]
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


_POST_OUT = {"cadre_id": "Mã cán bộ", "post_id": "Mã vị trí"}


def _check_ids(kind: str, ids, known, what: str) -> None:
    unknown = sorted(set(ids) - set(known))
    if unknown:
        raise ScenarioError(f"Kịch bản nêu {what} không có trong dữ liệu ({kind}): " + ", ".join(unknown) + ".")


def _term_bounds(term: pd.Series) -> tuple[pd.Series, pd.Series]:
    parts = term.astype(str).str.extract(r"(\d{4})\D+(\d{4})")
    return pd.to_numeric(parts[0]), pd.to_numeric(parts[1])


def _select_posts(ds, sc: RotationScenario) -> list[str]:
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
               & (pos["holder_id"].isna() | pos["open_for_rotation"].fillna(False).astype(bool)))
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
        communes_of = list(dict.fromkeys(u for olds in sc.merger.new_units.values() for u in olds))
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
        ids = set(pos.loc[held, "holder_id"]) | set(cadres.loc[in_wanted(cadres["unit_id"]), "cadre_id"])
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


def _need(ds, posts: pd.DataFrame, as_of: dt.date) -> pd.Series:
    """Weakness of the commune's latest Party-organisation rating (0 = xuất sắc … 1 = không hoàn thành)."""
    o = ds["org_ratings"]
    o = o[(o["scheme"] == "tccsd") & (o["year"] <= as_of.year - 1)]
    latest = o.sort_values("year").drop_duplicates("unit_id", keep="last").set_index("unit_id")["level"]
    rank = latest.map({lv: i for i, lv in enumerate(RATING_ORDER)}) / (len(RATING_ORDER) - 1)
    return posts["commune_id"].map(rank).fillna(0.0).astype(float)


def score_pairs(ds, cands: pd.DataFrame, posts: pd.DataFrame, ci: np.ndarray, pi: np.ndarray,
                sc: RotationScenario, params: ParameterSet) -> pd.DataFrame:
    """Score components of the pairs ``(cands[ci], posts[pi])``.

    Returns columns ``merit`` (mean recent rating, 0–1; missing → pool
    median), ``need`` (commune's weak Party-organisation rating, 0–1),
    ``development`` (1 when a cadre under ``rotation.young_age_limit`` goes to
    a deputy post), ``distance`` (|km of post − km of source| / max, 0–1) and
    ``score`` = weighted sum (distance subtracted), rounded to 6 decimals.
    """
    w = sc.weights
    merit = _merit(ds, cands, sc.as_of, w.merit_years)
    merit = merit.fillna(merit.median() if merit.notna().any() else 0.5).to_numpy()
    need = _need(ds, posts, sc.as_of).to_numpy()
    limit = int(params.get("rotation.young_age_limit"))
    young = (cands["age"].to_numpy(dtype=float) < limit)
    dev = (young[ci] & posts["deputy"].to_numpy(dtype=bool)[pi]).astype(float)
    units = ds["units"].set_index("unit_id")
    src_km = cands["source_commune"].where(cands["source_commune"].notna(), cands["unit_id"]) \
        .map(units["distance_km"]).astype(float).fillna(0.0).to_numpy()
    km = np.abs(posts["distance_km"].astype(float).fillna(0.0).to_numpy()[pi] - src_km[ci])
    dist = km / km.max() if len(km) and km.max() > 0 else np.zeros(len(ci))
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
    post_ids = _select_posts(ds, sc)
    cadre_ids = _select_candidates(ds, sc, params)
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
        _check_ids("units", [*sc.merger.new_units, *all_old], ds["units"]["unit_id"], "đơn vị sáp nhập")
        successor_of = {old: new for new, olds in sc.merger.new_units.items() for old in olds}

    cands = candidate_facts(ds, cadre_ids, sc.as_of, params)
    if sc.merger is not None:  # cadres of a commune that merged earlier count for its successor
        resolved = _resolve_units(ds["units"], _merger_date(ds, sc), list(successor_of))
        pos = ds["positions"]
        held = pos[pos["is_key"].astype(bool) & pos["holder_id"].isin(cadre_ids)]
        held_comm = held.assign(c=held["unit_id"].map(commune_of(ds["units"]))).dropna(subset=["c"])
        held_comm = held_comm.sort_values("position_id").drop_duplicates("holder_id").set_index("holder_id")["c"]
        cands["source_commune"] = cands["source_commune"].fillna(cands["cadre_id"].map(held_comm))
        cands["source_commune"] = cands["source_commune"].map(resolved).fillna(cands["source_commune"])
    posts = post_facts(ds, post_ids)
    bans = pd.DataFrame([p.model_dump() for p in sc.bans], columns=["cadre_id", "post_id"])
    holders = key_holders(ds, sc.as_of)
    elig = eligibility(cands, posts, params, sc.rules, relatives=ds["relatives"], holders=holders,
                       bans=bans, successor_of=successor_of or None)

    nposts = len(posts)
    ci = np.repeat(np.arange(len(cands)), nposts)
    pi = np.tile(np.arange(nposts), len(cands))
    base_ok = ~(elig["fail_holder"].to_numpy() | elig["fail_ban"].to_numpy())
    scores = score_pairs(ds, cands, posts, ci[base_ok], pi[base_ok], sc, params)
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

    demands = _demands(sc, posts, cands)
    prob = Problem(sc, params, cands, posts, elig, scores, pairs, baseline, related, demands, [], ds,
                   successor_of)
    prob.prechecks = precheck(prob)
    return prob


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
    # (10) no-good cuts
    for j, plan in enumerate(cuts or []):
        add("cuts", f"cut_{j}", f"phương án {j + 1}", plan, pulp.LpConstraintLE, len(plan) - 1)

    coef = pairs["score"].to_numpy(dtype=float).copy()
    if len(pb.baseline) and sc.baseline_penalty > 0:
        in_base = pd.MultiIndex.from_arrays([pairs["cadre_id"], pairs["post_id"]]).isin(
            pd.MultiIndex.from_frame(pb.baseline[["cadre_id", "post_id"]]))
        coef += sc.baseline_penalty * in_base  # one coefficient per variable (duplicates would overwrite)
    obj = list(zip(x, coef, strict=True))
    prob.setObjective(pulp.LpAffineExpression(obj + penalty_terms))
    return Model(pb, prob, x, pairs, soft, slacks, families, time.perf_counter() - t0)


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

    @property
    def optimal(self) -> bool:
        return self.status == pulp.LpStatusOptimal


def solve(model: Model, time_limit: float | None = None) -> Solution:
    """Solve with :func:`kimson_ds.solver.default_solver`; read values only when optimal."""
    t0 = time.perf_counter()
    status = model.prob.solve(default_solver(time_limit))
    secs = time.perf_counter() - t0
    if status != pulp.LpStatusOptimal:
        return Solution(status, status_text(status), None, np.array([], dtype=int),
                        pd.DataFrame(columns=["kind", "key", "label", "need", "short"]), model.soft, secs,
                        model.build_seconds)
    vals = np.array([v.varValue or 0.0 for v in model.x])
    chosen = np.flatnonzero(vals > 0.5)
    sl = pd.DataFrame([(k, key, lab, need, round(float(s.varValue or 0.0), 6)) for k, key, lab, need, s in model.slacks],
                      columns=["kind", "key", "label", "need", "short"])
    obj = float(model.pairs["score"].to_numpy()[chosen].sum())
    return Solution(status, status_text(status), round(obj, 6), chosen, sl, model.soft, secs, model.build_seconds)


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
               "seniority": "thâm niên, bậc chức danh", "young": "cán bộ trẻ chỉ làm cấp phó",
               "home": "quê quán, nơi đang công tác", "relatives": "người thân giữ chức chủ chốt",
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

    # binding constraints: inequality rows that are tight at the solution
    pick = np.zeros(len(pairs), dtype=np.int64)
    pick[chosen] = 1
    rows = []
    names = {"gender": "Số nữ tối thiểu", "source_units": "Giới hạn số người mỗi đơn vị nguồn",
             "relatives": "Người thân không cùng một xã", "pins": "Chỉ định bắt buộc",
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
        elif s.kind == "cover":
            out.append(f"Xã cũ {s.label.split(' → ')[0]} không có người trong lãnh đạo xã mới "
                       f"{s.label.split(' → ')[1]}")
    return out


# =========================================================================== run
@dataclass
class RotationResult:
    """Outcome of :func:`run`."""

    problem: Problem
    model: Model
    solution: Solution
    feasible: bool  # the request (strict as asked) can be met
    elastic: bool  # the plan shown comes from the elastic model
    diagnosis: list[str]
    tables: dict[str, pd.DataFrame]
    alternatives: pd.DataFrame  # plan, objective, delta, changes
    alternative_plans: list[pd.DataFrame]
    rule_costs: pd.DataFrame
    timings: dict[str, float]

    @property
    def assignments(self) -> pd.DataFrame:
        return self.tables["assignments"]

    def run_record(self) -> dict:
        """What the run used: scenario, data fingerprint, parameters, solver status."""
        pb = self.problem
        return {
            "scenario": pb.scenario.model_dump(mode="json"),
            "data_fingerprint": getattr(pb.dataset, "fingerprint", None),
            "parameters": pb.params.used,
            "parameters_overridden": sorted(pb.params.overrides),
            "solver": {"status": self.solution.status_text, "optimal": self.solution.optimal,
                       "elastic": self.elastic, "objective": self.solution.objective,
                       "variables": int(len(self.model.pairs)), "solver": "CBC (PuLP)"},
            "feasible": self.feasible,
            "diagnosis": self.diagnosis,
            "timings_seconds": {k: round(v, 4) for k, v in self.timings.items()},
        }


def _price_rules(pb: Problem, base_obj: float, soft: bool) -> pd.DataFrame:
    """Score the plan would gain if each enabled rule were switched off (0 = not binding)."""
    sc = pb.scenario
    rows = []
    labels = {"gender": "Số nữ tối thiểu", "source_units": "Giới hạn mỗi đơn vị nguồn",
              "relatives_together": "Người thân không cùng một xã", "predecessors": "Đại diện các xã cũ",
              "seniority": "Thâm niên, bậc chức danh", "years_left": "Số năm công tác còn lại",
              "young": "Cán bộ trẻ chỉ làm cấp phó", "home": "Không về quê, nơi đang công tác",
              "relatives": "Người thân giữ chức chủ chốt tại xã", "discipline": "Đang bị kỷ luật",
              "current_rotation": "Đang luân chuyển chưa đủ thời gian", "successor": "Chỉ vào xã mới kế thừa"}
    side = []
    if sc.rules.gender.enabled and (pb.demands["kind"].isin(["women", "women_title"])).any():
        side.append(("gender", "gender"))
    if sc.rules.source_units.enabled and sc.rules.source_units.max_per_unit is not None:
        side.append(("source_units", "source_units"))
    if len(pb.related):
        side.append(("relatives_together", "relatives"))
    if sc.merger is not None and sc.rules.predecessors.enabled:
        side.append(("predecessors", "predecessors"))
    for label_key, fam in side:
        sol = solve(build(pb, soft=soft, exclude_rules=(fam,)))
        if sol.optimal:
            rows.append((labels[label_key], round(_objective(pb, sol, soft) - base_obj, 6)))
    fails = pb.elig[[f"fail_{r}" for r in RULES]].to_numpy()
    rows_idx = pb.scores["row"].to_numpy()
    for j, r in enumerate(RULES):
        if r in ("holder", "ban") or not fails[:, j].any():
            continue
        other = np.delete(fails, j, axis=1).any(axis=1)
        pairs = pb.scores[~other[rows_idx]].reset_index(drop=True)
        sol = solve(build(pb, soft=soft, pairs=pairs))
        if sol.optimal:
            rows.append((labels[r], round(_objective(pb, sol, soft, pairs) - base_obj, 6)))
    out = pd.DataFrame(rows, columns=["rule", "cost"])
    return out.sort_values(["cost", "rule"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def _objective(pb: Problem, sol: Solution, soft: bool, pairs: pd.DataFrame | None = None) -> float:
    """Pair score minus slack penalties (the comparable part of the objective)."""
    pen = {"count": pb.scenario.penalties.count, "post": pb.scenario.penalties.count,
           "pin": pb.scenario.penalties.count, "women": pb.scenario.penalties.gender,
           "women_title": pb.scenario.penalties.gender, "cover": pb.scenario.penalties.coverage}
    extra = float((sol.slacks["short"] * sol.slacks["kind"].map(pen)).sum()) if len(sol.slacks) else 0.0
    return float(sol.objective or 0.0) - extra


def run(ds, sc: RotationScenario, *, problem: Problem | None = None, raise_infeasible: bool = False,
        rule_costs: bool | None = None) -> RotationResult:
    """Prepare, build, solve, explain; elastic re-solve and diagnosis; alternatives.

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

    Returns
    -------
    RotationResult
        ``feasible`` False when the strict request cannot be met; the plan
        shown is then the elastic one and ``diagnosis`` names the blocking rules.
    """
    t0 = time.perf_counter()
    pb = problem or prepare(ds, sc)
    t_prep = time.perf_counter() - t0
    model = build(pb)
    sol = solve(model)
    elastic = model.soft
    feasible = sol.optimal
    diagnosis: list[str] = []
    if not sol.optimal and not model.soft:
        model = build(pb, soft=True)
        sol = solve(model)
        elastic = True
        diagnosis.append("Yêu cầu không thực hiện được với đầy đủ các quy tắc. Phương án dưới đây là phương án "
                         "nới lỏng (thiếu người hoặc thiếu nữ) để thấy quy tắc nào chặn:")
    if sol.optimal:
        msgs = slack_messages(pb, sol)
        if feasible and msgs:  # strict: false and some soft rule gave way
            diagnosis.append("Phương án có nới lỏng quy tắc mềm (strict: false):")
        if not feasible or msgs:  # the counting causes first: they name the rule that blocks
            diagnosis += [f"- Nguyên nhân: {m}" for m in pb.prechecks]
        diagnosis += [f"- {m}" for m in msgs]
        if feasible and not msgs:
            diagnosis.append("Tìm được phương án tối ưu đáp ứng đầy đủ các quy tắc.")
    else:
        diagnosis.append(f"Bộ giải không tìm được phương án ({sol.status_text}).")
        diagnosis += [f"- {m}" for m in pb.prechecks]
    diagnosis += [f"Lưu ý: {n}" for n in pb.elig.attrs.get("notes", [])]
    tables = explain(pb, model, sol) if sol.optimal else {
        "assignments": assignments_table(pb, model.pairs, np.array([], dtype=int)),
        "unfilled": pd.DataFrame(), "unused": pd.DataFrame(), "binding": pd.DataFrame(), "slacks": sol.slacks}
    if sc.merger is not None:
        diagnosis += _merger_notes(pb, tables)

    # alternatives: k best distinct plans (no-good cuts)
    alt_rows, alt_plans, cuts = [], [], []
    if sol.optimal:
        best = set(zip(tables["assignments"]["cadre_id"], tables["assignments"]["post_id"], strict=True))
        cuts.append(sol.chosen)
        alt_rows.append((1, sol.objective, 0.0, "", "", ""))
        for j in range(2, sc.alternatives + 1):
            m2 = build(pb, soft=model.soft, cuts=cuts)
            s2 = solve(m2)
            if not s2.optimal or len(s2.chosen) == 0:
                break
            a2 = assignments_table(pb, m2.pairs, s2.chosen)
            plan = set(zip(a2["cadre_id"], a2["post_id"], strict=True))
            removed = sorted(best - plan)
            added = sorted(plan - best)
            alt_rows.append((j, s2.objective, round(s2.objective - sol.objective, 6),
                             describe_changes(pb, removed, added), _pair_ids(removed), _pair_ids(added)))
            alt_plans.append(a2)
            cuts.append(s2.chosen)
    alternatives = pd.DataFrame(alt_rows, columns=["plan", "objective", "delta", "changes", "removed_ids",
                                                   "added_ids"])

    do_costs = sc.rule_costs if rule_costs is None else rule_costs
    costs = pd.DataFrame(columns=["rule", "cost"])
    if do_costs and sol.optimal:
        costs = _price_rules(pb, _objective(pb, sol, model.soft), model.soft)
    timings = {"prepare": t_prep, "build": sol.build_seconds, "solve": sol.solve_seconds,
               "total": time.perf_counter() - t0}
    result = RotationResult(pb, model, sol, feasible, elastic, diagnosis, tables, alternatives, alt_plans,
                            costs, timings)
    if raise_infeasible and not feasible:
        raise InfeasibleError("\n".join(diagnosis), diagnosis, result)
    return result


def _pair_ids(pairs: list[tuple[str, str]]) -> str:
    """``"CB0001→POST_A; CB0002→POST_B"``: the machine-readable side of an alternative's changes."""
    return "; ".join(f"{c}→{p}" for c, p in pairs)


def describe_changes(pb: Problem, removed: list[tuple[str, str]], added: list[tuple[str, str]]) -> str:
    """Vietnamese description of how an alternative differs from the best plan.

    Each change names the person and the post, e.g. ``"bỏ Lê Xuân Đạt (CB0021) → Phó Bí thư
    Hồi Ninh"``; the ids alone are in the ``removed_ids`` / ``added_ids`` columns.
    """
    names = pb.cands.set_index("cadre_id")["full_name"]
    posts = pb.posts.set_index("post_id")
    post_label = (posts["title_label"].astype(str) + " " + posts["unit_name"].astype(str)).to_dict()

    def one(verb: str, c: str, p: str) -> str:
        who = f"{names.get(c, c)} ({c})" if c in names.index else c
        return f"{verb} {who} → {post_label.get(p, p)}"

    return "; ".join([one("bỏ", c, p) for c, p in removed] + [one("thêm", c, p) for c, p in added])


def _merger_notes(pb: Problem, tables: dict[str, pd.DataFrame]) -> list[str]:
    """Merger staffing: surplus count, and the what-if ASSUMPTION when the data predate the merger."""
    sc = pb.scenario
    out = [f"Sáp nhập: {len(pb.cands)} cán bộ của các xã cũ cho {len(pb.posts)} vị trí chủ chốt của xã mới; "
           f"{len(tables['assignments'])} người được bố trí, {len(tables.get('unused', []))} người dôi dư "
           "so với các chức danh chủ chốt (không được bố trí chức danh chủ chốt của xã mới; nhiều người "
           "vẫn có thể tiếp tục là công chức, cấp phó — xem unused.csv)."]
    effective = pd.Timestamp(sc.merger.effective) if sc.merger.effective is not None else None
    if effective is not None and (effective - pd.Timestamp(sc.as_of)).days > 366:
        out.append(f"GIẢ ĐỊNH: đây là phương án giả định (what-if). Sáp nhập có hiệu lực {effective:%d-%m-%Y} "
                   f"nhưng được tính trên dữ liệu chốt ngày {sc.as_of:%d-%m-%Y} (tuổi, thâm niên, xếp loại, "
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
