"""Succession planning (quy hoạch): compliance check, joint slate optimiser, bench strength, vacancy chains, review.

Modules: ``slate_model``, ``succession``, ``committee`` (Party-committee planning checks).
Names below are imported lazily, on first use.
"""

from kimson_ds._lazy import lazy_exports

_EXPORTS = {
    "CHANGE": "kimson_ds.planning.slate_model",
    "COMMITTEE_COLUMNS": "kimson_ds.planning.committee",
    "Compliance": "kimson_ds.planning.succession",
    "PlanScenario": "kimson_ds.planning.slate_model",
    "READINESS": "kimson_ds.planning.succession",
    "REVIEW_STATUS": "kimson_ds.planning.succession",
    "RULES": "kimson_ds.planning.succession",
    "SlateConfig": "kimson_ds.planning.slate_model",
    "SlateModel": "kimson_ds.planning.slate_model",
    "SlateResult": "kimson_ds.planning.slate_model",
    "TermWindow": "kimson_ds.planning.succession",
    "active_planning": "kimson_ds.planning.succession",
    "annual_review": "kimson_ds.planning.succession",
    "bench_strength": "kimson_ds.planning.succession",
    "build": "kimson_ds.planning.slate_model",
    "candidate_pairs": "kimson_ds.planning.succession",
    "check_compliance": "kimson_ds.planning.succession",
    "committee_check": "kimson_ds.planning.committee",
    "compliance_tables": "kimson_ds.planning.succession",
    "explain": "kimson_ds.planning.slate_model",
    "holdings": "kimson_ds.planning.succession",
    "key_posts": "kimson_ds.planning.succession",
    "lower_level_basis": "kimson_ds.planning.succession",
    "merit_scores": "kimson_ds.planning.succession",
    "parse_term": "kimson_ds.planning.succession",
    "percent_text": "kimson_ds.planning.succession",
    "person_facts": "kimson_ds.planning.succession",
    "planning_rows_table": "kimson_ds.planning.succession",
    "ranked_successors": "kimson_ds.planning.succession",
    "readiness": "kimson_ds.planning.succession",
    "review_tables": "kimson_ds.planning.succession",
    "run": "kimson_ds.planning.slate_model",
    "score_pairs": "kimson_ds.planning.slate_model",
    "share_summary": "kimson_ds.planning.succession",
    "slate_tables": "kimson_ds.planning.slate_model",
    "solve": "kimson_ds.planning.slate_model",
    "standards_status": "kimson_ds.planning.succession",
    "term_window": "kimson_ds.planning.succession",
    "vacancy_chains": "kimson_ds.planning.succession",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
