"""The data contract and its loading: schema, category codes, CSV/Excel reading, validation, Excel template and export.

Modules: ``codes``, ``excel``, ``io``, ``schema``, ``validate``.
Names below are imported lazily, on first use.
"""

from kimson_ds import outputs as _outputs
from kimson_ds._lazy import lazy_exports

_EXPORTS = {
    "Column": "kimson_ds.data.schema",
    "Dataset": "kimson_ds.data.io",
    "Issue": "kimson_ds.data.validate",
    "RawTable": "kimson_ds.data.io",
    "Table": "kimson_ds.data.schema",
    "build_workbook": "kimson_ds.data.excel",
    "code_lookup": "kimson_ds.data.codes",
    "empty_table": "kimson_ds.data.io",
    "format_table": "kimson_ds.data.io",
    "issues_frame": "kimson_ds.data.validate",
    "label": "kimson_ds.data.codes",
    "load_dataset": "kimson_ds.data.io",
    "read_dataset": "kimson_ds.data.io",
    "save_workbook": "kimson_ds.data.excel",
    "validate_tables": "kimson_ds.data.validate",
    "write_csv_folder": "kimson_ds.data.io",
    "write_dataset": "kimson_ds.data.excel",
    "write_print_table": "kimson_ds.data.excel",
    "write_template": "kimson_ds.data.excel",
    "write_workbook": "kimson_ds.data.excel",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)


def _dataset_reason(path):
    """Tell :mod:`kimson_ds.outputs` what a dataset looks like (it knows no table names)."""
    from kimson_ds.data.detect import dataset_reason

    return dataset_reason(path)


if _dataset_reason not in _outputs.DATASET_DETECTORS:
    _outputs.DATASET_DETECTORS.append(_dataset_reason)
