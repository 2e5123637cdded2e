"""Who may be posted where: the candidate × post eligibility table, with reasons.

Every excluded candidate–post pair carries all the rules it fails, in
Vietnamese, so the committee can see why someone is not in a plan. The rules
(each switchable in the scenario, numbers from the dated parameters):

========================  ==========================================================
rule                      excluded when
========================  ==========================================================
``years_left``            fewer than ``rotation.min_years_left`` years of service left
                          (retirement roadmap of Nghị định 135/2020); one full term
                          (``rotation.one_term_exception``) suffices for a non-local
                          head post and for a head who has served the consecutive
                          terms of ``management.two_terms_trigger`` (QĐ 98 Điều 5)
``seniority``             fewer years since ``work_start_date`` than
                          ``rotation.seniority[title].min_years_service``, or current
                          title rank (``rotation.title_rank``) below ``min_rank``
``higher``                the post ranks above the cadre's current title
                          (``rotation.title_rank``, more than ``max_rank_step``) and the
                          cadre is not outstanding nor planned for the title
                          (``rotation.higher_post``; QĐ 65 "chức vụ tương đương")
``young``                 younger than ``rotation.young_age_limit`` and the post is
                          not a deputy post (young cadres go to deputy posts)
``home``                  the commune/unit the cadre works in; the home commune
                          (``home_unit_id``) only when ``home.absolute`` (else a
                          "cần xem xét" warning)
``relatives``             a relative (``relatives.definition``) holds a post that the
                          regulations name with the target post (``relatives.linked_posts``,
                          QĐ 205/114, Luật PCTN Điều 20); a relative
                          (``rotation.relative_relations``) holding any other key post
                          in the commune is a "cần xem xét" warning (an exclusion only
                          when ``relatives.absolute``)
``discipline``            under discipline at ``as_of`` (``expires_on``, else
                          ``rotation.discipline_bar_months`` after the decision)
``current_rotation``      on a rotation that started less than
                          ``rotation.min_duration_years`` ago
``successor``             merger staffing: the cadre's old commune is not a
                          predecessor of the post's new commune
``holder``                the cadre already holds this very post (always on)
``ban``                   the pair is banned in the scenario (always on)
========================  ==========================================================

Warnings ("cần xem xét") never exclude a pair: they are listed in ``warnings``
(and ``warn_<rule>``) and shown with the chosen pairs in the outputs.

The table is built with numpy index arrays and merges; no per-row Python loops.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kimson_ds.config import StrictModel
from kimson_ds.data.codes import COMMUNE_KINDS, DISCIPLINE_FORM, GENDER, RELATION, TITLE
from kimson_ds.rules.dates import dates_vi
from kimson_ds.rules.durations import whole_months
from kimson_ds.rules.parameters import ParameterSet
from kimson_ds.rules.relatives import related_pairs, relatives_graph

__all__ = [
    "DESCRIBE_COLUMNS",
    "RULES",
    "EligibilityRules",
    "WARNING_RULES",
    "candidate_facts",
    "commune_of",
    "current_holders",
    "describe",
    "eligibility",
    "is_deputy",
    "post_facts",
    "rule_overrides",
]

#: Rule ids in the order their reasons are listed.
RULES = ("holder", "ban", "discipline", "current_rotation", "years_left", "seniority", "higher", "young",
         "home", "relatives", "successor")
#: Rules that may give a "cần xem xét" warning instead of excluding the pair.
WARNING_RULES = ("higher", "home", "relatives")


# --------------------------------------------------------------------------- rule switches
class SeniorityRule(StrictModel):
    """Seniority per target title; maps override ``rotation.seniority`` per title."""

    enabled: bool = True
    min_years_service: dict[str, float] = {}
    min_rank: dict[str, int] = {}


class YearsLeftRule(StrictModel):
    """At least ``min_years`` of service left (default ``rotation.min_years_left``);
    ``one_term_exception``: one full term suffices in the cases of ``rotation.one_term_exception``."""

    enabled: bool = True
    min_years: float | None = None
    one_term_exception: bool = True


class HigherPostRule(StrictModel):
    """Equivalent post (``rotation.higher_post``): a higher post only for outstanding or planned cadres.

    ``absolute`` False turns the exclusion into a "cần xem xét" warning.
    """

    enabled: bool = True
    absolute: bool = True
    outstanding_years: int | None = None
    planned_counts: bool | None = None


class YoungRule(StrictModel):
    """Cadres under ``age_limit`` (default ``rotation.young_age_limit``) only to deputy posts."""

    enabled: bool = True
    age_limit: int | None = None


class HomeRule(StrictModel):
    """Not to the commune/unit the cadre works in now; the home commune is a "cần xem xét"
    warning unless ``absolute`` (no regulation found that makes it absolute, review L7)."""

    enabled: bool = True
    home_commune: bool = True
    current_unit: bool = True
    absolute: bool = False


class RelativesRule(StrictModel):
    """Never where a relative holds a post the regulations name with the target post;
    a relative in any other key post of the commune is a warning unless ``absolute``."""

    enabled: bool = True
    include_derived: bool | None = None
    absolute: bool = False


class Switch(StrictModel):
    """A rule with only an on/off switch."""

    enabled: bool = True


class CurrentRotationRule(StrictModel):
    """Not while on a rotation younger than ``min_duration_years``."""

    enabled: bool = True
    min_duration_years: float | None = None


class EligibilityRules(StrictModel):
    """Switches and overrides of the pair rules."""

    seniority: SeniorityRule = SeniorityRule()
    years_left: YearsLeftRule = YearsLeftRule()
    higher: HigherPostRule = HigherPostRule()
    young: YoungRule = YoungRule()
    home: HomeRule = HomeRule()
    relatives: RelativesRule = RelativesRule()
    discipline: Switch = Switch()
    current_rotation: CurrentRotationRule = CurrentRotationRule()
    successor: Switch = Switch()


def rule_overrides(rules: EligibilityRules, as_of: Any) -> dict[str, Any]:
    """Parameter overrides implied by the rule settings of a scenario.

    Parameters
    ----------
    rules : EligibilityRules
    as_of : date-like

    Returns
    -------
    dict
        ``{parameter name: value}`` to pass to :func:`kimson_ds.rules.parameters.parameters`,
        so that the run record and the "Căn cứ pháp lý" table show them as overridden.
    """
    out: dict[str, Any] = {}
    if rules.years_left.min_years is not None:
        out["rotation.min_years_left"] = rules.years_left.min_years
    if rules.young.age_limit is not None:
        out["rotation.young_age_limit"] = rules.young.age_limit
    if rules.current_rotation.min_duration_years is not None:
        out["rotation.min_duration_years"] = rules.current_rotation.min_duration_years
    s = rules.seniority
    if s.min_years_service or s.min_rank:
        base = ParameterSet(as_of).get("rotation.seniority")
        for title, years in s.min_years_service.items():
            base.setdefault(title, {"min_years_service": 0, "min_rank": 0})["min_years_service"] = years
        for title, rank in s.min_rank.items():
            base.setdefault(title, {"min_years_service": 0, "min_rank": 0})["min_rank"] = rank
        out["rotation.seniority"] = base
    h = rules.higher
    if (h.outstanding_years is not None or h.planned_counts is not None) and "rotation.higher_post" in ParameterSet(as_of):
        base = ParameterSet(as_of).get("rotation.higher_post")
        if h.outstanding_years is not None:
            base["outstanding_years"] = h.outstanding_years
        if h.planned_counts is not None:
            base["planned_counts"] = h.planned_counts
        out["rotation.higher_post"] = base
    if rules.relatives.include_derived is not None:
        base = ParameterSet(as_of).get("rotation.relative_relations")
        base["include_derived"] = rules.relatives.include_derived
        out["rotation.relative_relations"] = base
    return out


# --------------------------------------------------------------------------- facts
def is_deputy(title: pd.Series) -> pd.Series:
    """Deputy posts are the ``pho_*`` titles of the glossary."""
    return title.astype(str).str.startswith("pho_")


def _ts(as_of: Any) -> pd.Timestamp:
    return pd.Timestamp(as_of).normalize()


def commune_of(units: pd.DataFrame) -> pd.Series:
    """Commune-level unit of each unit (itself, or its commune parent), indexed by ``unit_id``.

    Units that are not in a commune (district departments, …) map to ``None``.
    """
    u = units.set_index("unit_id")
    is_commune = u["kind"].isin(COMMUNE_KINDS)
    parent_is_commune = u["parent_unit_id"].map(is_commune).fillna(False).astype(bool)
    out = pd.Series(None, index=u.index, dtype=object)
    out[is_commune] = u.index[is_commune]
    out[~is_commune & parent_is_commune] = u.loc[~is_commune & parent_is_commune, "parent_unit_id"]
    return out


def _valid_units(units: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    vf = units["valid_from"].isna() | (units["valid_from"] <= as_of)
    vt = units["valid_to"].isna() | (units["valid_to"] >= as_of)
    return pd.Series((vf & vt).to_numpy(), index=units["unit_id"])


def candidate_facts(tables, cadre_ids, as_of: Any, params: ParameterSet) -> pd.DataFrame:
    """Facts about candidates that the rules and the scores read.

    Parameters
    ----------
    tables : Dataset or dict of DataFrame
        Needs ``cadres``, ``units``, ``positions``; reads ``discipline`` and
        ``rotations`` when present.
    cadre_ids : list of str
    as_of : date-like
    params : ParameterSet
        Reads ``rotation.title_rank``, ``rotation.discipline_bar_months``,
        ``rotation.min_duration_years`` and the retirement ages.

    Returns
    -------
    pandas.DataFrame
        One row per candidate (in the order given): ``cadre_id``,
        ``full_name``, ``gender``, ``birth_date``, ``age``, ``years_left``,
        ``years_service``, ``unit_id``, ``unit_name``, ``source_commune``,
        ``home_unit_id``, ``current_title``, ``current_rank``,
        ``discipline_form``, ``discipline_until``, ``rotation_since``.
    """
    from kimson_ds.rules.notions import unit_on
    from kimson_ds.rules.retirement import years_of_service_left

    t = _ts(as_of)
    cadres = tables["cadres"].set_index("cadre_id")
    ids = pd.Index(list(dict.fromkeys(cadre_ids)), name="cadre_id")
    c = cadres.reindex(ids)
    units = tables["units"]
    unit_name = units.set_index("unit_id")["name"]
    communes = commune_of(units)
    birth = pd.to_datetime(c["birth_date"])
    before_birthday = (t.month < birth.dt.month) | ((t.month == birth.dt.month) & (t.day < birth.dt.day))
    age = t.year - birth.dt.year - before_birthday.astype(int)
    years_left = years_of_service_left(c["birth_date"], c["gender"], t, params)
    work = pd.to_datetime(c["work_start_date"])
    # calendar months (1-3-2009 → 1-3-2019 is 10 years), never days / 365.25
    years_service = whole_months(work, pd.Series(t, index=work.index)) / 12.0

    pos = tables["positions"]
    ranks = params.get("rotation.title_rank")
    held = pos.loc[pos["holder_id"].isin(ids), ["holder_id", "title"]].copy()
    held["rank"] = held["title"].map(ranks).fillna(0).astype(int)
    held = held.sort_values(["holder_id", "rank", "title"], ascending=[True, False, True], kind="mergesort")
    best = held.drop_duplicates("holder_id").set_index("holder_id")

    out = pd.DataFrame({
        "cadre_id": ids.to_numpy(),
        "full_name": c["full_name"].to_numpy(),
        "gender": c["gender"].to_numpy(),
        "birth_date": birth.to_numpy(),
        "age": age.to_numpy(),
        "years_left": np.asarray(years_left, dtype=float),
        "years_service": years_service.to_numpy(),
        "unit_id": c["unit_id"].to_numpy(),
        "unit_name": c["unit_id"].map(unit_name).to_numpy(),
        "source_commune": c["unit_id"].map(communes).to_numpy(),
        # a home commune merged away is its successor on ``as_of`` (shared notion)
        "home_unit_id": unit_on(units, c["home_unit_id"], t).to_numpy(),
        "current_title": best["title"].reindex(ids).to_numpy(),
        "current_rank": best["rank"].reindex(ids).fillna(0).astype(int).to_numpy(),
    })

    # discipline in force at as_of (heaviest form wins)
    disc = tables["discipline"] if "discipline" in _names(tables) else None
    out["discipline_form"] = None
    out["discipline_until"] = pd.NaT
    if disc is not None and len(disc):
        from kimson_ds.rules.notions import discipline_in_force, discipline_periods

        bar = params.get("rotation.discipline_bar_months")
        # until NaT = in force without end (no expiry date, no bar length for the form): never a
        # far-future sentinel, which datetime64[ns] cannot hold (9999-12-31 wraps to 1816).
        d = discipline_in_force(discipline_periods(disc[disc["cadre_id"].isin(ids)], bar), t)
        if len(d):
            order = {f: i for i, f in enumerate(DISCIPLINE_FORM)}
            d["sev"] = d["form"].map(order)
            d["open"] = d["until"].isna()
            d = d.sort_values(["cadre_id", "sev", "open", "until"], ascending=[True, False, False, False],
                              kind="mergesort")
            d = d.drop_duplicates("cadre_id").set_index("cadre_id")
            out["discipline_form"] = out["cadre_id"].map(d["form"])
            out["discipline_until"] = out["cadre_id"].map(d["until"])

    # rotation in progress for less than the minimum duration
    rot = tables["rotations"] if "rotations" in _names(tables) else None
    out["rotation_since"] = pd.NaT
    if rot is not None and len(rot) and "rotation.min_duration_years" in params:
        years = float(params.get("rotation.min_duration_years"))
        r = rot[rot["cadre_id"].isin(ids) & (rot["start_date"] <= t)
                & (rot["end_date"].isna() | (rot["end_date"] > t))]
        r = r[whole_months(r["start_date"], pd.Series(t, index=r.index)) < years * 12]
        if len(r):
            latest = r.sort_values("start_date").drop_duplicates("cadre_id", keep="last").set_index("cadre_id")
            out["rotation_since"] = out["cadre_id"].map(latest["start_date"])
    out["discipline_until"] = pd.to_datetime(out["discipline_until"])
    out["rotation_since"] = pd.to_datetime(out["rotation_since"])

    # months in a head post counted by the two-terms rule (QĐ 98/65), from holder_since or, when the
    # dataset was rebuilt from a work history, post_since (a re-election does not restart the run)
    out["head_months"] = np.nan
    since_col = "post_since" if "post_since" in pos.columns else "holder_since"
    if "management.two_terms_trigger" in params and since_col in pos.columns:
        heads = params.get("management.two_terms_trigger")["titles"]
        hp = pos.loc[pos["holder_id"].isin(ids) & pos["title"].isin(heads) & pos[since_col].notna()]
        hp = hp.loc[pd.to_datetime(hp[since_col]) <= t]
        if len(hp):
            months = whole_months(pd.to_datetime(hp[since_col]), pd.Series(t, index=hp.index))
            longest = pd.Series(months.to_numpy(dtype=float), index=hp["holder_id"].to_numpy()).groupby(level=0).max()
            out["head_months"] = out["cadre_id"].map(longest).to_numpy(dtype=float)

    # outstanding (rotation.higher_post): the latest N ratings before as_of all in the listed levels
    out["outstanding"] = False
    out["planned_titles"] = [()] * len(out)
    if "rotation.higher_post" in params:
        cfg = params.get("rotation.higher_post")
        n_years = int(cfg["outstanding_years"])
        rat = tables["ratings"] if "ratings" in _names(tables) else None
        if rat is not None and len(rat) and n_years > 0:
            year_end = pd.to_datetime(rat["year"].astype(int).astype(str) + "-12-31")  # a year's rating is known at its end
            r = rat.loc[rat["cadre_id"].isin(ids) & (year_end <= t)]
            r = r.sort_values(["cadre_id", "year"], ascending=[True, False]).groupby("cadre_id").head(n_years)
            good = r["level"].isin(list(cfg["outstanding_levels"]))
            agg = good.groupby(r["cadre_id"]).agg(["sum", "size"])
            ok = agg.index[(agg["sum"] == n_years) & (agg["size"] == n_years)]
            out["outstanding"] = out["cadre_id"].isin(ok).to_numpy()
        plan = tables["planning"] if "planning" in _names(tables) else None
        if plan is not None and len(plan) and cfg.get("planned_counts"):
            pl = plan.loc[plan["cadre_id"].isin(ids)]
            added = pd.to_datetime(pl["added_on"]) if "added_on" in pl.columns else pd.Series(pd.NaT, index=pl.index)
            removed = pd.to_datetime(pl["removed_on"]) if "removed_on" in pl.columns else pd.Series(pd.NaT, index=pl.index)
            pl = pl.loc[(added.isna() | (added <= t)) & (removed.isna() | (removed > t))]
            titles = pl.groupby("cadre_id")["target_title"].agg(lambda x: tuple(sorted(set(x))))
            mapped = out["cadre_id"].map(titles)
            out["planned_titles"] = [v if isinstance(v, tuple) else () for v in mapped]
    return out


def _names(tables) -> list[str]:
    return list(tables.tables) if hasattr(tables, "tables") else list(tables)


def post_facts(tables, position_ids) -> pd.DataFrame:
    """Facts about posts: ``post_id``, ``unit_id``, ``commune_id``, ``unit_name``, ``title``,
    ``title_label``, ``holder_id``, ``open_for_rotation``, ``distance_km``, ``deputy``."""
    pos = tables["positions"].set_index("position_id")
    ids = pd.Index(list(dict.fromkeys(position_ids)), name="post_id")
    p = pos.reindex(ids)
    units = tables["units"].set_index("unit_id")
    communes = commune_of(tables["units"])
    out = pd.DataFrame({
        "post_id": ids.to_numpy(),
        "unit_id": p["unit_id"].to_numpy(),
        "commune_id": p["unit_id"].map(communes).to_numpy(),
        "title": p["title"].to_numpy(),
        "holder_id": p["holder_id"].to_numpy(),
        "open_for_rotation": p["open_for_rotation"].fillna(False).astype(bool).to_numpy(),
    })
    commune_key = out["commune_id"].where(out["commune_id"].notna(), out["unit_id"])
    out["unit_name"] = commune_key.map(units["name"]).to_numpy()
    out["distance_km"] = commune_key.map(units["distance_km"]).astype(float).to_numpy()
    out["title_label"] = out["title"].map(TITLE).fillna(out["title"])
    out["deputy"] = is_deputy(out["title"]).to_numpy()
    return out


def key_holders(tables, as_of: Any) -> pd.DataFrame:
    """Key posts held at ``as_of``: ``holder_id``, ``position_id``, ``title``, ``commune_id``."""
    pos = tables["positions"]
    units = tables["units"]
    valid = _valid_units(units, _ts(as_of))
    communes = commune_of(units)
    k = pos[pos["is_key"].astype(bool) & pos["holder_id"].notna()]
    k = k[k["unit_id"].map(valid).fillna(False).astype(bool)]
    return pd.DataFrame({"holder_id": k["holder_id"].to_numpy(), "position_id": k["position_id"].to_numpy(),
                         "title": k["title"].to_numpy(), "unit_id": k["unit_id"].to_numpy(),
                         "commune_id": k["unit_id"].map(communes).to_numpy()}).dropna(subset=["commune_id"])


def current_holders(tables, as_of: Any) -> pd.DataFrame:
    """Every post held at ``as_of`` in a unit that exists then: ``holder_id``, ``position_id``, ``title``,
    ``unit_id`` (the relatives' side of the named-pairs rule, key posts or not)."""
    pos = tables["positions"]
    t = _ts(as_of)
    valid = _valid_units(tables["units"], t)
    k = pos[pos["holder_id"].notna() & pos["unit_id"].map(valid).fillna(False).astype(bool)]
    if "holder_since" in k.columns:
        k = k[k["holder_since"].isna() | (pd.to_datetime(k["holder_since"]) <= t)]
    return pd.DataFrame({"holder_id": k["holder_id"].to_numpy(), "position_id": k["position_id"].to_numpy(),
                         "title": k["title"].to_numpy(), "unit_id": k["unit_id"].to_numpy()})


# --------------------------------------------------------------------------- the table
def _fmt(x: pd.Series | np.ndarray, nd: int = 1) -> np.ndarray:
    """Numbers as Vietnamese text (comma decimal)."""
    s = pd.Series(np.asarray(x, dtype=float)).round(nd)
    if len(s) == 0:
        return np.array([], dtype=object)
    txt = s.map(lambda v: "?" if v != v else (f"{v:.{nd}f}".rstrip("0").rstrip(",.") if nd else f"{v:.0f}"))
    return txt.str.replace(".", ",", regex=False).to_numpy(dtype=object)


def eligibility(cands: pd.DataFrame, posts: pd.DataFrame, params: ParameterSet,
                rules: EligibilityRules | None = None, *, relatives: pd.DataFrame | None = None,
                holders: pd.DataFrame | None = None, bans: pd.DataFrame | None = None,
                successor_of: dict[str, str] | None = None, units: pd.DataFrame | None = None,
                holdings: pd.DataFrame | None = None) -> pd.DataFrame:
    """Candidate × post eligibility with every failed rule as a Vietnamese reason.

    Parameters
    ----------
    cands : pandas.DataFrame
        From :func:`candidate_facts`.
    posts : pandas.DataFrame
        From :func:`post_facts`.
    params : ParameterSet
        Reads ``rotation.min_years_left``, ``rotation.seniority``,
        ``rotation.young_age_limit``, ``rotation.relative_relations``,
        ``rotation.min_duration_years`` for the rules that are enabled.
    rules : EligibilityRules, optional
        Switches (all on by default).
    relatives : pandas.DataFrame, optional
        The ``relatives`` table (raw; the graph is derived here).
    holders : pandas.DataFrame, optional
        From :func:`key_holders` (needed by the relatives rule).
    bans : pandas.DataFrame, optional
        Columns ``cadre_id``, ``post_id``.
    successor_of : dict, optional
        Merger staffing: old commune id → new commune id.
    units : pandas.DataFrame, optional
        The units table (scopes of ``relatives.linked_posts``; without it the
        named-pairs check finds no pairs).
    holdings : pandas.DataFrame, optional
        From :func:`current_holders`: every post held (the relatives' side of the
        named pairs); default ``holders`` (key posts only).

    Returns
    -------
    pandas.DataFrame
        One row per pair (candidates outer, posts inner): ``cadre_id``,
        ``post_id``, ``eligible``, ``n_reasons``, ``reasons`` (``"; "``-joined
        Vietnamese), ``warnings`` ("cần xem xét", never excluding), one bool
        column ``fail_<rule>`` per rule of :data:`RULES` and ``warn_<rule>``
        per rule of :data:`WARNING_RULES`.
    """
    rules = rules or EligibilityRules()
    nc, npost = len(cands), len(posts)
    ci = np.repeat(np.arange(nc), npost)
    pi = np.tile(np.arange(npost), nc)
    n = nc * npost
    fails: dict[str, np.ndarray] = {}
    texts: dict[str, np.ndarray] = {}

    def add(rule: str, mask: np.ndarray, text) -> None:
        fails[rule] = mask
        idx = np.flatnonzero(mask)
        arr = np.empty(len(idx), dtype=object)
        arr[:] = text(idx) if callable(text) else text
        texts[rule] = (idx, arr)

    c_id = cands["cadre_id"].to_numpy(dtype=object)
    p_label = posts["title_label"].to_numpy(dtype=object)
    p_name = posts["unit_name"].fillna("").to_numpy(dtype=object)

    # holder: already in this post
    add("holder", c_id[ci] == posts["holder_id"].astype(object).where(posts["holder_id"].notna(), "").to_numpy(dtype=object)[pi], "đang giữ chính vị trí này")

    # ban
    if bans is not None and len(bans):
        key = pd.MultiIndex.from_arrays([c_id[ci], posts["post_id"].to_numpy(dtype=object)[pi]])
        banned = key.isin(pd.MultiIndex.from_frame(bans[["cadre_id", "post_id"]].astype(object)))
        add("ban", np.asarray(banned), "bị loại trừ theo kịch bản (cặp cấm)")
    else:
        fails["ban"] = np.zeros(n, bool)

    if rules.discipline.enabled:
        form = cands["discipline_form"]
        c_bad = form.notna().to_numpy()
        until = pd.to_datetime(cands["discipline_until"])
        far = until.isna()  # in force without end date
        txt = ("đang trong thời hạn kỷ luật " + form.map(DISCIPLINE_FORM).fillna("").str.lower()
               + np.where(far, "", " (đến " + dates_vi(until) + ")")).to_numpy(dtype=object)
        add("discipline", c_bad[ci], lambda idx: txt[ci[idx]])

    notes: list[str] = []
    if rules.current_rotation.enabled and "rotation.min_duration_years" not in params:
        notes.append("Quy tắc thời gian luân chuyển tối thiểu chưa có hiệu lực vào ngày áp dụng nên không xét.")
    elif rules.current_rotation.enabled:
        years = params.get("rotation.min_duration_years")
        since = pd.to_datetime(cands["rotation_since"])
        c_bad = since.notna().to_numpy()
        txt = ("đang luân chuyển từ " + dates_vi(since)
               + f", chưa đủ {_fmt([years])[0]} năm").to_numpy(dtype=object)
        add("current_rotation", c_bad[ci], lambda idx: txt[ci[idx]])

    if rules.years_left.enabled:
        need = float(params.get("rotation.min_years_left"))
        left = cands["years_left"].to_numpy(dtype=float)
        need_pair = np.full(n, need)
        one_term = np.zeros(n, bool)
        if rules.years_left.one_term_exception and "rotation.one_term_exception" in params:
            ex = params.get("rotation.one_term_exception")
            term_years = float(params.get("term.length_years"))
            p_level = np.where(posts["commune_id"].isna().to_numpy(), "huyen", "xa")
            p_ok = posts["title"].isin(list(ex["titles"])).to_numpy() & np.isin(p_level, list(ex["levels"]))
            c_ok = np.zeros(nc, bool)
            if ex.get("two_terms_heads") and "management.two_terms_trigger" in params:
                terms = float(params.get("management.two_terms_trigger")["max_consecutive_terms"])
                head = cands["head_months"] if "head_months" in cands.columns else pd.Series(np.nan, index=cands.index)
                c_ok = head.to_numpy(dtype=float) >= terms * term_years * 12.0
            one_term = p_ok[pi] | c_ok[ci]
            need_pair = np.where(one_term, float(ex["terms"]) * term_years, need)
        c_bad = ~(left[ci] >= need_pair - 1e-9)
        missing = np.isnan(left)
        need_txt = _fmt(need_pair)

        def left_text(idx):
            base = np.where(missing[ci[idx]], "thiếu ngày sinh hoặc giới tính để tính thời gian công tác còn lại",
                            "còn " + _fmt(left)[ci[idx]] + " năm công tác, cần ít nhất " + need_txt[idx] + " năm")
            return np.where(one_term[idx] & ~missing[ci[idx]], base + " (trọn một nhiệm kỳ)", base).astype(object)

        add("years_left", c_bad, left_text)

    if rules.seniority.enabled:
        table = params.get("rotation.seniority") or {}
        need_years = posts["title"].map({k: v.get("min_years_service", 0) for k, v in table.items()})
        need_rank = posts["title"].map({k: v.get("min_rank", 0) for k, v in table.items()})
        ny = need_years.fillna(0).to_numpy(dtype=float)
        nr = need_rank.fillna(0).to_numpy(dtype=float)
        ys = cands["years_service"].to_numpy(dtype=float)
        rk = cands["current_rank"].to_numpy(dtype=float)
        bad_years = ~(ys[ci] >= ny[pi]) & (ny[pi] > 0)
        bad_rank = rk[ci] < nr[pi]
        ys_txt = np.where(np.isnan(ys), "chưa có ngày bắt đầu công tác", "mới có " + _fmt(ys) + " năm công tác")
        cur = cands["current_title"].map(TITLE).fillna("chưa giữ chức danh").to_numpy(dtype=object)
        ny_txt, nr_txt = _fmt(ny, 0), _fmt(nr, 0)
        mask = bad_years | bad_rank

        def sen_text(idx):
            a = np.where(bad_years[idx], ys_txt[ci[idx]].astype(object) + ", chức danh "
                         + p_label[pi[idx]] + " cần " + ny_txt[pi[idx]] + " năm", "")
            b = np.where(bad_rank[idx], "chức danh hiện tại (" + cur[ci[idx]] + ") chưa đạt bậc "
                         + nr_txt[pi[idx]] + " yêu cầu cho " + p_label[pi[idx]], "")
            return np.where((a != "") & (b != ""), a + "; " + b, a + b).astype(object)

        add("seniority", mask, sen_text)

    warn: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def add_warning(rule: str, mask: np.ndarray, text) -> None:
        idx = np.flatnonzero(mask)
        arr = np.empty(len(idx), dtype=object)
        arr[:] = text(idx) if callable(text) else text
        warn[rule] = (idx, arr)

    if rules.higher.enabled and successor_of:
        notes.append("Nguyên tắc chức vụ tương đương không áp dụng cho sắp xếp nhân sự khi sáp nhập đơn vị.")
    elif rules.higher.enabled and "rotation.higher_post" not in params:
        notes.append("Nguyên tắc chức vụ tương đương (chức vụ cao hơn chỉ với cán bộ nổi trội) chưa có hiệu lực "
                     "vào ngày áp dụng nên không xét.")
    elif rules.higher.enabled:
        cfg = params.get("rotation.higher_post")
        ranks = params.get("rotation.title_rank")
        p_rank = posts["title"].map(ranks).fillna(0).to_numpy(dtype=float)
        c_rank = cands["current_rank"].to_numpy(dtype=float)
        higher = p_rank[pi] > c_rank[ci] + float(cfg["max_rank_step"])
        outstanding = (cands["outstanding"].fillna(False).to_numpy(dtype=bool) if "outstanding" in cands.columns
                       else np.zeros(nc, bool))
        plans = cands["planned_titles"] if "planned_titles" in cands.columns else pd.Series([()] * nc)
        planned = pd.MultiIndex.from_tuples(
            [(c, t) for c, ts in zip(cands["cadre_id"], plans, strict=True) for t in ts],
            names=["cadre_id", "title"]) if plans.map(len).sum() else None
        p_title = posts["title"].to_numpy(dtype=object)
        is_planned = (pd.MultiIndex.from_arrays([c_id[ci], p_title[pi]]).isin(planned) if planned is not None
                      else np.zeros(n, bool))
        mask = higher & ~outstanding[ci] & ~is_planned
        cur = cands["current_title"].map(TITLE).fillna("chưa giữ chức danh").to_numpy(dtype=object)
        yrs = int(cfg["outstanding_years"])

        def higher_text(idx):
            return ("chức vụ " + p_label[pi[idx]] + " cao hơn chức vụ hiện tại (" + cur[ci[idx]]
                    + f"), chưa có {yrs} năm liền xếp loại hoàn thành xuất sắc, không trong quy hoạch chức danh này"
                    ).astype(object)

        if rules.higher.absolute:
            add("higher", mask, higher_text)
        else:
            add_warning("higher", mask, higher_text)

    if rules.young.enabled:
        limit = int(params.get("rotation.young_age_limit"))
        age = cands["age"].to_numpy(dtype=float)
        c_young = age < limit
        p_head = ~posts["deputy"].to_numpy(dtype=bool)
        txt = (_fmt(age, 0) + f" tuổi (dưới {limit}): cán bộ trẻ chỉ bố trí cấp phó").astype(object)
        add("young", c_young[ci] & p_head[pi], lambda idx: txt[ci[idx]])

    if rules.home.enabled:
        p_comm = posts["commune_id"].to_numpy(dtype=object)
        home = cands["home_unit_id"].to_numpy(dtype=object)
        here = cands["source_commune"].to_numpy(dtype=object)
        c_unit = cands["unit_id"].to_numpy(dtype=object)
        m_home = (home[ci] == p_comm[pi]) if rules.home.home_commune else np.zeros(n, bool)
        m_here = ((here[ci] == p_comm[pi]) | (c_unit[ci] == posts["unit_id"].to_numpy(dtype=object)[pi])) \
            if rules.home.current_unit else np.zeros(n, bool)
        m_home &= pd.notna(p_comm[pi])

        def home_text(idx):
            a = np.where(m_home[idx], "quê quán tại " + p_name[pi[idx]], "")
            b = np.where(m_here[idx], "đang công tác tại " + p_name[pi[idx]], "")
            return np.where((a != "") & (b != ""), a + "; " + b, a + b).astype(object)

        if rules.home.absolute:
            add("home", m_home | m_here, home_text)
        else:  # the home commune is a policy, not an absolute rule (review L7): a warning
            add("home", m_here, home_text)
            add_warning("home", m_home & ~m_here,
                        lambda idx: ("quê quán tại " + p_name[pi[idx]] + " (chủ trương không bố trí về quê)").astype(object))

    named = np.zeros(n, bool)
    if rules.relatives.enabled and relatives is not None and len(relatives) and holders is not None \
            and "relatives.linked_posts" in params and "relatives.definition" in params:
        named, named_txt = _named_pairs(c_id, posts, params, relatives,
                                        holdings if holdings is not None else holders, units, ci, pi)
        add("relatives", named, lambda idx: named_txt[idx])
    elif rules.relatives.enabled and not rules.relatives.absolute:
        notes.append("Quy định các cặp chức vụ người thân không được cùng đảm nhiệm chưa có hiệu lực vào ngày áp "
                     "dụng: người thân giữ chức chủ chốt tại xã chỉ là lưu ý cần xem xét.")
    if rules.relatives.enabled and relatives is not None and len(relatives) and holders is not None:
        cfg = params.get("rotation.relative_relations")
        graph = relatives_graph(relatives)
        rp = related_pairs(graph, relations=cfg["relations"], include_derived=bool(cfg["include_derived"]))
        rp = rp[rp["cadre_id"].isin(c_id)]
        conf = rp.merge(holders, left_on="relative_id", right_on="holder_id")
        mask = np.zeros(n, bool)
        txt_all = np.empty(n, dtype=object)
        if len(conf):
            cidx = pd.Series(np.arange(nc), index=c_id)
            pframe = pd.DataFrame({"pidx": np.arange(npost), "commune_id": posts["commune_id"].to_numpy(),
                                   "post_id": posts["post_id"].to_numpy()})
            hit = conf.merge(pframe, on="commune_id")
            hit = hit[hit["position_id"] != hit["post_id"]]
            # int64 even when no relative sits in a target commune (empty frame: object dtype otherwise)
            hit["pair"] = (hit["cadre_id"].map(cidx).to_numpy(dtype=np.int64) * npost
                           + hit["pidx"].to_numpy(dtype=np.int64))
            hit["txt"] = ("có người thân (" + hit["relation"].map(RELATION).str.lower()
                          + np.where(hit["derived"], " (suy ra)", "") + " " + hit["relative_id"]
                          + ") đang giữ chức " + hit["title"].map(TITLE).fillna(hit["title"]) + " tại xã")
            hit = hit.sort_values(["pair", "relative_id"], kind="mergesort")
            joined = hit.groupby("pair", sort=True)["txt"].agg("; ".join)
            mask[joined.index.to_numpy()] = True
            txt_all[joined.index.to_numpy()] = joined.to_numpy()
        if rules.relatives.absolute:
            if named.any():
                idx0, arr0 = texts["relatives"]
                txt_all[idx0] = np.where(mask[idx0], txt_all[idx0] + "; " + arr0, arr0)
            add("relatives", mask | named, lambda idx: txt_all[idx])
        else:
            add_warning("relatives", mask & ~named, lambda idx: txt_all[idx])
    if "relatives" not in fails:
        fails["relatives"] = np.zeros(n, bool)

    if successor_of and rules.successor.enabled:
        succ = cands["source_commune"].map(successor_of).to_numpy(dtype=object)
        p_comm = posts["commune_id"].to_numpy(dtype=object)
        free = (cands["any_successor"].to_numpy(dtype=bool) if "any_successor" in cands.columns
                else np.zeros(nc, bool))  # cadres of abolished district bodies: any new commune
        mask = (succ[ci] != p_comm[pi]) & ~free[ci]
        add("successor", mask, lambda idx: "đơn vị cũ không sáp nhập vào " + p_name[pi[idx]])
    else:
        fails["successor"] = np.zeros(n, bool)

    reasons = np.full(n, "", dtype=object)
    count = np.zeros(n, dtype=np.int64)
    for rule in RULES:
        if rule not in texts:
            continue
        idx, arr = texts[rule]
        if len(idx):
            sep = np.where(count[idx] > 0, "; ", "").astype(object)
            reasons[idx] = reasons[idx] + sep + arr
            count[idx] += 1
    warnings = np.full(n, "", dtype=object)
    for rule in WARNING_RULES:
        if rule not in warn:
            continue
        idx, arr = warn[rule]
        if len(idx):
            sep = np.where(warnings[idx] != "", "; ", "").astype(object)
            warnings[idx] = warnings[idx] + sep + arr
    out = pd.DataFrame({"cadre_id": c_id[ci], "post_id": posts["post_id"].to_numpy(dtype=object)[pi],
                        "eligible": count == 0, "n_reasons": count, "reasons": reasons, "warnings": warnings})
    for rule in RULES:
        out[f"fail_{rule}"] = fails.get(rule, np.zeros(n, bool))
    for rule in WARNING_RULES:
        flag = np.zeros(n, bool)
        if rule in warn:
            flag[warn[rule][0]] = True
        out[f"warn_{rule}"] = flag
    out.attrs["notes"] = notes
    return out


def _named_pairs(c_id, posts, params, relatives, holders, units, ci, pi):
    """Pairs where a relative (``relatives.definition``) holds a post the regulations name with the target post.

    The candidate is placed in the target post (a proposed holding) and matched,
    rule by rule of ``relatives.linked_posts``, against the posts the relatives
    hold (:func:`kimson_ds.rules.linked_posts.match_rule`).
    """
    from kimson_ds.rules.linked_posts import annotate_holdings, match_rule, unit_scopes
    from kimson_ds.rules.relatives import relatives_in_force

    n = len(ci)
    npost = len(posts)
    mask = np.zeros(n, bool)
    txt = np.empty(n, dtype=object)
    links = relatives_in_force(relatives, params)
    links = links[links["cadre_id"].isin(c_id)]
    if units is None or not len(links):
        return mask, txt
    scopes = unit_scopes(units)
    organs = params.get("vetting.title_organ") if "vetting.title_organ" in params else {}
    c_ix = pd.Series(np.arange(len(c_id)), index=pd.Index(c_id))
    # candidate side: every (candidate with a relative, target post) as a proposed holding
    who = np.unique(links["cadre_id"].to_numpy(dtype=object))
    a = pd.DataFrame({"cadre_id": np.repeat(who, npost), "position_id": np.tile(posts["post_id"].to_numpy(), len(who)),
                      "title": np.tile(posts["title"].to_numpy(), len(who)),
                      "unit_id": np.tile(posts["unit_id"].to_numpy(), len(who))})
    a["pidx"] = np.tile(np.arange(npost), len(who))
    ha = annotate_holdings(a, scopes, organs)
    hb = annotate_holdings(_holder_units(holders), scopes, organs)
    hits = []
    for rule in params.get("relatives.linked_posts") or []:  # a handful of rules
        for left, right in ((ha, hb), (hb, ha)) if rule.get("with_titles") else ((ha, hb),):
            m = match_rule(left, right, links if left is ha else _inverse(links), rule)
            if m.empty:
                continue
            if left is ha:
                m = m.assign(cand=m["cadre_id_a"], rel=m["cadre_id_b"], held=m["position_id_b"],
                             held_title=m["title_b"])
            else:
                m = m.assign(cand=m["cadre_id_b"], rel=m["cadre_id_a"], held=m["position_id_a"],
                             held_title=m["title_a"])
            m = m.loc[m["held"] != posts["post_id"].to_numpy()[m["pidx"].astype(int).to_numpy()]]
            hits.append(m[["cand", "pidx", "rel", "held_title"]].assign(
                rule_vi=" ".join(str(rule.get("description_vi", "")).split()), ref=str(rule.get("reference", ""))))
    if not hits:
        return mask, txt
    h = pd.concat(hits, ignore_index=True).drop_duplicates(["cand", "pidx", "rel", "rule_vi"])
    h["pair"] = h["cand"].map(c_ix).to_numpy(dtype=np.int64) * npost + h["pidx"].to_numpy(dtype=np.int64)
    h["txt"] = ("người thân " + h["rel"] + " đang giữ chức " + h["held_title"].map(TITLE).fillna(h["held_title"])
                + " — vi phạm: " + h["rule_vi"] + " (" + h["ref"] + ")")
    h = h.sort_values(["pair", "rel", "txt"], kind="mergesort")
    joined = h.groupby("pair", sort=True)["txt"].agg("; ".join)
    mask[joined.index.to_numpy()] = True
    txt[joined.index.to_numpy()] = joined.to_numpy()
    return mask, txt


def _holder_units(holders: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"cadre_id": holders["holder_id"].to_numpy(), "position_id": holders["position_id"].to_numpy(),
                         "title": holders["title"].to_numpy(), "unit_id": holders["unit_id"].to_numpy()})


