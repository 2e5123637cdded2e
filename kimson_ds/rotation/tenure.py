"""Cadres the work history puts up for rotation: heads past the consecutive-terms limit
(Quy định 65-QĐ/TW, before it 98-QĐ/TW) and appointments whose fixed term ends (bổ nhiệm lại).

Reads the ``positions`` of the scenario's date. When the dataset has a work history
(quá trình công tác), :func:`kimson_ds.history.state.dataset_on` adds ``post_since``
(first day of the uninterrupted run in the same unit and title: a re-election does not
restart it) and ``appointed_on`` (start of the appointment in force); a snapshot-only
dataset has ``holder_since`` only, which is used for the terms and no reappointment
date can be known. Numbers come from the dated parameters ``management.two_terms_trigger``,
``term.length_years`` and ``management.appointment_term_years``. Vectorised, no loops.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from kimson_ds.data.codes import TITLE
from kimson_ds.rules.parameters import ParameterSet

__all__ = ["COLUMNS", "RULE_VI", "flags"]

COLUMNS = ["cadre_id", "position_id", "unit_id", "title", "rule", "since", "years", "due_date", "reason"]
#: Vietnamese names of the two history rules.
RULE_VI = {"two_terms": "Giữ một chức vụ quá số nhiệm kỳ liên tiếp (Quy định 98-QĐ/TW, 65-QĐ/TW)",
           "reappointment": "Đến hạn bổ nhiệm lại"}
_YEAR_DAYS = 365.25


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _num(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def flags(tables, as_of: Any, params: ParameterSet, *, two_terms: bool = True,
          reappointment_months: int | None = None) -> pd.DataFrame:
    """Holders on ``as_of`` whom a history rule names, one row per holder, post and rule.

    Parameters
    ----------
    tables : Dataset or mapping of DataFrame
        ``positions`` of the date (``holder_id``, ``holder_since``; ``post_since``
        and ``appointed_on`` when rebuilt from a work history).
    as_of : date-like
    params : ParameterSet
        Of ``as_of``; a rule whose parameter is not in force yet names nobody.
    two_terms : bool
        Heads (``management.two_terms_trigger.titles``) in the same post for longer
        than ``max_consecutive_terms`` × ``term.length_years``.
    reappointment_months : int, optional
        Appointments whose term (``management.appointment_term_years``) ends
        within this many months of ``as_of`` (or has ended); ``None``: not checked.

    Returns
    -------
    DataFrame
        :data:`COLUMNS`; ``rule`` is ``two_terms`` or ``reappointment``, ``years``
        the years in the post, ``reason`` a Vietnamese sentence.
    """
    t = pd.Timestamp(as_of).normalize()
    pos = tables["positions"]
    held = pos[pos["holder_id"].notna()]
    since = pd.to_datetime(held["post_since"] if "post_since" in held.columns else held["holder_since"])
    held = held.assign(_since=since)[since.notna() & (since <= t)]
    years = ((t - held["_since"]).dt.days / _YEAR_DAYS).round(2)
    parts = []
    if two_terms and "management.two_terms_trigger" in params:
        cfg = params.get("management.two_terms_trigger")
        limit = float(cfg["max_consecutive_terms"]) * float(params.get("term.length_years"))
        hit = held["title"].isin(list(cfg["titles"])) & (years > limit)
        h = held[hit]
        y = years[hit]
        reason = [f"Giữ chức {_lower_first(TITLE.get(ti, ti))} liên tục {_num(v)} năm (từ {d:%d/%m/%Y}), quá "
                  f"{cfg['max_consecutive_terms']} nhiệm kỳ liên tiếp ({limit:g} năm): thuộc diện luân chuyển"
                  for ti, v, d in zip(h["title"], y, h["_since"], strict=True)]
        parts.append(pd.DataFrame({"cadre_id": h["holder_id"].astype(object).to_numpy(),
                                   "position_id": h["position_id"].to_numpy(), "unit_id": h["unit_id"].to_numpy(),
                                   "title": h["title"].to_numpy(), "rule": "two_terms",
                                   "since": h["_since"].to_numpy(), "years": y.to_numpy(),
                                   "due_date": pd.NaT, "reason": reason}))
    if reappointment_months is not None and "appointed_on" in held.columns \
            and "management.appointment_term_years" in params:
        term = int(params.get("management.appointment_term_years"))
        appointed = pd.to_datetime(held["appointed_on"])
        due = appointed + pd.DateOffset(years=term)
        hit = appointed.notna() & (due <= t + pd.DateOffset(months=int(reappointment_months)))
        h, d = held[hit], due[hit]
        reason = [f"Bổ nhiệm {_lower_first(TITLE.get(ti, ti))} từ {a:%d/%m/%Y}, thời hạn {term} năm "
                  + (f"đã hết ngày {e:%d/%m/%Y}" if e < t else f"hết ngày {e:%d/%m/%Y}")
                  + ": đến hạn xem xét bổ nhiệm lại hoặc luân chuyển"
                  for ti, a, e in zip(h["title"], appointed[hit], d, strict=True)]
        parts.append(pd.DataFrame({"cadre_id": h["holder_id"].astype(object).to_numpy(),
                                   "position_id": h["position_id"].to_numpy(), "unit_id": h["unit_id"].to_numpy(),
                                   "title": h["title"].to_numpy(), "rule": "reappointment",
                                   "since": appointed[hit].to_numpy(), "years": years[hit].to_numpy(),
                                   "due_date": d.to_numpy(), "reason": reason}))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c in ("since", "due_date") else object)
                             for c in COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    out["years"] = out["years"].astype(float)
    return out.sort_values(["rule", "cadre_id", "position_id"], kind="stable").reset_index(drop=True)[COLUMNS]


def per_cadre(found: pd.DataFrame) -> pd.DataFrame:
    """One row per cadre: ``rules`` (tuple of rule codes) and ``reason`` (their sentences joined)."""
    if found.empty:
        return pd.DataFrame(columns=["rules", "reason"], index=pd.Index([], name="cadre_id"))
    g = found.groupby("cadre_id", sort=True)
    return pd.DataFrame({"rules": g["rule"].agg(lambda s: tuple(dict.fromkeys(s))),
                         "reason": g["reason"].agg("; ".join)})


