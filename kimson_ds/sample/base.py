"""Helpers, the in-memory model (posts, people) and the state every generator step shares."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from kimson_ds.data.codes import RATING_ORDER
from kimson_ds.sample.constants import POINT_CUTS, SNAPSHOT, VACANT_POSTS


# ------------------------------------------------------------------ helpers
def ascii_id(text: str) -> str:
    """Return ``text`` as an ASCII upper-snake identifier (``Ân Hòa`` → ``AN_HOA``)."""
    text = text.replace("Đ", "D").replace("đ", "d")
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return "_".join(stripped.upper().replace("–", " ").split())


def commune_id(name: str, kind: str) -> str:
    """Return the unit id of a 2016 commune-level unit (``TT_`` for towns, ``XA_`` otherwise)."""
    return f"{'TT' if kind == 'thi_tran' else 'XA'}_{ascii_id(name)}"


def points_level(score: float) -> str:
    """Return the rating level that ``score`` earns by points alone (90/70/50)."""
    for level, cut in POINT_CUTS:
        if score >= cut:
            return level
    return "khong_hoan_thanh"


def cap_level(level: str, cap: str | None) -> str:
    """Return ``level`` capped so it is not better than ``cap`` (None: no cap)."""
    if cap is None:
        return level
    return RATING_ORDER[max(RATING_ORDER.index(level), RATING_ORDER.index(cap))]


def _add_years(d: date, years: int) -> date:
    """Return ``d`` plus whole ``years`` (29 February becomes 28 February)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def _ord(d: date) -> int:
    return d.toordinal()


def _months(start: date, end: date) -> float:
    """Months from ``start`` to ``end`` (30.4375 days each, as the compliance check counts them)."""
    return (_ord(end) - _ord(start)) / 30.4375


def _vacant(unit_id: str, title: str, n: int) -> bool:
    """Whether post ``n`` of ``title`` in ``unit_id`` is left vacant at the snapshot."""
    return f"{unit_id}-{title.upper()}-{n}" in VACANT_POSTS


def _target_count(n: int, share: float) -> int:
    """The head count ``k`` with ``round(100 k / n, 1) == round(100 share, 1)``."""
    for k in range(n + 1):
        if round(100.0 * k / n, 1) == round(100.0 * share, 1):
            return k
    raise ValueError(f"no head count out of {n} gives {share:.1%}")


# -------------------------------------------------------------- data model
@dataclass
class _Post:
    position_id: str
    unit_id: str
    title: str
    is_key: bool
    holder: int | None = None
    since: date | None = None
    open_for_rotation: bool = False


@dataclass
class _Person:
    profile: str
    unit_id: str
    posts: list[str] = field(default_factory=list)
    cadre_id: str = ""
    gender: str = ""
    birth: date = SNAPSHOT
    family: str = ""
    middle: str = ""
    given: str = ""
    ethnicity: str = "Kinh"
    home_unit: str | None = None
    party_join: date | None = None
    work_start: date | None = None
    education: str = ""
    political_theory: str = ""
    state_mgmt: str = ""
    managed_by_btv: bool = False
    rotation: tuple | None = None  # (from_unit, to_unit, title, start)
    age_range: tuple[int, int] | None = None
    force_gender: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.family} {self.middle} {self.given}"

    def age_on(self, d: date) -> int:
        """Whole years of age on ``d``."""
        return d.year - self.birth.year - ((d.month, d.day) < (self.birth.month, self.birth.day))


# ------------------------------------------------------------------ builder
class BuilderBase:
    """State shared by the steps: the random generator, units, posts, people and planted cases."""

    def __init__(self, seed: int):
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.units: list[dict] = []
        self.unit_kind: dict[str, str] = {}
        self.posts: dict[str, _Post] = {}
        self.people: list[_Person] = []
        self.planted: dict[str, object] = {}

    # ............................................................. small tools
    def _choice(self, weights: dict[str, float]) -> str:
        keys = list(weights)
        p = np.array([weights[k] for k in keys], dtype=float)
        return keys[int(self.rng.choice(len(keys), p=p / p.sum()))]

    def _date_between(self, start: date, end: date) -> date:
        return date.fromordinal(int(self.rng.integers(_ord(start), _ord(end) + 1)))

    def _person(self, profile: str, unit_id: str, **kw) -> int:
        self.people.append(_Person(profile=profile, unit_id=unit_id, **kw))
        return len(self.people) - 1

    def _post(self, unit_id: str, title: str, n: int, holder: int | None, is_key: bool = False) -> str:
        pid = f"{unit_id}-{title.upper()}-{n}"
        assert holder is None or pid not in VACANT_POSTS, pid
        self.posts[pid] = _Post(pid, unit_id, title, is_key, holder)
        if holder is not None:
            self.people[holder].posts.append(pid)
        return pid

    def holders(self, unit_id: str, title: str) -> list[int]:
        """People holding ``title`` in ``unit_id`` (in post order)."""
        return [p.holder for p in self.posts.values()
                if p.unit_id == unit_id and p.title == title and p.holder is not None]

    def post_holder(self, position_id: str) -> int:
        holder = self.posts[position_id].holder
        assert holder is not None, position_id
        return holder
