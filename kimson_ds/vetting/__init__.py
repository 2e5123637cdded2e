"""Vetting proposals (thẩm định): the dated checklist and relatives conflicts on linked posts.

Modules: ``checklist``, ``conflicts``.
Names below are imported lazily, on first use.
"""

from kimson_ds._lazy import lazy_exports

_EXPORTS = {
    "ACTIONS": "kimson_ds.vetting.checklist",
    "CHECKLIST_COLUMNS": "kimson_ds.vetting.checklist",
    "CONFLICT_COLUMNS": "kimson_ds.vetting.conflicts",
    "DISTRICT": "kimson_ds.vetting.conflicts",
    "ITEMS": "kimson_ds.vetting.checklist",
    "KIND_LABEL": "kimson_ds.vetting.conflicts",
    "PROPOSAL_COLUMNS": "kimson_ds.vetting.checklist",
    "SCOPE_LABEL": "kimson_ds.vetting.conflicts",
    "STATUS": "kimson_ds.vetting.checklist",
    "VERDICT_COLUMNS": "kimson_ds.vetting.checklist",
    "VetResult": "kimson_ds.vetting.checklist",
    "checklist": "kimson_ds.vetting.checklist",
    "current_conflicts": "kimson_ds.vetting.conflicts",
    "current_holdings": "kimson_ds.vetting.conflicts",
    "find_conflicts": "kimson_ds.vetting.conflicts",
    "parse_proposals": "kimson_ds.vetting.checklist",
    "proposal_conflicts": "kimson_ds.vetting.conflicts",
    "read_proposals": "kimson_ds.vetting.checklist",
    "relation_text": "kimson_ds.vetting.conflicts",
    "relatives_links": "kimson_ds.vetting.conflicts",
    "rules_in_force": "kimson_ds.vetting.conflicts",
    "unit_scopes": "kimson_ds.vetting.conflicts",
    "verdicts": "kimson_ds.vetting.checklist",
    "vet": "kimson_ds.vetting.checklist",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
