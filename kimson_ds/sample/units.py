"""Step ``units``: the commune-level units of 2016, 2020 and 2025 and the district bodies."""

from __future__ import annotations

from datetime import date

from kimson_ds.sample.base import BuilderBase, commune_id
from kimson_ds.sample.constants import (
    COMMUNES_2016,
    COMMUNES_2025,
    DEPARTMENTS,
    MASS_ORGS,
    MERGER_2020,
    MERGER_2025,
    PARTY_ORGANS,
)


class UnitsStep(BuilderBase):
    """Step ``units``: the commune-level units of 2016, 2020 and 2025 and the district bodies."""

    # ................................................................. units
    def build_units(self) -> None:
        """Commune-level units of 2016, Xuân Chính (2020), the 2025 communes and district bodies."""
        # The units of 2016 existed long before the records start: no start date (blank = open).
        start, end_district = None, date(2025, 6, 30)
        new_of = {old: new for new, olds in MERGER_2025.items() for old in olds}
        for name, kind, area, pop, dist in COMMUNES_2016:
            uid = commune_id(name, kind)
            merged = uid in MERGER_2020
            if uid == "XA_LUU_PHUONG":  # 1-1-2025: into thị trấn Phát Diệm (NQ 1318/NQ-UBTVQH15)
                end, successor = date(2024, 12, 31), "TT_PHAT_DIEM"
            else:
                end = date(2019, 12, 31) if merged else end_district
                successor = MERGER_2020[uid] if merged else new_of[uid]
            self._unit(uid, name, kind, "dia_phuong", None, area, pop, dist, start, end, successor)
        area = {commune_id(n, k): a for n, k, a, _, _ in COMMUNES_2016}
        pop = {commune_id(n, k): p for n, k, _, p, _ in COMMUNES_2016}
        xc = ("XA_XUAN_THIEN", "XA_CHINH_TAM")
        area["XA_XUAN_CHINH"] = round(sum(area[u] for u in xc), 2)
        pop["XA_XUAN_CHINH"] = sum(pop[u] for u in xc)
        self._unit("XA_XUAN_CHINH", "Xuân Chính", "xa", "dia_phuong", None, area["XA_XUAN_CHINH"],
                   pop["XA_XUAN_CHINH"], 11.0, date(2020, 1, 1), end_district, new_of["XA_XUAN_CHINH"])
        for uid, olds in MERGER_2025.items():
            # Yên Mật (split in 2020) is counted with its recorded successor Kim Chính.
            parts = list(olds) + (["XA_YEN_MAT"] if "XA_KIM_CHINH" in olds else [])
            name, dist = COMMUNES_2025[uid]
            self._unit(uid, name, "xa", "dia_phuong", None, round(sum(area[u] for u in parts), 2),
                       sum(pop[u] for u in parts), dist, date(2025, 7, 1), None, None)
        self._unit("HU", "Huyện ủy Kim Sơn", "co_quan_dang", "dang_uy", None, None, None, None, start,
                   end_district, None)
        self._unit("UBND_HUYEN", "Ủy ban nhân dân huyện Kim Sơn", "chinh_quyen_huyen", "chinh_quyen", None,
                   None, None, None, start, end_district, None)
        for uid, name, func, _ in PARTY_ORGANS:
            self._unit(uid, name, "co_quan_dang", func, "HU", None, None, None, start, end_district, None)
        for uid, name, func, _, _ in DEPARTMENTS:
            self._unit(uid, name, "phong_ban", func, "UBND_HUYEN", None, None, None, start, end_district, None)
        for uid, name, func, _ in MASS_ORGS:
            self._unit(uid, name, "doan_the", func, None, None, None, None, start, end_district, None)

    def _unit(self, uid, name, kind, function, parent, area, pop, dist, vfrom, vto, successor) -> None:
        self.units.append(dict(unit_id=uid, name=name, kind=kind, function=function, parent_unit_id=parent,
                               area_km2=area, population=pop, distance_km=dist, valid_from=vfrom,
                               valid_to=vto, successor_unit_id=successor))
        self.unit_kind[uid] = kind

    @property
    def communes_2019(self) -> list[str]:
        """The 27 commune-level units existing on the snapshot date."""
        return [commune_id(n, k) for n, k, _, _, _ in COMMUNES_2016]
