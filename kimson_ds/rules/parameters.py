"""Dated regulation parameters (OpenFisca style).

Every legal quantity the package uses (ages, quotas, slate sizes, thresholds,
standards tables, linked-post rules, …) lives in one small YAML file under
``kimson_ds/rules/params/``. The file's path gives the parameter's dotted name:
``params/retirement/age_men_months.yaml`` is ``retirement.age_men_months``.

File format
-----------
.. code-block:: yaml

    description: Tuổi nghỉ hưu của lao động nam (tính bằng tháng)
    metadata:
      unit: month                  # optional
      assumption: false            # default flag for every value (optional)
      note: ...                    # optional free text (optional)
      reference:                   # at least one entry
        - title: Nghị định 135/2020/NĐ-CP, Điều 4
          href: https://...        # optional
    values:
      1995-01-01:
        value: 720
      2021-01-01:
        value: 723
        assumption: false          # optional, overrides metadata.assumption
        reference:                 # optional, overrides metadata.reference
          - title: ...
        note: ...                  # optional

* A value may be a scalar, a list or a mapping; ``value: null`` is a repeal.
* Each dated value may carry its own ``assumption`` flag and ``reference``
  list: one parameter can start as an **ASSUMPTION** (e.g. a local rule that
  was not confirmed) and later be fixed by a confirmed regulation.
* Asking for a date before the first value, or while the parameter is
  repealed, raises :class:`~kimson_ds.errors.ParameterError`; there is never a
  silent fallback.
* Files are parsed and validated once per process; a malformed file makes
  every load fail with a :class:`~kimson_ds.errors.ParameterError` naming it.

Usage
-----
>>> p = parameters("2023-06-30")
>>> p["retirement.age_men_months"]
729
>>> p.references()  # "Căn cứ pháp lý" of everything read so far   # doctest: +SKIP
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from kimson_ds.errors import ParameterError

__all__ = [
    "PARAMS_DIR",
    "ParameterSet",
    "get_param",
    "history",
    "list_parameters",
    "parameter_info",
    "parameters",
    "validate_all",
]

#: Folder holding the parameter files.
PARAMS_DIR = Path(__file__).parent / "params"

_TOP_KEYS = {"description", "metadata", "values", "documentation"}
_METADATA_KEYS = {"unit", "assumption", "reference", "note"}
_ENTRY_KEYS = {"value", "assumption", "reference", "note"}
_REFERENCE_KEYS = {"title", "href"}
_NAME_PART = re.compile(r"^[a-z][a-z0-9_]*$")

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML loader that rejects duplicate mapping keys."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: set = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError:  # unhashable key: let the base class complain
                    break
                if duplicate:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"khóa bị trùng lặp: {key!r}", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class _Entry:
    """One dated value of a parameter."""

    since: dt.date
    value: Any
    assumption: bool
    reference: tuple[tuple[str, str], ...]  # (title, href or "")
    note: str = ""


@dataclass(frozen=True)
class _Parameter:
    """A parsed, validated parameter file."""

    name: str
    path: Path
    description: str
    metadata: dict
    entries: tuple[_Entry, ...]
    dates: tuple[dt.date, ...]

    def entry_at(self, when: dt.date) -> _Entry:
        """Return the entry in force on ``when``; raise if none or repealed."""
        i = bisect_right(self.dates, when) - 1
        if i < 0:
            raise ParameterError(
                f"Tham số '{self.name}' chưa có giá trị vào ngày {_vn_date(when)}: "
                f"giá trị đầu tiên áp dụng từ ngày {_vn_date(self.dates[0])}."
            )
        entry = self.entries[i]
        if entry.value is None:
            raise ParameterError(
                f"Tham số '{self.name}' không còn hiệu lực từ ngày {_vn_date(entry.since)} "
                f"(hỏi giá trị vào ngày {_vn_date(when)})."
            )
        return entry

    def entry_or_none(self, when: dt.date) -> _Entry | None:
        """Entry whose interval contains ``when`` (repeals included), else None."""
        i = bisect_right(self.dates, when) - 1
        return self.entries[i] if i >= 0 else None


_KIND_VI = {"number": "một số", "bool": "true hoặc false", "text": "một chuỗi ký tự",
            "list": "một danh sách", "mapping": "một bảng khóa: giá trị"}


def _value_kind(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


#: Typed range of every number in an override, by the parameter's ``metadata.unit``
#: (inclusive bounds; the unit in Vietnamese for the message). Parameters without a unit
#: take :data:`_DEFAULT_RANGE`; a negative value is allowed only where the regulation's own
#: values are negative (``rating.org_rating_year_offset``).
_UNIT_RANGES: dict[str, tuple[float, float, str]] = {
    "share": (0, 1, "tỷ lệ"),
    "percent": (0, 100, "%"),
    "month": (0, 1200, "tháng"),
    "year": (0, 100, "năm"),
    "day": (0, 366, "ngày"),
    "person": (0, 1000, "người"),
    "post": (1, 20, "chức vụ"),
    "point": (0, 101, "điểm"),  # 101: a threshold nobody reaches (a what-if)
    "rank": (0, 100, "bậc"),
    "term": (0, 10, "nhiệm kỳ"),
}
_DEFAULT_RANGE = (0, 1_000_000, "")
#: Parameters whose natural range is narrower than their unit's.
_NAME_RANGES: dict[str, tuple[float, float, str]] = {
    "retirement.age_men_months": (540, 900, "tháng (45–75 tuổi)"),
    "retirement.age_women_months": (540, 900, "tháng (45–75 tuổi)"),
    "term.length_years": (1, 10, "năm"),
    "rotation.min_duration_years": (0, 10, "năm"),
    "rotation.young_age_limit": (18, 75, "tuổi"),
    "planning.young_age_limit_district": (18, 75, "tuổi"),
    "rating.org_rating_year_offset": (-5, 5, "năm"),
}


def override_range(name: str) -> tuple[float, float, str]:
    """``(low, high, unit)`` every number of an override of ``name`` must lie in."""
    if name in _NAME_RANGES:
        return _NAME_RANGES[name]
    unit = str((_param(name).metadata or {}).get("unit") or "")
    return _UNIT_RANGES.get(unit, _DEFAULT_RANGE)


def _numbers(value: object, depth: int = 0):
    if isinstance(value, bool) or depth > 20:
        return
    if isinstance(value, (int, float)):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _numbers(v, depth + 1)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _numbers(v, depth + 1)


def _check_override(param: _Parameter, value: object) -> None:
    """An override must have the shape of the parameter's own values, and numbers in range."""
    from kimson_ds.config import shorten

    kinds = {_value_kind(e.value) for e in param.entries} - {None}
    got = _value_kind(value)
    if kinds and got not in kinds:
        want = " hoặc ".join(_KIND_VI.get(k, k) for k in sorted(kinds))
        raise ParameterError(
            f"Giá trị ghi đè cho tham số '{param.name}' không đúng kiểu: nhận '{shorten(value)}', cần {want}."
        )
    low, high, unit = override_range(param.name)
    for number in _numbers(value):
        if not (isinstance(number, int) or math.isfinite(number)) or not low <= number <= high:
            shown = f"{low:g} đến {high:g} {unit}".strip()
            raise ParameterError(
                f"Giá trị ghi đè cho tham số '{param.name}' ngoài khoảng cho phép: nhận '{shorten(number)}', "
                f"cần một số hữu hạn từ {shown}."
            )
    if got == "list" and isinstance(value, (list, tuple)):
        seen = [str(v) for v in value if not isinstance(v, (dict, list))]
        if len(seen) != len(set(seen)):
            raise ParameterError(f"Giá trị ghi đè cho tham số '{param.name}' có phần tử trùng lặp.")
    if got == "mapping":
        known = set().union(*(e.value.keys() for e in param.entries if isinstance(e.value, dict)))
        extra = sorted(set(value) - known)
        if extra:
            raise ParameterError(
                f"Giá trị ghi đè cho tham số '{param.name}' có khóa không tồn tại: {', '.join(map(str, extra))} "
                f"(các khóa có: {', '.join(map(str, sorted(known)))})."
            )


