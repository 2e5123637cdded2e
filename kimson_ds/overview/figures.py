"""Descriptive overview of the cadre corps on a given date (notebook 00).

Pure functions over the dataset's DataFrames: no file or network I/O. Every
function takes ``as_of``; regulation numbers (term length, age-cohort bounds,
retirement ages) come from :mod:`kimson_ds.rules.parameters` and
:mod:`kimson_ds.rules.retirement`. Functions whose name ends in ``_table`` or that
return display tables use Vietnamese column names; the ``plot_*`` helpers
return a :class:`matplotlib.figure.Figure` (not managed by pyplot) with
Vietnamese labels, to be shown with :func:`kimson_ds.papers.report.show_figure`.

Population
----------
*Units* count on ``as_of`` when ``valid_from <= as_of <= valid_to`` (an empty
bound is open). *Active cadres* are those whose work unit counts on ``as_of``,
who were born on or before ``as_of`` and who have not reached retirement
(``retirement_date > as_of``).

Terms
-----
Terms of office are ``term.length_years`` long and aligned on
:data:`TERM_ANCHOR_YEAR` (… 2015–2020, 2020–2025, 2025–2030 …). The term
*containing* ``as_of`` is the one whose start year is ``<= as_of.year`` and
whose end year is ``> as_of.year`` (so 2020 belongs to 2020–2025). A term
``a–b`` is taken to end on 31 December of year ``b`` (congresses are held
during year ``b``; counting the whole year errs on the side of flagging).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from kimson_ds.data import codes
from kimson_ds.rules.parameters import ParameterSet, parameters
from kimson_ds.rules.retirement import retirement_date

#: A year in which a term of office starts (the 2020–2025 term).
TERM_ANCHOR_YEAR = 2020

#: Width (years) of the bands of the age pyramid (a display choice, not a rule).
AGE_BAND_YEARS = 5

_QUAL_TITLES = {
    "education": "Trình độ chuyên môn",
    "political_theory": "Lý luận chính trị",
    "state_mgmt": "Quản lý nhà nước",
}


# --------------------------------------------------------------------- basics
def _ts(as_of) -> pd.Timestamp:
    return pd.Timestamp(as_of).normalize()


def _params(P: ParameterSet | None, as_of) -> ParameterSet:
    return P if P is not None else parameters(_ts(as_of).date())


def valid_units(units: pd.DataFrame, as_of) -> pd.DataFrame:
    """Units that exist on ``as_of`` (``valid_from <= as_of <= valid_to``, empty = open).

    Parameters
    ----------
    units : DataFrame
        Columns ``unit_id``, ``valid_from``, ``valid_to`` (dates, may be NaT).
    as_of : date-like

    Returns
    -------
    DataFrame
        The rows of ``units`` valid on ``as_of``.
    """
    day = _ts(as_of)
    vf = pd.to_datetime(units["valid_from"]) if "valid_from" in units else pd.Series(pd.NaT, index=units.index)
    vt = pd.to_datetime(units["valid_to"]) if "valid_to" in units else pd.Series(pd.NaT, index=units.index)
    ok = (vf.isna() | (vf <= day)) & (vt.isna() | (vt >= day))
    return units.loc[ok]


def age_years(birth_date: pd.Series, as_of) -> pd.Series:
    """Completed years of age on ``as_of`` (vectorised; NaT gives <NA>)."""
    day = _ts(as_of)
    b = pd.to_datetime(birth_date)
    before_birthday = (b.dt.month > day.month) | ((b.dt.month == day.month) & (b.dt.day > day.day))
    age = day.year - b.dt.year - before_birthday.astype(int)
    return age.astype("Int64")


def _retirement_dates(cadres: pd.DataFrame, P: ParameterSet | None = None) -> pd.Series:
    if cadres.empty:
        return pd.Series(pd.NaT, index=cadres.index, dtype="datetime64[ns]")
    out = retirement_date(pd.to_datetime(cadres["birth_date"]), cadres["gender"], P)
    return pd.to_datetime(pd.Series(out, index=cadres.index))


def active_cadres(cadres: pd.DataFrame, units: pd.DataFrame, as_of, P: ParameterSet | None = None) -> pd.DataFrame:
    """Cadres at work on ``as_of``, with ``age`` and ``retirement_date`` added.

    A cadre is active when the work unit exists on ``as_of``, the birth date
    is on or before ``as_of`` and the retirement date (Nghị định 135/2020
    roadmap, :func:`kimson_ds.rules.retirement.retirement_date`) is after ``as_of``.

    Parameters
    ----------
    cadres : DataFrame
        Columns ``cadre_id``, ``gender``, ``birth_date``, ``unit_id``.
    units : DataFrame
        The units table.
    as_of : date-like
    P : ParameterSet, optional
        Records the retirement-age parameters read.

    Returns
    -------
    DataFrame
        The active rows with extra columns ``age`` (Int64) and
        ``retirement_date``.
    """
    day = _ts(as_of)
    live = set(valid_units(units, day)["unit_id"])
    out = cadres.loc[cadres["unit_id"].isin(live) & (pd.to_datetime(cadres["birth_date"]) <= day)].copy()
    out["retirement_date"] = _retirement_dates(out, P)
    out = out.loc[out["retirement_date"] > day]
    out["age"] = age_years(out["birth_date"], day)
    return out


def _pct(part, whole) -> float:
    return round(100.0 * part / whole, 1) if whole else float("nan")


# --------------------------------------------------------------------- units and posts
def unit_summary(units: pd.DataFrame, positions: pd.DataFrame, cadres: pd.DataFrame, as_of,
                 P: ParameterSet | None = None) -> pd.DataFrame:
    """Units, posts, vacant posts and active cadres by kind of unit on ``as_of``.

    Returns
    -------
    DataFrame
        Columns ``Loại đơn vị``, ``Số đơn vị``, ``Số vị trí chức danh``,
        ``Vị trí khuyết``, ``Số cán bộ``, one row per kind (in the order of
        :data:`kimson_ds.data.codes.UNIT_KIND`) plus a ``Tổng cộng`` row.
    """
    live = valid_units(units, as_of)
    kinds = list(codes.UNIT_KIND)
    pos = positions.merge(live[["unit_id", "kind"]], on="unit_id", how="inner")
    act = active_cadres(cadres, units, as_of, P).merge(live[["unit_id", "kind"]], on="unit_id", how="inner")
    table = pd.DataFrame(
        {
            "Số đơn vị": live.groupby("kind").size(),
            "Số vị trí chức danh": pos.groupby("kind").size(),
            "Vị trí khuyết": pos.loc[pos["holder_id"].isna()].groupby("kind").size(),
            "Số cán bộ": act.groupby("kind").size(),
        }
    ).reindex(kinds).fillna(0).astype(int)
    table = table.loc[table.sum(axis=1) > 0]
    table.loc["Tổng cộng"] = table.sum()
    table.index = [codes.UNIT_KIND.get(k, k) for k in table.index]
    return table.rename_axis("Loại đơn vị").reset_index()


def position_counts(units: pd.DataFrame, positions: pd.DataFrame, as_of) -> pd.DataFrame:
    """Posts by kind of unit and title on ``as_of`` (units valid on that day only).

    Returns
    -------
    DataFrame
        Columns ``Loại đơn vị``, ``Chức danh``, ``Số vị trí``, ``Có người giữ``,
        ``Khuyết``, ``Chủ chốt``; ordered by unit kind then title as in
        :mod:`kimson_ds.data.codes`.
    """
    live = valid_units(units, as_of)[["unit_id", "kind"]]
    pos = positions.merge(live, on="unit_id", how="inner")
    cols = ["Loại đơn vị", "Chức danh", "Số vị trí", "Có người giữ", "Khuyết", "Chủ chốt"]
    if pos.empty:
        return pd.DataFrame(columns=cols)
    pos = pos.assign(held=pos["holder_id"].notna(), key=pos["is_key"].astype(bool))
    g = pos.groupby(["kind", "title"]).agg(n=("position_id", "size"), held=("held", "sum"), key=("key", "sum"))
    g = g.reset_index()
    g["kind_order"] = g["kind"].map({k: i for i, k in enumerate(codes.UNIT_KIND)})
    g["title_order"] = g["title"].map({k: i for i, k in enumerate(codes.TITLE)})
    g = g.sort_values(["kind_order", "title_order"], kind="stable")
    return pd.DataFrame(
        {
            "Loại đơn vị": g["kind"].map(codes.UNIT_KIND),
            "Chức danh": g["title"].map(codes.TITLE),
            "Số vị trí": g["n"].astype(int),
            "Có người giữ": g["held"].astype(int),
            "Khuyết": (g["n"] - g["held"]).astype(int),
            "Chủ chốt": g["key"].astype(int),
        }
    ).reset_index(drop=True)


def vacancies(units: pd.DataFrame, positions: pd.DataFrame, cadres: pd.DataFrame, as_of,
              P: ParameterSet | None = None) -> pd.DataFrame:
    """Posts without a serving holder on ``as_of``, with unit and title labels.

    A post is vacant when it has no holder, or when its holder has reached
    retirement by ``as_of`` (the data are a snapshot; the reason column says
    which).

    Returns
    -------
    DataFrame
        Columns ``Mã chức danh``, ``Đơn vị``, ``Loại đơn vị``, ``Chức danh``,
        ``Chủ chốt`` (``Có``/``Không``), ``Lý do``; sorted by unit kind, unit
        name and title.
    """
    day = _ts(as_of)
    live = valid_units(units, day)[["unit_id", "name", "kind"]]
    pos = positions.merge(live, on="unit_id", how="inner")
    holders = cadres.loc[cadres["cadre_id"].isin(pos["holder_id"].dropna())].copy()
    holders["retirement_date"] = _retirement_dates(holders, P)
    retired = set(holders.loc[holders["retirement_date"] <= day, "cadre_id"])
    no_holder = pos["holder_id"].isna()
    gone = pos["holder_id"].isin(retired)
    out = pos.loc[no_holder | gone].copy()
    out["reason"] = np.where(out["holder_id"].isna(), "Chưa có người giữ", "Người giữ chức đã đến tuổi nghỉ hưu")
    out["kind_order"] = out["kind"].map({k: i for i, k in enumerate(codes.UNIT_KIND)})
    out["title_order"] = out["title"].map({k: i for i, k in enumerate(codes.TITLE)})
    out = out.sort_values(["kind_order", "name", "title_order", "position_id"], kind="stable")
    return pd.DataFrame(
        {
            "Mã chức danh": out["position_id"],
            "Đơn vị": out["name"],
            "Loại đơn vị": out["kind"].map(codes.UNIT_KIND),
            "Chức danh": out["title"].map(codes.TITLE),
            "Chủ chốt": np.where(out["is_key"].astype(bool), "Có", "Không"),
            "Lý do": out["reason"],
        }
    ).reset_index(drop=True)


# --------------------------------------------------------------------- ages
def age_pyramid(cadres: pd.DataFrame, as_of, *, band: int = AGE_BAND_YEARS) -> pd.DataFrame:
    """Head counts by age band and gender on ``as_of``.

    Parameters
    ----------
    cadres : DataFrame
        Columns ``gender`` and ``birth_date`` (typically :func:`active_cadres`).
    as_of : date-like
    band : int
        Width of a band in years (bands start at multiples of ``band``).

    Returns
    -------
    DataFrame
        Columns ``Nhóm tuổi`` (e.g. ``"40–44"``), ``Nam``, ``Nữ``, ``Tổng``;
        youngest band first; every band between the youngest and the oldest
        person appears, empty ones with 0.
    """
    cols = ["Nhóm tuổi", "Nam", "Nữ", "Tổng"]
    age = age_years(cadres["birth_date"], as_of)
    ok = age.notna()
    if not ok.any():
        return pd.DataFrame(columns=cols)
    age = age[ok].astype(int)
    start = age // band * band
    counts = pd.crosstab(start, cadres.loc[ok, "gender"]).reindex(columns=["nam", "nu"], fill_value=0)
    bands = np.arange(start.min(), start.max() + band, band)
    counts = counts.reindex(bands, fill_value=0)
    return pd.DataFrame(
        {
            "Nhóm tuổi": [f"{b}–{b + band - 1}" for b in bands],
            "Nam": counts["nam"].to_numpy(dtype=int),
            "Nữ": counts["nu"].to_numpy(dtype=int),
            "Tổng": (counts["nam"] + counts["nu"]).to_numpy(dtype=int),
        }
    )


def age_cohorts(cadres: pd.DataFrame, as_of, P: ParameterSet | None = None, *, bounds: dict | None = None) -> pd.DataFrame:
    """Shares of the three age cohorts on ``as_of``.

    Cohort 1 is ``age < young_max``, cohort 2 ``young_max <= age <= middle_max``,
    cohort 3 ``age > middle_max`` (ages in completed years). The bounds come
    from ``planning.age_cohort_bounds`` (an ASSUMPTION) unless ``bounds`` is
    given.

    Parameters
    ----------
    cadres : DataFrame
        Column ``birth_date``.
    as_of : date-like
    P : ParameterSet, optional
        Parameters to read (and record) the bounds from; default
        ``parameters(as_of)``.
    bounds : dict, optional
        ``{"young_max": int, "middle_max": int}`` overriding the parameter.

    Returns
    -------
    DataFrame
        Columns ``Độ tuổi``, ``Số người``, ``Tỷ lệ (%)`` (one decimal), three rows.
    """
    if bounds is None:
        bounds = _params(P, as_of)["planning.age_cohort_bounds"]
    lo, hi = int(bounds["young_max"]), int(bounds["middle_max"])
    age = age_years(cadres["birth_date"], as_of).dropna().astype(int)
    n = np.array([(age < lo).sum(), ((age >= lo) & (age <= hi)).sum(), (age > hi).sum()], dtype=int)
    total = int(n.sum())
    return pd.DataFrame(
        {
            "Độ tuổi": [f"Dưới {lo} tuổi", f"Từ {lo} đến {hi} tuổi", f"Trên {hi} tuổi"],
            "Số người": n,
            "Tỷ lệ (%)": [_pct(x, total) for x in n],
        }
    )


def women_share(cadres: pd.DataFrame, positions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Women's share in the whole group, among BTV-managed cadres and among key-post holders.

    Parameters
    ----------
    cadres : DataFrame
        Columns ``cadre_id``, ``gender``, ``managed_by_btv`` (typically
        :func:`active_cadres` on the date of interest).
    positions : DataFrame, optional
        Columns ``holder_id``, ``is_key``; adds the key-post row.

    Returns
    -------
    DataFrame
        Columns ``Nhóm``, ``Tổng số``, ``Nữ``, ``Tỷ lệ nữ (%)``.
    """
    groups = [("Toàn bộ cán bộ", pd.Series(True, index=cadres.index))]
    if "managed_by_btv" in cadres:
        groups.append(("Cán bộ diện Ban Thường vụ quản lý", cadres["managed_by_btv"].astype(bool)))
    if positions is not None:
        key_holders = positions.loc[positions["is_key"].astype(bool), "holder_id"].dropna()
        groups.append(("Cán bộ giữ chức danh chủ chốt", cadres["cadre_id"].isin(key_holders)))
    is_woman = cadres["gender"].eq("nu")
    rows = []
    for name, mask in groups:
        total, women = int(mask.sum()), int((mask & is_woman).sum())
        rows.append({"Nhóm": name, "Tổng số": total, "Nữ": women, "Tỷ lệ nữ (%)": _pct(women, total)})
    return pd.DataFrame(rows, columns=["Nhóm", "Tổng số", "Nữ", "Tỷ lệ nữ (%)"])


