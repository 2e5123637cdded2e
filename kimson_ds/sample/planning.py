"""Step ``planning``: the planning lists of the terms 2015–2020 and 2020–2025."""

from __future__ import annotations

from datetime import date

import numpy as np

from kimson_ds.data.codes import COMMUNE_KINDS, LADDERS
from kimson_ds.sample.base import BuilderBase, _add_years, _months, _Person
from kimson_ds.sample.constants import (
    BTV_COMMUNE_TITLES,
    COURSES,
    DEPARTMENTS,
    DEPUTY_TITLE,
    DISTRICT_DEPUTY_TITLES,
    DISTRICT_HEAD_TITLES,
    MASS_ORGS,
    MERGER_2020,
    PARTY_ORGANS,
    PLAN_BASIS,
    PLAN_DEMO_CAPS,
    PLAN_DEMO_ENTRIES,
    PLAN_DISTRICT_HEAD_SCOPE,
    PLAN_DISTRICT_LEADER_SCOPE,
    PLAN_LATE_ADDED,
    PLAN_SLATE_MAX,
    PLAN_SLATE_MIN,
    PLAN_STANDARDS,
    PLAN_TERMS,
    PLANTED_DOC,
)


def _district_standards(title: str) -> dict[str, str] | None:
    """Standards of a district post by title (department heads vs district leaders, review S3)."""
    if title in PLAN_DISTRICT_LEADER_SCOPE:
        return PLAN_STANDARDS["district_leader"]
    if title in PLAN_DISTRICT_HEAD_SCOPE:
        return PLAN_STANDARDS["district_head"]
    return None


