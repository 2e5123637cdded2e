"""Career history and time travel: the state on any date, and the rules that need the past.

Modules: ``state`` (units, holders and managing bodies on a date; snapshot or
history mode), ``careers`` (seniority, the QĐ 65 two-terms trigger,
reappointment dates), ``backtest`` (an optimiser's plan against recorded
decisions). Imports only ``data/`` and ``rules/``.
Names below are imported lazily, on first use.
"""

from kimson_ds._lazy import lazy_exports

_EXPORTS = {
    "MODE_VI": "kimson_ds.history.state",
    "State": "kimson_ds.history.state",
    "dataset_on": "kimson_ds.history.state",
    "history_mode": "kimson_ds.history.state",
    "holdings_on": "kimson_ds.history.state",
    "managing_body": "kimson_ds.history.state",
    "state_on": "kimson_ds.history.state",
    "successors": "kimson_ds.history.state",
    "units_on": "kimson_ds.history.state",
    "seniority": "kimson_ds.history.careers",
    "two_terms_candidates": "kimson_ds.history.careers",
    "reappointment_due": "kimson_ds.history.careers",
    "compare_with_record": "kimson_ds.history.backtest",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
