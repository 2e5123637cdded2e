"""Step ``org_ratings`` and ``ratings``: organisation and individual ratings 2015–2019."""

from __future__ import annotations

from datetime import date

import numpy as np

from kimson_ds.data.codes import RATING_ORDER
from kimson_ds.rules.parameters import get_param, history
from kimson_ds.sample.base import BuilderBase, _Person, _target_count, cap_level, points_level
from kimson_ds.sample.constants import (
    _LEVEL_CEILING,
    _ORG_CUTS,
    _QUOTA_GROUPS,
    DEPARTMENTS,
    MASS_ORGS,
    ORG_NEW_SCALE_FROM_YEAR,
    PARTY_ORGANS,
    PLANTED_DOC,
    RATING_LINKS,
    RATING_YEARS,
)


class RatingsStep(BuilderBase):
    """Step ``org_ratings`` and ``ratings``: organisation and individual ratings 2015–2019."""

    # ............................................................... ratings
    def build_org_ratings(self) -> list[dict]:
        """Ratings of communes (tccsd, chinh_quyen) and district bodies (co_quan, tccsd with a cell)."""
        schemes: list[tuple[str, str]] = []
        for uid in self.communes_2019:
            schemes += [(uid, "tccsd"), (uid, "chinh_quyen")]
        cells = {p.unit_id for p in self.posts.values() if p.title == "bi_thu_chi_bo"}
        for uid, *_ in PARTY_ORGANS + DEPARTMENTS + MASS_ORGS:
            schemes.append((uid, "co_quan"))
            if uid in cells:
                schemes.append((uid, "tccsd"))
        quality = self.rng.normal(0.0, 1.0, len(schemes))
        noise = self.rng.normal(0.0, 0.8, (len(RATING_YEARS), len(schemes)))
        z = quality[None, :] + noise
        idx = (z < _ORG_CUTS[0]).astype(int) + (z < _ORG_CUTS[1]) + (z < _ORG_CUTS[2])
        missing = PLANTED_DOC["missing_org_rating"]
        # before the new scale (Hướng dẫn 16-HD/BTCTW) organisations were rated on the old one: the
        # sample writes those years in old-scale codes, the inverse of rating.org_scale_crosswalk
        old_code = {new: old for old, new in history("rating.org_scale_crosswalk")[0][1].items()}
        rows = []
        self.org_level: dict[tuple[str, int, str], str] = {}
        for y, year in enumerate(RATING_YEARS):
            for s, (uid, scheme) in enumerate(schemes):
                if (uid, year, scheme) == missing:
                    continue
                level = RATING_ORDER[int(idx[y, s])]
                self.org_level[(uid, year, scheme)] = level
                written = old_code[level] if year < ORG_NEW_SCALE_FROM_YEAR else level
                rows.append(dict(unit_id=uid, year=year, scheme=scheme, level=written))
        return rows

    def rating_link(self, person: _Person) -> tuple[str | None, tuple[str, str] | None]:
        """The post a rating refers to and the linked organisation rating (unit, scheme), if any."""
        for title, kinds, scheme in RATING_LINKS:
            for pid in person.posts:
                post = self.posts[pid]
                if post.title == title and (kinds is None or self.unit_kind[post.unit_id] in kinds):
                    return pid, (post.unit_id, scheme)
        return (person.posts[0] if person.posts else None), None

    def rating_links(self, person: _Person) -> list[tuple[str, str]]:
        """Every linked organisation rating (unit, scheme) of the person's posts (a head of several
        collectives is capped by the lowest of them from Hướng dẫn 21-HD/BTCTW)."""
        out = []
        for title, kinds, scheme in RATING_LINKS:
            for pid in person.posts:
                post = self.posts[pid]
                if post.title == title and (kinds is None or self.unit_kind[post.unit_id] in kinds):
                    out.append((post.unit_id, scheme))
        return out

    def discipline_cases(self) -> list[tuple[int, str, date]]:
        """The planted discipline decisions: (person, form, decision date)."""
        hp = self.post_holder
        return [
            (hp(PLANTED_DOC["disciplined_planned_post"]), "khien_trach", date(2019, 6, 14)),
            (hp(PLANTED_DOC["disciplined_removed_post"]), "canh_cao", date(2018, 3, 12)),
            (self.planted["disciplined_cv"], "khien_trach", date(2017, 11, 20)),
            (hp("XA_KIM_TAN-CHU_TICH_MTTQ-1"), "khien_trach", date(2016, 9, 8)),
        ]

    def _quota_group(self, person: _Person) -> str:
        for group, titles, kinds in _QUOTA_GROUPS:
            for pid in person.posts:
                post = self.posts[pid]
                if post.title in titles and (kinds is None or self.unit_kind[post.unit_id] in kinds):
                    return group
        # a post in no group forms its own group per title (as the rating engine does)
        return "khac:" + (self.posts[person.posts[0]].title if person.posts else "")

    def build_ratings(self) -> list[dict]:
        """Individual ratings 2015–2019 with stored levels.

        2015–2017 and 2019 scores never exceed the linked organisation's level
        (of the same and of the previous year), so that capping is a no-op
        whichever offset an engine uses; 2019 respects the 20 % quota in each
        group of equivalent posts. 2018 follows the Kim Sơn rule exactly:
        points, then capped by the 2017 organisation rating, with exactly
        36.4 % xuất sắc among BTV-managed cadres.
        """
        rng = self.rng
        P = self.people
        rated = [i for i, p in enumerate(P)
                 if p.managed_by_btv or (p.profile != "lanh_dao_huyen" and rng.random() < 0.85)]
        ability = rng.normal(80.0, 6.0, len(P))
        years = np.array(RATING_YEARS)
        raw = np.clip(ability[:, None] + rng.normal(0.0, 3.5, (len(P), len(years))), 45.0, 98.5)
        tasks = np.round(rng.uniform(0.0, 45.0, (len(P), len(years))), 1)
        tasks_missing = rng.random((len(P), len(years))) < 0.08
        score = {}
        for i in rated:
            for y, year in enumerate(RATING_YEARS):
                if P[i].work_start.year <= year:
                    score[(i, year)] = float(raw[i, y])

        def link_for(i: int, year: int):
            pid, link = self.rating_link(P[i])
            if pid is None or self.posts[pid].since.year > year:
                return None, None
            return pid, link

        # Years other than 2018: keep points inside the linked organisations' levels.
        for (i, year), s in score.items():
            if year == 2018:
                continue
            pid, link = link_for(i, year)
            if link:
                caps = [self.org_level.get((unit, yy, scheme)) for unit, scheme in self.rating_links(P[i])
                        for yy in (year - 1, year)]
                for cap in caps:
                    if cap is not None:
                        s = min(s, _LEVEL_CEILING[cap])
            score[(i, year)] = s

        # 2018: exactly K xuất sắc among BTV cadres, some capped by their organisation.
        btv = [i for i in rated if P[i].managed_by_btv]
        k = _target_count(len(btv), 0.364)
        eligible, cappable = [], []
        for i in btv:
            _, link = link_for(i, 2018)
            org = self.org_level.get((link[0], 2017, link[1])) if link else None
            (eligible if org in (None, "xuat_sac") else cappable).append(i)
        w = np.exp(ability[eligible] / 4.0)
        stars = set(rng.choice(eligible, size=k, replace=False, p=w / w.sum()).tolist())
        capped = set(rng.choice(cappable, size=11, replace=False).tolist())
        for i in btv:
            if i in stars or i in capped:
                score[(i, 2018)] = float(rng.uniform(90.0, 98.0))
            elif score[(i, 2018)] >= 90.0:
                score[(i, 2018)] = float(rng.uniform(80.0, 89.9))
        self.planted["capped_2018"] = sorted(capped)
        self.planted["stars_2018"] = sorted(stars)

        score = {key: round(v, 1) for key, v in score.items()}
        level = {}
        for (i, year), s in score.items():
            pid, link = link_for(i, year)
            cap = None
            if year == 2018 and link:
                cap = self.org_level.get((link[0], 2017, link[1]))
            level[(i, year)] = cap_level(points_level(s), cap)

        # Disciplined in the rated year → không hoàn thành where the rule is in force on 31-12 of that year
        # (Hướng dẫn 16-HD/BTCTW from 24-9-2018), before the quota as in the engine.
        first_rule = history("rating.discipline_forces_fail")[0][0]
        for i, _form, decided in self.discipline_cases():
            key, when = (i, decided.year), date(decided.year, 12, 31)
            if key in level and when >= first_rule and get_param("rating.discipline_forces_fail", when):
                level[key] = "khong_hoan_thanh"

        # 2019: at most 20 % of "tốt" may be "xuất sắc" within each group.
        groups: dict[str, list[int]] = {}
        for (i, year) in score:
            if year == 2019:
                groups.setdefault(self._quota_group(P[i]), []).append(i)
        for members in groups.values():
            stars19 = sorted((score[(i, 2019)], P[i].cadre_id, i) for i in members
                             if level[(i, 2019)] == "xuat_sac")
            n_good = sum(level[(i, 2019)] == "tot" for i in members)
            while len(stars19) > int(0.2 * n_good):
                _, _, i = stars19.pop(0)  # lowest score first
                score[(i, 2019)] = round(float(rng.uniform(85.0, 89.9)), 1)
                level[(i, 2019)] = "tot"
                n_good += 1

        rows = []
        for i in rated:
            for y, year in enumerate(RATING_YEARS):
                if (i, year) not in score:
                    continue
                pid, _ = link_for(i, year)
                s = score[(i, year)]
                t = None if tasks_missing[i, y] else float(tasks[i, y])
                if t is not None and s >= 90.0:
                    t = round(30.0 + t / 1.5, 1)
                rows.append(dict(cadre_id=P[i].cadre_id, year=year, score=s, tasks_exceeded_pct=t,
                                 level=level[(i, year)], position_id=pid))
        return rows