class PlanningStep(BuilderBase):
    """Step ``planning``: the planning lists of the terms 2015–2020 and 2020–2025."""

    # .............................................................. planning
    def build_planning(self) -> list[dict]:
        """Planning slates of the terms 2015–2020 and 2020–2025 (planted violations included).

        Slates are filled in the order commune posts → district deputy posts →
        district head posts → district leaders, from candidates who meet the
        rules the sample is designed against (:data:`PLAN_TERMS`,
        :data:`PLAN_STANDARDS`, :data:`PLAN_BASIS`): able to serve the whole
        term, first-appointment age limits, qualification gaps closable by
        training before the term starts, and "lower-level planning is the
        basis" (holding, or already planned for, a post of the level below).
        Only the planted cases break them.
        """
        P = self.people
        hp = self.post_holder
        rows: list[dict] = []
        n_rows: dict[str, dict[int, int]] = {t: {} for t in PLAN_TERMS}
        planned: dict[str, dict[int, set]] = {t: {} for t in PLAN_TERMS}
        taken: set[tuple] = set()

        def add(i, title, uid, term, added, removed=None, reason=None):
            key = (i, title, uid, term)
            if key in taken:
                return False
            taken.add(key)
            rows.append(dict(cadre_id=P[i].cadre_id, target_title=title, target_unit_id=uid, term=term,
                             added_on=added, removed_on=removed, removal_reason=reason))
            n_rows[term][i] = n_rows[term].get(i, 0) + 1
            planned[term].setdefault(i, set()).add((title, uid))
            return True

        def slate_rows(term, title, uid, active_only=True):
            return [r for r in rows if r["term"] == term and r["target_title"] == title
                    and r["target_unit_id"] == uid and (r["removed_on"] is None or not active_only)]

        district_units = [u for u, *_ in PARTY_ORGANS] + [u for u, *_ in DEPARTMENTS] + [u for u, *_ in MASS_ORGS]
        head_title = {u: self.posts[next(pid for pid in self.posts if pid.startswith(u + "-"))].title
                      for u in district_units}

        def slates(term: str) -> list[tuple[str, str]]:
            communes = (self.communes_2019 if term == "2015-2020" else
                        [u for u in self.communes_2019 if u not in MERGER_2020] + ["XA_XUAN_CHINH"])
            out = [(t, u) for u in communes for t in BTV_COMMUNE_TITLES]
            out += [(DEPUTY_TITLE[self.unit_kind[u]], u) for u in district_units]
            out += [(head_title[u], u) for u in district_units]
            out += [("chu_tich_ubnd", "UBND_HUYEN"), ("pho_bi_thu", "HU"), ("bi_thu", "HU")]
            return out

        # Planted 2020–2025 entries.
        reg = PLAN_TERMS["2020-2025"]
        four = hp(PLANTED_DOC["four_slates_post"])
        for title, uid in (("truong_ban", "HU_BAN_TO_CHUC"), ("truong_phong", "PHONG_NOI_VU"),
                           ("truong_ban", "HU_BAN_DAN_VAN"), ("chu_nhiem_ubkt", "HU_UBKT")):
            add(four, title, uid, "2020-2025", reg["added_district"])
        for i, p in enumerate(P):
            if p.rotation:
                frm = p.rotation[0]
                add(i, head_title[frm], frm, "2020-2025", date(2016, 10, 20))
        old = hp(PLANTED_DOC["too_old_post"])
        add(old, "bi_thu", "XA_CON_THOI", "2020-2025", reg["added_commune"])
        aged = hp(PLANTED_DOC["removed_for_age_post"])
        add(aged, "bi_thu", "XA_AN_HOA", "2020-2025", reg["added_commune"], date(2018, 12, 20), "tuoi")
        disc = hp(PLANTED_DOC["disciplined_planned_post"])
        add(disc, "truong_phong", "PHONG_TAI_CHINH_KE_HOACH", "2020-2025", reg["added_district"])
        drem = hp(PLANTED_DOC["disciplined_removed_post"])
        add(drem, "chu_tich_ubnd", "XA_HOI_NINH", "2020-2025", reg["added_commune"], date(2018, 4, 10), "ky_luat")
        dcv = self.planted["disciplined_cv"]
        add(dcv, "truong_phong", "PHONG_TAI_NGUYEN_MOI_TRUONG", "2020-2025", reg["added_district"],
            date(2017, 12, 15), "ky_luat")
        # Entries the sample proposal batch (data/scenarios/de-xuat-mau.csv) relies on.
        for pid, title, uid in PLAN_DEMO_ENTRIES:
            i = hp(pid)
            commune = self.unit_kind[uid] in COMMUNE_KINDS
            add(i, title, uid, "2020-2025", reg["added_commune" if commune else "added_district"])
        no_fill = {four, old, aged, disc, drem, dcv}
        cap = {t: {} for t in PLAN_TERMS}
        cap["2020-2025"] = {hp(pid): n for pid, n in PLAN_DEMO_CAPS}

        for term, info in PLAN_TERMS.items():
            start = info["start"]
            for title, uid in slates(term):
                commune = self.unit_kind[uid] in COMMUNE_KINDS
                added = info["added_commune" if commune else "added_district"]
                if term == "2015-2020":
                    # Incumbents appointed after the 2014 planning were on the slate (when they fitted it).
                    for i in self.holders(uid, title):
                        since = self.posts[next(pid for pid in P[i].posts
                                                if self.posts[pid].unit_id == uid
                                                and self.posts[pid].title == title)].since
                        if (since > added and not P[i].rotation and n_rows[term].get(i, 0) < 3
                                and self._fits(i, title, uid, term, added, planned[term])):
                            add(i, title, uid, term, added, since, "bo_nhiem")
                current = slate_rows(term, title, uid)
                want = 1 if (title, uid) == PLANTED_DOC["single_slate"] and term == "2020-2025" else int(
                    self.rng.choice([2, 3]))
                need = min(want - len(current), PLAN_SLATE_MAX - len(slate_rows(term, title, uid, False)))
                if want > 1:
                    need = max(need, PLAN_SLATE_MIN - len(current))
                if need <= 0:
                    continue
                on_slate = {r["cadre_id"] for r in slate_rows(term, title, uid, False)}

                def ok(i, added=added, title=title, uid=uid, term=term, on_slate=on_slate):
                    return (i not in no_fill and n_rows[term].get(i, 0) < cap[term].get(i, 3)
                            and P[i].cadre_id not in on_slate
                            and self._fits(i, title, uid, term, added, planned[term]))

                pool = [(i, w) for i, w in self._pool(title, uid, term, planned[term]) if ok(i)]
                if len(pool) < need:
                    seen = {i for i, _ in pool}
                    pool += [(i, w) for i, w in self._wide_pool(title, uid) if i not in seen and ok(i)]
                need = min(need, len(pool))
                assert len(current) + need >= PLAN_SLATE_MIN or (title, uid) == PLANTED_DOC["single_slate"], (
                    term, title, uid)
                weights = np.array([w * (2.0 if P[i].gender == "nu" else 1.0)
                                    * (1.8 if P[i].age_on(start) < 40 else 1.0) for i, w in pool])
                chosen = self.rng.choice(len(pool), size=need, replace=False, p=weights / weights.sum())
                for c in sorted(int(x) for x in chosen):
                    i = pool[c][0]
                    late = term == "2020-2025" and self.rng.random() < 0.12
                    when = PLAN_LATE_ADDED if late and self._fits(i, title, uid, term, PLAN_LATE_ADDED,
                                                                  planned[term]) else added
                    add(i, title, uid, term, when)

        # Genuine gaps of the 2020–2025 list (each one a story for the compliance check).
        gaps = self._plant_planning_gaps(add, slate_rows, n_rows, planned["2020-2025"], no_fill)

        # A few more removals (open and dynamic planning), each slate kept ≥ 2.
        keep = set(gaps.values()) | {hp(pid) for pid, _, _ in PLAN_DEMO_ENTRIES}
        for term, when, reason, n in (("2015-2020", date(2017, 12, 15), "tuoi", 1),
                                      ("2020-2025", date(2019, 3, 15), "chuyen_cong_tac", 2)):
            done = 0
            for r in rows:
                if done == n:
                    break
                i = int(r["cadre_id"][2:]) - 1
                if (r["term"] != term or r["removed_on"] is not None or i in no_fill or i in keep
                        or (reason == "tuoi" and P[i].age_on(date(2015, 1, 1)) < 50)):
                    continue
                if reason == "chuyen_cong_tac" and self.unit_kind[r["target_unit_id"]] in COMMUNE_KINDS:
                    continue
                if len(slate_rows(term, r["target_title"], r["target_unit_id"])) < 3:
                    continue
                if self._basis_for_others(i, r, rows):
                    continue
                r["removed_on"], r["removal_reason"] = when, reason
                done += 1
        self.planted["planning_people"] = dict(four=four, old=old, aged=aged, disc=disc, drem=drem, dcv=dcv, **gaps)
        return rows

    def _basis_for_others(self, i: int, row: dict, rows: list[dict]) -> bool:
        """Whether ``row`` is the only lower-level basis of another row of the same person."""
        held = {self.posts[pid].title for pid in self.people[i].posts}
        mine = [r for r in rows if r["cadre_id"] == row["cadre_id"] and r["term"] == row["term"]
                and r["removed_on"] is None and r is not row]
        for r in mine:
            basis = PLAN_BASIS.get(r["target_title"])
            if basis is None or self.unit_kind[r["target_unit_id"]] in COMMUNE_KINDS:
                continue
            if row["target_title"] in basis and not (held & set(basis)) and not any(
                    q["target_title"] in basis for q in mine if q is not r):
                return True
        return False

    def _plant_planning_gaps(self, add, slate_rows, n_rows, planned, no_fill) -> dict[str, int]:
        """Genuine gaps of the planning lists (three in 2020–2025, one in 2015–2020), chosen deterministically.

        * ``late_gap``: a district department head with trung cấp LLCT added late
          (20-12-2018) to the slate of chair of the district People's Committee, a
          district leader post (cao cấp LLCT, 18 months, and chuyên viên chính):
          the courses cannot end before the term starts (1-7-2020);
        * ``over_age``: a commune chairman aged over 45 planned for party secretary
          (first appointment, QĐ 04/2004/QĐ-BNV: at most 45);
        * ``no_basis``: a young specialist (of a mass organisation when possible)
          planned straight for the head of the unit, without being planned for a
          deputy post;
        * ``over_age_2015``: the same over-age story on the 2015–2020 list, where the
          2017 review took the chairman off the list (``tuoi``).
        """
        P = self.people
        term, reg = "2020-2025", PLAN_TERMS["2020-2025"]
        start = reg["start"]
        out: dict[str, int] = {}
        n20 = n_rows[term]

        def free(i, title, uid):
            return (i not in no_fill and n20.get(i, 0) < 3 and not P[i].rotation
                    and len(slate_rows(term, title, uid)) < PLAN_SLATE_MAX
                    and all(r["cadre_id"] != P[i].cadre_id for r in slate_rows(term, title, uid, False)))

        # a department head with trung cấp LLCT put late on the slate of a district leader post
        target = ("chu_tich_ubnd", "UBND_HUYEN")
        required = _district_standards(target[0])
        for post in self.posts.values():
            i = post.holder
            if (i is None or post.title not in DISTRICT_HEAD_TITLES or P[i].political_theory != "trung_cap"
                    or self._gap_months(P[i], required) <= _months(PLAN_LATE_ADDED, start)):
                continue
            if free(i, *target) and self._serves(P[i], start, 5):
                add(i, *target, term, PLAN_LATE_ADDED)
                out["late_gap"] = i
                break
        for uid in self.communes_2019:
            if uid in MERGER_2020 or uid == "XA_CON_THOI":
                continue
            i = self.holders(uid, "chu_tich_ubnd")[0]
            if 46 <= P[i].age_on(start) <= 50 and free(i, "bi_thu", uid) and self._serves(P[i], start, 5) and (
                    self._gap_months(P[i], PLAN_STANDARDS["bi_thu"]) <= _months(reg["added_commune"], start)):
                add(i, "bi_thu", uid, term, reg["added_commune"])
                out["over_age"] = i
                break
        mass = [u for u, *_ in MASS_ORGS]
        for i, p in sorted(enumerate(P), key=lambda x: (x[1].unit_id not in mass, x[0])):
            uid = p.unit_id
            if (p.profile != "chuyen_vien" or p.posts or self.unit_kind.get(uid) not in DEPUTY_TITLE
                    or p.age_on(start) >= 40 or p.work_start > reg["added_district"]):
                continue
            title = self.posts[next(q for q in self.posts if q.startswith(uid + "-"))].title
            if {t for t, _ in planned.get(i, ())} & set(PLAN_BASIS[title]):
                continue
            if free(i, title, uid) and self._gap_months(p, PLAN_STANDARDS["slates_district"]) <= _months(
                    reg["added_district"], start):
                add(i, title, uid, term, reg["added_district"])
                out["no_basis"] = i
                break
        # 2015–2020: a chairman over 45 put on the 2014 slate for party secretary, taken off by the 2017 review.
        term, reg = "2015-2020", PLAN_TERMS["2015-2020"]
        n15 = n_rows["2015-2020"]
        for uid in self.communes_2019:
            i = self.holders(uid, "chu_tich_ubnd")[0]
            if (46 <= P[i].age_on(reg["start"]) <= 50 and i not in no_fill and n15.get(i, 0) < 3
                    and len(slate_rows(term, "bi_thu", uid, False)) < PLAN_SLATE_MAX
                    and all(r["cadre_id"] != P[i].cadre_id for r in slate_rows(term, "bi_thu", uid, False))
                    and self._serves(P[i], reg["start"], 5) and P[i].work_start <= reg["added_commune"]
                    and self._gap_months(P[i], PLAN_STANDARDS["bi_thu"]) <= _months(reg["added_commune"],
                                                                                   reg["start"])):
                add(i, "bi_thu", uid, term, reg["added_commune"], date(2017, 12, 15), "tuoi")
                out["over_age_2015"] = i
                break
        assert set(out) == {"late_gap", "over_age", "no_basis", "over_age_2015"}, out
        return out

    @staticmethod
    def _serves(p: _Person, start: date, years: int) -> bool:
        """Whether ``p`` works ``years`` from ``start`` before 60 (men) / 55 (women), the pre-2021 ages."""
        return _add_years(p.birth, 60 if p.gender == "nam" else 55) >= _add_years(start, years)

    @staticmethod
    def _gap_months(p: _Person, required: dict[str, str]) -> float:
        """Months of the courses of :data:`COURSES` that close ``p``'s gaps to ``required`` (inf: none)."""
        total = 0.0
        for fld, need in required.items():
            ladder = LADDERS[fld]
            have = ladder.index(getattr(p, fld) or ladder[0])
            while have < ladder.index(need):
                step = [c for c in COURSES if c[2] == fld and ladder.index(c[3]) > have
                        and (c[7] is None or ladder.index(c[7]) <= have)]
                if not step:
                    return float("inf")
                course = min(step, key=lambda c: (ladder.index(c[3]), c[4]))
                total += course[4]
                have = ladder.index(course[3])
        return total

    def _fits(self, i: int, title: str, uid: str, term: str, added: date, planned: dict[int, set]) -> bool:
        """Whether cadre ``i`` fits the slate of ``title`` in ``uid`` planned on ``added`` for ``term``."""
        p = self.people[i]
        start = PLAN_TERMS[term]["start"]
        if p.work_start > added or not self._serves(p, start, 5):
            return False
        held = {self.posts[pid].title for pid in p.posts}
        first = title not in held
        commune = self.unit_kind[uid] in COMMUNE_KINDS
        if commune and first and title == "bi_thu" and p.age_on(start) > 45:
            return False
        if commune and first and title == "chu_tich_ubnd" and not self._serves(p, start, 10):
            return False
        if commune:
            required = PLAN_STANDARDS.get(title)
        else:  # the committee's own bar for district slates (see PLAN_STANDARDS)
            required = PLAN_STANDARDS["slates_district"] if _district_standards(title) else None
        if required and self._gap_months(p, required) > _months(added, start):
            return False
        basis = PLAN_BASIS.get(title)
        if commune or basis is None:
            return True
        held_elsewhere = {self.posts[pid].title for pid in p.posts
                          if not (self.posts[pid].unit_id == uid and self.posts[pid].title == title)}
        planned_elsewhere = {t for t, u in planned.get(i, ()) if (t, u) != (title, uid)}
        return bool((held_elsewhere | planned_elsewhere) & set(basis))

    def _pool(self, title: str, uid: str, term: str, planned: dict[int, set]) -> list[tuple[int, float]]:
        """Natural candidates for ``title`` in ``uid`` with their weights (before the eligibility filter)."""
        P = self.people
        units = ("XA_XUAN_THIEN", "XA_CHINH_TAM") if uid == "XA_XUAN_CHINH" else (uid,)
        incumbents = set(self.holders(uid, title))
        by_title = {
            "bi_thu": ("pho_bi_thu", "chu_tich_ubnd", "chu_tich_hdnd", "pho_chu_tich_ubnd", "bi_thu"),
            "pho_bi_thu": ("pho_chu_tich_ubnd", "chu_nhiem_ubkt", "chu_tich_mttq", "pho_bi_thu"),
            "chu_tich_ubnd": ("pho_chu_tich_ubnd", "pho_bi_thu", "chu_tich_ubnd"),
            "chu_tich_hdnd": ("pho_bi_thu", "chu_tich_mttq", "chu_nhiem_ubkt", "pho_chu_tich_ubnd"),
        }
        kind = self.unit_kind[uid]
        out: list[tuple[int, float]] = []
        if uid == "HU":
            src = [("HU", "pho_bi_thu"), ("UBND_HUYEN", "chu_tich_ubnd"), ("HU_BAN_TO_CHUC", "truong_ban"),
                   ("HU_UBKT", "chu_nhiem_ubkt"), ("UBND_HUYEN", "pho_chu_tich_ubnd")]
            out = [(i, 1.0) for u, t in src for i in self.holders(u, t)]
            out += [(i, 1.0) for i, posts in planned.items() if ("pho_bi_thu", "HU") in posts]
        elif uid == "UBND_HUYEN":
            src = [("UBND_HUYEN", "pho_chu_tich_ubnd"), ("PHONG_TAI_CHINH_KE_HOACH", "truong_phong"),
                   ("VP_HDND_UBND", "truong_phong")]
            out = [(i, 1.0) for u, t in src for i in self.holders(u, t)]
        elif kind in COMMUNE_KINDS:
            out = [(i, 1.0) for u in units for t in by_title[title] for i in self.holders(u, t)]
            out += [(i, 1.0) for i, p in enumerate(P) if p.unit_id in units and not p.posts]
        elif title in DISTRICT_DEPUTY_TITLES:
            district = set(DEPUTY_TITLE) - set(COMMUNE_KINDS)
            out = [(i, 3.0 if p.unit_id == uid else 1.0) for i, p in enumerate(P)
                   if p.profile == "chuyen_vien" and not p.posts and self.unit_kind.get(p.unit_id) in district]
        else:
            dep = DEPUTY_TITLE[kind]
            out = [(i, 3.0) for i in self.holders(uid, dep)]
            out += [(i, 1.0) for i, posts in planned.items() if (dep, uid) in posts]
            out += [(i, 1.0) for q in self.posts.values() if q.title == dep and q.unit_id != uid
                    and q.holder is not None for i in (q.holder,)]
        seen, uniq = set(), []
        for i, w in out:
            if i not in seen and i not in incumbents:
                seen.add(i)
                uniq.append((i, w))
        return uniq

    def _wide_pool(self, title: str, uid: str) -> list[tuple[int, float]]:
        """Fallback candidates: district deputies and specialists, heads and commune leaders (district posts)."""
        out = [(i, 1.0) for i, p in enumerate(self.people)
               if p.unit_id != uid and p.profile in ("pho_huyen", "chuyen_vien") and not p.rotation]
        if self.unit_kind[uid] not in COMMUNE_KINDS:
            out += [(q.holder, 0.5) for q in self.posts.values() if q.holder is not None and q.unit_id != uid
                    and q.unit_id not in ("HU", "UBND_HUYEN") and q.title in PLAN_BASIS.get(title, ())
                    and not self.people[q.holder].rotation]
        seen: set[int] = set()
        return [(i, w) for i, w in out if not (i in seen or seen.add(i))]
