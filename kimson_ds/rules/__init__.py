"""Rules shared by several analyses: dated regulation parameters (``params/``), retirement, standards, relatives.

Modules: ``parameters``, ``relatives``, ``retirement``, ``standards``.
Names below are imported lazily, on first use.
"""

from kimson_ds._lazy import lazy_exports

_EXPORTS = {
    "AGE_PARAM": "kimson_ds.rules.retirement",
    "GAP_COLUMNS": "kimson_ds.rules.standards",
    "INVERSE_RELATION": "kimson_ds.rules.relatives",
    "PARAMS_DIR": "kimson_ds.rules.parameters",
    "PATH_COLUMNS": "kimson_ds.rules.standards",
    "POST_KIND_LABEL": "kimson_ds.rules.standards",
    "ParameterSet": "kimson_ds.rules.parameters",
    "QUALIFICATION_STANDARDS": "kimson_ds.rules.standards",
    "STANDARD_LABEL": "kimson_ds.rules.standards",
    "are_related": "kimson_ds.rules.relatives",
    "date_vi": "kimson_ds.rules.dates",
    "dates_vi": "kimson_ds.rules.dates",
    "best_course_paths": "kimson_ds.rules.standards",
    "close_gaps": "kimson_ds.rules.standards",
    "get_param": "kimson_ds.rules.parameters",
    "history": "kimson_ds.rules.parameters",
    "list_parameters": "kimson_ds.rules.parameters",
    "parameter_info": "kimson_ds.rules.parameters",
    "parameters": "kimson_ds.rules.parameters",
    "post_kinds": "kimson_ds.rules.standards",
    "qualifications_as_of": "kimson_ds.rules.standards",
    "related_pairs": "kimson_ds.rules.relatives",
    "relatives_graph": "kimson_ds.rules.relatives",
    "retirement_age_months": "kimson_ds.rules.retirement",
    "retirement_date": "kimson_ds.rules.retirement",
    "standards_gaps": "kimson_ds.rules.standards",
    "unmet_summary": "kimson_ds.rules.standards",
    "validate_all": "kimson_ds.rules.parameters",
    "years_of_service_left": "kimson_ds.rules.retirement",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
