"""The main part of a report stays short by design: long tables show their first rows, the whole table is
printed in the appendix (``show_table`` → output metadata → :func:`kimson_ds.papers.report.cap_main_tables`)."""

from __future__ import annotations

import nbformat
import pandas as pd

from kimson_ds.papers import report


def _table_output(df: pd.DataFrame, caption: str) -> nbformat.NotebookNode:
    """The output ``show_table(df, caption)`` leaves in an executed notebook."""
    meta = report._main_table_metadata(df, caption, index=False, shown=len(df))
    return nbformat.v4.new_output("display_data", data={"text/html": report.table_html(df, caption)},
                                  metadata=meta)


def _notebook(rows: int, *, appendix_rows: int = 0) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    results = nbformat.v4.new_code_cell("")
    results.outputs = [_table_output(pd.DataFrame({"Họ và tên": [f"Người {i:03d}" for i in range(rows)]}),
                                     "Danh sách dài")]
    cells = [nbformat.v4.new_markdown_cell("# Báo cáo thử"), nbformat.v4.new_markdown_cell("## Kết quả"), results]
    if appendix_rows:
        tail = nbformat.v4.new_code_cell("")
        tail.outputs = [_table_output(pd.DataFrame({"Mã": [f"X{i:03d}" for i in range(appendix_rows)]}),
                                      "Bảng của phụ lục")]
        cells += [nbformat.v4.new_markdown_cell("## Phân tích"), tail]
    for i, cell in enumerate(cells):  # fixed ids, as in a notebook file
        cell.id = f"cell-{i}"
    nb.cells = cells
    return nb


def test_a_long_table_of_the_results_shows_its_first_rows_and_the_appendix_has_all_of_them():
    main, appendix = report._render_html(_notebook(40), "Báo cáo thử", "<header></header>",
                                         appendix_name="thu.phu-luc.html")
    assert "Người 011" in main and "Người 012" not in main
    assert "… và 28 dòng nữa — bảng đầy đủ ở phụ lục, mục «Bảng đầy đủ của phần chính»." in main
    assert report.FULL_TABLES_HEADING in appendix
    assert all(f"Người {i:03d}" in appendix for i in range(40))


def test_a_table_within_the_limit_and_the_appendix_tables_are_left_whole():
    limit = report.MAIN_TABLE_ROWS
    main, appendix = report._render_html(_notebook(limit, appendix_rows=50), "Báo cáo thử", "<header></header>",
                                         appendix_name="thu.phu-luc.html")
    assert f"Người {limit - 1:03d}" in main and "dòng nữa" not in main
    assert report.FULL_TABLES_HEADING not in appendix  # nothing was shortened
    assert "X049" in appendix and "dòng nữa" not in appendix


def test_without_a_separate_appendix_the_whole_table_closes_the_report():
    text, none = report._render_html(_notebook(30), "Báo cáo thử", "<header></header>")
    assert none is None
    head, _, tail = text.partition(report.FULL_TABLES_HEADING)
    assert "Người 029" not in head and "Người 029" in tail


def test_the_rendered_report_is_the_same_from_run_to_run():
    first = report._render_html(_notebook(40), "Báo cáo thử", "<header></header>", appendix_name="thu.phu-luc.html")
    again = report._render_html(_notebook(40), "Báo cáo thử", "<header></header>", appendix_name="thu.phu-luc.html")
    assert first == again