def _vn_date(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def _to_date(value: object) -> dt.date:
    """Convert ``as_of`` (str, date, datetime, Timestamp, datetime64) to a date."""
    if value is None or value is pd.NaT:
        raise ParameterError(f"Ngày áp dụng không hợp lệ: {value!r}.")
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ParameterError(f"Ngày áp dụng không hợp lệ: {value!r} (cần dạng YYYY-MM-DD).") from None
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        ts = pd.NaT
    if pd.isna(ts):
        raise ParameterError(f"Ngày áp dụng không hợp lệ: {value!r}.")
    return ts.date()


def _has_vietnamese_letter(text: str) -> bool:
    return any(ord(ch) > 127 and ch.isalpha() for ch in text)


# --------------------------------------------------------------------------- parsing


def _parse_references(raw: object, where: str, problems: list[str]) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}: 'reference' phải là danh sách có ít nhất một mục.")
        return ()
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            problems.append(f"{where}: mục reference thứ {i + 1} phải là bảng có 'title'.")
            continue
        extra = set(item) - _REFERENCE_KEYS
        if extra:
            problems.append(f"{where}: mục reference thứ {i + 1} có khóa lạ {sorted(extra)}.")
        title = item.get("title")
        if not isinstance(title, str) or not title.strip():
            problems.append(f"{where}: mục reference thứ {i + 1} thiếu 'title'.")
            continue
        href = item.get("href", "") or ""
        if not isinstance(href, str):
            problems.append(f"{where}: 'href' của mục reference thứ {i + 1} phải là chuỗi.")
            href = ""
        out.append((title.strip(), href.strip()))
    return tuple(out)


