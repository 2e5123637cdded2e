"""Printable Excel workbooks of the decision commands (rate, rotate, plan, train, vet).

The CSV files a command writes are for machines (stable column names, codes
kept); :func:`write_result_workbook` writes the same results for people: one
workbook per run, Vietnamese sheet and column names, labels instead of codes
(:func:`printable` drops the code columns that a label column repeats),
number formats (decimals, percentages, ``dd/mm/yyyy``), widths, landscape A4,
repeated header row and frozen panes (:func:`kimson_ds.data.excel.write_print_table`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

__all__ = ["RESULT_WORKBOOK", "printable", "write_result_workbook"]

#: File name of the printable workbook in a command's output folder.
RESULT_WORKBOOK = "ket-qua.xlsx"

_CODE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_ID = re.compile(r"^[A-Z][A-Z0-9]*(?:[_\-][A-Z0-9]+)+$")


def printable(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without its code columns: a column whose every value is a code (``truong_phong_ban``,
    ``dat``) or an id such as ``HU_VAN_PHONG-TRUONG_BAN-1`` is dropped, unless its header names it an id
    ("Mã …"), where an id is what the reader expects."""
    keep = []
    for col in frame.columns:
        s = frame[col].dropna()
        if str(col).startswith("Mã") or not len(s) or not s.map(lambda v: isinstance(v, str)).all():
            keep.append(col)
            continue
        values = s.astype(str)
        if values.str.fullmatch(_CODE).all() and not values.str.contains(" ").any() and values.str.contains("_").any():
            continue
        if values.str.fullmatch(_ID).all():
            continue
        keep.append(col)
    return frame[keep]


def write_result_workbook(path: str | Path, sheets: dict[str, pd.DataFrame], *, title: str,
                          subtitle: str | None = None, notes: dict[str, str] | None = None) -> Path:
    """One printable workbook of a run (see the module docstring); returns its path."""
    from kimson_ds.data.excel import write_workbook

    return write_workbook(path, {name: printable(frame) for name, frame in sheets.items()}, title=title,
                          subtitle=subtitle, notes=notes)
