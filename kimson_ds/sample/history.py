"""Steps ``work_history`` and ``unit_successions``: careers 2007–2026 and dated unit successions.

The history is built **after** every other table from a random generator of its
own, so adding it left the other tables byte-identical. What it records (the
snapshot of 31-12-2019 stays the anchor):

* every holding of the snapshot, from ``holder_since``; before it, for people
  who started that post late in their career, one earlier holding in the same
  unit (deputy or staff title) from the day they started work (ASSUMPTION);
* the 2016–2017 rotation round of the seed (:data:`ROTATIONS`): the six cadres
  hold a deputy post in their district unit until the rotation starts, then the
  commune post (``luan_chuyen``), and come back as deputies of their unit on
  1-10-2020 (ASSUMPTION: after the 2020 congresses);
* 1-1-2020: Xuân Thiện and Chính Tâm form Xuân Chính (Xuân Thiện's leaders take
  its posts, Chính Tâm's become deputies), Yên Mật is split (60 % Kim Chính,
  40 % Như Hòa, ASSUMPTION on the shares; its leaders go to Kim Chính);
* 1-1-2025: Lưu Phương joins thị trấn Phát Diệm (NQ 1318/NQ-UBTVQH15), its
  leaders become deputies there;
* 1-7-2025: the district level ends; the 8 new communes are staffed from the
  district leaders (bí thư kiêm chủ tịch HĐND), heads of district bodies
  (chủ tịch UBND) and the secretaries of the old communes (phó bí thư); the
  other holders stay on as staff of the new commune of their old unit, except
  those within 5 years of retirement, whose history ends on 30-6-2025
  (retired under NĐ 178/2024, ASSUMPTION);
* holdings end on retirement (Nghị định 135/2020, :mod:`kimson_ds.rules.retirement`).

No other change after the snapshot is invented: a post whose holder left is
vacant in the history until the 2025 staffing (ASSUMPTION, stated in the README).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from kimson_ds.data.codes import COMMUNE_KINDS
from kimson_ds.rules.retirement import retirement_date
from kimson_ds.sample.base import BuilderBase
from kimson_ds.sample.constants import (
    DISTRICT_HEAD_TITLES,
    MERGER_2020,
    MERGER_2025,
)

#: Day the district level ended and the two-level communes started.
DISTRICT_END = date(2025, 6, 30)
TWO_LEVEL_START = date(2025, 7, 1)
#: 1-1-2025: Lưu Phương merged into thị trấn Phát Diệm.
LUU_PHUONG_END = date(2024, 12, 31)
#: 2020 merger: old unit → [(successor, share)] (Yên Mật shares are an ASSUMPTION).
SUCCESSIONS_2020 = {
    "XA_XUAN_THIEN": (("XA_XUAN_CHINH", 1.0),),
    "XA_CHINH_TAM": (("XA_XUAN_CHINH", 1.0),),
    "XA_YEN_MAT": (("XA_KIM_CHINH", 0.6), ("XA_NHU_HOA", 0.4)),
}
#: Rotated cadres come back to their district unit on this day (ASSUMPTION).
ROTATION_RETURN = date(2020, 10, 1)
#: Cadres this close to retirement on 1-7-2025 leave under NĐ 178/2024 (ASSUMPTION, years).
NEAR_RETIREMENT_YEARS = 5

_ELECTED = {"bi_thu", "pho_bi_thu", "chu_tich_ubnd", "pho_chu_tich_ubnd", "chu_tich_hdnd", "pho_chu_tich_hdnd",
            "chu_tich_mttq", "chu_nhiem_ubkt", "truong_doan_the", "pho_doan_the", "bi_thu_chi_bo"}
_DEPUTY_OF = {"truong_phong": "pho_truong_phong", "truong_ban": "pho_truong_ban", "chu_nhiem_ubkt": "pho_truong_ban",
              "truong_doan_the": "pho_doan_the"}
_DAY = timedelta(days=1)


def _fill(title: str) -> str:
    return "bau" if title in _ELECTED else "bo_nhiem"


class HistoryStep(BuilderBase):
    """Steps ``work_history`` and ``unit_successions`` (run last, own random generator)."""

    def build_unit_successions(self) -> list[dict]:
        rows = [dict(unit_id=old, successor_unit_id=new, effective_date=date(2020, 1, 1), share=share)
                for old, succ in SUCCESSIONS_2020.items() for new, share in succ]
        rows.append(dict(unit_id="XA_LUU_PHUONG", successor_unit_id="TT_PHAT_DIEM",
                         effective_date=LUU_PHUONG_END + _DAY, share=1.0))
        for new, olds in MERGER_2025.items():
            for old in olds:
                if old in ("XA_LUU_PHUONG",):
                    continue
                rows.append(dict(unit_id=old, successor_unit_id=new, effective_date=TWO_LEVEL_START, share=1.0))
        return rows

    def _retire(self) -> dict[int, date]:
        P = self.people
        ret = retirement_date(pd.Series([p.birth for p in P]), pd.Series([p.gender for p in P]))
        return {i: d.date() for i, d in enumerate(ret)}

    def build_work_history(self) -> list[dict]:
        """One row per holding (see the module docstring for what is recorded)."""
        rng = np.random.default_rng([self.seed, 13])
        P, posts, kind = self.people, self.posts, self.unit_kind
        retire = self._retire()
        rows: list[dict] = []
        seq = [0]

        def add(i, uid, title, start, end=None, pid=None, how=None, decision=True):
            end = min(end, retire[i]) if end is not None else (retire[i] if retire[i] <= date(2026, 12, 1) else None)
            if end is not None and end < start:
                return
            seq[0] += 1
            rows.append(dict(cadre_id=P[i].cadre_id, unit_id=uid, title=title, position_id=pid, start_date=start,
                             end_date=end, filled_by=how or _fill(title),
                             decision_no=f"{seq[0]:03d}-{'NQ' if (how or _fill(title)) == 'bau' else 'QĐ'}/"
                                         f"{'HU' if kind.get(uid) not in COMMUNE_KINDS else 'ĐU'}" if decision else None,
                             decision_date=start - timedelta(days=int(rng.integers(3, 20))) if decision else None))

        two_level_pool: list[int] = []  # in force on 30-6-2025, candidates for the new communes
        held: dict[int, list[str]] = {}
        for q in posts.values():
            if q.holder is not None:
                held.setdefault(q.holder, []).append(q.position_id)
        lp = "XA_LUU_PHUONG"
        for i, p in enumerate(P):
            pids = held.get(i, [])
            first = min((posts[x].since for x in pids), default=None)
            if p.rotation:
                frm, to, title, start = p.rotation
                dep = _DEPUTY_OF.get("truong_ban" if kind[frm] == "co_quan_dang" else
                                     "truong_phong" if kind[frm] == "phong_ban" else "truong_doan_the")
                add(i, frm, dep, p.work_start, start - _DAY)
                for x in pids:
                    add(i, to, posts[x].title, posts[x].since, ROTATION_RETURN - _DAY, x, "luan_chuyen")
                add(i, frm, dep, ROTATION_RETURN, DISTRICT_END, None, "dieu_dong")
                two_level_pool.append(i)
                continue
            if not pids:  # staff without a titled post
                title = "cong_chuc_xa" if kind[p.unit_id] in COMMUNE_KINDS else "chuyen_vien"
                end = LUU_PHUONG_END if p.unit_id == lp else (date(2019, 12, 31) if p.unit_id in MERGER_2020
                                                              else DISTRICT_END)
                add(i, p.unit_id, title, p.work_start, end, decision=False)
                if p.unit_id in MERGER_2020:
                    add(i, SUCCESSIONS_2020[p.unit_id][0][0], title, date(2020, 1, 1), DISTRICT_END, None,
                        "dieu_dong", decision=False)
                elif p.unit_id == lp:
                    add(i, "TT_PHAT_DIEM", title, LUU_PHUONG_END + _DAY, DISTRICT_END, None, "dieu_dong",
                        decision=False)
                two_level_pool.append(i)
                continue
            # an earlier holding in the same unit when the post came late in the career
            main = posts[pids[0]]
            if (first - p.work_start).days > 4 * 365:
                if kind[main.unit_id] in COMMUNE_KINDS:
                    before = "pho_chu_tich_ubnd" if main.title in ("bi_thu", "pho_bi_thu", "chu_tich_ubnd",
                                                                   "chu_tich_hdnd") else "cong_chuc_xa"
                elif main.title in DISTRICT_HEAD_TITLES:
                    before = _DEPUTY_OF[main.title]
                elif main.unit_id in ("HU", "UBND_HUYEN") and main.title != "pho_chu_tich_ubnd":
                    before = "pho_chu_tich_ubnd"
                else:
                    before = "chuyen_vien"
                where = "UBND_HUYEN" if main.unit_id in ("HU", "UBND_HUYEN") else main.unit_id
                staff = "cong_chuc_xa" if kind[main.unit_id] in COMMUNE_KINDS else "chuyen_vien"
                years = int(rng.integers(4, 9))
                mid = max(p.work_start + _DAY, first - timedelta(days=int(years * 365.25)))
                if before != staff and mid > p.work_start + _DAY:
                    add(i, where, staff, p.work_start, mid - _DAY, decision=False)
                    add(i, where, before, mid, first - _DAY)
                else:
                    add(i, where, before, p.work_start, first - _DAY)
            for x in pids:
                q = posts[x]
                if q.unit_id in MERGER_2020:
                    add(i, q.unit_id, q.title, q.since, date(2019, 12, 31), x)
                    new = SUCCESSIONS_2020[q.unit_id][0][0]
                    if q.unit_id == "XA_XUAN_THIEN" and q.title in ("bi_thu", "pho_bi_thu", "chu_tich_ubnd",
                                                                     "chu_tich_hdnd"):
                        add(i, new, q.title, date(2020, 1, 1), DISTRICT_END, f"{new}-{q.title.upper()}-1", "bau")
                    elif q.title in ("bi_thu", "chu_tich_ubnd"):
                        add(i, new, "pho_bi_thu" if q.title == "bi_thu" else "pho_chu_tich_ubnd",
                            date(2020, 1, 1), DISTRICT_END, None, "chi_dinh")
                    elif q.title in ("chu_tich_hdnd", "pho_bi_thu"):
                        pass  # held together with bí thư / chủ tịch: one post at the successor
                    else:
                        add(i, new, "cong_chuc_xa", date(2020, 1, 1), DISTRICT_END, None, "dieu_dong", False)
                elif q.unit_id == lp:
                    add(i, lp, q.title, q.since, LUU_PHUONG_END, x)
                    if q.title in ("bi_thu", "chu_tich_ubnd"):
                        add(i, "TT_PHAT_DIEM", "pho_bi_thu" if q.title == "bi_thu" else "pho_chu_tich_ubnd",
                            LUU_PHUONG_END + _DAY, DISTRICT_END, None, "chi_dinh")
                    elif q.title not in ("chu_tich_hdnd", "pho_bi_thu"):
                        add(i, "TT_PHAT_DIEM", "cong_chuc_xa", LUU_PHUONG_END + _DAY, DISTRICT_END, None,
                            "dieu_dong", False)
                else:
                    add(i, q.unit_id, q.title, q.since, DISTRICT_END, x)
            two_level_pool.append(i)
        rows += self._two_level(two_level_pool, retire, rng, add, held)
        return rows

    def _two_level(self, pool, retire, rng, add, held) -> list[dict]:
        """Staff the 8 communes of 1-7-2025 (rows are added through ``add``)."""
        P, posts, kind = self.people, self.posts, self.unit_kind
        alive = [i for i in pool if retire[i] > TWO_LEVEL_START]
        leaving = {i for i in alive if retire[i] < date(TWO_LEVEL_START.year + NEAR_RETIREMENT_YEARS, 7, 1)}
        stay = [i for i in alive if i not in leaving]
        titles = {i: {posts[x].title for x in held.get(i, [])} for i in stay}
        units = {i: {posts[x].unit_id for x in held.get(i, [])} for i in stay}
        new_of = {old: new for new, olds in MERGER_2025.items() for old in olds}
        new_of.update({"XA_XUAN_THIEN": "XA2025_CHAT_BINH", "XA_CHINH_TAM": "XA2025_CHAT_BINH",
                       "XA_YEN_MAT": "XA2025_PHAT_DIEM"})
        communes = list(MERGER_2025)
        leaders = [i for i in stay if units[i] & {"HU", "UBND_HUYEN"}]
        heads = [i for i in stay if titles[i] & set(DISTRICT_HEAD_TITLES) and i not in leaders]
        secretaries = {c: [i for i in stay if "bi_thu" in titles[i] and units[i] & set(MERGER_2025[c])]
                       for c in communes}
        order = list(rng.permutation(len(communes)))
        placed: set[int] = set()
        for k, ci in enumerate(order):
            c = communes[int(ci)]
            bt, ct = (leaders + heads)[k], (leaders + heads)[len(communes) + k]
            placed |= {bt, ct}
            add(bt, c, "bi_thu", TWO_LEVEL_START, None, f"{c}-BI_THU-1", "chi_dinh")
            add(bt, c, "chu_tich_hdnd", TWO_LEVEL_START, None, f"{c}-CHU_TICH_HDND-1", "bau")
            add(ct, c, "pho_bi_thu", TWO_LEVEL_START, None, f"{c}-PHO_BI_THU-1", "chi_dinh")
            add(ct, c, "chu_tich_ubnd", TWO_LEVEL_START, None, f"{c}-CHU_TICH_UBND-1", "bau")
            sec = [i for i in secretaries[c] if i not in placed]
            if sec:
                placed.add(sec[0])
                add(sec[0], c, "pho_bi_thu", TWO_LEVEL_START, None, f"{c}-PHO_BI_THU-2", "chi_dinh")
        for i in stay:
            if i in placed:
                continue
            home = [new_of[u] for u in sorted(units[i]) if u in new_of] or (
                [new_of[P[i].unit_id]] if P[i].unit_id in new_of else [communes[i % len(communes)]])
            deputy = titles[i] & {"bi_thu", "chu_tich_ubnd", "pho_bi_thu", *DISTRICT_HEAD_TITLES}
            title = "pho_chu_tich_ubnd" if deputy else (
                "cong_chuc_xa" if kind[P[i].unit_id] in COMMUNE_KINDS else "chuyen_vien")
            add(i, home[0], title, TWO_LEVEL_START, None, None, "dieu_dong", bool(deputy))
        return []

