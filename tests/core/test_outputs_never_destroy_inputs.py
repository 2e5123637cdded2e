"""Outputs never destroy inputs: every command's --out goes through kimson_ds.outputs.

Each case runs the real command line and asserts exit 2, a Vietnamese message
naming the target, and that every input file is byte-identical afterwards.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from kimson_ds import audit, outputs
from kimson_ds.cli import main

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
PROPOSAL = ("proposal_id,cadre_id,action,position_id,target_title,target_unit_id,effective_date\n"
            "D1,CB0002,bo_nhiem,XA_KIM_HAI-BI_THU-1,,,2020-06-01\n")


def _digest_tree(path: Path) -> dict[str, str]:
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A copy of the minimal dataset, a proposals file and an audit log, all in tmp."""
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (tmp_path / "de-xuat.csv").write_text(PROPOSAL, encoding="utf-8")
    return tmp_path


def _refused(capsys, code: int, *words: str) -> str:
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and "Lỗi không mong đợi" not in err
    for w in words:
        assert w in err, err
    return err


def test_rate_refuses_to_write_over_a_table_of_its_dataset(work, capsys):
    before = _digest_tree(work / "data")
    code = main(["rate", str(work / "data"), "--year", "2018", "--out", str(work / "data" / "cadres.csv")])
    _refused(capsys, code, "cadres.csv", "đầu vào")
    assert _digest_tree(work / "data") == before


def test_rate_refuses_to_write_a_new_file_inside_any_dataset_folder(work, capsys):
    other = work / "other"
    shutil.copytree(MINIMAL, other)
    before = _digest_tree(other)
    code = main(["rate", str(work / "data"), "--year", "2018", "--out", str(other / "ket-qua.csv")])
    _refused(capsys, code, "thư mục bộ dữ liệu")
    assert _digest_tree(other) == before and not (other / "ket-qua.csv").exists()


def test_export_refuses_to_overwrite_the_workbook_it_reads(work, capsys):
    book = work / "ds.xlsx"
    assert main(["export", str(work / "data"), "--out", str(book)]) == 0
    before = book.read_bytes()
    code = main(["export", str(book), "--out", str(book)])
    _refused(capsys, code, "ds.xlsx", "đầu vào")
    assert book.read_bytes() == before


def test_rate_refuses_to_overwrite_the_workbook_it_reads(work, capsys):
    book = work / "ds.xlsx"
    assert main(["export", str(work / "data"), "--out", str(book)]) == 0
    before = book.read_bytes()
    code = main(["rate", str(book), "--year", "2018", "--out", str(book)])
    _refused(capsys, code, "ds.xlsx")
    assert book.read_bytes() == before


def test_template_refuses_a_filled_workbook_unless_forced(work, capsys):
    book = work / "ds.xlsx"
    assert main(["export", str(work / "data"), "--out", str(book)]) == 0
    before = book.read_bytes()
    code = main(["template", "--out", str(book)])
    _refused(capsys, code, "--force", "dữ liệu")
    assert book.read_bytes() == before
    # an empty template may be rewritten freely; --force replaces the filled workbook
    empty = work / "mau.xlsx"
    assert main(["template", "--out", str(empty)]) == 0
    assert main(["template", "--out", str(empty)]) == 0
    assert main(["template", "--out", str(book), "--force"]) == 0
    assert book.read_bytes() == empty.read_bytes()


