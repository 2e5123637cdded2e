"""What ``kimson-ds app`` prints while staff use it: nothing in English from the report export.

"Xuất báo cáo" in an explorer builds the HTML report inside the page's kernel;
nbconvert used to write English filler alt text into every chart and print
"[IPKernelApp] WARNING | Alternative text is missing on N image(s)." in the
app's terminal. Charts now carry a Vietnamese alt from their title.
"""

from __future__ import annotations

import logging

import nbformat
from matplotlib.figure import Figure

from kimson_ds.papers import report


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _chart_output(title: str):
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    InteractiveShell.instance()
    fig = Figure()
    ax = fig.subplots()
    ax.bar([1, 2], [3, 4])
    ax.set_title(title)
    with capture_output() as cap:
        report.show_figure(fig)
    (out,) = cap.outputs
    return nbformat.v4.new_output("display_data", data=out.data, metadata=out.metadata)


def test_report_charts_get_a_vietnamese_alt_and_the_export_prints_no_english_warning():
    from traitlets.log import get_logger

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("hình 1", outputs=[_chart_output("Cơ cấu độ tuổi")]),
        nbformat.v4.new_code_cell("hình 2", outputs=[_chart_output("")]),
    ])
    assert "image/png" in nb.cells[0].outputs[0].data  # the notebook keeps its PNG (tests and viewers read it)
    keep = _Keep()
    for log in (get_logger(), logging.getLogger()):
        log.addHandler(keep)
    try:
        part = report._export_cells(nb)
        body = report._body_html(part, part.cells)
    finally:
        for log in (get_logger(), logging.getLogger()):
            log.removeHandler(keep)
    assert 'alt="Biểu đồ: Cơ cấu độ tuổi"' in body and 'alt="Biểu đồ"' in body
    assert body.count("data:image/png;base64,") == 2
    assert "No description" not in body
    assert not any("Alternative text" in ln for ln in keep.lines), keep.lines
