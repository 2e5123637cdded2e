"""Confidence votes (lấy phiếu tín nhiệm) and the consequences of low confidence.

For each vote the shares of "tín nhiệm cao", "tín nhiệm" and "tín nhiệm thấp"
are taken over the denominator that ``procedure.confidence_rules`` names (the
number of people summoned); the meeting counts only with the quorum it sets; the
share of "tín nhiệm thấp" is compared with the dated bands (QĐ 262-QĐ/TW from
8-10-2014, QĐ 96-QĐ/TW from 2-2-2023) and the heaviest band reached gives the
consequence. :func:`year_over_year` lays the low-confidence shares out by year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import pandas as pd

from kimson_ds.data.codes import TITLE
from kimson_ds.data.io import Dataset
from kimson_ds.procedure.tally import check_confidence, raise_issues
from kimson_ds.rules.competence import citation
from kimson_ds.rules.parameters import parameters

__all__ = ["ConfidenceResult", "evaluate_confidence", "year_over_year"]


@dataclass
class ConfidenceResult:
    """One row per confidence vote (``votes``) and the regulation values used."""

    votes: pd.DataFrame
    parameters: dict = field(default_factory=dict)

    @property
    def flagged(self) -> pd.DataFrame:
        """Votes whose low-confidence share reached a band with a consequence."""
        return self.votes.loc[self.votes["consequence_vi"] != ""]


def _pct(x: Fraction) -> str:
    text = f"{float(x) * 100:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def evaluate_confidence(ds: Dataset) -> ConfidenceResult:
    """Shares, quorum and consequence of every row of ``confidence_votes``.

    Raises
    ------
    DataError
        When a tally is inconsistent (the sheet, row and column are named).
    """
    issues = check_confidence(ds)
    raise_issues(issues, "Số liệu lấy phiếu tín nhiệm")
    cv = ds["confidence_votes"].sort_values(["held_on", "cadre_id", "title"])
    names = ds["cadres"].set_index("cadre_id")["full_name"]
    units = ds["units"].set_index("unit_id")["name"]
    rows, used = [], {}
    for r in cv.itertuples(index=False):
        params = parameters(r.held_on)
        rules = params.get("procedure.confidence_rules")
        ref, assumed = citation(params, "procedure.confidence_rules")
        used.update(params.used)
        members, present = int(r.members), int(r.present)
        denominator = {"trieu_tap": members, "co_mat": present, "hop_le": int(r.valid)}[rules["denominator"]]
        q = Fraction(rules["quorum_share"]).limit_denominator(100)
        quorum = Fraction(present) >= q * members
        low = Fraction(int(r.low), denominator) if denominator else Fraction(0)
        consequence = ""
        if quorum:
            for band in rules["bands"]:
                limit = Fraction(band["above"]).limit_denominator(100)
                if low > limit or (band["inclusive"] and low == limit):
                    consequence = band["consequence_vi"]
        post = TITLE.get(r.title, r.title) + (f" {units.get(r.unit_id, r.unit_id)}" if isinstance(r.unit_id, str) else "")
        rows.append(dict(
            cadre_id=r.cadre_id, full_name=names.get(r.cadre_id, ""), post=post, held_on=r.held_on,
            year=r.held_on.year, members=members, present=present, valid=int(r.valid),
            high_pct=_pct(Fraction(int(r.high), denominator)) + "%" if denominator else "",
            medium_pct=_pct(Fraction(int(r.medium), denominator)) + "%" if denominator else "",
            low_pct=_pct(low) + "%", low_share=float(low), quorum_ok=quorum,
            consequence_vi=consequence if quorum else "",
            note_vi=("" if quorum else f"Hội nghị chỉ có {present}/{members} người có mặt, chưa đủ 2/3: "
                     "kết quả không được sử dụng, phải tổ chức lại."),
            reference=ref, assumption=assumed,
        ))
    cols = ["cadre_id", "full_name", "post", "held_on", "year", "members", "present", "valid", "high_pct",
            "medium_pct", "low_pct", "low_share", "quorum_ok", "consequence_vi", "note_vi", "reference", "assumption"]
    return ConfidenceResult(pd.DataFrame(rows, columns=cols), used)


def year_over_year(result: ConfidenceResult) -> pd.DataFrame:
    """Low-confidence share by person (rows) and year (columns), as Vietnamese percentages."""
    v = result.votes
    if v.empty:
        return pd.DataFrame(columns=["Họ và tên", "Chức vụ"])
    table = v.pivot_table(index=["full_name", "post"], columns="year", values="low_pct", aggfunc="last")
    table = table.reindex(columns=sorted(table.columns)).fillna("—")
    table.columns = [f"Năm {c}" for c in table.columns]
    return table.reset_index().rename(columns={"full_name": "Họ và tên", "post": "Chức vụ"})
