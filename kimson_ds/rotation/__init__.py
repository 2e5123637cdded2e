"""Rotation (luân chuyển): eligibility with reasons and the assignment model (prepare, build, solve, explain).

Modules: ``eligibility``, ``model``.
Names below are imported lazily, on first use.
"""

from kimson_ds._lazy import lazy_exports

_EXPORTS = {
    "DESCRIBE_COLUMNS": "kimson_ds.rotation.eligibility",
    "EligibilityRules": "kimson_ds.rotation.eligibility",
    "Model": "kimson_ds.rotation.model",
    "Problem": "kimson_ds.rotation.model",
    "RULES": "kimson_ds.rotation.eligibility",
    "RotationResult": "kimson_ds.rotation.model",
    "RotationScenario": "kimson_ds.rotation.model",
    "Solution": "kimson_ds.rotation.model",
    "build": "kimson_ds.rotation.model",
    "candidate_facts": "kimson_ds.rotation.eligibility",
    "commune_of": "kimson_ds.rotation.eligibility",
    "describe": "kimson_ds.rotation.eligibility",
    "eligibility": "kimson_ds.rotation.eligibility",
    "explain": "kimson_ds.rotation.model",
    "is_deputy": "kimson_ds.rotation.eligibility",
    "load_rotation_scenario": "kimson_ds.rotation.model",
    "post_facts": "kimson_ds.rotation.eligibility",
    "prepare": "kimson_ds.rotation.model",
    "resolve": "kimson_ds.rotation.model",
    "rule_overrides": "kimson_ds.rotation.eligibility",
    "run": "kimson_ds.rotation.model",
    "score_pairs": "kimson_ds.rotation.model",
    "solve": "kimson_ds.rotation.model",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
