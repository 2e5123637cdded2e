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
    "load_dataset": "kimson_ds.data.io",
    "read_dataset": "kimson_ds.data.io",
    "Dataset": "kimson_ds.data.io",
    "parameters": "kimson_ds.rules.parameters",
    "retirement_date": "kimson_ds.rules.retirement",
    "years_of_service_left": "kimson_ds.rules.retirement",
    "rate": "kimson_ds.rating.engine",
    "rate_dataset": "kimson_ds.rating.engine",
    "relatives_graph": "kimson_ds.rules.relatives",
    "build_report": "kimson_ds.papers.report",
    "KimsonError": "kimson_ds.errors",
    "DataError": "kimson_ds.errors",
    "InfeasibleError": "kimson_ds.errors",
}

# Modules of the flat layout before the regrouping (December 2026), kept
# importable as ``from kimson_ds import succession`` for existing notebooks.
_MOVED_MODULES = {
    "schema": "kimson_ds.data.schema",
    "codes": "kimson_ds.data.codes",
    "io": "kimson_ds.data.io",
    "validate": "kimson_ds.data.validate",
    "excel": "kimson_ds.data.excel",
    "retirement": "kimson_ds.rules.retirement",
    "standards": "kimson_ds.rules.standards",
    "relatives": "kimson_ds.rules.relatives",
    "succession": "kimson_ds.planning.succession",
    "slate_model": "kimson_ds.planning.slate_model",
    "eligibility": "kimson_ds.rotation.eligibility",
    "conflicts": "kimson_ds.vetting.conflicts",
    "report": "kimson_ds.papers.report",
    "pack": "kimson_ds.papers.pack",
    "pdf": "kimson_ds.papers.pdf",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    if name in _MOVED_MODULES:
        return importlib.import_module(_MOVED_MODULES[name])
    raise AttributeError(f"module 'kimson_ds' has no attribute {name!r}")