def _parse_key_date(key: object) -> dt.date | None:
    if isinstance(key, dt.datetime):
        return None
    if isinstance(key, dt.date):
        return key
    if isinstance(key, str):
        try:
            return dt.date.fromisoformat(key.strip())
        except ValueError:
            return None
    return None


def _name_of(path: Path, root: Path) -> str:
    rel = path.relative_to(root).with_suffix("")
    return ".".join(rel.parts)


def _parse_file(path: Path, root: Path) -> tuple[_Parameter | None, list[str]]:
    """Parse one file; return the parameter (None if unusable) and its problems."""
    problems: list[str] = []
    name = _name_of(path, root)
    where = f"Tệp tham số {path.relative_to(root).as_posix()}"
    for part in name.split("."):
        if not _NAME_PART.match(part):
            problems.append(f"{where}: tên '{part}' phải viết thường, không dấu, dạng a_z0_9.")
    try:
        with path.open(encoding="utf-8") as fh:
            doc = yaml.load(fh, Loader=_StrictLoader)  # a SafeLoader subclass
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return None, [*problems, f"{where}: không đọc được YAML ({exc})."]
    if not isinstance(doc, dict):
        return None, [*problems, f"{where}: nội dung phải là một bảng (mapping)."]

    extra = set(doc) - _TOP_KEYS
    if extra:
        problems.append(f"{where}: có khóa lạ {sorted(map(str, extra))}.")

    description = doc.get("description")
    if not isinstance(description, str) or not description.strip():
        problems.append(f"{where}: thiếu 'description'.")
        description = ""
    elif not _has_vietnamese_letter(description):
        problems.append(f"{where}: 'description' phải viết bằng tiếng Việt có dấu.")

    metadata = doc.get("metadata")
    if not isinstance(metadata, dict):
        problems.append(f"{where}: thiếu 'metadata' (cần có 'reference').")
        metadata = {}
    extra = set(metadata) - _METADATA_KEYS
    if extra:
        problems.append(f"{where}: metadata có khóa lạ {sorted(map(str, extra))}.")
    default_assumption = metadata.get("assumption", False)
    if not isinstance(default_assumption, bool):
        problems.append(f"{where}: metadata.assumption phải là true/false.")
        default_assumption = False
    if "reference" not in metadata:
        problems.append(f"{where}: thiếu metadata.reference.")
        default_refs: tuple = ()
    else:
        default_refs = _parse_references(metadata["reference"], f"{where}, metadata", problems)
    for key in ("unit", "note"):
        if key in metadata and not isinstance(metadata[key], str):
            problems.append(f"{where}: metadata.{key} phải là chuỗi.")

    values = doc.get("values")
    entries: list[_Entry] = []
    if not isinstance(values, dict) or not values:
        problems.append(f"{where}: thiếu 'values' (cần ít nhất một giá trị theo ngày).")
        values = {}
    seen: dict[dt.date, object] = {}
    for key, raw in values.items():
        since = _parse_key_date(key)
        if since is None:
            problems.append(f"{where}: khóa '{key}' trong 'values' không phải ngày YYYY-MM-DD.")
            continue
        if since in seen:
            problems.append(f"{where}: ngày {since.isoformat()} bị trùng lặp trong 'values'.")
            continue
        seen[since] = key
        ewhere = f"{where}, giá trị từ {since.isoformat()}"
        if not isinstance(raw, dict) or "value" not in raw:
            problems.append(f"{ewhere}: phải là bảng có khóa 'value'.")
            continue
        extra = set(raw) - _ENTRY_KEYS
        if extra:
            problems.append(f"{ewhere}: có khóa lạ {sorted(map(str, extra))}.")
        assumption = raw.get("assumption", default_assumption)
        if not isinstance(assumption, bool):
            problems.append(f"{ewhere}: 'assumption' phải là true/false.")
            assumption = bool(default_assumption)
        refs = _parse_references(raw["reference"], ewhere, problems) if "reference" in raw else default_refs
        note = raw.get("note", "") or ""
        if not isinstance(note, str):
            problems.append(f"{ewhere}: 'note' phải là chuỗi.")
            note = ""
        entries.append(_Entry(since, raw["value"], assumption, refs, note.strip()))
    entries.sort(key=lambda e: e.since)
    if entries and entries[0].value is None:
        problems.append(f"{where}: giá trị đầu tiên không được là null (bãi bỏ).")
    if not entries:
        return None, problems
    param = _Parameter(
        name=name,
        path=path,
        description=description.strip(),
        metadata=metadata,
        entries=tuple(entries),
        dates=tuple(e.since for e in entries),
    )
    return param, problems