def _inverse(links: pd.DataFrame) -> pd.DataFrame:
    return links.rename(columns={"cadre_id": "relative_id", "relative_id": "cadre_id"})


#: Vietnamese headers of :func:`describe` (every header a user reads is Vietnamese).
DESCRIBE_COLUMNS = {
    "cadre_id": "Mã cán bộ",
    "full_name": "Họ và tên",
    "gender": "Giới tính",
    "post_id": "Mã vị trí",
    "unit_id": "Mã đơn vị",
    "unit_name": "Xã, thị trấn",
    "title": "Mã chức danh",
    "title_label": "Chức danh",
    "eligible": "Đủ điều kiện",
    "reasons": "Lý do không đủ điều kiện",
    "warnings": "Cần xem xét",
}


def describe(table: pd.DataFrame, cands: pd.DataFrame, posts: pd.DataFrame) -> pd.DataFrame:
    """The eligibility table for display and export: Vietnamese headers and labels.

    Codes are translated with :mod:`kimson_ds.data.codes` (gender ``nam`` → "Nam");
    the id and code columns are kept ("Mã cán bộ", "Mã vị trí", "Mã đơn vị",
    "Mã chức danh"). ``eligible`` stays boolean (``rotation.vietnamese`` and
    the notebooks write it as có/không).

    Returns
    -------
    DataFrame
        Columns :data:`DESCRIBE_COLUMNS` (values), one row per candidate–post pair.
    """
    cols = ["cadre_id", "post_id", "eligible", "reasons"] + (["warnings"] if "warnings" in table.columns else [])
    out = table[cols].merge(
        cands[["cadre_id", "full_name", "gender"]], on="cadre_id", how="left").merge(
        posts[["post_id", "unit_id", "unit_name", "title", "title_label"]], on="post_id", how="left")
    out["gender"] = out["gender"].map(GENDER).fillna(out["gender"])
    return out[[c for c in DESCRIBE_COLUMNS if c in out.columns]].rename(columns=DESCRIBE_COLUMNS)


