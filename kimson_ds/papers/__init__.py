"""Papers for the committee: the report pipeline (papermill → offline HTML), the meeting pack, PDF.

Modules: ``pack``, ``pdf``, ``report``, ``vi`` (Vietnamese formatting, Babel), ``word`` (Tờ trình .docx),
``profile`` (profile cards).
Names below are imported lazily, on first use.
"""

from kimson_ds._lazy import lazy_exports

_EXPORTS = {
    "CHROMIUM_ARGS": "kimson_ds.papers.pdf",
    "Organisation": "kimson_ds.papers.word",
    "ProfileCard": "kimson_ds.papers.profile",
    "Submission": "kimson_ds.papers.word",
    "card_html": "kimson_ds.papers.profile",
    "cards_html": "kimson_ds.papers.profile",
    "organisation": "kimson_ds.papers.word",
    "profile_card": "kimson_ds.papers.profile",
    "proposal_lists": "kimson_ds.papers.pack",
    "write_papers": "kimson_ds.papers.pack",
    "write_profile_cards": "kimson_ds.papers.profile",
    "write_submission": "kimson_ds.papers.word",
    "ChromiumMissingError": "kimson_ds.papers.pdf",
    "MANIFEST_NAME": "kimson_ds.papers.pack",
    "PackManifest": "kimson_ds.papers.pack",
    "PackPlan": "kimson_ds.papers.pack",
    "PackResult": "kimson_ds.papers.pack",
    "PdfResult": "kimson_ds.papers.pdf",
    "ReportError": "kimson_ds.papers.report",
    "ReportInputError": "kimson_ds.papers.report",
    "ReportResult": "kimson_ds.papers.report",
    "ReportSpec": "kimson_ds.papers.pack",
    "SIDECAR_ENV": "kimson_ds.papers.report",
    "WORKBOOK_NAME": "kimson_ds.papers.pack",
    "build_pack": "kimson_ds.papers.pack",
    "build_report": "kimson_ds.papers.report",
    "decimal_comma": "kimson_ds.papers.report",
    "external_resources": "kimson_ds.papers.report",
    "find_chromium": "kimson_ds.papers.pdf",
    "find_dataset": "kimson_ds.papers.report",
    "font_css": "kimson_ds.papers.pdf",
    "html_to_pdf": "kimson_ds.papers.pdf",
    "index_html": "kimson_ds.papers.pack",
    "legal_basis": "kimson_ds.papers.report",
    "load_pack": "kimson_ds.papers.pack",
    "notebook_parameters": "kimson_ds.papers.report",
    "param_value_text": "kimson_ds.papers.report",
    "references_frame": "kimson_ds.papers.report",
    "resolve_parameters": "kimson_ds.papers.report",
    "show_figure": "kimson_ds.papers.report",
    "show_table": "kimson_ds.papers.report",
    "table_html": "kimson_ds.papers.report",
    "vi_number": "kimson_ds.papers.report",
    "vi_text": "kimson_ds.papers.report",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
