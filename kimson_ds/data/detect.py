"""Recognise a dataset on disk (a folder of table CSVs, a filled data-entry workbook).

Used by :mod:`kimson_ds.outputs` so that no command writes its outputs into a
dataset folder or over a filled workbook (registered in ``kimson_ds/data/__init__.py``).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from kimson_ds.data.schema import TABLES


def _key(text: object) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().split())


def table_of(name: str) -> str | None:
    """The table a CSV file name or sheet title stands for (``cadres.csv``, ``Cán bộ``), else ``None``."""
    key = _key(Path(name).stem if name.lower().endswith(".csv") else name)
    for t in TABLES.values():
        if key in (_key(t.name), _key(t.title_vi)):
            return t.name
    return None


def dataset_reason(path: Path) -> str | None:
    """Why ``path`` is a dataset (Vietnamese), or ``None``.

    A folder is a dataset when it holds a table CSV; a workbook when one of its
    table sheets has at least one filled row below the header (an empty
    template is not a dataset).
    """
    path = Path(path)
    if path.is_dir():
        for p in sorted(path.glob("*.csv")):
            if table_of(p.name):
                return f"có tệp bảng dữ liệu {p.name}"
        return None
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return None
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - not a readable workbook: not a dataset
        return None
    try:
        for ws in wb.worksheets:
            if table_of(ws.title) is None:
                continue
            for i, row in enumerate(ws.iter_rows(values_only=True)):
                if i and any(v is not None and str(v).strip() != "" for v in row):
                    return f"trang '{ws.title}' có dữ liệu"
    finally:
        wb.close()
    return None
