"""Dates as Vietnamese readers write them: ``dd/mm/yyyy`` (02/04/2020).

One formatter for every reason text a rule or an analysis writes (rating,
rotation, …), below the analyses so that they need not import
:mod:`kimson_ds.papers`; :func:`kimson_ds.papers.vi.date` uses the same one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

__all__ = ["DATE_FORMAT", "date_vi", "dates_vi"]

#: ``strftime`` pattern of a Vietnamese date.
DATE_FORMAT = "%d/%m/%Y"


def date_vi(d: Any) -> str:
    """One date as ``dd/mm/yyyy`` ("" for a missing value); accepts date, datetime, Timestamp, ISO text."""
    if d is None or (not isinstance(d, (dt.date, str)) and pd.isna(d)):
        return ""
    ts = pd.Timestamp(d)
    return "" if pd.isna(ts) else ts.strftime(DATE_FORMAT)


def dates_vi(values) -> pd.Series:
    """Many dates as ``dd/mm/yyyy`` (vectorised; missing → "")."""
    s = pd.Series(values) if not isinstance(values, pd.Series) else values
    return pd.to_datetime(s, errors="coerce").dt.strftime(DATE_FORMAT).fillna("").astype(object)
