"""Appointment and nomination procedure (quy trình bổ nhiệm, giới thiệu ứng cử) and confidence votes.

Modules: ``tally`` (consistency of the ballot counts), ``steps`` (the steps and their
thresholds applied to the tallies), ``confidence`` (lấy phiếu tín nhiệm).
Names below are imported lazily, on first use.
"""

from kimson_ds._lazy import lazy_exports

_EXPORTS = {
    "ConfidenceResult": "kimson_ds.procedure.confidence",
    "ProcedureResult": "kimson_ds.procedure.steps",
    "STATUS_VI": "kimson_ds.procedure.steps",
    "check_confidence": "kimson_ds.procedure.tally",
    "check_tallies": "kimson_ds.procedure.tally",
    "evaluate_confidence": "kimson_ds.procedure.confidence",
    "evaluate_procedures": "kimson_ds.procedure.steps",
    "step_definitions": "kimson_ds.procedure.tally",
    "year_over_year": "kimson_ds.procedure.confidence",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