# --------------------------------------------------------------------- qualifications
def qualification_distribution(cadres: pd.DataFrame, field: str) -> pd.DataFrame:
    """Head counts by level of one qualification, in ladder order (lowest first).

    Parameters
    ----------
    cadres : DataFrame
        Column ``field``.
    field : {"education", "political_theory", "state_mgmt"}
        A ladder of :data:`kimson_ds.data.codes.LADDERS`.

    Returns
    -------
    DataFrame
        Columns ``Trình độ`` (Vietnamese label), ``Số người``, ``Tỷ lệ (%)``;
        every level of the ladder appears, then ``Chưa có thông tin`` if some
        values are empty.
    """
    ladder = codes.LADDERS[field]
    values = cadres[field]
    counts = values.value_counts().reindex(ladder, fill_value=0)
    labels = [codes.label(field, c) for c in ladder]
    n_missing = int(values.isna().sum())
    if n_missing:
        counts = pd.concat([counts, pd.Series([n_missing], index=["_missing"])])
        labels.append("Chưa có thông tin")
    total = int(counts.sum())
    return pd.DataFrame(
        {
            "Trình độ": labels,
            "Số người": counts.to_numpy(dtype=int),
            "Tỷ lệ (%)": [_pct(x, total) for x in counts.to_numpy()],
        }
    )


