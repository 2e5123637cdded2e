"""Reconstruct the state on any date from the work history (quá trình công tác).

Every function is vectorised (boolean masks over whole tables): a province-size
history (20 000 cadres × 10 holdings) is reconstructed in well under a second
(``benchmarks/history.py``).

Two modes
---------
* ``lich_su`` — the dataset has a ``work_history`` table: holders, their start
  dates and each cadre's unit on a date come from it;
* ``anh_chup`` — only the snapshot of ``positions`` (``holder_id``,
  ``holder_since``): the holders are the snapshot's whatever the date, and
  every report says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from kimson_ds.data.codes import COMMUNE_KINDS, MANAGING_BODY
from kimson_ds.rules.competence import competence

#: Vietnamese names of the two modes, for reports.
MODE_VI = {
    "lich_su": "dựng lại từ quá trình công tác",
    "anh_chup": "ảnh chụp bảng chức danh (không có quá trình công tác)",
}

#: Short names of the two modes ("lịch sử công tác" or "ảnh chụp"), for run records and headings.
MODE_LABEL = {"lich_su": "lịch sử công tác", "anh_chup": "ảnh chụp"}


def _ts(as_of) -> pd.Timestamp:
    return pd.Timestamp(as_of).normalize()


def history_mode(ds) -> str:
    """``"lich_su"`` when the dataset has a non-empty work history, else ``"anh_chup"``."""
    wh = ds.tables.get("work_history")
    return "lich_su" if wh is not None and len(wh) else "anh_chup"


def in_force(start: pd.Series, end: pd.Series, as_of) -> pd.Series:
    """Mask of rows whose ``[start, end]`` (blank = open) contains ``as_of``."""
    t = _ts(as_of)
    return (start.isna() | (start <= t)) & (end.isna() | (end >= t))


def units_on(units: pd.DataFrame, as_of) -> pd.DataFrame:
    """Units in force on ``as_of`` (``valid_from`` ≤ day ≤ ``valid_to``, blanks open)."""
    return units[in_force(units["valid_from"], units["valid_to"], as_of).to_numpy()]


def holdings_on(history: pd.DataFrame, as_of) -> pd.DataFrame:
    """Holdings of the work history in force on ``as_of``."""
    return history[in_force(history["start_date"], history["end_date"], as_of).to_numpy()]


def managing_body(titles: pd.Series, unit_kinds: pd.Series, as_of) -> pd.Series:
    """Code of the body managing each (title, unit kind) on ``as_of``.

    Read from the dated parameter ``management.competence`` through
    :func:`kimson_ds.rules.competence.competence` (the district standing
    committee until 30-6-2025, the province from 1-7-2025); a title no rule
    covers is managed by its employing body (``co_quan``).
    """
    posts = pd.DataFrame({"title": titles.to_numpy(), "unit_kind": unit_kinds.to_numpy()}, index=titles.index)
    return competence(posts, _ts(as_of))["body"].fillna("co_quan").astype(object)


def successors(ds) -> pd.DataFrame:
    """Every (old unit, successor, date, share), from ``unit_successions`` or ``units.successor_unit_id``.

    A unit with several successors appears once per successor; a missing share
    is split equally among the successors of that unit.
    """
    us = ds.tables.get("unit_successions")
    units = ds["units"]
    if us is not None and len(us):
        out = us[["unit_id", "successor_unit_id", "effective_date", "share"]].copy()
    else:
        u = units[units["successor_unit_id"].notna()]
        out = pd.DataFrame({"unit_id": u["unit_id"], "successor_unit_id": u["successor_unit_id"],
                            "effective_date": u["valid_to"] + pd.Timedelta(days=1), "share": np.nan})
    n = out.groupby("unit_id")["successor_unit_id"].transform("size")
    out["share"] = out["share"].fillna(1.0 / n)
    return out.reset_index(drop=True)


@dataclass
class State:
    """The organisation on one date.

    Attributes
    ----------
    as_of : pandas.Timestamp
    mode : str
        ``lich_su`` or ``anh_chup`` (see :data:`MODE_VI`).
    units : DataFrame
        Units in force.
    positions : DataFrame
        Positions of those units with ``holder_id``/``holder_since`` on the day,
        plus ``managing_body`` (code) of the title on that day.
    holdings : DataFrame
        Holdings in force (history mode; the snapshot's holders otherwise).
    """

    as_of: pd.Timestamp
    mode: str
    units: pd.DataFrame
    positions: pd.DataFrame
    holdings: pd.DataFrame
    #: Positions of units not in force that day (kept empty in history mode, for merger scenarios).
    other_positions: pd.DataFrame | None = None

    @property
    def note_vi(self) -> str:
        """One Vietnamese sentence naming the structure a report used."""
        communes = int(self.units["kind"].isin(COMMUNE_KINDS).sum())
        district = bool((self.units["kind"] == "chinh_quyen_huyen").any())
        level = "có cấp huyện" if district else "chính quyền địa phương hai cấp (không còn cấp huyện)"
        return (f"Cơ cấu ngày {self.as_of:%d/%m/%Y}: {len(self.units)} đơn vị, trong đó {communes} xã, thị trấn; "
                f"{level}; người giữ chức danh {MODE_VI[self.mode]}.")

    def record(self) -> dict:
        """What a run used, for ``run.json``: mode (code and Vietnamese), structure date, sentence."""
        return {"mode": self.mode, "mode_vi": MODE_LABEL[self.mode], "structure_date": f"{self.as_of:%Y-%m-%d}",
                "units": int(len(self.units)), "note": self.note_vi}


def state_on(ds, as_of) -> State:
    """Reconstruct units, holders and managing bodies on ``as_of``.

    Parameters
    ----------
    ds : Dataset
    as_of : date-like

    Returns
    -------
    State
    """
    t = _ts(as_of)
    mode = history_mode(ds)
    units = units_on(ds["units"], t)
    kind = ds["units"].set_index("unit_id")["kind"]
    pos = ds["positions"].copy()  # every position; those of units not in force are kept aside below
    if mode == "lich_su":
        wh = ds["work_history"]
        hold = holdings_on(wh, t).sort_values(["start_date", "cadre_id"], kind="stable")
        keyed = hold[hold["position_id"].notna()].drop_duplicates("position_id", keep="last")
        by_pos = keyed.set_index("position_id")
        pos["holder_id"] = pos["position_id"].map(by_pos["cadre_id"]).astype("string")
        pos["holder_since"] = pos["position_id"].map(by_pos["start_date"])
        # holdings without a position id become positions of their own (numbered per unit and title)
        loose = hold[hold["position_id"].isna() & hold["unit_id"].isin(units["unit_id"])]
        if len(loose):
            n = loose.groupby(["unit_id", "title"]).cumcount() + 1
            extra = pd.DataFrame({
                "position_id": (loose["unit_id"] + "-" + loose["title"].str.upper() + "-LS" + n.astype(str)).to_numpy(),
                "unit_id": loose["unit_id"].to_numpy(), "title": loose["title"].to_numpy(),
                "is_key": False, "holder_id": loose["cadre_id"].to_numpy(),
                "holder_since": loose["start_date"].to_numpy(), "open_for_rotation": False})
            pos = pd.concat([pos, extra.astype({c: pos[c].dtype for c in extra.columns if c in pos})],
                            ignore_index=True)
        holdings = hold
    else:
        held = pos[pos["holder_id"].notna()]
        holdings = pd.DataFrame({"cadre_id": held["holder_id"], "unit_id": held["unit_id"], "title": held["title"],
                                 "position_id": held["position_id"], "start_date": held["holder_since"]})
    live = pos["unit_id"].isin(units["unit_id"]).to_numpy()
    other = pos[~live].copy()
    if mode == "lich_su":  # units not in force that day: their posts stay, empty (merger scenarios staff them)
        other["holder_id"] = pd.array([pd.NA] * len(other), dtype="string")
        other["holder_since"] = pd.NaT
    pos = pos[live].copy()
    pos["managing_body"] = managing_body(pos["title"], pos["unit_id"].map(kind), t).to_numpy()
    st = State(t, mode, units.reset_index(drop=True), pos.reset_index(drop=True), holdings.reset_index(drop=True))
    st.other_positions = other.reset_index(drop=True)
    return st


def _with_tenure(positions: pd.DataFrame, history: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Add what the history knows about each holder's tenure on ``as_of`` to the positions.

    ``post_since`` (first day of the uninterrupted run in this unit and title: a
    re-election is no new start), ``title_since`` (in this title, any unit) and
    ``appointed_on`` (start of the holding in force when it was an appointment,
    ``bo_nhiem``: the fixed appointment term runs from it; blank for elected posts).
    """
    from kimson_ds.history.careers import seniority

    def key(frame, cadre="cadre_id"):  # one string per (holder, unit, title): a flat index is fast
        return (frame[cadre].astype(object).fillna("") + "|" + frame["unit_id"].astype(object) + "|"
                + frame["title"].astype(object)).to_numpy()

    sen = seniority(history, as_of, ordered=False).sort_values("start_date", kind="stable")
    now = holdings_on(history, as_of)
    app = now[now["filled_by"].eq("bo_nhiem").to_numpy()].sort_values("start_date", kind="stable")
    pos_key = key(positions, "holder_id")
    out = positions.copy()
    i = pd.Index(key(sen)[::-1]).get_indexer(pos_key)  # reversed: the latest holding of a key wins
    for col in ("post_since", "title_since"):
        vals = sen[col].to_numpy(dtype="datetime64[ns]")[::-1]
        out[col] = np.where(i >= 0, vals[np.maximum(i, 0)] if len(vals) else np.datetime64("NaT", "ns"),
                            np.datetime64("NaT", "ns"))
    j = pd.Index(key(app)[::-1]).get_indexer(pos_key)
    vals = app["start_date"].to_numpy(dtype="datetime64[ns]")[::-1]
    out["appointed_on"] = np.where(j >= 0, vals[np.maximum(j, 0)] if len(vals) else np.datetime64("NaT", "ns"),
                                   np.datetime64("NaT", "ns"))
    held = out["holder_id"].notna()
    for col in ("post_since", "title_since", "appointed_on"):
        out[col] = pd.to_datetime(out[col]).where(held)
    return out


def _btv_list(ds) -> set[tuple[str, str]] | None:
    """(title, unit kind) pairs whose holders the snapshot marks ``managed_by_btv``, or None if none is marked.

    The list of posts the district standing committee manages (danh mục) is the
    locality's own; the snapshot's flags say which it is, and a date's holders of
    those posts are managed by it while the committee exists (``management.competence``).
    """
    cad = ds["cadres"]
    if "managed_by_btv" not in cad or not cad["managed_by_btv"].fillna(False).astype(bool).any():
        return None
    flagged = set(cad.loc[cad["managed_by_btv"].fillna(False).astype(bool), "cadre_id"])
    pos = ds["positions"]
    pos = pos[pos["holder_id"].isin(flagged)]
    kinds = pos["unit_id"].map(ds["units"].set_index("unit_id")["kind"])
    return set(zip(pos["title"], kinds, strict=True))


def dataset_on(ds, as_of):
    """A copy of ``ds`` showing the organisation on ``as_of`` (for analyses run with an ``as_of``).

    In history mode the ``positions`` table holds the holders of that day,
    ``cadres.unit_id`` is the unit of each cadre's main holding on that day,
    ``cadres.managed_by_btv`` is true when a post held that day is managed by
    the district standing committee then, and cadres who had not started work
    yet are left out; ``cadres.in_service`` says who holds something that day
    (retired or departed people keep their rows, for their past). Positions of units not in force that day stay in the
    table, empty in history mode (merger scenarios staff the units of a later
    date); snapshot-only datasets keep their snapshot holders.
    ``ds.history_state`` is set to the :class:`State` used.
    """
    st = state_on(ds, as_of)
    kind = ds["units"].set_index("unit_id")["kind"]
    tables = dict(ds.tables)
    tables["positions"] = pd.concat([st.positions.drop(columns=["managing_body"]), st.other_positions],
                                    ignore_index=True)
    if st.mode == "lich_su":
        tables["positions"] = _with_tenure(tables["positions"], ds["work_history"], st.as_of)
        cad = ds["cadres"].copy()
        started = cad["work_start_date"].isna() | (cad["work_start_date"] <= st.as_of)
        cad = cad[started.to_numpy()].copy()
        main = st.holdings.sort_values(["start_date"], kind="stable").drop_duplicates("cadre_id", keep="last")
        cad["unit_id"] = cad["cadre_id"].map(main.set_index("cadre_id")["unit_id"]).fillna(cad["unit_id"])
        cad["in_service"] = cad["cadre_id"].isin(main["cadre_id"]).to_numpy()  # holds something that day
        held = st.positions[st.positions["holder_id"].notna()]
        btv_held = held["managing_body"] == "btv_huyen_uy"
        listed = _btv_list(ds)
        if listed is not None:  # the dataset's own list (danh mục) of titles the standing committee manages
            btv_held &= pd.Series(list(zip(held["title"], held["unit_id"].map(kind), strict=True)),
                                  index=held.index).isin(listed)
        btv = set(held.loc[btv_held, "holder_id"])
        cad["managed_by_btv"] = cad["cadre_id"].isin(btv).astype("boolean")
        tables["cadres"] = cad.reset_index(drop=True)
        tables["positions"] = tables["positions"][
            tables["positions"]["holder_id"].isna()
            | tables["positions"]["holder_id"].isin(tables["cadres"]["cadre_id"])].reset_index(drop=True)
    out = replace(ds, tables=tables)
    out.__dict__["history_state"] = st
    return out


def managing_body_vi(code: str) -> str:
    """Vietnamese name of a managing body code."""
    return MANAGING_BODY.get(code, code)
