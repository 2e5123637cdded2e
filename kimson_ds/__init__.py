"""kimson_ds: decision support for cadre work (công tác cán bộ) in Kim Sơn.

The small public API is re-exported here and imported lazily, so that the
command line starts fast and ``import kimson_ds`` does not pull in PuLP.

>>> from kimson_ds import load_dataset, parameters
>>> ds = load_dataset("data/kimson")            # doctest: +SKIP
>>> parameters("2023-06-30").get("retirement.age_men_months")  # doctest: +SKIP
729
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "load_dataset": "kimson_ds.io",
    "read_dataset": "kimson_ds.io",
    "Dataset": "kimson_ds.io",
    "parameters": "kimson_ds.parameters",
    "retirement_date": "kimson_ds.retirement",
    "years_of_service_left": "kimson_ds.retirement",
    "rate": "kimson_ds.rating",
    "rate_dataset": "kimson_ds.rating",
    "relatives_graph": "kimson_ds.relatives",
    "build_report": "kimson_ds.report",
    "KimsonError": "kimson_ds.errors",
    "DataError": "kimson_ds.errors",
    "InfeasibleError": "kimson_ds.errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kimson_ds' has no attribute {name!r}")