def test_export_onto_another_filled_workbook_needs_force(work, capsys):
    book = work / "ds.xlsx"
    assert main(["export", str(work / "data"), "--out", str(book)]) == 0
    assert main(["export", str(MINIMAL), "--out", str(book)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["export", str(MINIMAL), "--out", str(book), "--force"]) == 0


def test_report_refuses_the_project_notebooks_folder():
    nb = ROOT / "notebooks" / "00-tong-quan.ipynb"
    before = nb.read_bytes()
    with pytest.raises(outputs.OutputError, match="notebooks/"):
        outputs.check_target(ROOT / "notebooks" / "00-tong-quan.html", inputs=[nb])
    assert main(["report", str(nb), "--out", str(ROOT / "notebooks")]) == 2
    assert nb.read_bytes() == before


def test_report_refuses_to_overwrite_a_source_notebook_elsewhere(tmp_path, capsys):
    src = tmp_path / "nb"
    src.mkdir()
    shutil.copy(ROOT / "notebooks" / "00-tong-quan.ipynb", src / "00-tong-quan.ipynb")
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(ROOT / "notebooks" / "00-tong-quan.ipynb", copy / "00-tong-quan.ipynb")
    before = (copy / "00-tong-quan.ipynb").read_bytes()
    code = main(["report", str(src / "00-tong-quan.ipynb"), "--out", str(copy)])
    _refused(capsys, code, "notebook gốc")
    assert (copy / "00-tong-quan.ipynb").read_bytes() == before


def test_outputs_are_not_written_through_a_symbolic_link(work, capsys):
    target = work / "data" / "cadres.csv"
    before = target.read_bytes()
    link = work / "ket-qua.csv"
    link.symlink_to(target)
    code = main(["rate", str(MINIMAL), "--year", "2018", "--out", str(link)])
    _refused(capsys, code, "liên kết")
    assert target.read_bytes() == before
    linked_dir = work / "ra"
    linked_dir.symlink_to(work / "elsewhere", target_is_directory=True)
    (work / "elsewhere").mkdir()
    code = main(["vet", str(work / "data"), "--proposals", str(work / "de-xuat.csv"), "--out", str(linked_dir)])
    _refused(capsys, code, "liên kết")
    assert list((work / "elsewhere").iterdir()) == []


def test_vet_refuses_an_output_folder_holding_its_proposals(work, capsys):
    out = work / "ra"
    out.mkdir()
    shutil.copy(work / "de-xuat.csv", out / "de-xuat.csv")
    before = (out / "de-xuat.csv").read_bytes()
    code = main(["vet", str(work / "data"), "--proposals", str(out / "de-xuat.csv"), "--out", str(out)])
    _refused(capsys, code, "de-xuat.csv")
    assert (out / "de-xuat.csv").read_bytes() == before


def test_an_output_folder_with_foreign_files_is_refused_not_wiped(work, capsys):
    out = work / "ra"
    out.mkdir()
    (out / "ghi-chu-cua-toi.docx").write_bytes(b"quan trong")
    code = main(["vet", str(work / "data"), "--proposals", str(work / "de-xuat.csv"), "--out", str(out)])
    _refused(capsys, code, "ghi-chu-cua-toi.docx")
    assert (out / "ghi-chu-cua-toi.docx").read_bytes() == b"quan trong"


def test_the_audit_log_is_never_an_output(work, capsys):
    log = work / "audit.jsonl"
    assert main(["rate", str(work / "data"), "--year", "2018", "--out", str(work / "kq.csv")]) == 0
    before = log.read_bytes()
    assert main(["rate", str(work / "data"), "--year", "2018", "--out", str(log)]) == 2
    assert log.read_bytes() == before and audit.verify(log).ok


# --------------------------------------------------------------------------- complete, self-consistent sets
def test_rerun_into_the_same_folder_leaves_no_stale_file_and_audit_lists_exactly_this_run(work):
    out = work / "ra"
    args = ["vet", str(work / "data"), "--proposals", str(work / "de-xuat.csv"), "--out", str(out)]
    main(args)
    (out / "alternative_7.csv").write_text("cũ", encoding="utf-8")  # left by "an earlier run"
    marker = json.loads((out / outputs.MARKER).read_text(encoding="utf-8"))
    marker["files"].append("alternative_7.csv")
    (out / outputs.MARKER).write_text(json.dumps(marker), encoding="utf-8")
    main(args)
    assert not (out / "alternative_7.csv").exists()
    rec = audit.read_log(work / "audit.jsonl")[-1]
    on_disk = {str(p) for p in out.rglob("*") if p.is_file()}
    assert set(rec["outputs"]) == on_disk
    assert all(audit.file_digest(p) == h for p, h in rec["outputs"].items())
    assert not [p for p in work.iterdir() if "kimson-tmp" in p.name]  # no staging folder left


def test_rate_csv_rerun_without_comparison_removes_the_old_comparison_file(work):
    out = work / "kq.csv"
    assert main(["rate", str(work / "data"), "--year", "2018", "--compare-as-of", "2019-10-18",
                 "--out", str(out)]) == 0
    assert (work / "kq-so-sanh.csv").exists()
    assert main(["rate", str(work / "data"), "--year", "2018", "--out", str(out)]) == 0
    assert not (work / "kq-so-sanh.csv").exists()
    assert list(audit.read_log(work / "audit.jsonl")[-1]["outputs"]) == [str(out.resolve())]


def test_failed_audit_record_keeps_no_outputs_and_restores_the_previous_ones(work, monkeypatch, capsys):
    out = work / "ra"
    args = ["vet", str(work / "data"), "--proposals", str(work / "de-xuat.csv"), "--out", str(out)]
    assert main(args) in (0, 1)
    before = _digest_tree(out)
    log = work / "audit.jsonl"
    log_before = log.read_bytes()

    def broken(*_a, **_k):
        raise audit.AuditError("Không ghi được nhật ký kiểm toán (thử nghiệm).")

    monkeypatch.setattr(audit, "record_run", broken)
    assert main(args) == 2
    assert "nhật ký kiểm toán" in capsys.readouterr().err
    assert _digest_tree(out) == before and log.read_bytes() == log_before
    new = work / "moi"
    assert main([*args[:-1], str(new)]) == 2
    assert not new.exists()
    assert not [p for p in work.iterdir() if "kimson-tmp" in p.name]


def test_unwritable_audit_log_makes_the_command_fail_before_outputs_appear(work, capsys, monkeypatch):
    blocker = work / "khong-phai-thu-muc"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(blocker / "audit.jsonl"))
    out = work / "kq.csv"
    code = main(["rate", str(work / "data"), "--year", "2018", "--out", str(out)])
    _refused(capsys, code, "nhật ký kiểm toán")
    assert not out.exists()