def qualification_title(field: str) -> str:
    """Vietnamese name of a qualification field (``"political_theory"`` → ``"Lý luận chính trị"``)."""
    return _QUAL_TITLES[field]


# --------------------------------------------------------------------- terms and retirement
@dataclass(frozen=True)
class Term:
    """A term of office: ``label`` like ``"2020–2025"``, first and last day."""

    start_year: int
    end_year: int
    start: pd.Timestamp
    end: pd.Timestamp

    @property
    def label(self) -> str:
        return f"{self.start_year}–{self.end_year}"


def term_of(as_of, P: ParameterSet | None = None, *, offset: int = 0, anchor_year: int = TERM_ANCHOR_YEAR) -> Term:
    """The term containing ``as_of`` (``offset=0``), the next one (``1``), etc.

    Terms last ``term.length_years`` and start in ``anchor_year + k * length``.
    See the module docstring for the boundary convention.
    """
    day = _ts(as_of)
    length = int(_params(P, as_of)["term.length_years"])
    start_year = anchor_year + ((day.year - anchor_year) // length + offset) * length
    end_year = start_year + length
    return Term(start_year, end_year, pd.Timestamp(dt.date(start_year, 1, 1)), pd.Timestamp(dt.date(end_year, 12, 31)))


def retiring_before_next_term_end(
    cadres: pd.DataFrame,
    units: pd.DataFrame,
    positions: pd.DataFrame,
    as_of,
    P: ParameterSet | None = None,
) -> pd.DataFrame:
    """Cadres (work unit valid on ``as_of``) who retire by the end of the next term.

    Retirement dates follow the Nghị định 135/2020 roadmap
    (:func:`kimson_ds.rules.retirement.retirement_date`). A cadre is listed when
    ``retirement_date <= end of the next term`` (31 December of its end
    year); those already retired on ``as_of`` are listed too, marked as such.

    Returns
    -------
    DataFrame
        Columns ``Mã cán bộ``, ``Họ và tên``, ``Giới tính``, ``Ngày sinh``,
        ``Đơn vị``, ``Chức danh đang giữ``, ``Ngày nghỉ hưu``, ``Thời điểm``;
        sorted by retirement date then id.
    """
    day = _ts(as_of)
    P = _params(P, as_of)
    current, nxt = term_of(day, P), term_of(day, P, offset=1)
    live = valid_units(units, day)[["unit_id", "name"]]
    c = cadres.merge(live, on="unit_id", how="inner")
    c = c.loc[pd.to_datetime(c["birth_date"]) <= day].copy()
    c["retirement_date"] = _retirement_dates(c, P)
    c = c.loc[c["retirement_date"] <= nxt.end].sort_values(["retirement_date", "cadre_id"], kind="stable")
    held = positions.loc[positions["holder_id"].isin(c["cadre_id"])].copy()
    held["title_order"] = held["title"].map({k: i for i, k in enumerate(codes.TITLE)})
    held = held.sort_values(["holder_id", "title_order", "position_id"], kind="stable")
    titles = held.assign(t=held["title"].map(codes.TITLE)).groupby("holder_id")["t"].agg(", ".join)
    when = np.select(
        [c["retirement_date"] <= day, c["retirement_date"] <= current.end],
        ["Đã đến tuổi nghỉ hưu", f"Trong nhiệm kỳ {current.label}"],
        f"Trong nhiệm kỳ {nxt.label}",
    )
    return pd.DataFrame(
        {
            "Mã cán bộ": c["cadre_id"],
            "Họ và tên": c["full_name"],
            "Giới tính": c["gender"].map(codes.GENDER),
            "Ngày sinh": pd.to_datetime(c["birth_date"]).dt.date,
            "Đơn vị": c["name"],
            "Chức danh đang giữ": c["cadre_id"].map(titles).fillna(""),
            "Ngày nghỉ hưu": c["retirement_date"].dt.date,
            "Thời điểm": when,
        }
    ).reset_index(drop=True)


# --------------------------------------------------------------------- summary
def highlights(cadres_active: pd.DataFrame, cohorts: pd.DataFrame, women: pd.DataFrame,
               vacant: pd.DataFrame, retiring: pd.DataFrame, as_of, P: ParameterSet | None = None) -> list[str]:
    """Vietnamese key findings from the tables above (for the "Phân tích" section).

    Parameters are the outputs of :func:`active_cadres`, :func:`age_cohorts`,
    :func:`women_share`, :func:`vacancies` and
    :func:`retiring_before_next_term_end`. The women's-share target of
    planning (``planning.women_share_min``) is quoted for comparison.

    Returns
    -------
    list of str
        Markdown-ready sentences.
    """
    P = _params(P, as_of)
    day = _ts(as_of)
    nxt = term_of(day, P, offset=1)
    out = [f"Ngày {day:%d/%m/%Y} có **{len(cadres_active)}** cán bộ đang công tác tại các đơn vị còn hiệu lực."]
    if len(cohorts):
        parts = "; ".join(f"{r['Độ tuổi'].lower()}: {_vn_num(r['Tỷ lệ (%)'])}%" for _, r in cohorts.iterrows())
        out.append(f"Cơ cấu ba độ tuổi — {parts}.")
    if len(women):
        all_row = women.iloc[0]
        target = P["planning.women_share_min"]
        out.append(
            f"Tỷ lệ cán bộ nữ: {_vn_num(all_row['Tỷ lệ nữ (%)'])}% "
            f"(chỉ tiêu tỷ lệ nữ trong quy hoạch áp dụng ngày này: {_vn_num(round(100 * target, 1))}%)."
        )
    key_vacant = int((vacant["Chủ chốt"] == "Có").sum()) if len(vacant) else 0
    out.append(f"Có **{len(vacant)}** vị trí khuyết, trong đó {key_vacant} vị trí chủ chốt.")
    by_when = retiring["Thời điểm"].value_counts(sort=False) if len(retiring) else pd.Series(dtype=int)
    order = pd.unique(retiring["Thời điểm"]) if len(retiring) else []
    by_when = by_when.reindex(sorted(order, key=lambda k: (not k.startswith("Đã"), k)))
    detail = "; ".join(f"{k.lower()}: {v}" for k, v in by_when.items())
    out.append(
        f"**{len(retiring)}** cán bộ đến tuổi nghỉ hưu trước khi kết thúc nhiệm kỳ {nxt.label}"
        + (f" ({detail})." if detail else ".")
    )
    return out


def _vn_num(x) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "—"
    return f"{x:.1f}".replace(".", ",")


# --------------------------------------------------------------------- charts
def plot_age_pyramid(pyramid: pd.DataFrame, title: str = "Tháp tuổi cán bộ") -> Figure:
    """Horizontal age pyramid (men left, women right) from :func:`age_pyramid`."""
    fig = Figure(figsize=(7.5, max(3.0, 0.42 * len(pyramid) + 1.4)), dpi=100)
    ax = fig.subplots()
    y = np.arange(len(pyramid))
    men = pyramid["Nam"].to_numpy(dtype=float)
    women = pyramid["Nữ"].to_numpy(dtype=float)
    ax.barh(y, -men, color="#2f6f9f", label="Nam")
    ax.barh(y, women, color="#c8553d", label="Nữ")
    ax.set_yticks(y, pyramid["Nhóm tuổi"].tolist())
    lim = max(1.0, float(np.max(np.concatenate([men, women]))) if len(pyramid) else 1.0) * 1.15
    ax.set_xlim(-lim, lim)
    # Counts: whole-number ticks only (a small dataset must not read "1 1 0 0 0 1 1").
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ticks = [t for t in ax.get_xticks() if -lim <= t <= lim]
    ax.set_xticks(ticks, [f"{abs(int(round(t)))}" for t in ticks])
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlabel("Số cán bộ")
    ax.set_ylabel("Nhóm tuổi")
    ax.set_title(title)
    ax.legend(loc="lower right", frameon=False)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_bars(table: pd.DataFrame, label_col: str, value_col: str, *, title: str = "",
              xlabel: str = "", ylabel: str = "", horizontal: bool = False, color: str = "#2f6f9f") -> Figure:
    """Bar chart of ``value_col`` by ``label_col`` with values written on the bars."""
    labels = table[label_col].astype(str).tolist()
    values = table[value_col].to_numpy(dtype=float)
    if horizontal:
        fig = Figure(figsize=(7.5, max(2.5, 0.4 * len(labels) + 1.2)), dpi=100)
    else:
        fig = Figure(figsize=(7.5, 3.8), dpi=100)
    ax = fig.subplots()
    pos = np.arange(len(labels))
    if horizontal:
        bars = ax.barh(pos, values, color=color)
        ax.set_yticks(pos, labels)
        ax.invert_yaxis()
    else:
        bars = ax.bar(pos, values, color=color)
        ax.set_xticks(pos, labels, rotation=20 if max((len(s) for s in labels), default=0) > 12 else 0,
                      ha="right" if max((len(s) for s in labels), default=0) > 12 else "center")
    ax.bar_label(bars, labels=[f"{v:g}".replace(".", ",") for v in values], padding=2, fontsize=9)
    if len(values) and np.all(np.mod(values, 1) == 0):  # counts: whole-number axis
        (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MaxNLocator(integer=True))
    ax.margins(**({"x": 0.08} if horizontal else {"y": 0.1}))
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(axis="x" if horizontal else "y", alpha=0.3)
    ax.set_axisbelow(True)
    fig.tight_layout()
    return fig
