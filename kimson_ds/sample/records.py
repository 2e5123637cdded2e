"""Steps ``relatives``, ``rotations`` and ``discipline``: the small record tables."""

from __future__ import annotations

from kimson_ds.sample.base import BuilderBase, _add_years


class RecordsStep(BuilderBase):
    """Steps ``relatives``, ``rotations`` and ``discipline``: the small record tables."""

    # ................................................ relatives, rotations, discipline
    def build_relatives(self) -> list[dict]:
        P = self.people
        rows = []
        bt, kt = self.planted["siblings"]
        rows.append((bt, kt, "anh_chi_em"))
        tp, pp = self.planted["spouses"]
        rows.append((tp, pp, "vo_chong"))
        kt, tp = self.planted["parent_accountant"]
        rows.append((kt, tp, "cha_me"))
        pp, wife, tp = self.planted["in_law"]
        rows.append((pp, wife, "vo_chong"))
        rows.append((wife, tp, "cha_me"))
        rows += self.planted["other_links"]
        return [dict(cadre_id=P[a].cadre_id, relative_id=P[b].cadre_id, relation=r) for a, b, r in rows]

    def build_rotations(self) -> list[dict]:
        return [dict(cadre_id=p.cadre_id, from_unit_id=p.rotation[0], to_unit_id=p.rotation[1],
                     title=p.rotation[2], start_date=p.rotation[3], end_date=_add_years(p.rotation[3], 3))
                for p in self.people if p.rotation]

    def build_discipline(self) -> list[dict]:
        P = self.people
        return [dict(cadre_id=P[i].cadre_id, form=f, decided_on=d, expires_on=_add_years(d, 1))
                for i, f, d in self.discipline_cases()]