def _scan(root: Path) -> tuple[dict[str, _Parameter], list[str]]:
    params: dict[str, _Parameter] = {}
    problems: list[str] = []
    if not root.is_dir():
        return params, [f"Không tìm thấy thư mục tham số {root}."]
    files = sorted([*root.rglob("*.yaml"), *root.rglob("*.yml")])
    for path in files:
        param, file_problems = _parse_file(path, root)
        problems.extend(file_problems)
        if param is None:
            continue
        if param.name in params:
            problems.append(
                f"Tham số '{param.name}' được khai báo hai lần "
                f"({params[param.name].path.name} và {path.name})."
            )
            continue
        params[param.name] = param
    return params, problems


@functools.cache
def _registry() -> dict[str, _Parameter]:
    params, problems = _scan(PARAMS_DIR)
    if problems:
        raise ParameterError("Tệp tham số không hợp lệ:\n- " + "\n- ".join(problems))
    return params


def _param(name: str) -> _Parameter:
    try:
        return _registry()[name]
    except KeyError:
        raise ParameterError(f"Không có tham số '{name}' trong kimson_ds/rules/params.") from None


def _copy(value: Any) -> Any:
    """Return containers as deep copies so callers cannot alter the cache."""
    if isinstance(value, (dict, list, tuple, set)):
        return copy.deepcopy(value)
    return value


# --------------------------------------------------------------------------- public API