# --------------------------------------------------------------------------- formula-safe CSV
def test_csv_text_cells_cannot_run_as_formulas_but_numbers_stay_numbers(tmp_path):
    frame = pd.DataFrame({
        "Họ và tên": ["=HYPERLINK(\"http://x\",\"bấm\")", "+84 912", "-2+3", "@SUM(A1)", "Nguyễn Văn An",
                      "-1", "\tx"],
        "Điểm": [-1, 2, -3, 4, 5, 6, 7],
        "Tỷ lệ": [-0.5, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
    })
    path = outputs.write_csv(frame, tmp_path / "x.csv")
    back = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    names = back["Họ và tên"].tolist()
    assert names[:4] == ["'=HYPERLINK(\"http://x\",\"bấm\")", "'+84 912", "'-2+3", "'@SUM(A1)"]
    assert names[4] == "Nguyễn Văn An" and names[5] == "-1" and names[6] == "'\tx"
    assert back["Điểm"].tolist() == [-1, 2, -3, 4, 5, 6, 7]
    assert back["Tỷ lệ"].tolist()[0] == -0.5
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_command_csv_outputs_protect_formula_cells(work):
    cadres = work / "data" / "cadres.csv"
    frame = pd.read_csv(cadres, dtype=str, keep_default_na=False)
    frame.loc[frame["cadre_id"] == "CB0002", "full_name"] = "=1+1"
    frame.to_csv(cadres, index=False)
    out = work / "ra"
    assert main(["vet", str(work / "data"), "--proposals", str(work / "de-xuat.csv"), "--out", str(out)]) in (0, 1)
    text = (out / "verdicts.csv").read_text(encoding="utf-8-sig")
    assert "'=1+1" in text and ",=1+1" not in text


def test_exported_workbook_keeps_formula_like_text_as_text(work):
    import openpyxl

    from kimson_ds.data.io import read_dataset

    cadres = work / "data" / "cadres.csv"
    frame = pd.read_csv(cadres, dtype=str, keep_default_na=False)
    frame.loc[frame["cadre_id"] == "CB0002", "full_name"] = '=HYPERLINK("http://x","bấm")'
    frame.to_csv(cadres, index=False)
    book = work / "ds.xlsx"
    assert main(["export", str(work / "data"), "--out", str(book)]) == 0
    wb = openpyxl.load_workbook(book)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    back = read_dataset(book)["cadres"].set_index("cadre_id")
    assert back.loc["CB0002", "full_name"] == '=HYPERLINK("http://x","bấm")'


def test_rate_refuses_to_overwrite_another_filled_workbook_without_suggesting_a_missing_flag(work, capsys):
    book = work / "ds-khac.xlsx"
    assert main(["export", str(MINIMAL), "--out", str(book)]) == 0
    before = book.read_bytes()
    code = main(["rate", str(work / "data"), "--year", "2018", "--out", str(book)])
    err = _refused(capsys, code, "bộ dữ liệu đã nhập")
    assert "--force" not in err and book.read_bytes() == before


def _formula_text():
    from hypothesis import strategies as st

    lead = st.sampled_from(["=", "+", "-", "@", "\t", "\r", "", "a", "1", "'"])
    body = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
    return st.builds(lambda a, b: a + b, lead, body)


def test_no_written_text_cell_can_start_a_formula_and_the_original_is_recoverable(tmp_path):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=150, deadline=None)
    @given(st.lists(_formula_text(), min_size=1, max_size=6), st.lists(st.integers(-10**6, 10**6), min_size=6,
                                                                       max_size=6))
    def check(texts, numbers):
        frame = pd.DataFrame({"chữ": texts, "số": numbers[: len(texts)]})
        protected = outputs.protect_formulas(frame)
        for orig, cell in zip(texts, protected["chữ"], strict=True):
            if cell != orig:
                assert cell == "'" + orig and orig.startswith(outputs.FORMULA_START)
            else:
                assert not orig.startswith(outputs.FORMULA_START) or outputs._NUMBER.match(orig.strip())
        assert protected["số"].tolist() == frame["số"].tolist()

    check()


def test_categorical_and_index_text_is_protected_too(tmp_path):
    frame = pd.DataFrame({"Nhóm": pd.Categorical(["=A1", "b"]), "Điểm": [1, -2]}, index=pd.Index(["@x", "y"],
                                                                                                   name="Mã"))
    path = outputs.write_csv(frame, tmp_path / "x.csv", index=True)
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert back["Mã"].tolist() == ["'@x", "y"] and back["Nhóm"].tolist() == ["'=A1", "b"]
    assert back["Điểm"].tolist() == [1, -2]
