"""Typed run configurations (scenarios) loaded from YAML.

Every scenario model derives from :class:`StrictModel`, which rejects unknown
keys, so a typo in a scenario file is an error, never a silently ignored rule.
:func:`load_scenario` turns pydantic's errors into Vietnamese messages that
name the file and the key.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

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
}


class StrictModel(BaseModel):
    """Base of every configuration model: unknown keys are rejected."""

    model_config = ConfigDict(extra="forbid", frozen=False)


def describe_validation_error(exc: ValidationError, source: str) -> str:
    """Vietnamese, one line per problem: file, key path, value, what is expected."""
    lines = [f"Kịch bản '{source}' không hợp lệ:"]
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(gốc)"
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
        shown = "" if err["type"] == "missing" or isinstance(val, dict) else f" — giá trị {val!r}"
        lines.append(f"  - khóa '{loc}'{shown}: {msg}")
    return "\n".join(lines)


def parse_scenario(data: dict, model: type[M], source: str = "kịch bản") -> M:
    """Validate a mapping against ``model``; raise :class:`ScenarioError` in Vietnamese."""
    try:
        return model.model_validate(data or {})
    except ValidationError as exc:
        raise ScenarioError(describe_validation_error(exc, source)) from None


def _read_yaml_mapping(path: str | Path, what: str) -> dict | None:
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"Không tìm thấy tệp {what} '{path}'.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"Tệp {what} '{path}' không đọc được dạng YAML: {exc}") from None
    except ValueError as exc:  # YAML builds dates itself: 2018-12-32 fails here
        raise ScenarioError(f"Tệp {what} '{path}' có giá trị không hợp lệ ({exc}); "
                            "ngày phải có thật và viết dạng yyyy-mm-dd.") from None
    if data is not None and not isinstance(data, dict):
        raise ScenarioError(f"Tệp {what} '{path}' phải là một bảng khóa: giá trị ở cấp ngoài cùng.")
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