def validate_all() -> list[str]:
    """Check every parameter file.

    Returns
    -------
    list of str
        Vietnamese descriptions of the problems found, each naming its file;
        empty when every file is well formed.
    """
    return _scan(PARAMS_DIR)[1]


def list_parameters() -> list[str]:
    """Return the dotted names of all parameters, sorted.

    Raises
    ------
    ParameterError
        If any parameter file is malformed.
    """
    return sorted(_registry())


def parameter_info(name: str) -> dict:
    """Describe one parameter.

    Parameters
    ----------
    name : str
        Dotted parameter name, e.g. ``"planning.slate_max_per_post"``.

    Returns
    -------
    dict
        ``name``, ``description``, ``metadata`` (as in the file), ``values``
        (``{date: value}``, sorted by date), ``entries`` (list of dicts with
        ``since``, ``value``, ``assumption``, ``reference`` (list of
        ``{title, href}``) and ``note``) and ``file`` (path of the YAML file).
    """
    p = _param(name)
    return {
        "name": p.name,
        "description": p.description,
        "metadata": copy.deepcopy(p.metadata),
        "values": {e.since: _copy(e.value) for e in p.entries},
        "entries": [
            {
                "since": e.since,
                "value": _copy(e.value),
                "assumption": e.assumption,
                "reference": [{"title": t, "href": h} for t, h in e.reference],
                "note": e.note,
            }
            for e in p.entries
        ],
        "file": str(p.path),
    }


def history(name: str) -> list[tuple[dt.date, Any]]:
    """Return the dated values of a parameter, ``[(since, value), …]`` sorted by date.

    A repeal appears as ``(since, None)``.
    """
    return [(e.since, _copy(e.value)) for e in _param(name).entries]


