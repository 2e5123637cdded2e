"""Typed run configurations (scenarios) loaded from YAML.

Every scenario model derives from :class:`StrictModel`, which rejects unknown
keys, so a typo in a scenario file is an error, never a silently ignored rule.
:func:`load_scenario` turns pydantic's errors into Vietnamese messages that
name the file and the key.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from kimson_ds.errors import ScenarioError

M = TypeVar("M", bound=BaseModel)

_MESSAGES = {
    "extra_forbidden": "khóa không được hỗ trợ (kiểm tra lỗi chính tả)",
    "missing": "thiếu khóa bắt buộc",
    "int_parsing": "cần một số nguyên",
    "int_type": "cần một số nguyên",
    "float_parsing": "cần một số",
    "float_type": "cần một số",
    "bool_parsing": "cần true hoặc false",
    "bool_type": "cần true hoặc false",
    "date_from_datetime_parsing": "cần ngày dạng yyyy-mm-dd",
    "date_parsing": "cần ngày dạng yyyy-mm-dd",
    "date_type": "cần ngày dạng yyyy-mm-dd",
    "literal_error": "giá trị không nằm trong danh sách cho phép",
    "greater_than_equal": "giá trị quá nhỏ",
    "less_than_equal": "giá trị quá lớn",
    "list_type": "cần một danh sách",
    "dict_type": "cần một bảng khóa: giá trị",
    "string_type": "cần một chuỗi ký tự",
    "model_type": "cần một bảng khóa: giá trị",
    "model_attributes_type": "cần một bảng khóa: giá trị",
    "tuple_type": "cần một danh sách",
    "too_short": "danh sách quá ngắn",
    "too_long": "danh sách quá dài",
    "greater_than": "giá trị quá nhỏ",
    "less_than": "giá trị quá lớn",
    "value_error": "giá trị không hợp lệ",
    "enum": "giá trị không nằm trong danh sách cho phép",
    "date_from_datetime_inexact": "cần ngày dạng yyyy-mm-dd",
    "bool_parsing_error": "cần true hoặc false",
    "int_from_float": "cần một số nguyên",
    "none_required": "không được điền giá trị",
    "set_type": "cần một danh sách",
    "finite_number": "cần một số hữu hạn (không nhận nan, inf)",
    "date_from_datetime_parsing_error": "cần ngày dạng yyyy-mm-dd",
    "recursion_loop": "giá trị tự tham chiếu",
}


#: Largest number a scenario may hold anywhere (weights, counts, budgets, seats, penalties…);
#: a model narrows it with ``Field(le=…)`` where the quantity has a tighter natural bound.
NUMBER_MAX = 1_000_000


def _bad_number(value: object, depth: int = 0) -> str | None:
    """Why a number inside a scenario value is refused (negative, non-finite, absurd), or None."""
    import math

    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return f"'{shorten(value)}' không phải số hữu hạn"
        if value < 0:
            return f"số âm {shorten(value)} (cần số ≥ 0)"
        if value > NUMBER_MAX:
            return f"số {shorten(value)} quá lớn (cần số ≤ {NUMBER_MAX:,})".replace(",", ".")
        return None
    if isinstance(value, _dt.date):
        d = value.date() if isinstance(value, _dt.datetime) else value
        if not DATE_MIN <= d <= DATE_MAX:
            return f"ngày {d.isoformat()} ngoài khoảng cho phép (cần ngày {DATE_RANGE_VI})"
        return None
    if depth > 20:
        return "giá trị lồng nhau quá sâu"
    if isinstance(value, dict):
        items = value.values()
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = value
    else:
        return None
    for item in items:
        why = _bad_number(item, depth + 1)
        if why:
            return why
    return None


class StrictModel(BaseModel):
    """Base of every configuration model.

    Unknown keys are rejected; numbers anywhere in a value must be finite,
    non-negative and at most :data:`NUMBER_MAX` (unless a field is marked
    ``json_schema_extra={"signed": True}``); dates lie in :data:`DATE_MIN` …
    :data:`DATE_MAX`.
    """

    # validate_assignment: a notebook or panel setting ``sc.alternatives = 10**9`` is checked too
    model_config = ConfigDict(extra="forbid", frozen=False, allow_inf_nan=False, validate_assignment=True)

    @field_validator("*", mode="after")
    @classmethod
    def _sane_values(cls, value, info):
        if isinstance(value, BaseModel):  # nested models check their own fields
            return value
        field = cls.model_fields.get(info.field_name) if info.field_name else None
        extra = getattr(field, "json_schema_extra", None) or {}
        why = _bad_number(value)
        if why and isinstance(extra, dict) and extra.get("signed") and why.startswith("số âm"):
            why = None
        if why:
            raise ValueError(why)
        return value


def describe_validation_error(exc: ValidationError, source: str, limit: int = 20) -> str:
    """Vietnamese, one line per problem: file, key path, value, what is expected.

    At most ``limit`` problems are listed (then a count); every echoed value is
    shortened, so a huge or self-referencing value never floods the terminal.
    """
    lines = [f"Kịch bản '{shorten(source, 200)}' không hợp lệ:"]
    errors = exc.errors()
    for err in errors[:limit]:
        loc = shorten(".".join(str(p) for p in err["loc"]) or "(gốc)")
        msg = _MESSAGES.get(err["type"], "giá trị không hợp lệ")
        if err["type"] == "value_error" and isinstance(err.get("ctx", {}).get("error"), Exception):
            msg = str(err["ctx"]["error"])  # our own validators raise Vietnamese messages
        ctx = err.get("ctx") or {}
        if "expected" in ctx:
            msg += f" (cho phép: {ctx['expected']})"
        if "ge" in ctx:
            msg += f" (≥ {ctx['ge']})"
        if "le" in ctx:
            msg += f" (≤ {ctx['le']})"
        val = err.get("input")
        shown = "" if err["type"] == "missing" or isinstance(val, dict) else f" — giá trị '{shorten(val)}'"
        lines.append(f"  - khóa '{loc}'{shown}: {shorten(msg, 300)}")
    if len(errors) > limit:
        lines.append(f"  … và {len(errors) - limit} lỗi khác")
    return "\n".join(lines)


def parse_scenario(data: dict, model: type[M], source: str = "kịch bản") -> M:
    """Validate a mapping against ``model``; raise :class:`ScenarioError` in Vietnamese."""
    try:
        return model.model_validate(data or {})
    except ValidationError as exc:
        raise ScenarioError(describe_validation_error(exc, source)) from None


#: Bounds of a user YAML file once its aliases (``&a`` … ``*a``) are expanded: an "alias bomb"
#: of a few lines would otherwise expand to billions of values in validation and messages.
YAML_MAX_NODES = 100_000
YAML_MAX_DEPTH = 50
YAML_MAX_BYTES = 5_000_000


class _UserYamlLoader(yaml.SafeLoader):
    """Safe YAML loader for user files: duplicate keys are refused (never "last one wins")."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: set = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError:
                    break
                if duplicate:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"khóa '{shorten(key)}' bị trùng lặp", key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _node_bounds(root) -> tuple[int, int]:
    """(expanded node count, depth) of a composed YAML tree; iterative, aliases shared (memo)."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    stack = [(root, False)]
    on_path: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            if size[key] > YAML_MAX_NODES or depth[key] > YAML_MAX_DEPTH:
                return size[key], depth[key]
            continue
        if key in size:
            continue
        if key in on_path:  # a self-referencing alias
            return YAML_MAX_NODES + 1, YAML_MAX_DEPTH + 1
        on_path.add(key)
        stack.append((node, True))
        stack.extend((k, False) for k in _children(node) if id(k) not in size)
    return size[id(root)], depth[id(root)]


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def load_yaml_text(text: str, source: str, what: str = "kịch bản"):
    """Parse user YAML safely, with Vietnamese errors naming the file and line.

    Refuses Python tags (``!!python/object``), duplicate keys, nesting deeper than
    :data:`YAML_MAX_DEPTH` and files whose aliases expand past :data:`YAML_MAX_NODES`
    values; values are never echoed in full.

    Raises
    ------
    ScenarioError
    """
    where = f"Tệp {what} '{shorten(source, 200)}'"
    if len(text) > YAML_MAX_BYTES:
        raise ScenarioError(f"{where} quá lớn ({len(text):,} ký tự; tối đa {YAML_MAX_BYTES:,}).".replace(",", "."))
    loader = _UserYamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        n, depth = _node_bounds(node)
        if depth > YAML_MAX_DEPTH:
            raise ScenarioError(f"{where} lồng nhau quá sâu (hơn {YAML_MAX_DEPTH} cấp); kịch bản chỉ cần vài cấp.")
        if n > YAML_MAX_NODES:
            raise ScenarioError(f"{where} có quá nhiều giá trị sau khi mở rộng các tham chiếu &/* "
                                f"(hơn {YAML_MAX_NODES:,}); không dùng tham chiếu lồng nhau.".replace(",", "."))
        return loader.construct_document(node)
    except RecursionError:
        raise ScenarioError(f"{where} lồng nhau quá sâu (hơn {YAML_MAX_DEPTH} cấp); kịch bản chỉ cần vài cấp.") from None
    except yaml.constructor.ConstructorError as exc:
        line = f" (dòng {exc.problem_mark.line + 1})" if exc.problem_mark else ""
        problem = str(exc.problem or "")
        if "could not determine a constructor for the tag" in problem:
            found = re.search(r"'([^']*)'", problem)
            tag = (found.group(1) if found else problem).replace("tag:yaml.org,2002:", "!!")
            problem = (f"thẻ '{shorten(tag, 60)}' không được phép (tệp {what} chỉ chứa số, chữ, ngày, "
                       "danh sách và bảng khóa: giá trị; không bao giờ chạy mã)")
        raise ScenarioError(f"{where} không hợp lệ{line}: {shorten(problem, 300)}.") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f" ở dòng {mark.line + 1}, cột {mark.column + 1}" if mark else ""
        raise ScenarioError(f"{where} không đúng cú pháp YAML{line} ({shorten(str(exc.problem or exc), 200)}).") from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{where} không đọc được dạng YAML ({shorten(str(exc), 200)}).") from None
    except ValueError as exc:  # YAML builds dates itself: 2018-12-32 fails here
        raise ScenarioError(f"{where} có giá trị không hợp lệ ({shorten(str(exc), 200)}); "
                            "ngày phải có thật và viết dạng yyyy-mm-dd.") from None
    except OverflowError as exc:
        raise ScenarioError(f"{where} có số hoặc ngày vượt giới hạn ({shorten(str(exc), 200)}).") from None
    finally:
        loader.dispose()


def _read_yaml_mapping(path: str | Path, what: str) -> dict | None:
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"Không tìm thấy tệp {what} '{shorten(str(path), 200)}'.")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"Tệp {what} '{shorten(str(path), 200)}' không phải văn bản UTF-8.") from None
    data = load_yaml_text(text, str(path), what)
    if data is not None and not isinstance(data, dict):
        raise ScenarioError(f"Tệp {what} '{shorten(str(path), 200)}' phải là một bảng khóa: giá trị ở cấp ngoài cùng.")
    return data


def load_scenario(path: str | Path, model: type[M]) -> M:
    """Load a YAML scenario file into ``model``.

    Raises
    ------
    ScenarioError
        If the file is missing, is not YAML, or does not fit the model.
    """
    return parse_scenario(_read_yaml_mapping(path, "kịch bản"), model, str(path))


def load_overrides(path: str | Path | None) -> dict | None:
    """Read a YAML file of parameter overrides ``{name: value}`` (``--params``).

    Returns None when no path is given or the file is empty; unknown names are
    rejected later by :meth:`kimson_ds.rules.parameters.ParameterSet.with_overrides`.
    """
    if not path:
        return None
    data = _read_yaml_mapping(path, "tham số")
    return {str(k): v for k, v in data.items()} if data else None


#: Every date the tool accepts (data cells, options, scenarios) lies in this range, so that
#: nanosecond timestamps (1677–2262) can never overflow and years such as 0001 or 9999 —
#: typing slips or "never" sentinels — are refused instead of silently wrapped.
DATE_MIN = _dt.date(1800, 1, 1)
DATE_MAX = _dt.date(2100, 12, 31)
DATE_RANGE_VI = "từ 01/01/1800 đến 31/12/2100"
#: Formats a user may type a date in, everywhere (data, options, notebook parameters).
DATE_FORMATS_VI = "yyyy-mm-dd (2019-12-31) hoặc dd/mm/yyyy (31/12/2019)"

#: Longest echo of a user value inside an error message.
ECHO_MAX = 80


def shorten(value: object, limit: int = ECHO_MAX) -> str:
    """A user value for an error message, never longer than ``limit`` characters.

    Containers are summarised by :mod:`reprlib` (bounded depth and items), so a
    YAML alias bomb or a 50 MB cell is never expanded into the message.
    """
    import reprlib

    if isinstance(value, str):
        text = value
    else:
        r = reprlib.Repr()
        r.maxlevel, r.maxlist, r.maxdict, r.maxtuple, r.maxset = 2, 4, 4, 4, 4
        r.maxstring = r.maxother = r.maxlong = limit
        text = r.repr(value)
    text = text.replace("\n", " ").replace("\r", " ")
    if len(text) > limit:
        text = text[: limit - 1] + f"… ({len(text):,} ký tự)".replace(",", ".")
    return text


def parse_user_date(text: object) -> _dt.date | None:
    """A date typed by a user, in the formats the data accepts, inside the allowed range.

    Returns None when the text is not such a date.
    """
    if isinstance(text, _dt.datetime):
        text = text.date()
    if isinstance(text, _dt.date):
        return text if DATE_MIN <= text <= DATE_MAX else None
    if not isinstance(text, str) or len(text) > 40:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            d = _dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
        return d if DATE_MIN <= d <= DATE_MAX else None
    return None


def parse_date_option(text: str | None, option: str = "--as-of"):
    """Parse a command-line date; ``None`` stays ``None``.

    Accepts the formats the data accepts (``yyyy-mm-dd``, ``dd/mm/yyyy``) within
    :data:`DATE_MIN` … :data:`DATE_MAX`.

    Raises
    ------
    ScenarioError
        With a Vietnamese message naming the option, the value and the expected form.
    """
    if text is None:
        return None
    d = parse_user_date(text)
    if d is None:
        raise ScenarioError(f"Ngày {option} không hợp lệ: '{shorten(text)}' (cần ngày có thật dạng "
                            f"{DATE_FORMATS_VI}, {DATE_RANGE_VI}).")
    return d


def dump_scenario(config: BaseModel, path: str | Path) -> Path:
    """Write a configuration back to YAML (what the CLI accepts again)."""
    path = Path(path)
    data = config.model_dump(mode="json", exclude_none=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
