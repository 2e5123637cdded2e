"""Vietnamese number and date formatting, in one place, with Babel (locale ``vi_VN``).

Every text a user reads — the terminal output of the commands, the HTML and
PDF reports, the Word Tờ trình, the profile cards, the app — formats numbers,
percentages and dates through this module, so that ``6,72`` is never printed
``6.720`` and a share is never ``0.125``:

>>> number(6.72)
'6,72'
>>> number(1234567)
'1.234.567'
>>> decimal(3.5, 1)
'3,5'
>>> percent(0.125)
'12,5%'
>>> date("2019-12-31")
'31/12/2019'

Excel cells keep real numbers and dates; their display formats are the
constants :data:`EXCEL_DATE`, :data:`EXCEL_DECIMAL`, :data:`EXCEL_INTEGER` and
:data:`EXCEL_PERCENT` (Excel shows them with the decimal comma of a
Vietnamese office PC).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from kimson_ds.rules.dates import date_vi

__all__ = [
    "EXCEL_DATE",
    "EXCEL_DECIMAL",
    "EXCEL_INTEGER",
    "EXCEL_PERCENT",
    "LOCALE",
    "date",
    "date_long",
    "datetime",
    "decimal",
    "integer",
    "number",
    "percent",
    "seconds",
    "text",
    "value",
]

#: The Babel locale of every user-facing text.
LOCALE = "vi_VN"
#: Excel display formats (the decimal and thousands marks follow the PC's regional settings).
EXCEL_DATE = "dd/mm/yyyy"
EXCEL_DECIMAL = "#,##0.00"
EXCEL_INTEGER = "#,##0"
EXCEL_PERCENT = "0.0%"


def _missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        import pandas as pd

        if x is pd.NA or x is pd.NaT:
            return True
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return isinstance(x, float) and math.isnan(x)


def number(x: Any, max_decimals: int = 2) -> str:
    """A number with at most ``max_decimals`` decimals (trailing zeros dropped): ``6,72``, ``1.234``, ``35``.

    Missing values give ``""``.
    """
    if _missing(x):
        return ""
    pattern = "#,##0" + ("." + "#" * max_decimals if max_decimals > 0 else "")
    return format_decimal(float(x), format=pattern, locale=LOCALE)


def decimal(x: Any, digits: int = 2) -> str:
    """A number with exactly ``digits`` decimals: ``decimal(3.5, 1)`` → ``3,5``; ``decimal(6.72)`` → ``6,72``."""
    if _missing(x):
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(float(x), format=pattern, locale=LOCALE)


def integer(x: Any) -> str:
    """A whole number with the thousands dot: ``12.345``."""
    if _missing(x):
        return ""
    return format_decimal(round(float(x)), format="#,##0", locale=LOCALE)


def percent(x: Any, max_decimals: int = 1) -> str:
    """A share (0–1) as a percentage: ``0.125`` → ``12,5%``, ``0.3`` → ``30%``."""
    if _missing(x):
        return ""
    pattern = "#,##0" + ("." + "#" * max_decimals if max_decimals > 0 else "") + "%"
    return format_percent(float(x), format=pattern, locale=LOCALE)


def seconds(x: float) -> str:
    """A duration in seconds with one decimal: ``3,5 giây``."""
    return f"{decimal(x, 1)} giây"


def _as_date(d: Any) -> dt.date | dt.datetime | None:
    if _missing(d):
        return None
    if isinstance(d, (dt.date, dt.datetime)):
        return d
    if hasattr(d, "to_pydatetime"):  # pandas Timestamp
        return d.to_pydatetime()
    if isinstance(d, str):
        text = d.strip()
        if not text:
            return None
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
            try:
                return dt.datetime.strptime(text[:19] if "T" in fmt or " " in fmt else text, fmt)
            except ValueError:
                continue
        raise ValueError(f"Không đọc được ngày '{d}' (cần dạng yyyy-mm-dd hoặc dd/mm/yyyy).")
    raise TypeError(f"Không phải ngày: {d!r}")


def date(d: Any) -> str:
    """A date ``dd/mm/yyyy`` (accepts date, datetime, Timestamp, ``yyyy-mm-dd`` or ``dd/mm/yyyy`` text).

    The formatting is :func:`kimson_ds.rules.dates.date_vi`, the one the rules write reasons with.
    """
    v = _as_date(d)
    return "" if v is None else date_vi(v)


def date_long(d: Any) -> str:
    """A date as written in the place–date line of a document: ``ngày 31 tháng 12 năm 2019``."""
    v = _as_date(d)
    if v is None:
        return "ngày … tháng … năm …"
    # Hướng dẫn 36-HD/VPTW: day and month below 10 take a leading zero, as in "ngày 05 tháng 02".
    return format_date(v, "'ngày' dd 'tháng' MM 'năm' yyyy", locale=LOCALE)


def datetime(d: Any) -> str:
    """A date and time ``dd/mm/yyyy HH:mm``."""
    v = _as_date(d)
    if v is None:
        return ""
    if not isinstance(v, dt.datetime):
        return date(v)
    return format_datetime(v, "dd/MM/yyyy HH:mm", locale=LOCALE)


def value(v: Any) -> str:
    """Display text of one value of any type (tables, parameter values, cards).

    Booleans are ``Có``/``Không``, missing values ``""``, whole numbers below
    10 000 without a thousands mark (years stay ``2019``), other numbers in
    Vietnamese notation, dates ``dd/mm/yyyy``, mappings ``khóa: giá trị; …``
    and lists joined with commas.
    """
    import numpy as np

    if _missing(v):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "Có" if v else "Không"
    if isinstance(v, (int, np.integer)):
        return integer(v) if abs(int(v)) >= 10000 else str(int(v))
    if isinstance(v, (float, np.floating)):
        if float(v).is_integer() and abs(v) < 10000:
            return str(int(v))
        return number(float(v))
    if isinstance(v, dt.datetime) or hasattr(v, "to_pydatetime"):
        ts = v.to_pydatetime() if hasattr(v, "to_pydatetime") else v
        return date(ts) if (ts.hour, ts.minute, ts.second) == (0, 0, 0) else datetime(ts)
    if isinstance(v, dt.date):
        return date(v)
    if isinstance(v, dict):
        return "; ".join(f"{k}: {value(x)}" for k, x in v.items())
    if isinstance(v, (list, tuple, set)):
        return ", ".join(value(x) for x in v)
    return str(v)


# Numbers with one to three decimals written with a dot by code outside this module
# ("điểm 96.7", "0.786275"): not preceded or followed by another digit group, a dot, a
# slash or a dash, so codes such as "21-HD/BTCTW", "0.1.0" or "1.234" thousands stay.
_DECIMAL_DOT = re.compile(r"(?<![\d.,/\-\w])(\d+)\.(\d{1,2}|\d{4,})(?!\w|\.\d)")
_ISO_DATE = re.compile(r"(?<![\d/\-])(\d{4})-(\d{2})-(\d{2})(?![\d/\-])")
_DMY_DASH = re.compile(r"(?<![\d/\-])(\d{1,2})-(\d{1,2})-(\d{4})(?![\d/\-])")


def _decimal_match(m: re.Match) -> str:
    whole, frac = m.group(1), m.group(2)
    digits = len(frac)
    return decimal(float(f"{whole}.{frac}"), digits) if digits <= 2 else number(float(f"{whole}.{frac}"))


def _date_match(y: str, mth: str, d: str) -> str:
    try:
        return date(dt.date(int(y), int(mth), int(d)))
    except ValueError:
        return f"{d}/{mth}/{y}"


def text(s: Any) -> Any:
    """Vietnamese numbers and dates inside a free text written elsewhere (reasons, notes, diagnoses).

    ``Điểm 96.7`` → ``Điểm 96,7``; ``0.786275`` → ``0,79``; ``18-10-2019`` and
    ``2019-10-18`` → ``18/10/2019``. Numbers written with the thousands dot
    (three decimals, ``1.234``), version numbers and document symbols are left
    as they are. Works on a string, a pandas Series or every text column of a
    DataFrame; other values are returned unchanged.
    """
    import pandas as pd

    if isinstance(s, pd.DataFrame):
        out = s.copy()
        for col in out.columns:
            if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
                out[col] = out[col].map(text)
        return out
    if isinstance(s, pd.Series):
        return s.map(text)
    if not isinstance(s, str):
        return s
    s = _ISO_DATE.sub(lambda m: _date_match(m.group(1), m.group(2), m.group(3)), s)
    s = _DMY_DASH.sub(lambda m: _date_match(m.group(3), m.group(2), m.group(1)), s)
    return _DECIMAL_DOT.sub(_decimal_match, s)