#: Vietnamese names of the rules that exclude a candidate–post pair (``fail_<rule>`` columns).
EXCLUSION_LABELS = {
    "holder": "Đang giữ chính vị trí",
    "ban": "Cặp cấm",
    "discipline": "Đang bị kỷ luật",
    "current_rotation": "Đang luân chuyển chưa đủ thời gian",
    "years_left": "Không đủ số năm công tác còn lại",
    "seniority": "Chưa đủ thâm niên, bậc chức danh",
    "higher": "Chức vụ cao hơn, chưa nổi trội",
    "young": "Cán bộ trẻ chỉ làm cấp phó",
    "home": "Quê quán, nơi đang công tác",
    "relatives": "Người thân giữ chức vụ liên quan",
    "successor": "Không thuộc xã cũ sáp nhập",
}


def exclusion_counts(elig: pd.DataFrame) -> pd.Series:
    """How many candidate–post pairs each rule excludes, with Vietnamese rule names.

    Parameters
    ----------
    elig : DataFrame
        The eligibility table (its boolean ``fail_<rule>`` columns).

    Returns
    -------
    Series
        Counts > 0, indexed by the rule's Vietnamese name, ascending.
    """
    flags = [c for c in elig.columns if c.startswith("fail_")]
    counts = elig[flags].sum().rename(lambda c: c.removeprefix("fail_"))
    counts = counts[counts > 0]
    return counts.rename(index=lambda r: EXCLUSION_LABELS.get(r, r)).sort_values()
