"""The bundled synthetic sample dataset ``data/kimson/`` and its generator.

Snapshot
--------
The sample holds the records of the district Party organisation board **as of
31-12-2019** (:data:`SNAPSHOT`): who holds which post, qualifications, the
planning lists of the terms 2015–2020 and 2020–2025, ratings 2015–2019,
training, rotations, discipline and family links as known on that day.
Later events are present only as *dated units*: the 1-1-2020 merger
(Xuân Thiện + Chính Tâm → Xuân Chính, Yên Mật split) and the 1-7-2025
reorganisation into 8 communes (the district level abolished), with their key
posts empty so that merger-staffing scenarios can fill them.

People are synthetic (random names from common Vietnamese family, middle and
given names, fixed seed); the geography is real (the 27 units of 2016 with
their official names, areas and populations). Distances, the make-up of seven
of the eight 2025 communes (:data:`MERGER_2025`) and course data are
ASSUMPTIONS, documented in ``data/README.md``.

Id conventions
--------------
* communes: ``XA_<NAME>`` / ``TT_<NAME>`` (ASCII, upper snake, no diacritics),
  2025 communes ``XA2025_<NAME>``; district bodies: ``HU``, ``UBND_HUYEN``,
  ``HU_*`` (Party organs), ``PHONG_*``/``THANH_TRA_HUYEN``/``VP_HDND_UBND``
  (departments), ``*_HUYEN``/``HUYEN_DOAN`` (mass organisations);
* positions: ``<UNIT_ID>-<TITLE>-<n>`` such as ``XA_KIM_HAI-BI_THU-1``;
* cadres: ``CB0001`` … in the order district bodies, communes, then
  non-holders.

The generator is deterministic: :func:`generate` with the same seed writes
byte-identical files.

Layout
------
One module per step, each a mixin of :class:`_Builder` named after the table(s)
it fills: :mod:`~kimson_ds.sample.units`, :mod:`~kimson_ds.sample.positions`,
:mod:`~kimson_ds.sample.cadres`, :mod:`~kimson_ds.sample.ratings`,
:mod:`~kimson_ds.sample.planning`, :mod:`~kimson_ds.sample.training`,
:mod:`~kimson_ds.sample.records`; fixed facts in :mod:`~kimson_ds.sample.constants`,
shared state in :mod:`~kimson_ds.sample.base`, the CSV form in
:mod:`~kimson_ds.sample.writer`, the README in :mod:`~kimson_ds.sample.readme`.
The steps run in the order of :meth:`_Builder.build`; they share one random
generator, so their order is part of the byte-for-byte output.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kimson_ds.data.schema import TABLES
from kimson_ds.sample.base import _add_years, ascii_id, cap_level, commune_id, points_level  # noqa: F401
from kimson_ds.sample.cadres import CadresStep
from kimson_ds.sample.constants import *  # noqa: F403 (the public names of the sample stay importable here)
from kimson_ds.sample.constants import DEFAULT_SEED
from kimson_ds.sample.history import HistoryStep
from kimson_ds.sample.planning import PlanningStep
from kimson_ds.sample.positions import PositionsStep
from kimson_ds.sample.procedures import build_procedure_records
from kimson_ds.sample.ratings import RatingsStep
from kimson_ds.sample.readme import _COMMUNE_IDS, data_dictionary_markdown, readme_markdown, sample_facts  # noqa: F401
from kimson_ds.sample.records import RecordsStep
from kimson_ds.sample.training import TrainingStep
from kimson_ds.sample.units import UnitsStep
from kimson_ds.sample.writer import _frame, write_csv


class _Builder(UnitsStep, PositionsStep, CadresStep, RatingsStep, PlanningStep, TrainingStep, RecordsStep,
               HistoryStep):
    """Builds every table of the sample from one random generator, one named step per table."""

    # ................................................................ tables
    def build(self) -> dict[str, pd.DataFrame]:
        self.build_units()
        self.build_posts()
        self.describe_people()
        self.plant_people()
        self.describe_careers()
        self.describe_qualifications()
        self.mark_rotation_posts()
        self.assign_ids()
        P = self.people
        cadres = [dict(cadre_id=p.cadre_id, full_name=p.full_name, gender=p.gender, birth_date=p.birth,
                       ethnicity=p.ethnicity, home_unit_id=p.home_unit, unit_id=p.unit_id,
                       party_join_date=p.party_join, work_start_date=p.work_start, education=p.education,
                       political_theory=p.political_theory, state_mgmt=p.state_mgmt,
                       managed_by_btv=p.managed_by_btv) for p in P]
        positions = [dict(position_id=q.position_id, unit_id=q.unit_id, title=q.title, is_key=q.is_key,
                          holder_id=P[q.holder].cadre_id if q.holder is not None else None,
                          holder_since=q.since, open_for_rotation=q.open_for_rotation)
                     for q in self.posts.values()]
        records = {
            "units": self.units,
            "positions": positions,
            "cadres": cadres,
        }
        records["org_ratings"] = self.build_org_ratings()
        records["ratings"] = self.build_ratings()
        records["planning"] = self.build_planning()
        records["courses"] = self.build_courses()
        records["trainings"] = self.build_trainings()
        records["relatives"] = self.build_relatives()
        records["rotations"] = self.build_rotations()
        records["discipline"] = self.build_discipline()
        records["work_history"] = self.build_work_history()
        records["unit_successions"] = self.build_unit_successions()
        return {name: _frame(name, records.get(name, [])) for name in TABLES}


def build(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Build every table of the sample in memory.

    Parameters
    ----------
    seed : int
        Seed of :func:`numpy.random.default_rng`.

    Returns
    -------
    dict of str to pandas.DataFrame
        One frame per table of :data:`kimson_ds.data.schema.TABLES`, columns in
        schema order.
    """
    tables = _Builder(seed).build()
    for name, records in build_procedure_records(tables).items():
        tables[name] = _frame(name, records)
    return tables


def generate(out_dir: Path, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Build the sample and write ``out_dir/<table>.csv`` for every table.

    Parameters
    ----------
    out_dir : pathlib.Path
        Folder to write into (created if needed).
    seed : int
        Random seed; the same seed gives byte-identical files.

    Returns
    -------
    dict of str to pandas.DataFrame
        The tables written.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = build(seed)
    for name, frame in tables.items():
        write_csv(frame, name, out_dir / f"{name}.csv")
    return tables
