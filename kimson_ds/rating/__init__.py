"""Rating (đánh giá, xếp loại): dated rule sets, organisation caps, discipline, quotas, reasons.

Modules: ``engine``, ``scenario`` (the what-if file of ``kimson-ds rate --scenario``).
Names below are imported lazily, on first use.
"""

from kimson_ds._lazy import lazy_exports

_EXPORTS = {
    "COLUMNS_VI": "kimson_ds.rating.engine",
    "RATING_PARAMS": "kimson_ds.rating.engine",
    "RatingResult": "kimson_ds.rating.engine",
    "RatingScenario": "kimson_ds.rating.scenario",
    "check_year": "kimson_ds.rating.engine",
    "compare": "kimson_ds.rating.engine",
    "compare_rule_sets": "kimson_ds.rating.engine",
    "excellent_allowed": "kimson_ds.rating.engine",
    "rate": "kimson_ds.rating.engine",
    "rate_dataset": "kimson_ds.rating.engine",
    "rating_years": "kimson_ds.rating.engine",
    "rule_change_dates": "kimson_ds.rating.engine",
    "rule_set_description": "kimson_ds.rating.engine",
    "year_over_year": "kimson_ds.rating.engine",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
