"""Step ``courses`` and ``trainings``: the course catalogue and who took which course."""

from __future__ import annotations

import numpy as np

from kimson_ds.data.codes import LADDERS
from kimson_ds.sample.base import BuilderBase
from kimson_ds.sample.constants import COURSES, RATING_YEARS


class TrainingStep(BuilderBase):
    """Step ``courses`` and ``trainings``: the course catalogue and who took which course."""

    # .............................................................. training
    def build_courses(self) -> list[dict]:
        cols = ("course_id", "name", "field", "grants_level", "months", "seats_per_year", "cost_million_vnd",
                "prerequisite_level")
        return [dict(zip(cols, c, strict=True)) for c in COURSES]

    def build_trainings(self) -> list[dict]:
        """Completed courses matching each qualification, 2019 enrolments, knowledge updates."""
        rng = self.rng
        P = self.people
        rows = []
        enrol: dict[int, str] = {}
        # 2019 enrolments: people with a gap for their post (not the planted late gap, which stays open).
        hp = self.post_holder
        late_gap = self.planted["planning_people"]["late_gap"]
        for pid, course in (("XA_KIM_TRUNG-BI_THU-1", "LLCT_TRUNG_CAP"),
                            ("PHONG_Y_TE-TRUONG_PHONG-1", "LLCT_CAO_CAP"),
                            ("XA_KIM_HAI-CHU_TICH_UBND-1", "DH_VLVH")):
            enrol[hp(pid)] = course
        gaps = [i for i, p in enumerate(P) if p.managed_by_btv and i not in enrol and i != late_gap and (
            (p.profile == "truong_huyen" and p.political_theory == "trung_cap")
            or (p.profile in ("bi_thu_xa", "chu_tich_xa") and p.political_theory == "so_cap"))]
        for i in gaps[:4]:
            enrol[i] = "LLCT_CAO_CAP" if P[i].political_theory == "trung_cap" else "LLCT_TRUNG_CAP"
        cv = [i for i, p in enumerate(P) if p.profile == "pho_huyen" and p.state_mgmt == "chuyen_vien"
              and i != late_gap]
        for i in cv[:2]:
            enrol[i] = "QLNN_CVC"
        ladders = {"political_theory": ("LLCT_SO_CAP", "LLCT_TRUNG_CAP", "LLCT_CAO_CAP"),
                   "state_mgmt": ("QLNN_CV", "QLNN_CVC")}
        for i, p in enumerate(P):
            first_year = max(p.work_start.year, p.birth.year + 20)
            for fld, courses in ladders.items():
                rank = LADDERS[fld].index(getattr(p, fld))
                done = list(courses[:rank]) if rank <= len(courses) else []
                if not done:
                    continue
                end = 2018 if i in enrol else 2019
                yrs = sorted(int(y) for y in rng.integers(min(first_year, end), end + 1, len(done)))
                for k in range(1, len(yrs)):
                    yrs[k] = max(yrs[k], yrs[k - 1] + 1)
                shift = max(0, yrs[-1] - end)
                for course, y in zip(done, yrs, strict=True):
                    rows.append(dict(cadre_id=p.cadre_id, course_id=course, year=y - shift, status="completed",
                                     days=None))
            if p.education == "dai_hoc" and p.profile in ("bi_thu_xa", "chu_tich_xa", "pho_bi_thu_xa",
                                                          "can_bo_xa") and rng.random() < 0.35:
                y = int(rng.integers(min(first_year + 3, 2019), 2020))
                rows.append(dict(cadre_id=p.cadre_id, course_id="DH_VLVH", year=y, status="completed", days=None))
            if i in enrol:
                rows.append(dict(cadre_id=p.cadre_id, course_id=enrol[i], year=2019, status="enrolled", days=None))
        # Knowledge updates (164-QĐ/TW) for BTV-managed cadres; 10 are overdue (none in 2018–2019).
        btv = [i for i, p in enumerate(P) if p.managed_by_btv]
        overdue = set(rng.choice(btv, size=10, replace=False).tolist())
        attend = rng.random((len(btv), len(RATING_YEARS))) < 0.88
        days = np.where(rng.random((len(btv), len(RATING_YEARS))) < 0.85, 5.0, 4.0)
        for r, i in enumerate(btv):
            for y, year in enumerate(RATING_YEARS):
                if attend[r, y] and not (i in overdue and year >= 2018) and P[i].work_start.year <= year:
                    rows.append(dict(cadre_id=P[i].cadre_id, course_id="CNKT_164", year=year,
                                     status="completed", days=float(days[r, y])))
        self.planted["ku_overdue"] = sorted(overdue)
        self.planted["enrolled"] = sorted(enrol)
        return rows
