"""The meeting pack: manifests, fonts, the ``pack`` command end to end, its PDFs and workbook.

The fast tests check the manifests, the error paths and the font choice.
The slow ones build the whole pack once per session from ``data/kimson``
(:func:`sample_pack`, shared with ``test_browser_reports.py``) and check
what the staff take to the meeting: the index, the PDFs (pages, Vietnamese
text, embedded DejaVu Sans) and the proposal workbook, against the library.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import time
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
import yaml

from kimson_ds.errors import ScenarioError

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "kimson"
HOP_BTV = REPO / "data" / "scenarios" / "hop-btv"
CHROMIUM = Path("/usr/bin/chromium")

#: Every Vietnamese letter that carries a diacritic (upper and lower case).
VIETNAMESE = (
    "ĂÂĐÊÔƠƯăâđêôơư"
    "ÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
    "áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.fixture(autouse=True)
def _audit_log(tmp_path, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))


# =========================================================================== fonts
def test_embedded_pdf_font_has_every_vietnamese_letter():
    from matplotlib.ft2font import FT2Font

    from kimson_ds.papers import pdf

    folder = pdf._font_dir()
    for name, _weight, _style in pdf._FACES:
        font = FT2Font(str(folder / name))
        missing = [c for c in VIETNAMESE if font.get_char_index(ord(c)) == 0]
        assert missing == [], f"{name} lacks {missing}"
    css = pdf.font_css()
    assert css.count("@font-face") == len(pdf._FACES)
    assert "http" not in css  # data: URIs only


def test_matplotlib_default_font_draws_vietnamese():
    import matplotlib
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.ft2font import FT2Font

    path = findfont(FontProperties(family=matplotlib.rcParams["font.family"]), fallback_to_default=True)
    font = FT2Font(path)
    assert [c for c in VIETNAMESE if font.get_char_index(ord(c)) == 0] == []


# =========================================================================== manifests
def _write(folder: Path, name: str, data) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_sample_manifests_resolve_files_and_inject_the_dataset():
    from kimson_ds.papers.pack import load_pack

    plan = load_pack(HOP_BTV, SAMPLE)
    keys = [r.key for r in plan.reports]
    assert keys == sorted(keys) and keys[0] == "00-tong-quan"
    assert plan.manifest.lists.rotation is not None and plan.manifest.lists.vetting is not None
    by_key = {r.key: r for r in plan.reports}
    rot = by_key["30-luan-chuyen"]
    assert Path(rot.parameters["scenario"]) == (REPO / "data/scenarios/luan-chuyen-2020.yaml").resolve()
    assert all(r.parameters["dataset"] == str(SAMPLE.resolve()) for r in plan.reports if r.notebook)
    assert by_key["10-xep-loai"].parameters["year"] == 2019


def test_unknown_key_in_a_report_manifest_is_named(tmp_path):
    from kimson_ds.papers.pack import load_pack

    _write(tmp_path, "00-tong-quan.yaml", {"notebook": "00-tong-quan", "paramters": {}})
    with pytest.raises(ScenarioError, match="paramters"):
        load_pack(tmp_path)


def test_missing_notebook_is_a_vietnamese_error_unless_optional(tmp_path):
    from kimson_ds.papers.pack import load_pack
    from kimson_ds.papers.report import ReportInputError

    _write(tmp_path, "00-tong-quan.yaml", {"notebook": "00-tong-quan"})
    _write(tmp_path, "90-chua-co.yaml", {"notebook": "90-chua-co"})
    with pytest.raises(ReportInputError, match="Không tìm thấy notebook.*90-chua-co") as info:
        load_pack(tmp_path)
    assert info.value.exit_code == 2
    _write(tmp_path, "90-chua-co.yaml", {"notebook": "90-chua-co", "required": False})
    plan = load_pack(tmp_path)
    assert [r.notebook is None for r in plan.reports] == [False, True]


def test_unknown_notebook_parameter_fails_before_any_report(tmp_path):
    from kimson_ds.papers.pack import load_pack
    from kimson_ds.papers.report import ReportInputError

    _write(tmp_path, "00-tong-quan.yaml", {"notebook": "00-tong-quan", "parameters": {"as_off": "2019-12-31"}})
    with pytest.raises(ReportInputError, match="00-tong-quan.yaml.*as_off"):
        load_pack(tmp_path)


def test_dataset_parameter_duplicate_notebook_and_missing_files_are_rejected(tmp_path):
    from kimson_ds.papers.pack import load_pack

    _write(tmp_path, "a.yaml", {"notebook": "00-tong-quan", "parameters": {"dataset": "x"}})
    with pytest.raises(ScenarioError, match="dataset"):
        load_pack(tmp_path)
    _write(tmp_path, "a.yaml", {"notebook": "00-tong-quan"})
    _write(tmp_path, "b.yaml", {"notebook": "00-tong-quan"})
    with pytest.raises(ScenarioError, match="cùng chạy notebook"):
        load_pack(tmp_path)
    (tmp_path / "b.yaml").unlink()
    _write(tmp_path, "goi-tai-lieu.yaml", {"lists": {"vetting": {"proposals": "khong-co.csv"}}})
    with pytest.raises(ScenarioError, match="khong-co.csv"):
        load_pack(tmp_path)
    (tmp_path / "goi-tai-lieu.yaml").unlink()
    (tmp_path / "a.yaml").unlink()
    with pytest.raises(ScenarioError, match="không có tệp kê khai"):
        load_pack(tmp_path)


def test_missing_chromium_exits_2_with_install_hint_before_building(tmp_path, capsys):
    from kimson_ds.cli import main

    scenarios = tmp_path / "kich-ban"
    scenarios.mkdir()
    _write(scenarios, "00-tong-quan.yaml", {"notebook": "00-tong-quan"})
    out = tmp_path / "goi"
    code = main(["pack", str(SAMPLE), "--scenarios", str(scenarios), "--out", str(out),
                 "--chromium", str(tmp_path / "khong-co-chromium")])
    err = capsys.readouterr().err
    assert code == 2
    assert "chromium" in err and "--no-pdf" in err and "Traceback" not in err
    assert not out.exists()  # nothing was built


def test_index_is_offline_and_links_every_report():
    import datetime as dt

    from kimson_ds.papers.pack import PackManifest, ProposalList, index_html
    from kimson_ds.papers.report import external_resources

    rows = [{"title": "Tổng quan <đội ngũ>", "html": "bao-cao/00-tong-quan.html", "pdf": "bao-cao/00-tong-quan.pdf",
             "pages": 12, "note": ""},
            {"title": "40-dao-tao", "html": None, "pdf": None, "pages": None, "note": "Chưa có notebook"}]
    lists = [ProposalList("Luân chuyển", "DANH SÁCH", pd.DataFrame({"a": [1]}), summary="1 cán bộ")]
    text = index_html(PackManifest(meeting="Phiên họp tháng 12"), rows, lists,
                      {"built": dt.datetime(2019, 12, 31, 8, 0), "dataset": "data/kimson", "fingerprint": "ab" * 32,
                       "scenarios": "data/scenarios/hop-btv", "commit": "abc1234"})
    assert external_resources(text) == []
    assert '<a href="bao-cao/00-tong-quan.html">Tổng quan &lt;đội ngũ&gt;</a>' in text
    assert 'href="bao-cao/00-tong-quan.pdf"' in text and 'href="danh-sach-de-xuat.xlsx"' in text
    assert "Chưa có notebook" in text and "Phiên họp tháng 12" in text and "31/12/2019 08:00" in text


# =========================================================================== the whole pack (slow)
def sample_pack(tmp_path_factory) -> dict:
    """Build the sample pack once per test session (``kimson-ds pack`` in process) and return its facts."""
    base = tmp_path_factory.getbasetemp() / "kimson-pack"
    done = base / "result.json"
    if done.exists():
        return json.loads(done.read_text(encoding="utf-8"))
    from kimson_ds.cli import main

    base.mkdir(parents=True, exist_ok=True)
    out = base / "goi"
    log = base / "audit.jsonl"
    buf_out, buf_err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KIMSON_AUDIT_LOG", str(log))
        started = time.perf_counter()
        with contextlib.redirect_stdout(buf_out), contextlib.redirect_stderr(buf_err):
            code = main(["pack", str(SAMPLE), "--scenarios", str(HOP_BTV), "--out", str(out)])
        seconds = time.perf_counter() - started
    facts = {"out": str(out), "code": code, "stdout": buf_out.getvalue(), "stderr": buf_err.getvalue(),
             "seconds": seconds, "audit": str(log)}
    done.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    return facts


needs_sample_and_chromium = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (/usr/bin/chromium)"),
    pytest.mark.skipif(not SAMPLE.is_dir(), reason="data/kimson is not generated"),
]


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> dict:
    facts = sample_pack(tmp_path_factory)
    assert facts["code"] == 0, facts["stdout"] + facts["stderr"]
    return facts


def _reports(out: Path) -> list[Path]:
    """The main part of each report (the appendices are separate ``*.phu-luc.html`` files)."""
    return sorted(p for p in (out / "bao-cao").glob("*.html") if not p.name.endswith(".phu-luc.html"))


class TestSamplePack:
    pytestmark = needs_sample_and_chromium

    def test_every_listed_report_is_built_offline_with_its_pdf(self, pack):
        from kimson_ds.papers.report import external_resources

        out = Path(pack["out"])
        manifests = sorted(p.stem for p in HOP_BTV.glob("*.yaml") if p.name != "goi-tai-lieu.yaml")
        present = [m for m in manifests if (REPO / "notebooks" / f"{m}.ipynb").exists()]
        assert [p.stem for p in _reports(out)] == present
        appendices = [p.with_name(p.stem + ".phu-luc.html") for p in _reports(out)]
        for html_path in [out / "index.html", *_reports(out), *appendices]:
            assert external_resources(html_path.read_text(encoding="utf-8")) == [], html_path.name
        for html_path in _reports(out):
            assert html_path.with_suffix(".pdf").stat().st_size > 10_000
        assert "Đã lập gói tài liệu" in pack["stdout"]
        assert pack["seconds"] < 120, f"pack took {pack['seconds']:.0f} s"

    def test_index_links_resolve(self, pack):
        out = Path(pack["out"])
        text = (out / "index.html").read_text(encoding="utf-8")
        links = re.findall(r'href="([^"#]+)"', text)
        for p in _reports(out):
            rel = p.relative_to(out).as_posix()
            assert {rel, rel[:-5] + ".pdf", rel[:-5] + ".phu-luc.html"} <= set(links), rel
        assert "danh-sach-de-xuat.xlsx" in links and "ho-so/phieu-ho-so.docx" in links
        assert {f"to-trinh/{k}.docx" for k in ("xep-loai", "quy-hoach", "luan-chuyen", "dao-tao", "tham-dinh")} <= set(
            links)
        assert all((out / link).is_file() for link in links)
        record = json.loads((out / "pack.json").read_text(encoding="utf-8"))
        assert {r["status"] for r in record["reports"]} <= {"ok", "bo_qua"}
        assert record["data_fingerprint"] and record["timings_seconds"]["total"] > 0

    def test_pdfs_open_with_the_summary_and_the_main_part_stays_under_25_pages(self, pack):
        from pypdf import PdfReader

        out = Path(pack["out"])
        total = 0
        for html_path in _reports(out):
            reader = PdfReader(str(html_path.with_suffix(".pdf")))
            total += len(reader.pages)
            first = _nfc(reader.pages[0].extract_text())
            assert "Tóm tắt" in first and "Tài liệu họp ngày 31/12/2019" in first, html_path.name
            assert "Tham số chạy" not in first and "sha256" not in first, html_path.name
            text = _nfc("\n".join(p.extract_text() for p in reader.pages))
            assert "Căn cứ pháp lý" not in text and "Tham số chạy" not in text, html_path.name
            appendix = html_path.with_name(html_path.stem + ".phu-luc.html").read_text(encoding="utf-8")
            assert "Căn cứ pháp lý" in appendix and "Tham số chạy" in appendix, html_path.name
            assert "Trang 1/" in text  # the page footer
            fonts = {str(f.get_object()["/BaseFont"]) for p in reader.pages
                     for f in (p["/Resources"].get("/Font") or {}).values()}
            assert any("DejaVuSans" in f for f in fonts), fonts
        overview = _nfc("\n".join(p.extract_text() for p in PdfReader(str(out / "bao-cao/00-tong-quan.pdf")).pages))
        assert "Tổng quan" in overview
        assert total < 25, f"main part of the pack: {total} pages"

    def test_rotation_report_back_tests_the_recorded_2016_round_when_the_meeting_has_none(self, pack):
        """The meeting's own date has no recorded rotation after it: the seed's round is the evidence (issue 13)."""
        text = (Path(pack["out"]) / "bao-cao" / "30-luan-chuyen.html").read_text(encoding="utf-8")
        found = re.search(r"Kiểm định ngược với 6 quyết định luân chuyển đã thực hiện trong 12 tháng sau ngày "
                          r"30/11/2016: trùng người (\d)/6, trùng vị trí (\d)/6, trùng cả người và vị trí (\d)/6", text)
        assert found, "the rotation report's summary states no back-test"
        appendix = (Path(pack["out"]) / "bao-cao" / "30-luan-chuyen.phu-luc.html").read_text(encoding="utf-8")
        assert "Từng quyết định luân chuyển thực tế so với phương án tối ưu" in appendix

    def test_workbook_matches_the_library(self, pack):
        from openpyxl import load_workbook

        from kimson_ds.data.io import load_dataset
        from kimson_ds.rotation import model as rotation
        from kimson_ds.vetting import checklist as vetting

        wb = load_workbook(Path(pack["out"]) / "danh-sach-de-xuat.xlsx")
        assert wb.sheetnames == ["Xếp loại", "Quy hoạch", "Luân chuyển", "Đào tạo", "Thẩm định"]
        from kimson_ds.history.state import dataset_on

        ds = dataset_on(load_dataset(SAMPLE), "2019-12-31")  # the pack's one reference date: the meeting
        expected = rotation.run(ds, rotation.load_rotation_scenario(REPO / "data/scenarios/luan-chuyen-2020.yaml"),
                                rule_costs=False).assignments
        ws = wb["Luân chuyển"]
        assert ws["A1"].value == "DANH SÁCH ĐỀ XUẤT LUÂN CHUYỂN CÁN BỘ"
        header = next(r for r in range(1, 8) if ws.cell(r, 1).value == "STT")
        heads = [c.value for c in ws[header]]
        names = [ws.cell(r, heads.index("Họ và tên") + 1).value for r in range(header + 1, header + 1 + len(expected))]
        assert names == expected["full_name"].tolist()
        assert ws.cell(header + 1 + len(expected), 1).value in (None, "")
        assert ws.page_setup.orientation == "landscape" and ws.print_title_rows
        v = vetting.vet(ds, vetting.read_proposals(REPO / "data/scenarios/de-xuat-mau.csv", ds), as_of="2019-12-31")
        ws = wb["Thẩm định"]
        header = next(r for r in range(1, 8) if ws.cell(r, 1).value == "STT")
        heads = [c.value for c in ws[header]]
        col = heads.index("Kết luận") + 1
        got = [ws.cell(r, col).value for r in range(header + 1, header + 1 + len(v.verdicts))]
        assert got == v.verdicts["verdict_vi"].tolist()

    def test_audit_record_names_the_pack_and_chain_holds(self, pack):
        from kimson_ds.audit import read_log, verify

        log = pack["audit"]
        assert verify(log).ok
        records = read_log(log)
        last = records[-1]
        assert last["command"].startswith("pack ")
        assert any(k.endswith("index.html") for k in last["outputs"])
        assert any(k.endswith("danh-sach-de-xuat.xlsx") for k in last["outputs"])
        # one record for the whole pack, listing exactly the files it wrote (reports included)
        assert not any(r["command"].startswith("pack report") for r in records)
        on_disk = {str(p) for p in Path(pack["out"]).rglob("*") if p.is_file()}
        assert set(last["outputs"]) == on_disk
        assert all(str(p) in last["outputs"] for p in _reports(Path(pack["out"])))


@pytest.mark.slow
def test_a_failing_report_is_listed_and_the_pack_exits_1(tmp_path, capsys):
    import nbformat

    from kimson_ds.cli import main

    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('nam: int = 2018  # năm')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Báo cáo thử"), params,
                nbformat.v4.new_code_cell('raise ValueError("dữ liệu thiếu năm " + str(nam))')]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    scen = tmp_path / "kich-ban"
    scen.mkdir()
    nbformat.write(nb, scen / "thu.ipynb")
    _write(scen, "90-thu.yaml", {"notebook": "thu.ipynb", "title": "Báo cáo thử", "parameters": {"nam": 2019}})
    out = tmp_path / "goi"
    code = main(["pack", str(SAMPLE), "--scenarios", str(scen), "--out", str(out), "--no-pdf",
                 "--allow-notebook", str(scen / "thu.ipynb")])  # a notebook outside the project: named explicitly
    captured = capsys.readouterr()
    assert code == 1
    assert "dữ liệu thiếu năm 2019" in captured.err and "Traceback" not in captured.err + captured.out
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Báo cáo thử" in index and "dữ liệu thiếu năm 2019" in index
    assert not (out / "bao-cao" / "thu.html").exists()
    record = json.loads((out / "pack.json").read_text(encoding="utf-8"))
    assert [r["status"] for r in record["reports"]] == ["loi"]


@pytest.mark.slow
@pytest.mark.skipif(not SAMPLE.is_dir(), reason="data/kimson is not generated")
def test_every_chart_of_the_sample_pack_has_data_a_title_and_a_source_line(tmp_path_factory):
    facts = sample_pack(tmp_path_factory)
    figures = []
    for sidecar in sorted((Path(facts["out"]) / "bao-cao").glob("*.references.json")):
        for fig in json.loads(sidecar.read_text(encoding="utf-8")).get("figures", []):
            figures.append((sidecar.name, fig))
    assert len(figures) >= 8, figures
    empty = [(name, f["title"]) for name, f in figures if not f["has_data"]]
    assert not empty, f"empty charts: {empty}"
    assert all(f["title"] and f["source"] for _name, f in figures), figures
