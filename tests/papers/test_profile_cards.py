"""Profile cards (phiếu hồ sơ cán bộ): one page per person, Vietnamese labels, from the CLI and the library."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pandas as pd
import pytest
from docx import Document

from kimson_ds.data.io import load_dataset
from kimson_ds.errors import DataError
from kimson_ds.papers.profile import card_html, profile_card, write_profile_cards

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "kimson"


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SAMPLE)


def test_card_shows_identity_labels_not_codes_and_the_retirement_date(ds):
    card = profile_card(ds, "CB0022", "2019-12-31")
    ident = dict(card.identity)
    assert ident["Giới tính"] == "Nam"
    assert ident["Trình độ chuyên môn"] == "Đại học"
    assert ident["Ngày sinh"] == "30/05/1963 (56 tuổi)"
    assert ident["Ngày đủ tuổi nghỉ hưu"] == "30/05/2024"
    assert any("dưới 5 năm" in f for f in card.flags)


def test_card_lists_ratings_year_by_year_up_to_the_reference_date(ds):
    card = profile_card(ds, "CB0022", "2017-12-31")
    ratings = dict(card.sections)["Đánh giá, xếp loại theo năm"]
    assert ratings["Năm"].tolist() == [2015, 2016, 2017]
    assert ratings["Mức xếp loại"].tolist()[1] == "Không hoàn thành nhiệm vụ"


def test_card_shows_the_work_history_table_when_the_dataset_has_one(ds):
    class WithHistory:
        def __getitem__(self, name):
            if name == "work_history":
                return pd.DataFrame({"cadre_id": ["CB0022"], "unit_id": ["HU"], "title": ["chuyen_vien"],
                                     "start_date": ["1988-08-25"], "end_date": ["1995-01-01"]})
            return ds[name]

    card = profile_card(WithHistory(), "CB0022", "2019-12-31")
    hist = dict(card.sections)["Quá trình công tác"]
    assert hist.iloc[0].tolist() == ["25/08/1988", "01/01/1995", "Chuyên viên", "Huyện ủy Kim Sơn"]


def test_unknown_cadre_is_a_data_error_naming_the_id(ds):
    with pytest.raises(DataError, match="'CB9999'.*cadre_id"):
        profile_card(ds, "CB9999", "2019-12-31")


def test_card_html_is_one_printed_page_section_without_python_literals(ds):
    text = card_html(profile_card(ds, "CB0006", "2019-12-31"))
    assert text.startswith('<section class="kimson-card">')
    for bad in ("None", "nan", "True", "False", "NaT"):
        assert f">{bad}<" not in text


def test_word_file_has_one_page_per_person(ds, tmp_path):
    files = write_profile_cards(ds, ["CB0006", "CB0022", "CB0006"], tmp_path, as_of="2019-12-31")
    doc = Document(str(files[0]))
    titles = [p.text for p in doc.paragraphs if p.text.startswith("PHIẾU HỒ SƠ CÁN BỘ")]
    assert titles == ["PHIẾU HỒ SƠ CÁN BỘ: NGUYỄN THỊ LOAN", "PHIẾU HỒ SƠ CÁN BỘ: BÙI VĂN TÙNG"]
    breaks = doc.element.body.xml.count('w:type="page"')
    assert breaks == 1


def test_ho_so_command_writes_cards_and_refuses_an_unknown_id(tmp_path):
    from kimson_ds.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["ho-so", str(SAMPLE), "--id", "CB0022", "--as-of", "2019-12-31", "--out", str(tmp_path)])
    assert code == 0 and (tmp_path / "phieu-ho-so.docx").is_file() and (tmp_path / "phieu-ho-so.html").is_file()
    assert "31/12/2019" in out.getvalue()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["ho-so", str(SAMPLE), "--id", "XX01", "--out", str(tmp_path / "x")])
    assert code == 2 and "XX01" in err.getvalue() and "Traceback" not in err.getvalue()
