"""Consistency of ballot tallies (kiểm phiếu) before any share is computed.

A tally is consistent when, for every meeting, ``present ≤ members``,
``issued ≤ present``, ``returned ≤ issued`` and ``valid ≤ returned``; every
person's votes are at most the valid ballots; on a nomination ballot (each ballot
names one person) the votes of all people add up to at most the valid ballots;
the step exists in the procedure and has a ballot; and every vote row belongs
to a meeting. For confidence votes, ``present ≤ members``, ``valid ≤ present``
and ``high + medium + low ≤ valid``. Each problem is an :class:`Issue` naming
the file or sheet, the row, the column, the value and what is expected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kimson_ds.data.io import Dataset
from kimson_ds.data.validate import Issue
from kimson_ds.errors import DataError
from kimson_ds.rules.parameters import parameters

__all__ = ["check_confidence", "check_tallies", "raise_issues", "step_definitions"]

_ROUND_ORDER = [("present", "members", "số người có mặt không được lớn hơn số người được triệu tập",
                 "số người có mặt ≤ số người được triệu tập"),
                ("issued", "present", "số phiếu phát ra không được lớn hơn số người có mặt",
                 "số phiếu phát ra ≤ số người có mặt"),
                ("returned", "issued", "số phiếu thu về không được lớn hơn số phiếu phát ra",
                 "số phiếu thu về ≤ số phiếu phát ra"),
                ("valid", "returned", "số phiếu hợp lệ không được lớn hơn số phiếu thu về",
                 "số phiếu hợp lệ ≤ số phiếu thu về")]


def raise_issues(issues: list[Issue], what: str) -> None:
    """Raise a :class:`DataError` listing the first 50 issues (then a count), if there are any."""
    if not issues:
        return
    head = "\n".join(f"  - {i}" for i in issues[:50])
    more = f"\n  … và {len(issues) - 50} lỗi khác" if len(issues) > 50 else ""
    raise DataError(f"{what} không nhất quán ({len(issues)} lỗi):\n{head}{more}", issues)


def step_definitions(source: str, when) -> list[dict]:
    """The steps of a procedure from ``source`` (``tai_cho`` or ``ben_ngoai``) in force on ``when``."""
    return parameters(when).get("procedure.steps")[source]


def _rows(ds: Dataset, table: str, mask: np.ndarray) -> np.ndarray:
    rows = ds.rows.get(table)
    positions = np.flatnonzero(mask)
    if rows is None or len(rows) != len(ds[table]):
        return positions + 2
    return rows[positions]


def _fmt(v) -> str:
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(int(v)) if float(v).is_integer() else str(v)


def check_tallies(ds: Dataset) -> list[Issue]:
    """Every inconsistency of ``procedures``, ``ballot_rounds`` and ``ballot_votes``.

    Returns
    -------
    list of Issue
        Empty when the tallies are consistent.
    """
    issues: list[Issue] = []
    rounds, votes, procs = ds["ballot_rounds"], ds["ballot_votes"], ds["procedures"]
    src_r, src_v = ds.sources.get("ballot_rounds", "ballot_rounds"), ds.sources.get("ballot_votes", "ballot_votes")

    for col, bound, message, expected in _ROUND_ORDER:
        bad = (rounds[col] > rounds[bound]).fillna(False).to_numpy()
        for row, value, lim in zip(_rows(ds, "ballot_rounds", bad), rounds.loc[bad, col], rounds.loc[bad, bound],
                                   strict=True):
            issues.append(Issue("error", "ballot_rounds", src_r, int(row), col, _fmt(value),
                                f"{message} ({_fmt(lim)})", expected))

    # the step must exist in the procedure's rule set and carry a ballot
    sources = procs.set_index("procedure_id")["source"].to_dict()
    started = procs.set_index("procedure_id")["started_on"].to_dict()
    for i, (pid, step) in enumerate(zip(rounds["procedure_id"], rounds["step"], strict=True)):
        if pid not in sources or pd.isna(step) or pd.isna(started.get(pid)):
            continue
        steps = {s["step"]: s for s in step_definitions(sources[pid], started[pid])}
        s = steps.get(int(step))
        if s is None or s["ballot"] == "khong":
            allowed = ", ".join(str(k) for k, v in steps.items() if v["ballot"] != "khong")
            mask = np.zeros(len(rounds), bool)
            mask[i] = True
            why = "quy trình không có bước này" if s is None else "bước này không bỏ phiếu"
            issues.append(Issue("error", "ballot_rounds", src_r, int(_rows(ds, "ballot_rounds", mask)[0]), "step",
                                _fmt(step), why, f"một trong các bước có bỏ phiếu: {allowed}"))

    # every vote row belongs to a meeting; votes ≤ valid ballots
    key = ["procedure_id", "step"]
    merged = votes.reset_index(drop=True).merge(rounds[[*key, "valid"]], on=key, how="left", indicator=True)
    orphan = (merged["_merge"] == "left_only").to_numpy()
    for row, pid, step in zip(_rows(ds, "ballot_votes", orphan), merged.loc[orphan, "procedure_id"],
                              merged.loc[orphan, "step"], strict=True):
        issues.append(Issue("error", "ballot_votes", src_v, int(row), "step", _fmt(step),
                            f"không có hội nghị bước {_fmt(step)} của quy trình {pid} trong bảng kiểm phiếu hội nghị",
                            "một dòng (mã quy trình, bước) trong trang Kiểm phiếu - hội nghị"))
    over = (~orphan) & (merged["votes"] > merged["valid"]).fillna(False).to_numpy()
    for row, v, lim in zip(_rows(ds, "ballot_votes", over), merged.loc[over, "votes"], merged.loc[over, "valid"],
                           strict=True):
        issues.append(Issue("error", "ballot_votes", src_v, int(row), "votes", _fmt(v),
                            f"số phiếu của một người lớn hơn số phiếu hợp lệ ({_fmt(lim)})",
                            "số phiếu ≤ số phiếu hợp lệ của hội nghị"))

    # nomination ballots name one person each: the votes add up to at most the valid ballots
    if len(rounds):
        kinds = []
        for pid, step in zip(rounds["procedure_id"], rounds["step"], strict=True):
            steps = ({s["step"]: s for s in step_definitions(sources[pid], started[pid])}
                     if pid in sources and not pd.isna(started.get(pid)) else {})
            kinds.append(steps.get(int(step), {}).get("ballot") if not pd.isna(step) else None)
        totals = votes.groupby(key)["votes"].sum()
        summed = rounds.set_index(key).index.map(lambda k: totals.get(k, 0)).to_numpy()
        bad = (np.asarray(kinds, dtype=object) == "gioi_thieu") & (summed > rounds["valid"].fillna(np.inf).to_numpy())
        for row, total, lim in zip(_rows(ds, "ballot_rounds", bad), summed[bad], rounds.loc[bad, "valid"], strict=True):
            issues.append(Issue("error", "ballot_rounds", src_r, int(row), "valid", _fmt(lim),
                                f"tổng số phiếu giới thiệu của mọi người ({_fmt(total)}) lớn hơn số phiếu hợp lệ: "
                                "mỗi phiếu chỉ giới thiệu một người cho một chức danh",
                                "tổng số phiếu giới thiệu ≤ số phiếu hợp lệ"))
    return issues


def check_confidence(ds: Dataset) -> list[Issue]:
    """Every inconsistency of the ``confidence_votes`` table."""
    issues: list[Issue] = []
    cv = ds["confidence_votes"]
    src = ds.sources.get("confidence_votes", "confidence_votes")
    checks = [
        ("present", cv["present"] > cv["members"], "số người có mặt không được lớn hơn số người được triệu tập",
         "số người có mặt ≤ số người được triệu tập"),
        ("valid", cv["valid"] > cv["present"], "số phiếu hợp lệ không được lớn hơn số người có mặt",
         "số phiếu hợp lệ ≤ số người có mặt"),
        ("low", cv[["high", "medium", "low"]].sum(axis=1) > cv["valid"],
         "tổng số phiếu tín nhiệm cao, tín nhiệm và tín nhiệm thấp lớn hơn số phiếu hợp lệ",
         "tín nhiệm cao + tín nhiệm + tín nhiệm thấp ≤ số phiếu hợp lệ"),
    ]
    for col, mask, message, expected in checks:
        m = mask.fillna(False).to_numpy()
        for row, value in zip(_rows(ds, "confidence_votes", m), cv.loc[m, col], strict=True):
            issues.append(Issue("error", "confidence_votes", src, int(row), col, _fmt(value), message, expected))
    return issues
