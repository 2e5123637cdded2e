"""Training (đào tạo, bồi dưỡng): standards gaps, course paths, the schedule model, knowledge updates.

Modules: ``schedule``.
Names below are imported lazily, on first use.
"""

from kimson_ds._lazy import lazy_exports

_EXPORTS = {
    "GAP_PATH_COLUMNS": "kimson_ds.training.schedule",
    "KnowledgeUpdateConfig": "kimson_ds.training.schedule",
    "READY_STATUS": "kimson_ds.training.schedule",
    "TrainingInstance": "kimson_ds.training.schedule",
    "TrainingResult": "kimson_ds.training.schedule",
    "TrainingScenario": "kimson_ds.training.schedule",
    "Weights": "kimson_ds.training.schedule",
    "budget_by_year": "kimson_ds.training.schedule",
    "build": "kimson_ds.training.schedule",
    "explain": "kimson_ds.training.schedule",
    "gap_paths": "kimson_ds.training.schedule",
    "gaps_table": "kimson_ds.training.schedule",
    "knowledge_update_members": "kimson_ds.training.schedule",
    "knowledge_update_rosters": "kimson_ds.training.schedule",
    "knowledge_update_status": "kimson_ds.training.schedule",
    "overdue_list": "kimson_ds.training.schedule",
    "planning_years": "kimson_ds.training.schedule",
    "prepare": "kimson_ds.training.schedule",
    "run": "kimson_ds.training.schedule",
    "run_knowledge_updates": "kimson_ds.training.schedule",
    "solve": "kimson_ds.training.schedule",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