class ParameterSet:
    """The regulation values in force on one date, with scenario overrides.

    Create it with :func:`parameters`. Reading a value records it in
    :attr:`used` (for the run record) and in :meth:`references` (for the
    report's "Căn cứ pháp lý" section).

    Parameters
    ----------
    as_of : str, datetime.date, datetime.datetime or pandas.Timestamp
        Date the regulations are applied on.
    overrides : dict, optional
        ``{name: value}`` replacing the regulation value whatever the date.
        Every name must be an existing parameter.

    Raises
    ------
    ParameterError
        If ``as_of`` is not a date, an override names an unknown parameter,
        or a parameter file is malformed.
    """

    __slots__ = ("_as_of", "_overrides", "_registry", "_used")

    def __init__(self, as_of: object, overrides: dict[str, object] | None = None):
        self._as_of = _to_date(as_of)
        self._registry = _registry()
        overrides = dict(overrides or {})
        unknown = sorted(k for k in overrides if k not in self._registry)
        if unknown:
            raise ParameterError(
                "Không thể ghi đè tham số không tồn tại: " + ", ".join(map(str, unknown)) + "."
            )
        for name, value in overrides.items():
            _check_override(self._registry[name], value)
        self._overrides = {k: _copy(v) for k, v in overrides.items()}
        self._used: dict[str, Any] = {}

    # ------------------------------------------------------------------ reading
    @property
    def as_of(self) -> dt.date:
        """Date the regulations are applied on."""
        return self._as_of

    @property
    def overrides(self) -> dict[str, Any]:
        """Copy of the scenario overrides ``{name: value}``."""
        return {k: _copy(v) for k, v in self._overrides.items()}

    def is_overridden(self, name: str) -> bool:
        """Whether ``name`` is replaced by a scenario override in this set."""
        return name in self._overrides

    def get(self, name: str) -> Any:
        """Return the value of ``name`` in force on :attr:`as_of`.

        An override wins over the regulation; a mapping override replaces only
        the keys it names (``{"xuat_sac": 85}`` changes one threshold).
        Containers are returned as copies.

        Raises
        ------
        ParameterError
            Unknown name, date before the first value, or parameter repealed.
        """
        if name in self._overrides:
            value = self._overrides[name]
            if isinstance(value, dict):
                entry = self._registry[name].entry_or_none(self._as_of)
                if entry is not None and isinstance(entry.value, dict):
                    value = {**entry.value, **value}
        else:
            try:
                param = self._registry[name]
            except KeyError:
                raise ParameterError(f"Không có tham số '{name}' trong kimson_ds/rules/params.") from None
            value = param.entry_at(self._as_of).value
        self._used[name] = value
        return _copy(value)

    __getitem__ = get

    def __contains__(self, name: object) -> bool:
        """True if ``name`` has a value on :attr:`as_of` (overridden or in force)."""
        if name in self._overrides:
            return True
        param = self._registry.get(name) if isinstance(name, str) else None
        if param is None:
            return False
        entry = param.entry_or_none(self._as_of)
        return entry is not None and entry.value is not None

    def with_overrides(self, overrides: dict[str, object]) -> ParameterSet:
        """Return a new set on the same date with ``overrides`` added.

        The new overrides win over this set's; the new set starts with an
        empty :attr:`used`.
        """
        return ParameterSet(self._as_of, {**self._overrides, **dict(overrides)})

    # ------------------------------------------------------------------ record
    @property
    def used(self) -> dict[str, Any]:
        """``{name: value}`` of every parameter read so far (copies), sorted by name."""
        return {k: _copy(self._used[k]) for k in sorted(self._used)}

    def references(self) -> pd.DataFrame:
        """Legal basis of every parameter read so far.

        Returns
        -------
        pandas.DataFrame
            One row per parameter read, sorted by ``name``, with columns

            - ``name``: dotted parameter name;
            - ``description``: Vietnamese description;
            - ``value``: the value used (override included);
            - ``since``: ISO date the regulation value took effect (``""``
              when the value is a scenario override);
            - ``reference``: titles of the legal texts, joined by ``"; "``;
            - ``href``: their links, joined by ``" "`` (``""`` if none);
            - ``assumption``: the regulation value is an ASSUMPTION (for an
              override: the flag of the regulation value it replaces, if any);
            - ``overridden``: the value comes from the scenario.
        """
        columns = ["name", "description", "value", "since", "reference", "href", "assumption", "overridden"]
        rows = []
        for name in sorted(self._used):
            param = self._registry[name]
            overridden = name in self._overrides
            entry = param.entry_or_none(self._as_of)
            ref_entry = entry if entry is not None else param.entries[0]
            rows.append(
                {
                    "name": name,
                    "description": param.description,
                    "value": _copy(self._used[name]),
                    "since": "" if overridden or entry is None else entry.since.isoformat(),
                    "reference": "; ".join(t for t, _ in ref_entry.reference),
                    "href": " ".join(h for _, h in ref_entry.reference if h),
                    "assumption": bool(ref_entry.assumption),
                    "overridden": overridden,
                }
            )
        frame = pd.DataFrame(rows, columns=columns)
        frame["value"] = frame["value"].astype(object)
        frame["assumption"] = frame["assumption"].astype(bool)
        frame["overridden"] = frame["overridden"].astype(bool)
        return frame

    def __repr__(self) -> str:
        return (
            f"ParameterSet(as_of={self._as_of.isoformat()!r}, "
            f"overrides={sorted(self._overrides)!r}, used={len(self._used)})"
        )


def parameters(as_of: object, overrides: dict[str, object] | None = None) -> ParameterSet:
    """Return the regulation parameters in force on ``as_of``.

    Parameters
    ----------
    as_of : str, datetime.date, datetime.datetime or pandas.Timestamp
        Date the regulations are applied on (``'YYYY-MM-DD'`` for a string).
    overrides : dict, optional
        Scenario values ``{name: value}`` that win over the regulation.

    Returns
    -------
    ParameterSet

    Raises
    ------
    ParameterError
        Bad date, unknown override name, or malformed parameter file.
    """
    return ParameterSet(as_of, overrides)


def get_param(name: str, as_of: object) -> Any:
    """Shortcut for ``parameters(as_of).get(name)``."""
    return ParameterSet(as_of).get(name)
