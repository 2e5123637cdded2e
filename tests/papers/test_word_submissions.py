"""Tờ trình in Word: the Party header (HD 36-HD/VPTW), MẬT, the issuing body by date, Phụ lục, ≤ 2 pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from docx import Document

from kimson_ds.errors import ScenarioError
from kimson_ds.papers import word

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "kimson"
HOP_BTV = REPO / "data" / "scenarios" / "hop-btv"


def _texts(path: Path) -> tuple[list[str], list[str]]:
    doc = Document(str(path))
    paras = [p.text for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return paras, cells


def _sub() -> word.Submission:
    return word.Submission(
        "danh sách quy hoạch cán bộ nhiệm kỳ 2020–2025", basis=["Căn cứ Quy định 50-QĐ/TW;"],
        proposal=["Ban Tổ chức đề xuất 3 người."], figures=[("Số người", "3")], alternatives=["Giữ nguyên."],
        asks=["Thông qua danh sách."],
        appendices=[("Danh sách quy hoạch", pd.DataFrame({"Họ và tên": ["Nguyễn Văn A", "Trần Thị B"],
                                                            "Tuổi": [40, 35]}))])


def test_submission_has_every_header_element_of_a_party_document(tmp_path):
    org = word.organisation(dt.date(2019, 12, 31))
    path = word.write_submission(_sub(), tmp_path / "t.docx", org=org, date=dt.date(2019, 12, 5), number="12")
    paras, cells = _texts(path)
    head = "\n".join(cells)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in head
    assert "HUYỆN ỦY KIM SƠN\nBAN TỔ CHỨC" in head
    assert "Số 12-TTr/BTCHU" in head
    assert "Kim Sơn, ngày 05 tháng 12 năm 2019" in head
    assert "Nơi nhận:" in head and "K/T TRƯỞNG BAN" in head
    assert "MẬT" not in head
    assert "TỜ TRÌNH" in paras
    assert "về danh sách quy hoạch cán bộ nhiệm kỳ 2020–2025" in paras
    assert any(p.startswith("Kính gửi: Ban Thường vụ Huyện ủy Kim Sơn") for p in paras)
    assert "Phụ lục 1" in paras and "Nguyễn Văn A" in cells


def test_secret_option_prints_the_mat_mark(tmp_path):
    org = word.organisation(dt.date(2019, 12, 31))
    path = word.write_submission(_sub(), tmp_path / "t.docx", org=org, secret=True)
    _paras, cells = _texts(path)
    assert "MẬT" in cells[0].splitlines()


def test_undated_submission_leaves_the_date_for_signing(tmp_path):
    org = word.organisation(dt.date(2019, 12, 31))
    _paras, cells = _texts(word.write_submission(_sub(), tmp_path / "t.docx", org=org))
    assert "Kim Sơn, ngày … tháng … năm …" in "\n".join(cells)


def test_a_body_after_1_july_2025_signs_with_its_own_name(tmp_path):
    conf = tmp_path / "co-quan.yaml"
    conf.write_text(
        "organisations:\n"
        "  - until: 2025-06-30\n    superior: HUYỆN ỦY KIM SƠN\n    issuer: BAN TỔ CHỨC\n    symbol: TTr/BTCHU\n"
        "    place: Kim Sơn\n    addressee: Ban Thường vụ Huyện ủy Kim Sơn\n"
        "  - since: 2025-07-01\n    superior: ĐẢNG ỦY XÃ MẪU\n    issuer: BAN XÂY DỰNG ĐẢNG\n"
        "    symbol: TTr/BXDĐ\n    place: Xã Mẫu\n    addressee: Ban Thường vụ Đảng ủy xã Mẫu\n",
        encoding="utf-8")
    old = word.organisation(dt.date(2025, 6, 30), conf)
    new = word.organisation(dt.date(2025, 7, 1), conf)
    assert old.superior == "HUYỆN ỦY KIM SƠN" and new.superior == "ĐẢNG ỦY XÃ MẪU"
    _paras, cells = _texts(word.write_submission(_sub(), tmp_path / "t.docx", org=new, date=dt.date(2026, 1, 2)))
    assert "ĐẢNG ỦY XÃ MẪU\nBAN XÂY DỰNG ĐẢNG" in cells[0] and "Số      -TTr/BXDĐ" in cells[0]
    assert "HUYỆN ỦY" not in "\n".join(cells)


def test_a_date_no_body_covers_is_refused_with_a_vietnamese_message():
    with pytest.raises(ScenarioError, match="không có cơ quan ban hành nào còn hiệu lực vào ngày 01/08/2025"):
        word.organisation(dt.date(2025, 8, 1))


def test_unknown_key_in_the_organisation_file_is_refused(tmp_path):
    conf = tmp_path / "co-quan.yaml"
    conf.write_text("organisations:\n  - superior: A\n    issuer: B\n    symbol: C\n    place: D\n"
                    "    addressee: E\n    colour: F\n", encoding="utf-8")
    with pytest.raises(ScenarioError):
        word.organisation(dt.date(2019, 1, 1), conf)


@pytest.fixture(scope="module")
def sample_lists():
    from kimson_ds.data.io import load_dataset
    from kimson_ds.papers.pack import load_pack, proposal_lists

    plan = load_pack(HOP_BTV, SAMPLE)
    return plan, proposal_lists(load_dataset(SAMPLE), plan)


def test_the_sample_meeting_has_a_submission_for_every_decision(sample_lists):
    _plan, lists = sample_lists
    assert [x.key for x in lists] == ["xep-loai", "quy-hoach", "luan-chuyen", "dao-tao", "tham-dinh"]
    assert all(x.submission is not None and x.submission.appendices for x in lists)


def test_every_sample_submission_body_fits_on_two_pages(sample_lists, tmp_path):
    """Measured on the written .docx with the layout model of :func:`word.docx_pages` (no converter installed)."""
    from kimson_ds.papers.pack import write_papers

    plan, lists = sample_lists
    files = {p.stem: p for p in write_papers(tmp_path, lists, plan) if p.suffix == ".docx"}
    pages = {key: word.docx_pages(path) for key, path in files.items()}
    assert len(pages) == 5 and all(0.5 < p <= 2 for p in pages.values()), pages
    by_key = {x.key: x for x in lists}
    assert all(abs(word.body_pages(by_key[k].submission) - p) < 0.05 for k, p in pages.items())


def _org():
    return word.Organisation(superior="Tỉnh ủy Ninh Bình", issuer="Huyện ủy Kim Sơn", symbol="TTr/HU", place="Kim Sơn",
                             addressee="Ban Thường vụ Huyện ủy", recipients=["Như kính gửi", "Lưu Văn phòng"])


def test_the_page_model_counts_lines_like_a_printed_page():
    # a 14 pt line of 1,1 spacing is 17,7 pt high: about 41 lines fill the 257 mm text height of an A4 page
    short = word.Submission(subject="thử", proposal=["Một dòng."])
    long = word.Submission(subject="thử", proposal=["Đề xuất " + "cán bộ trẻ có năng lực " * 30] * 12)
    assert word.body_pages(short, _org()) < word.body_pages(long, _org())
    assert word.body_pages(long, _org()) > 2  # twelve paragraphs of eight lines do not fit on two pages
    # wrapping: a 72-character line of 14 pt regular text (0,46 em) fills the 165 mm text width
    assert word._wrapped_lines("x" * 72, 165 * 72 / 25.4, 14, False) == 1
    assert word._wrapped_lines("x" * 73, 165 * 72 / 25.4, 14, False) == 2
    assert word._wrapped_lines("một hai ba", 165 * 72 / 25.4, 14, False, indent_pt=28) == 1


def test_submissions_and_appendix_workbooks_are_written_for_the_meeting_date(sample_lists, tmp_path):
    from openpyxl import load_workbook

    from kimson_ds.papers.pack import write_papers

    plan, lists = sample_lists
    files = write_papers(tmp_path, lists, plan, secret=True)
    docs = sorted(p.name for p in files if p.suffix == ".docx")
    assert docs == ["dao-tao.docx", "luan-chuyen.docx", "quy-hoach.docx", "tham-dinh.docx", "xep-loai.docx"]
    for p in files:
        if p.suffix == ".docx":
            _paras, cells = _texts(p)
            assert "Kim Sơn, ngày 31 tháng 12 năm 2019" in cells[1] and "MẬT" in cells[0]
        else:
            ws = load_workbook(p).worksheets[0]
            assert ws.title == "Phụ lục 1"
            assert ws.page_setup.orientation == "landscape" and ws.freeze_panes is not None
            assert ws.print_title_rows


def test_proposed_people_are_those_placed_in_a_post(sample_lists):
    _plan, lists = sample_lists
    by = {x.key: x for x in lists}
    assert by["xep-loai"].people == [] and by["dao-tao"].people == []
    assert len(by["luan-chuyen"].people) == len(by["luan-chuyen"].frame)
    assert 0 < len(by["tham-dinh"].people) <= len(by["tham-dinh"].frame)
    new = by["quy-hoach"].frame.loc[by["quy-hoach"].frame["So với danh sách hiện hành"] == "Đề xuất mới"]
    assert set(by["quy-hoach"].people) == set(new["Mã cán bộ"])
