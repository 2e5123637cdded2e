"""Checks of a Party-committee planning list (quy hoạch Ban Chấp hành, Ban Thường vụ; review P13).

The data contract has no committee planning rows yet (the planning table holds
titled posts), so the list is given by the caller: one row per person and body
(``bch`` Ban Chấp hành, ``btv`` Ban Thường vụ), with the seats of the term.
Checked, each with its dated parameter and reference:

``BTV_IN_BCH``
    everyone planned for the standing committee is planned for the committee
    (the standing committee is elected by and from the committee — Điều lệ Đảng);
``BTV_SHARE``
    standing-committee seats at most ``planning.committee_composition.btv_max_share``
    of the committee seats (Quy định 29-QĐ/TW Điều 12, then Quy định 24-QĐ/TW);
``SEATS``
    commune committees: seats within ``commune_bch`` / ``commune_btv``
    (Chỉ thị 45-CT/TW, from 14-4-2025);
``SLATE``
    at least as many people planned as seats (``planning.bench_min_candidates`` per seat
    is not a committee rule: only "not fewer than the seats" is checked);
``COHORTS``, ``WOMEN``, ``YOUNG``
    targets ("chưa đạt mục tiêu", not violations) on the planned committee:
    ``planning.age_cohort_share_targets`` (Chỉ thị 35-CT/TW, from 30-5-2019) with the
    bands of ``planning.age_cohort_bounds``, ``planning.women_share_min``,
    ``planning.young_share_min`` — ages at the term start.

Not modelled: the ratio of people planned per seat (no rule found), the
structure by sector (cơ cấu ngành, địa bàn), the sample's committee lists.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from kimson_ds.errors import DataError
from kimson_ds.rules.competence import citation
from kimson_ds.rules.parameters import ParameterSet, parameters

__all__ = ["COMMITTEE_COLUMNS", "committee_check"]

#: Columns of :func:`committee_check`.
COMMITTEE_COLUMNS = ["check", "check_vi", "kind", "target", "actual", "met", "reason", "reference"]

_BODY_VI = {"bch": "Ban Chấp hành", "btv": "Ban Thường vụ"}
_PARAM = "planning.committee_composition"


def _pct(x: float) -> str:
    return f"{x * 100:.1f}".replace(".", ",") + "%"


def _row(check, check_vi, kind, target, actual, met, reason, reference) -> dict:
    return dict(check=check, check_vi=check_vi, kind=kind, target=target, actual=actual, met=bool(met),
                reason=reason, reference=reference)


def committee_check(cadres: pd.DataFrame, members: pd.DataFrame, as_of, *, level: str, bch_seats: int,
                    btv_seats: int, term_start=None, params: ParameterSet | None = None) -> pd.DataFrame:
    """Check a committee planning list against the rules in force on ``as_of``.

    Parameters
    ----------
    cadres : DataFrame
        ``cadre_id``, ``birth_date``, ``gender``.
    members : DataFrame
        ``cadre_id``, ``body`` (``bch`` or ``btv``): who is planned for which body.
    as_of : date-like
        The date whose rules apply.
    level : {"xa", "huyen"}
        Level of the committee (commune seat bounds apply to ``xa`` only).
    bch_seats, btv_seats : int
        Seats of the term (decided by the level above).
    term_start : date-like, optional
        Ages for the targets are taken on this date (default ``as_of``).
    params : ParameterSet, optional

    Returns
    -------
    DataFrame
        :data:`COMMITTEE_COLUMNS`, one row per check; ``kind`` is ``vi_pham`` for a
        rule, ``muc_tieu`` for a target; ``met`` False with a Vietnamese ``reason``.
    """
    P = params if params is not None else parameters(as_of)
    bad_body = sorted(set(members["body"]) - set(_BODY_VI))
    if bad_body:
        raise DataError("Cột 'body' của danh sách quy hoạch cấp ủy chỉ nhận bch hoặc btv; gặp: " + ", ".join(bad_body))
    unknown = sorted(set(members["cadre_id"]) - set(cadres["cadre_id"]))
    if unknown:
        raise DataError("Cán bộ quy hoạch cấp ủy không có trong bảng cán bộ: " + ", ".join(map(str, unknown[:20])))
    rows: list[dict] = []
    bch = set(members.loc[members["body"] == "bch", "cadre_id"])
    btv = set(members.loc[members["body"] == "btv", "cadre_id"])

    outside = sorted(btv - bch)
    rows.append(_row("BTV_IN_BCH", "Người quy hoạch Ban Thường vụ nằm trong quy hoạch Ban Chấp hành", "vi_pham",
                     "0", str(len(outside)), not outside,
                     "Đạt" if not outside else "Quy hoạch Ban Thường vụ nhưng không quy hoạch Ban Chấp hành: "
                     + ", ".join(outside), "Điều lệ Đảng (ban thường vụ do ban chấp hành bầu trong số cấp ủy viên)"))

    if _PARAM in P:
        cfg = P.get(_PARAM)
        ref, assumption = citation(P, _PARAM)
        ref = ref + (" [GIẢ ĐỊNH]" if assumption else "")
        cap = math.floor(bch_seats * float(cfg["btv_max_share"]) + 1e-6)  # the share is 1/3 to 10 digits
        rows.append(_row("BTV_SHARE", "Số ủy viên Ban Thường vụ không quá một phần ba cấp ủy viên", "vi_pham",
                         f"≤ {cap}", str(btv_seats), btv_seats <= cap,
                         "Đạt" if btv_seats <= cap else f"{btv_seats} ủy viên Ban Thường vụ, tối đa {cap} "
                         f"(một phần ba của {bch_seats})", ref))
        for body, seats in (("bch", bch_seats), ("btv", btv_seats)):
            bounds = cfg.get(f"commune_{body}")
            if level != "xa" or not bounds:
                continue
            ok = bounds["min"] <= seats <= bounds["max"]
            rows.append(_row("SEATS", f"Số lượng {_BODY_VI[body]} cấp ủy cấp xã", "vi_pham",
                             f"{bounds['min']}–{bounds['max']}", str(seats), ok,
                             "Đạt" if ok else f"{seats} người, quy định từ {bounds['min']} đến {bounds['max']}", ref))
    else:
        rows.append(_row("BTV_SHARE", "Số ủy viên Ban Thường vụ không quá một phần ba cấp ủy viên", "vi_pham",
                         "", str(btv_seats), True, "Chưa có quy định có hiệu lực vào ngày áp dụng: không kiểm tra",
                         ""))

    for body, seats, people in (("bch", bch_seats, bch), ("btv", btv_seats, btv)):
        ok = len(people) >= seats
        rows.append(_row("SLATE", f"Số người quy hoạch {_BODY_VI[body]} không ít hơn số suất", "vi_pham",
                         f"≥ {seats}", str(len(people)), ok,
                         "Đạt" if ok else f"{len(people)} người quy hoạch cho {seats} suất", ""))

    rows += _targets(cadres, sorted(bch), P, pd.Timestamp(term_start if term_start is not None else as_of))
    return pd.DataFrame(rows, columns=COMMITTEE_COLUMNS)


def _targets(cadres: pd.DataFrame, ids: list, P: ParameterSet, when: pd.Timestamp) -> list[dict]:
    """Targets on the planned committee: three age bands, women, young ("chưa đạt mục tiêu")."""
    if not ids:
        return []
    c = cadres.set_index("cadre_id").loc[ids]
    birth = pd.to_datetime(c["birth_date"])
    had = (birth.dt.month < when.month) | ((birth.dt.month == when.month) & (birth.dt.day <= when.day))
    age = (when.year - birth.dt.year - (~had).astype(int)).to_numpy(dtype=float)
    out: list[dict] = []

    def ref(name):
        r, a = citation(P, name)
        return r + (" [GIẢ ĐỊNH]" if a else "")

    if "planning.age_cohort_share_targets" in P and "planning.age_cohort_bounds" in P:
        t = P.get("planning.age_cohort_share_targets")
        b = P.get("planning.age_cohort_bounds")
        young = float(np.mean(age < int(b["young_max"])))
        middle = float(np.mean((age >= int(b["young_max"])) & (age <= int(b["middle_max"]))))
        r = ref("planning.age_cohort_share_targets")
        ok = young >= float(t["young_share_min"]) - 1e-9
        out.append(_row("COHORTS", f"Độ tuổi 1: dưới {b['young_max']} tuổi", "muc_tieu",
                        f"≥ {_pct(float(t['young_share_min']))}", _pct(young), ok,
                        "Đạt" if ok else "Chưa đạt mục tiêu: " + _pct(young), r))
        ok = float(t["middle_share_min"]) - 1e-9 <= middle <= float(t["middle_share_max"]) + 1e-9
        out.append(_row("COHORTS", f"Độ tuổi 2: từ {b['young_max']} đến {b['middle_max']} tuổi", "muc_tieu",
                        f"{_pct(float(t['middle_share_min']))}–{_pct(float(t['middle_share_max']))}", _pct(middle),
                        ok, "Đạt" if ok else "Chưa đạt mục tiêu: " + _pct(middle), r))
    for code, name, label, share in (
            ("WOMEN", "planning.women_share_min", "Tỷ lệ nữ", float(np.mean(c["gender"].eq("nu")))),
            ("YOUNG", "planning.young_share_min", "Tỷ lệ cán bộ trẻ",
             float(np.mean(age < int(P.get("planning.young_age_limit_district"))))
             if "planning.young_age_limit_district" in P else float("nan"))):
        if name not in P or share != share:
            continue
        need = float(P.get(name))
        ok = share >= need - 1e-9
        out.append(_row(code, label, "muc_tieu", f"≥ {_pct(need)}", _pct(share), ok,
                        "Đạt" if ok else "Chưa đạt mục tiêu: " + _pct(share), ref(name)))
    return out
