"""Tests of the report pipeline (kimson_ds.papers.report) and the ``report`` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kimson_ds.cli import main
from kimson_ds.errors import DataError, ReportError
from kimson_ds.papers import report
from kimson_ds.rules.parameters import parameters

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "kimson"
OVERVIEW = REPO / "notebooks" / "00-tong-quan.ipynb"
CLI = [sys.executable, "-m", "kimson_ds.cli"]


def _write_nb(path: Path, cells, title_cell: str = "# Báo cáo thử") -> Path:
    nb = new_notebook(cells=[new_markdown_cell(title_cell), *cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def _params_cell(source: str):
    return new_code_cell(source, metadata={"tags": ["parameters"]})


@pytest.fixture
def tiny_nb(tmp_path) -> Path:
    return _write_nb(
        tmp_path / "thu.ipynb",
        [_params_cell('as_of: str = "2019-12-31"  # ngày áp dụng\nn: int = 3  # số dòng\nratio: float = 0.5'),
         new_code_cell("print(as_of, n)")],
    )


@pytest.fixture(autouse=True)
def _audit_log(tmp_path, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))


# --------------------------------------------------------------------- notebook helpers
def test_table_html_formats_vietnamese_and_escapes():
    df = pd.DataFrame(
        {
            "Tên": ["<An>", "Bình"],
            "Số người": [1234, 5],
            "Tỷ lệ (%)": [35.25, float("nan")],
            "Ngày": pd.to_datetime(["2019-12-31", None]),
            "Chủ chốt": [True, False],
        }
    )
    html = report.table_html(df, "Bảng thử")
    assert "<caption>Bảng thử</caption>" in html
    assert "&lt;An&gt;" in html and "<An>" not in html
    assert '<td class="num">1234</td>' in html and '<td class="num">35,25</td>' in html
    assert "<td>31/12/2019</td>" in html and "<td>Có</td>" in html and "<td>Không</td>" in html
    assert "nan" not in html.lower().replace("tên", "")
    assert "(không có dòng nào)" in report.table_html(df.iloc[:0])
    assert report._fmt_value(1234567.5) == "1.234.567,5"
    assert report._fmt_value({"young_max": 40, "middle_max": 50}) == "young_max: 40; middle_max: 50"


def test_find_dataset_falls_back_to_repo_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert report.find_dataset("kimson_ds/rules/params") == (REPO / "kimson_ds" / "rules" / "params").resolve()
    with pytest.raises(DataError, match="Không tìm thấy bộ dữ liệu 'khong/co'"):
        report.find_dataset("khong/co")


def test_legal_basis_appends_to_sidecar_and_marks_assumptions(tmp_path, monkeypatch):
    sidecar = tmp_path / "refs.json"
    monkeypatch.setenv(report.SIDECAR_ENV, str(sidecar))
    shown = []
    monkeypatch.setattr(report, "_display_html", shown.append)
    P1 = parameters("2019-12-31")
    P1["planning.age_cohort_bounds"]
    P2 = parameters("2023-06-30")
    P2["retirement.age_men_months"]
    report.legal_basis([P1, P2])
    report.legal_basis(P1)
    rows = json.loads(sidecar.read_text(encoding="utf-8"))["references"]
    assert [r["name"] for r in rows] == ["planning.age_cohort_bounds", "retirement.age_men_months",
                                         "planning.age_cohort_bounds"]
    assert rows[0]["assumption"] is True and rows[1]["value"] == 729
    assert "GIẢ ĐỊNH" in shown[0] and "Kết luận 24-KL/TW" in shown[0]
    merged = report.references_frame(pd.DataFrame(rows))
    assert merged["name"].tolist() == ["planning.age_cohort_bounds", "retirement.age_men_months"]


def test_resolve_parameters_types_and_unknown_names(tiny_nb, tmp_path):
    got = report.resolve_parameters(tiny_nb, [("as_of", "31/12/2018"), ("n", "7"), ("ratio", "2")])
    assert got == {"as_of": "2018-12-31", "n": 7, "ratio": 2.0}
    with pytest.raises(report.ReportInputError) as err:
        report.resolve_parameters(tiny_nb, [("asof", "2018-12-31")])
    assert err.value.exit_code == 2
    assert "'asof'" in str(err.value) and "as_of, n, ratio" in str(err.value)
    with pytest.raises(report.ReportInputError, match="số nguyên"):
        report.resolve_parameters(tiny_nb, [("n", "ba")])
    pfile = tmp_path / "p.yaml"
    pfile.write_text("as_of: 2018-12-31\nn: 4\n", encoding="utf-8")
    assert report.resolve_parameters(tiny_nb, [("n", "5")], pfile) == {"as_of": "2018-12-31", "n": 5}
    pfile.write_text("khong_co: 1\n", encoding="utf-8")
    with pytest.raises(report.ReportInputError, match="khong_co"):
        report.resolve_parameters(tiny_nb, None, pfile)


def test_cli_unknown_parameter_exits_2(tiny_nb, tmp_path, capsys):
    code = main(["report", str(tiny_nb), "-p", "khong_ton_tai", "1", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert "khong_ton_tai" in err and "Các tham số hợp lệ: as_of, n, ratio" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out" / "thu.html").exists()


def test_cli_missing_notebook_exits_2(tmp_path, capsys):
    assert main(["report", str(tmp_path / "khong.ipynb"), "--out", str(tmp_path)]) == 2
    assert "Không tìm thấy notebook" in capsys.readouterr().err


def test_render_html_is_offline_without_code(tmp_path):
    nb = new_notebook(cells=[
        new_markdown_cell("# Tiêu đề thử\n\n## Kết quả"),
        new_code_cell("secret_code_line = 1", metadata={"tags": ["parameters"]}),
        new_code_cell("print('x')", execution_count=3, outputs=[
            new_output("display_data", data={
                "text/html": '<script src="https://cdn.jsdelivr.net/npm/require.js"></script>'
                             '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
                             "<p>bảng kết quả</p>"}),
            new_output("stream", name="stderr", text="Cảnh báo kỹ thuật"),
        ]),
    ])
    html, appendix = report._render_html(nb, "Tiêu đề thử", "<header>đầu</header>")
    assert appendix is None
    assert html.startswith("<!DOCTYPE html>") and '<html lang="vi">' in html and '<meta charset="utf-8">' in html
    assert "bảng kết quả" in html and "Kết quả" in html
    assert report.external_resources(html) == []
    assert "secret_code_line" not in html and "print(" not in html and "In&nbsp;[" not in html
    assert "Cảnh báo kỹ thuật" not in html
    assert html.count("Tiêu đề thử") == 2  # <title> and the appendix heading: the header replaces the nb title
    assert report.external_resources('<script src="https://x/y.js"></script>')


def test_kernel_spec_points_at_current_interpreter():
    from jupyter_client.kernelspec import KernelSpecManager

    name = report.ensure_kernel()
    assert KernelSpecManager().get_kernel_spec(name).argv[0] == sys.executable


# --------------------------------------------------------------------- end to end
def _run_cli(args, cwd) -> subprocess.CompletedProcess:
    env = {**os.environ}
    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.slow
@pytest.mark.skipif(not SAMPLE.is_dir(), reason="data/kimson is not generated")
def test_overview_report_from_repo_root(tmp_path):
    out = tmp_path / "bao-cao"
    res = _run_cli(["report", "notebooks/00-tong-quan.ipynb", "--out", str(out)], cwd=REPO)
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""  # not even the kernel's start-up chatter
    assert "Đã tạo báo cáo" in res.stdout
    html = (out / "00-tong-quan.html").read_text(encoding="utf-8")
    assert (out / "00-tong-quan.ipynb").is_file()
    # header: title and reference date; the summary before the results; run information in the appendix
    assert "<h1>Tổng quan đội ngũ cán bộ huyện Kim Sơn</h1>" in html
    assert "Số liệu tại ngày 31/12/2019" in html
    assert html.index("Tóm tắt") < html.index("Kết quả") < html.index("Thông tin lần chạy")
    for item in ("Ngày lập báo cáo", "Tham số chạy", "Dấu vân tay dữ liệu (sha256)", "Phiên bản kimson-ds",
                 "Mã nguồn (git commit)", "GIẢ ĐỊNH", "planning.age_cohort_bounds",
                 "retirement.age_men_months", "2019-12-31", "data/kimson"):
        assert item in html, item
        assert html.index(item) > html.index("Thông tin lần chạy"), item
    from kimson_ds.data.io import read_dataset

    assert read_dataset(SAMPLE).fingerprint in html
    # body
    for section in ("Mục tiêu", "Bài toán", "Mô hình", "Dữ liệu", "Kết quả", "Phân tích", "Căn cứ pháp lý",
                    "Tháp tuổi", "Cơ cấu ba độ tuổi", "Vị trí khuyết"):
        assert section in html, section
    assert html.count("data:image/png;base64,") >= 5
    assert "In [" not in html and "In&nbsp;[" not in html and "Traceback" not in html
    assert '<script src="http' not in html and report.external_resources(html) == []
    assert "show_table(" not in html and "import " not in html
    # audit record
    rec = json.loads((tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert rec["command"].startswith("report notebooks/00-tong-quan.ipynb")
    assert rec["parameters"]["planning.age_cohort_bounds"] == {"young_max": 40, "middle_max": 50}
    assert any(k.endswith("00-tong-quan.html") for k in rec["outputs"])


@pytest.mark.slow
@pytest.mark.skipif(not SAMPLE.is_dir(), reason="data/kimson is not generated")
def test_overview_report_with_absolute_dataset_from_elsewhere(tmp_path):
    res = _run_cli(["report", str(OVERVIEW), "-p", "dataset", str(SAMPLE), "-p", "as_of", "2023-06-30",
                    "--out", "out"], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    html = (tmp_path / "out" / "00-tong-quan.html").read_text(encoding="utf-8")
    assert str(SAMPLE) in html and "2023-06-30" in html and "đặt khi chạy" in html
    assert "30/06/2023" in html and "2025–2030" in html  # next term seen from mid-2023
    assert "729" in html  # men's retirement age in 2023: 60 years 9 months


@pytest.mark.slow
def test_failing_cell_names_cell_and_error_and_keeps_notebook(tmp_path):
    nb = _write_nb(tmp_path / "loi.ipynb", [
        _params_cell("x: int = 1  # số thử"),
        new_code_cell("y = x + 1"),
        new_code_cell("ket_qua = y / 0  # chia cho không", metadata={"tags": ["tinh-toan"]}),
        new_code_cell("print('không chạy tới')"),
    ])
    out = tmp_path / "out"
    res = _run_cli(["report", str(nb), "-p", "x", "2", "--out", str(out)], cwd=tmp_path)
    assert res.returncode == 1
    err = res.stderr
    assert "ô số 4" in err and "ket_qua = y / 0" in err and "tinh-toan" in err
    assert "ZeroDivisionError: division by zero" in err
    assert "Traceback" not in err and "\x1b[" not in err
    assert len(err.strip().splitlines()) <= 3
    kept = out / "loi.ipynb"
    assert kept.is_file() and str(kept) in err
    executed = nbformat.read(kept, as_version=4)
    assert any(o.get("output_type") == "error" for c in executed.cells for o in c.get("outputs", []))
    assert not (out / "loi.html").exists()


@pytest.mark.slow
def test_build_report_library_on_tiny_notebook(tiny_nb, tmp_path):
    result = report.build_report(tiny_nb, {"n": 9}, tmp_path / "o")
    assert result.html.is_file() and result.ipynb.is_file()
    assert result.parameters == {"as_of": "2019-12-31", "n": 9, "ratio": 0.5}
    assert result.fingerprint is None and result.references.empty
    html = result.html.read_text(encoding="utf-8")
    assert "2019-12-31 9" in html and "Báo cáo thử" in html
    bad = _write_nb(tmp_path / "bad.ipynb", [new_code_cell("raise ValueError('hỏng')")])
    with pytest.raises(ReportError, match="ô số 2 .*ValueError: hỏng"):
        report.build_report(bad, None, tmp_path / "o")


def _sectioned_notebook():
    return new_notebook(cells=[
        new_markdown_cell("# Báo cáo thử\n\n## Mục tiêu\n\nmục tiêu dài"),
        new_markdown_cell("## Mô hình\n\ncác tập và ràng buộc"),
        new_markdown_cell("## Kết quả\n\nkết quả chính"),
        new_markdown_cell("bảng chi tiết từng người", metadata={"tags": ["appendix"]}),
        new_markdown_cell("### Tóm tắt\n\nđề xuất 6 người", metadata={"tags": ["summary"]}),
        new_markdown_cell("## Căn cứ pháp lý\n\nbảng căn cứ"),
    ])


def test_report_opens_with_the_summary_and_closes_with_the_appendix():
    html, appendix = report._render_html(_sectioned_notebook(), "Báo cáo thử", "<header>đầu</header>",
                                         "<section>thông tin lần chạy</section>")
    assert appendix is None
    order = [html.index(x) for x in ("đầu", "đề xuất 6 người", "kết quả chính", "Phụ lục", "thông tin lần chạy",
                                     "mục tiêu dài", "các tập và ràng buộc", "bảng chi tiết từng người",
                                     "bảng căn cứ")]
    assert order == sorted(order)


def test_pack_reports_put_the_appendix_in_its_own_file():
    html, appendix = report._render_html(_sectioned_notebook(), "Báo cáo thử", "<header>đầu</header>",
                                         "<section>thông tin lần chạy</section>", "x.phu-luc.html")
    for text in ("mục tiêu dài", "các tập và ràng buộc", "bảng chi tiết từng người", "bảng căn cứ",
                 "thông tin lần chạy"):
        assert text not in html and text in appendix
    assert "đề xuất 6 người" in html and "kết quả chính" in html
    assert report.external_resources(appendix) == []


def test_header_names_the_reference_date_and_where_the_appendix_is():
    head = report._header_html("T", "31/12/2019", "x.phu-luc.html")
    assert "Số liệu tại ngày 31/12/2019" in head and 'href="x.phu-luc.html"' in head


def test_a_chart_whose_values_were_lost_by_index_alignment_is_reported_empty():
    from matplotlib.figure import Figure

    scores = pd.Series([0.5, 1.0])  # index 0, 1
    for values, expected in ((scores, False), (scores.to_numpy(), True)):
        fig = Figure()
        ax = fig.subplots()
        pd.DataFrame({"Xếp loại": values}, index=["Nguyễn Văn A → Như Hòa", "Trần Thị B → Định Hóa"]).plot.barh(ax=ax)
        ax.set_title("Cơ cấu điểm của từng cặp được chọn")
        assert report.figure_facts(fig)["has_data"] is expected
