"""The canonical CSV form of the sample: typed frames in schema order, stable sort, fixed cell format."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from kimson_ds.data.schema import TABLES

_SORT_KEYS = {
    "ratings": ["cadre_id", "year"],
    "org_ratings": ["year", "unit_id", "scheme"],
    "planning": ["term", "target_unit_id", "target_title", "cadre_id"],
    "trainings": ["cadre_id", "year", "course_id"],
    "relatives": ["cadre_id", "relative_id"],
    "rotations": ["start_date", "cadre_id"],
    "discipline": ["decided_on", "cadre_id"],
    "work_history": ["cadre_id", "start_date", "unit_id", "title"],
    "unit_successions": ["effective_date", "unit_id", "successor_unit_id"],
}


def _frame(name: str, records: list[dict]) -> pd.DataFrame:
    """Build the typed frame of table ``name`` in schema column order (stable sort)."""
    table = TABLES[name]
    data = {}
    for col in table.columns:
        values = [r.get(col.name) for r in records]
        if col.kind == "date":
            data[col.name] = pd.to_datetime(pd.Series(values, dtype=object))
        elif col.kind == "int":
            data[col.name] = pd.array(values, dtype="Int64")
        elif col.kind == "float":
            data[col.name] = pd.array([np.nan if v is None else float(v) for v in values], dtype="float64")
        elif col.kind == "bool":
            data[col.name] = pd.array(values, dtype="boolean")
        else:
            data[col.name] = pd.array(values, dtype="string")
    df = pd.DataFrame(data)
    if name in _SORT_KEYS:
        df = df.sort_values(_SORT_KEYS[name], kind="stable").reset_index(drop=True)
    return df


# ------------------------------------------------------------------ writing
def _cell(value, kind: str) -> str:
    """Format one value for the canonical CSV form."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return ""
    if kind == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if kind == "bool":
        return "true" if bool(value) else "false"
    if kind == "int":
        return str(int(value))
    if kind == "float":
        return np.format_float_positional(float(value), trim="-")
    return str(value)


def write_csv(frame: pd.DataFrame, name: str, path: Path) -> None:
    """Write ``frame`` as table ``name`` (UTF-8 without BOM, ``\\n``, schema header)."""
    table = TABLES[name]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(table.column_names)
        kinds = [c.kind for c in table.columns]
        for row in frame[table.column_names].itertuples(index=False, name=None):
            writer.writerow([_cell(v, k) for v, k in zip(row, kinds, strict=True)])
