"""Overview figures of a dataset (counts, age pyramid, cohorts, qualifications, vacancies, retirements).

Modules: ``figures``.
Names below are imported lazily, on first use.
"""

from kimson_ds._lazy import lazy_exports

_EXPORTS = {
    "Term": "kimson_ds.overview.figures",
    "active_cadres": "kimson_ds.overview.figures",
    "age_cohorts": "kimson_ds.overview.figures",
    "age_pyramid": "kimson_ds.overview.figures",
    "age_years": "kimson_ds.overview.figures",
    "highlights": "kimson_ds.overview.figures",
    "plot_age_pyramid": "kimson_ds.overview.figures",
    "plot_bars": "kimson_ds.overview.figures",
    "position_counts": "kimson_ds.overview.figures",
    "qualification_distribution": "kimson_ds.overview.figures",
    "qualification_title": "kimson_ds.overview.figures",
    "retiring_before_next_term_end": "kimson_ds.overview.figures",
    "term_of": "kimson_ds.overview.figures",
    "unit_summary": "kimson_ds.overview.figures",
    "vacancies": "kimson_ds.overview.figures",
    "valid_units": "kimson_ds.overview.figures",
    "women_share": "kimson_ds.overview.figures",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
