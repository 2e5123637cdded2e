"""The synthetic Kim Sơn sample generator (reads the rules, so it sits above ``rules/``).

Modules: ``generator`` (the composed builder, `build`, `generate`) and one module per step:
``units``, ``positions``, ``cadres``, ``ratings``, ``planning``, ``training``, ``records``;
``constants``, ``base``, ``writer``, ``readme``.
Names below are imported lazily, on first use.
"""

from kimson_ds._lazy import lazy_exports

_EXPORTS = {
    "ascii_id": "kimson_ds.sample.generator",
    "build": "kimson_ds.sample.generator",
    "cap_level": "kimson_ds.sample.generator",
    "commune_id": "kimson_ds.sample.generator",
    "data_dictionary_markdown": "kimson_ds.sample.readme",
    "generate": "kimson_ds.sample.generator",
    "points_level": "kimson_ds.sample.generator",
    "readme_markdown": "kimson_ds.sample.readme",
    "sample_facts": "kimson_ds.sample.readme",
    "write_csv": "kimson_ds.sample.writer",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
