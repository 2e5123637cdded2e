"""Step ``positions``: posts, their holders (not yet described) and the posts opened for rotation."""

from __future__ import annotations

import numpy as np

from kimson_ds.sample.base import BuilderBase, _vacant, commune_id
from kimson_ds.sample.constants import (
    BTV_COMMUNE_TITLES,
    COMMUNE_KE_TOAN,
    COMMUNES_2016,
    DEPARTMENTS,
    DISTRICT_STAFF_POSTS,
    MASS_ORGS,
    MERGER_2025,
    PARTY_ORGANS,
    ROTATIONS,
)


class PositionsStep(BuilderBase):
    """Step ``positions``: posts, their holders (not yet described) and the posts opened for rotation."""

    # ......................................................... posts, people
    def build_posts(self) -> None:
        """Create posts and their (not yet described) holders, in cadre-id order."""
        bt = self._person("lanh_dao_huyen", "HU")
        pbt = self._person("lanh_dao_huyen", "HU")
        ct = self._person("lanh_dao_huyen", "UBND_HUYEN")
        self._post("HU", "bi_thu", 1, bt, True)
        self._post("HU", "pho_bi_thu", 1, pbt, True)
        self._post("UBND_HUYEN", "chu_tich_ubnd", 1, ct, True)
        self._post("HU", "pho_bi_thu", 2, ct, True)
        for n in (1, 2):
            self._post("UBND_HUYEN", "pho_chu_tich_ubnd", n, self._person("lanh_dao_huyen", "UBND_HUYEN"))

        age_rules = {"HUYEN_DOAN": (29, 38), "HOI_CCB_HUYEN": (50, 58)}
        gender_rules = {"HOI_PHU_NU_HUYEN": "nu", "HOI_CCB_HUYEN": "nam"}
        units = ([(u, "truong_ban" if u != "HU_UBKT" else "chu_nhiem_ubkt", "pho_truong_ban", n, None)
                  for u, _, _, n in PARTY_ORGANS]
                 + [(u, "truong_phong", "pho_truong_phong", n, cell) for u, _, _, n, cell in DEPARTMENTS]
                 + [(u, "truong_doan_the", "pho_doan_the", n, None) for u, _, _, n in MASS_ORGS])
        for uid, head_title, dep_title, n_dep, cell in units:
            kw = dict(force_gender=gender_rules.get(uid))
            head = self._person("truong_huyen", uid, **kw)
            if uid in age_rules:
                self.people[head].age_range = (age_rules[uid][0] + 4, age_rules[uid][1] + 1)
            self._post(uid, head_title, 1, head, True)
            deps = []
            for n in range(1, n_dep + 1):
                d = None if _vacant(uid, dep_title, n) else self._person("pho_huyen", uid,
                                                                          age_range=age_rules.get(uid), **kw)
                self._post(uid, dep_title, n, d)
                deps.append(d)
            if cell == "truong":
                self._post(uid, "bi_thu_chi_bo", 1, head)
            elif cell == "pho":
                self._post(uid, "bi_thu_chi_bo", 1, deps[0])
        for uid, title in DISTRICT_STAFF_POSTS:
            self._post(uid, title, 1, self._person("ke_toan", uid))

        rotated = {to: (frm, to, title, start) for frm, to, title, start in ROTATIONS}
        large = {commune_id(n, k) for n, k, _, p, _ in COMMUNES_2016 if p >= 7000}
        for uid in self.communes_2019:
            rot = rotated.get(uid)
            if rot and rot[2] == "bi_thu":
                bt = self._person("luan_chuyen_truong", uid, rotation=rot)
            else:
                bt = self._person("bi_thu_xa", uid)
            self._post(uid, "bi_thu", 1, bt, True)
            ct = self._person("chu_tich_xa", uid)
            self._post(uid, "pho_bi_thu", 1, ct, True)
            self._post(uid, "chu_tich_ubnd", 1, ct, True)
            hdnd = bt
            if uid in large:
                if _vacant(uid, "pho_bi_thu", 2):
                    pbt2 = None
                elif rot and rot[2] == "pho_bi_thu":
                    pbt2 = self._person("luan_chuyen_pho", uid, rotation=rot)
                else:
                    pbt2 = hdnd = self._person("pho_bi_thu_xa", uid)
                self._post(uid, "pho_bi_thu", 2, pbt2, True)
            self._post(uid, "chu_tich_hdnd", 1, hdnd, True)
            for n in (1, 2) if uid in large else (1,):
                self._vacancy_aware_post(uid, "pho_chu_tich_ubnd", n, "can_bo_xa")
            self._vacancy_aware_post(uid, "chu_tich_mttq", 1, "can_bo_xa")
            self._vacancy_aware_post(uid, "chu_nhiem_ubkt", 1, "can_bo_xa")
            if uid in COMMUNE_KE_TOAN:
                self._vacancy_aware_post(uid, "ke_toan", 1, "ke_toan")

        # Vacant key posts of units that do not exist yet at the snapshot.
        for title in BTV_COMMUNE_TITLES:
            self._post("XA_XUAN_CHINH", title, 1, None, True)
        for uid in MERGER_2025:
            for title, n in (("bi_thu", 1), ("pho_bi_thu", 1), ("pho_bi_thu", 2), ("chu_tich_ubnd", 1),
                             ("chu_tich_hdnd", 1)):
                self._post(uid, title, n, None, True)

        # Non-holders: the planted ones first (fixed units), then 50 district
        # specialists and 40 commune civil servants spread by weight.
        for key, uid, profile in (("vc_con_dau", "PHONG_GIAO_DUC_DAO_TAO", "chuyen_vien"),
                                  ("vc_y_te", "PHONG_Y_TE", "chuyen_vien"),
                                  ("vc_ldtbxh", "PHONG_LD_TB_XH", "chuyen_vien"),
                                  ("con_tu_phap", "XA_KIM_CHINH", "cong_chuc_xa"),
                                  ("disciplined_cv", "PHONG_TAI_NGUYEN_MOI_TRUONG", "chuyen_vien")):
            self.planted[key] = self._person(profile, uid)
        district = [u for u, *_ in PARTY_ORGANS] + [u for u, *_ in DEPARTMENTS] + [u for u, *_ in MASS_ORGS]
        w = np.array([2.0] * len(PARTY_ORGANS) + [3.0] * len(DEPARTMENTS) + [1.0] * len(MASS_ORGS))
        for i in self.rng.choice(len(district), size=45, p=w / w.sum()):
            self._person("chuyen_vien", district[int(i)])
        pops = np.array([p for _, _, _, p, _ in COMMUNES_2016], dtype=float)
        for i in self.rng.choice(len(pops), size=40, p=pops / pops.sum()):
            self._person("cong_chuc_xa", self.communes_2019[int(i)])

    def _vacancy_aware_post(self, uid: str, title: str, n: int, profile: str) -> None:
        holder = None if _vacant(uid, title, n) else self._person(profile, uid)
        self._post(uid, title, n, holder)
