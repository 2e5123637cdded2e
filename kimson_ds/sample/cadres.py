"""Step ``cadres``: gender, birth, names, planted people, careers, qualifications, ids."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from kimson_ds.data.codes import COMMUNE_KINDS
from kimson_ds.sample.base import BuilderBase, _add_years, _ord, _Person, _Post
from kimson_ds.sample.constants import (
    _FAMILY,
    _GIVEN,
    _MIDDLE,
    BTV_COMMUNE_TITLES,
    DISTRICT_DEPUTY_TITLES,
    DISTRICT_HEAD_TITLES,
    MERGER_2020,
    PLANTED_DOC,
    PROFILES,
    SNAPSHOT,
)


class CadresStep(BuilderBase):
    """Step ``cadres``: gender, birth, names, planted people, careers, qualifications, ids."""

    # ............................................................ attributes
    def describe_people(self) -> None:
        """Sample gender, birth date and name of everybody (vectorised by profile)."""
        n = len(self.people)
        lo = np.array([(p.age_range or PROFILES[p.profile]["age"])[0] for p in self.people], dtype=float)
        hi = np.array([(p.age_range or PROFILES[p.profile]["age"])[1] for p in self.people], dtype=float)
        female_p = np.array([PROFILES[p.profile]["female"] for p in self.people])
        is_female = self.rng.random(n) < female_p
        ages = self.rng.uniform(lo, hi + 1.0)
        for i, p in enumerate(self.people):
            p.gender = p.force_gender or ("nu" if is_female[i] else "nam")
            age = float(ages[i])
            if p.gender == "nu":  # women retired at 55 before 2021
                age = min(age, 54.9)
            p.birth = date.fromordinal(_ord(SNAPSHOT) - int(round(age * 365.25)))
            p.family = self._choice(_FAMILY)
            self._name(p)

    def _name(self, p: _Person) -> None:
        p.middle = self._choice(_MIDDLE[p.gender])
        given = _GIVEN[p.gender]
        p.given = given[int(self.rng.integers(len(given)))]

    def plant_people(self) -> None:
        """Adjust the people behind planted cases (relatives, too-old candidate, …)."""
        P = self.people
        hp = self.post_holder
        rng = self.rng

        def near(i: int, j: int, lo_years: float, hi_years: float) -> None:
            offset = int(rng.uniform(lo_years, hi_years) * 365.25)
            born = min(max(_ord(P[j].birth) + offset, _ord(date(1960, 6, 1))), _ord(date(1991, 12, 31)))
            P[i].birth = date.fromordinal(born)

        def make(i: int, gender: str) -> None:
            if P[i].gender != gender:
                P[i].gender = gender
                self._name(P[i])

        # 1. siblings: bí thư and chủ nhiệm UBKT of Hùng Tiến.
        bt, kt = hp("XA_HUNG_TIEN-BI_THU-1"), hp("XA_HUNG_TIEN-CHU_NHIEM_UBKT-1")
        P[kt].family = P[bt].family
        near(kt, bt, 2, 9)
        self.planted["siblings"] = (bt, kt)
        # 2. spouses: trưởng and phó trưởng phòng Tài nguyên và Môi trường.
        tp, pp = hp("PHONG_TAI_NGUYEN_MOI_TRUONG-TRUONG_PHONG-1"), hp("PHONG_TAI_NGUYEN_MOI_TRUONG-PHO_TRUONG_PHONG-1")
        make(tp, "nam")
        make(pp, "nu")
        P[tp].birth = date(1968, 4, 12)
        near(pp, tp, 2, 5)
        self.planted["spouses"] = (tp, pp)
        # 3. accountant whose father heads Kinh tế và Hạ tầng.
        tp, kt = hp("PHONG_KINH_TE_HA_TANG-TRUONG_PHONG-1"), hp("PHONG_KINH_TE_HA_TANG-KE_TOAN-1")
        make(tp, "nam")
        P[tp].birth = date(1962, 9, 3)
        near(kt, tp, 27, 29)
        P[kt].family = P[tp].family
        self.planted["parent_accountant"] = (kt, tp)
        # 4. in-law: phó trưởng phòng Văn hóa – Thông tin married to the daughter of his head.
        tp, pp = hp("PHONG_VAN_HOA_THONG_TIN-TRUONG_PHONG-1"), hp("PHONG_VAN_HOA_THONG_TIN-PHO_TRUONG_PHONG-1")
        wife = self.planted["vc_con_dau"]
        make(tp, "nam")
        make(pp, "nam")
        make(wife, "nu")
        P[tp].birth = date(1961, 11, 20)
        P[pp].birth = date(1984, 2, 14)
        P[wife].birth = date(1986, 7, 8)
        P[wife].family = P[tp].family
        self.planted["in_law"] = (pp, wife, tp)
        # Non-conflicting links.
        pairs = []
        a, b = hp("XA_KIM_MY-PHO_CHU_TICH_UBND-1"), self.planted["vc_y_te"]
        make(b, "nu" if P[a].gender == "nam" else "nam")
        near(b, a, -4, 4)
        pairs.append((a, b, "vo_chong"))
        a, b = hp("XA_AN_HOA-BI_THU-1"), hp("XA_NHU_HOA-CHU_TICH_MTTQ-1")
        P[b].family = P[a].family
        near(b, a, -6, 6)
        pairs.append((a, b, "anh_chi_em"))
        a, b = hp("PHONG_TU_PHAP-TRUONG_PHONG-1"), self.planted["con_tu_phap"]
        make(a, "nam")
        P[a].birth = date(1963, 5, 30)
        P[b].family = P[a].family
        near(b, a, 26, 28)
        pairs.append((a, b, "con"))
        a, b = hp("HUYEN_DOAN-PHO_DOAN_THE-1"), hp("HOI_NONG_DAN_HUYEN-TRUONG_DOAN_THE-1")
        make(b, "nam")
        P[b].birth = date(1962, 1, 15)
        P[a].family = P[b].family
        near(a, b, 27, 29)
        pairs.append((a, b, "cha_me"))
        a, b = hp("XA_LUU_PHUONG-CHU_TICH_UBND-1"), hp("XA_TAN_THANH-PHO_CHU_TICH_UBND-1")
        P[b].family = P[a].family
        near(b, a, -5, 5)
        pairs.append((a, b, "anh_chi_em"))
        a, b = self.planted["vc_ldtbxh"], hp("XA_DINH_HOA-KE_TOAN-1")
        make(b, "nu" if P[a].gender == "nam" else "nam")
        near(b, a, -3, 3)
        pairs.append((a, b, "vo_chong"))
        a, b = hp("MTTQ_HUYEN-PHO_DOAN_THE-1"), hp("HU_BAN_DAN_VAN-PHO_TRUONG_BAN-1")
        make(b, "nu" if P[a].gender == "nam" else "nam")
        near(b, a, -4, 4)
        pairs.append((a, b, "vo_chong"))
        self.planted["other_links"] = pairs
        # Planning cases.
        old = hp(PLANTED_DOC["too_old_post"])
        make(old, "nam")
        P[old].birth = date(1961, 3, 17)
        aged = hp(PLANTED_DOC["removed_for_age_post"])
        make(aged, "nam")
        P[aged].birth = date(1962, 8, 2)
        four = hp(PLANTED_DOC["four_slates_post"])
        P[four].birth = date(1978, 10, 5)
        P[hp(PLANTED_DOC["disciplined_planned_post"])].birth = date(1976, 4, 22)
        # Women are younger than 55 at the snapshot.
        for p in P:
            if p.gender == "nu" and p.age_on(SNAPSHOT) >= 55:
                p.birth = date(1965, p.birth.month, min(p.birth.day, 28))
        # Unique full names.
        seen: set[str] = set()
        for p in P:
            while p.full_name in seen:
                self._name(p)
            seen.add(p.full_name)

    def describe_careers(self) -> None:
        """Holder-since dates, work start, Party membership, home unit, ethnicity."""
        rng = self.rng
        P = self.people
        for post in self.posts.values():
            if post.holder is None:
                continue
            p = P[post.holder]
            post.since = self._sample_since(post, p)
        for p in P:
            prof = PROFILES[p.profile]
            ws = _add_years(p.birth, int(rng.integers(prof["work"][0], prof["work"][1] + 1)))
            ws = date.fromordinal(_ord(ws) + int(rng.integers(0, 365)))
            sinces = [self.posts[pid].since for pid in p.posts]
            if p.rotation:
                sinces.append(_add_years(p.rotation[3], -4))
            first = min(sinces) if sinces else None
            if first is not None:
                latest_ws = _add_years(first, -3)
                ws = max(min(ws, latest_ws), _add_years(p.birth, 20) + timedelta(days=1))
            ws = min(ws, date(2019, 6, 30))
            p.work_start = ws
            member = bool(sinces) or rng.random() < 0.7
            if member:
                pj = date.fromordinal(_ord(ws) + int(rng.uniform(1, 6) * 365.25))
                if first is not None:
                    pj = min(pj, date.fromordinal(_ord(first) - int(rng.integers(200, 900))))
                pj = max(pj, _add_years(p.birth, 19))
                p.party_join = pj if pj <= date(2019, 6, 30) else None
            local = p.unit_id in self.unit_kind and self.unit_kind[p.unit_id] in COMMUNE_KINDS
            if p.rotation:
                choices = [u for u in self.communes_2019 if u != p.rotation[1]]
                p.home_unit = choices[int(rng.integers(len(choices)))]
            elif local and rng.random() < 0.8:
                p.home_unit = p.unit_id
            elif rng.random() < 0.93:
                p.home_unit = self.communes_2019[int(rng.integers(len(self.communes_2019)))]
        for key in ("siblings",):
            a, b = self.planted[key]
            P[b].home_unit = P[a].home_unit
        for i in rng.choice(len(P), size=4, replace=False):
            P[int(i)].ethnicity = "Mường"
            P[int(i)].home_unit = None

    def _sample_since(self, post: _Post, p: _Person) -> date:
        """When the holder took ``post`` (BTV posts no later than 1-1-2018)."""
        d = self._date_between
        rng = self.rng
        if p.rotation and post.title in ("bi_thu", "pho_bi_thu"):
            return p.rotation[3]
        if p.rotation:
            return p.rotation[3] + timedelta(days=45)
        commune = self.unit_kind[post.unit_id] in COMMUNE_KINDS
        u = rng.random()
        if post.unit_id in ("HU", "UBND_HUYEN"):
            since = d(date(2015, 8, 10), date(2015, 8, 30)) if post.unit_id == "HU" else d(
                date(2016, 6, 25), date(2016, 7, 10))
        elif commune and post.title in ("bi_thu", "pho_bi_thu"):
            since = (d(date(2015, 6, 1), date(2015, 8, 31)) if u < 0.6 else
                     d(date(2010, 6, 1), date(2010, 8, 31)) if u < 0.85 else d(date(2016, 3, 1), date(2017, 10, 20)))
        elif commune and post.title == "chu_tich_ubnd":
            since = (d(date(2016, 6, 20), date(2016, 7, 20)) if u < 0.55 else
                     d(date(2011, 6, 20), date(2011, 7, 20)) if u < 0.75 else d(date(2016, 9, 1), date(2017, 12, 20)))
        elif commune and post.title == "chu_tich_hdnd":
            since = d(date(2016, 6, 20), date(2016, 7, 20)) if u < 0.8 else d(date(2011, 6, 20), date(2011, 7, 20))
        elif post.title in DISTRICT_HEAD_TITLES:
            since = d(date(2010, 1, 1), date(2017, 12, 31))
        elif post.title in DISTRICT_DEPUTY_TITLES or post.title == "bi_thu_chi_bo":
            since = d(date(2011, 1, 1), date(2017, 12, 31))
        else:
            since = d(date(2010, 1, 1), date(2019, 10, 31))
        latest = date(2017, 12, 31) if self._is_btv_post(post) else date(2019, 10, 31)
        earliest = _add_years(p.birth, 24)
        if since < earliest:
            since = min(date.fromordinal(_ord(earliest) + int(rng.integers(0, 365))), latest)
        return since

    def describe_qualifications(self) -> None:
        """Education, political theory and state management by profile, plus planted gaps."""
        for p in self.people:
            prof = PROFILES[p.profile]
            p.education = self._choice(prof["edu"])
            p.political_theory = self._choice(prof["llct"])
            p.state_mgmt = self._choice(prof["qlnn"])
        hp = self.post_holder
        # Gaps for the standards check and the training planner.
        self.people[hp("XA_KIM_TRUNG-BI_THU-1")].political_theory = "so_cap"
        self.people[hp("XA_CHINH_TAM-BI_THU-1")].political_theory = "so_cap"
        self.people[hp("XA_KIM_HAI-CHU_TICH_UBND-1")].education = "trung_cap"
        self.people[hp("PHONG_Y_TE-TRUONG_PHONG-1")].political_theory = "trung_cap"
        self.people[hp("HU_BAN_DAN_VAN-TRUONG_BAN-1")].political_theory = "trung_cap"
        # The deputy planned for four head posts: gaps closable by training before 2020.
        four = self.people[hp(PLANTED_DOC["four_slates_post"])]
        four.education, four.political_theory, four.state_mgmt = "dai_hoc", "trung_cap", "chuyen_vien"
        for p in self.people:
            p.managed_by_btv = any(self._is_btv_post(self.posts[pid]) for pid in p.posts)

    def _is_btv_post(self, post: _Post) -> bool:
        kind = self.unit_kind[post.unit_id]
        if kind in COMMUNE_KINDS:
            return post.title in BTV_COMMUNE_TITLES
        if kind in ("phong_ban", "co_quan_dang", "doan_the"):
            return post.title in DISTRICT_HEAD_TITLES + DISTRICT_DEPUTY_TITLES
        return False  # Huyện ủy and UBND leaders: managed by the province

    def mark_rotation_posts(self) -> None:
        """Open 8 long-held commune secretary / deputy posts of local people for rotation."""
        cands = []
        for post in self.posts.values():
            if (post.holder is None or post.title not in ("bi_thu", "pho_bi_thu")
                    or self.unit_kind[post.unit_id] not in COMMUNE_KINDS or post.unit_id in MERGER_2020):
                continue
            p = self.people[post.holder]
            if p.rotation is None and p.home_unit == post.unit_id:
                cands.append((post.since, post.position_id))
        for _, pid in sorted(cands)[:8]:
            self.posts[pid].open_for_rotation = True

    def assign_ids(self) -> None:
        for i, p in enumerate(self.people):
            p.cadre_id = f"CB{i + 1:04d}"
