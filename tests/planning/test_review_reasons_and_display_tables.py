"""Planning outputs: the five review reasons, display-ready tables, Vietnamese plan CSVs, notebook 20."""

from __future__ import annotations

import json
import re
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

from kimson_ds.data.io import Dataset, write_csv_folder
from kimson_ds.planning import slate_model as sm
from kimson_ds.planning import succession as su

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / room) for room in ("planning", "training")]
from test_succession import TERM, _cadre, _ds, _plan, _positions  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SNAKE = re.compile(r"^[a-z0-9_]+$")
BOM = b"\xef\xbb\xbf"


def _review_ds():
    """Five kept rows, each with exactly one ground for removal, plus a clean one."""
    ratings = pd.DataFrame([dict(cadre_id="LOW", year=y, level="hoan_thanh") for y in (2018, 2019)]
                           + [dict(cadre_id=c, year=y, level="tot") for c in ("OK", "DIS", "APP", "OLD", "STD")
                              for y in (2018, 2019)])
    disc = pd.DataFrame([dict(cadre_id="DIS", form="khien_trach", decided_on="2019-05-01", expires_on=None)])
    pos = _positions([dict(position_id="X2_BT", unit_id="X2", title="bi_thu", is_key=True, holder_id="APP",
                           holder_since="2019-06-01")])
    people = ([_cadre(c) for c in ("OK", "LOW", "DIS", "APP")] + [_cadre("OLD", birth="1962-03-01")]
              + [_cadre("STD", birth="1985-01-01", pt="chua_co")])
    plan = [_plan("OK"), _plan("LOW"), _plan("DIS"), _plan("APP", "bi_thu", "X2"), _plan("OLD"),
            _plan("STD", "chu_tich_ubnd")]
    return _ds(people, plan, positions=pos, ratings=ratings, discipline=disc)


# --------------------------------------------------------------------------- issue 5 §4: the five review reasons
def test_review_shows_each_of_the_five_reasons_on_kept_rows():
    rows, _ = su.annual_review(_review_ds(), TERM, "2018-12-31", "2019-12-31")
    r = rows.set_index("cadre_id")
    assert set(r["status"]) == {"giu"}
    expected = {"OLD": "tuổi: nghỉ hưu ngày", "DIS": "kỷ luật: Khiển trách", "STD": "tiêu chuẩn: Chưa đạt: lý luận",
                "LOW": "xếp loại dưới mức tốt 2 năm liền (2018, 2019)",
                "APP": "đã được bổ nhiệm, bầu giữ chức danh này"}
    markers = ("tuổi:", "kỷ luật:", "tiêu chuẩn:", "xếp loại dưới mức tốt", "bổ nhiệm")
    for cadre, text in expected.items():
        assert text in r.loc[cadre, "reasons"], cadre
        assert r.loc[cadre, "flag"] == "Cần xem xét đưa ra khỏi quy hoạch"
        others = [m for m in markers if m in r.loc[cadre, "reasons"] and m not in text]
        assert cadre == "OLD" or not others, (cadre, others)  # OLD also fails the age standards
    assert r.loc["OK", "reasons"] == "Tiếp tục đủ điều kiện" and r.loc["OK", "flag"] == ""


def test_review_joins_reasons_without_row_wise_apply(monkeypatch):
    real_apply = pd.DataFrame.apply

    def no_row_apply(self, func, axis=0, *args, **kwargs):
        if axis in (1, "columns") and callable(func) and getattr(func, "__name__", "") == "<lambda>":
            raise AssertionError("row-wise DataFrame.apply with a Python function")
        return real_apply(self, func, axis, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "apply", no_row_apply)
    rows, _ = su.annual_review(_review_ds(), TERM, "2018-12-31", "2019-12-31")
    assert rows.set_index("cadre_id").loc["OLD", "reasons"].count("; ") >= 1


def test_review_without_low_ratings_raises_no_pandas_warning():
    ds = _ds([_cadre("A"), _cadre("B")], [_plan("A"), _plan("B")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rows, _ = su.annual_review(ds, TERM, "2018-12-31", "2019-12-31")
    assert rows["reasons"].tolist() == ["Tiếp tục đủ điều kiện"] * 2


# --------------------------------------------------------------------------- display tables
def _no_internal_headers(frame: pd.DataFrame) -> None:
    bad = [c for c in frame.columns if SNAKE.match(str(c))]
    assert not bad, bad


def _no_raw_booleans(frame: pd.DataFrame) -> None:
    for col in frame.columns:
        assert frame[col].dtype != bool, col
        assert not frame[col].astype(str).isin(["True", "False"]).any(), col


def test_percent_text_is_vietnamese():
    assert su.percent_text(0.28) == "28,0%"
    assert su.percent_text(0.3389, 0) == "34%"
    assert su.percent_text(float("nan")) == ""


def test_compliance_tables_are_display_ready():
    old = _cadre("OLD", birth="1962-03-01")
    ds = _ds([old, _cadre("W", gender="nu"), _cadre("M")], [_plan("OLD"), _plan("W"), _plan("M")])
    comp = su.check_compliance(ds, TERM, "2018-12-31")
    steps, chains = su.chains_for(comp, ds)
    t = su.compliance_tables(comp, steps=steps, chains=chains)
    assert set(t) >= {"violations", "summary", "bench", "bench_overall", "planning_rows", "chains", "chain_steps"}
    for frame in t.values():
        _no_internal_headers(frame)
        _no_raw_booleans(frame)
    v = t["violations"]
    age = v.loc[v["Mã quy tắc"] == "AGE"]
    assert age["Đương nhiên đưa ra khỏi quy hoạch"].tolist() == ["có"]
    assert age["Quy tắc"].iloc[0] == su.RULES["AGE"][0] and age["Mã cán bộ"].tolist() == ["OLD"]
    s = t["summary"].set_index("Chỉ tiêu")
    women = comp.summary.set_index("indicator").loc["Tỷ lệ nữ"]
    assert s.loc["Tỷ lệ nữ", "Thực tế (%)"] == pytest.approx(round(women["actual"] * 100, 1))
    assert s.loc["Tỷ lệ nữ", "Mức quy định (%)"] == pytest.approx(round(women["target"] * 100, 1))
    assert s.loc["Tỷ lệ nữ", "Kết quả"] in ("Đạt", "Chưa đạt")
    assert s.loc["Tổng số người trong danh sách", "Thực tế (số)"] == 3
    assert pd.isna(s.loc["Tổng số người trong danh sách", "Thực tế (%)"])
    o = t["bench_overall"].set_index("Chỉ tiêu")
    assert 0 <= o.loc["Tỷ lệ chức danh có ít nhất 2 người quy hoạch", "Giá trị (%)"] <= 100
    assert set(t["bench"]["Cấp"]) <= {"Xã", "Huyện"}
    rows = t["planning_rows"].set_index("Mã cán bộ")
    assert rows.loc["OLD", "Đủ tuổi công tác trọn nhiệm kỳ"] == "không"


def test_review_tables_are_display_ready():
    rows, shares = su.annual_review(_review_ds(), TERM, "2018-12-31", "2019-12-31")
    t = su.review_tables(rows, shares)
    for frame in t.values():
        _no_internal_headers(frame)
        _no_raw_booleans(frame)
    assert set(t["review"]["Kết quả rà soát"]) == {"Giữ lại"}
    counts = t["review_counts"].set_index("Nội dung")["Số lượt"]
    assert counts["Giữ lại"] == 6 and counts["Lưu ý: Cần xem xét đưa ra khỏi quy hoạch"] == 5
    assert len(t["review_changes"]) == 5
    sh = t["review_shares"].set_index("Chỉ tiêu")
    assert sh.loc["Tổng số người trong danh sách", "Số người cuối kỳ"] == 6
    assert sh.loc["Tỷ lệ nữ", "Cuối kỳ (%)"] == 0.0


def test_slate_tables_are_display_ready():
    people = [_cadre("A"), _cadre("B", gender="nu"), _cadre("C")]
    ds = _ds(people, [_plan("A"), _plan("B")])
    res = sm.run(ds, sm.PlanScenario(as_of="2018-12-31"))
    t = sm.slate_tables(res)
    for frame in t.values():
        _no_internal_headers(frame)
        _no_raw_booleans(frame)
    shares = t["shares"].set_index("Chỉ tiêu")
    assert shares.loc["Tỷ lệ nữ", "Đạt được (%)"] == pytest.approx(round(res.shares.iloc[0]["achieved"] * 100, 1))
    assert set(t["diff"]["Thay đổi"]) <= set(sm.CHANGE.values())
    assert "change_vi" not in t["diff_counts"].columns and "Thay đổi" in t["diff_counts"].columns


# --------------------------------------------------------------------------- issue 5 §1: plan CSVs
def _write_dataset(ds: Dataset, path: Path) -> Path:
    write_csv_folder(ds.tables, path)
    return path


def _read(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    assert raw.startswith(BOM), path.name
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_plan_csvs_are_vietnamese_for_excel(tmp_path, monkeypatch, capsys):
    from kimson_ds.cli import main

    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    data = _write_dataset(_review_ds(), tmp_path / "data")
    for mode in ("check", "optimise", "review"):
        args = ["plan", str(data), "--term", TERM, "--as-of", "2018-12-31", f"--{mode}", "--out", str(tmp_path / mode)]
        if mode == "review":
            args += ["--from", "2018-12-31", "--to", "2019-12-31"]
        assert main(args) == 0, mode
        for csv in sorted((tmp_path / mode).glob("*.csv")):
            frame = _read(csv)
            _no_internal_headers(frame)
            _no_raw_booleans(frame)
    v = _read(tmp_path / "check" / "violations.csv")
    assert set(v["Đương nhiên đưa ra khỏi quy hoạch"]) <= {"có", "không"}
    assert "AGE" in set(v["Mã quy tắc"])
    summary = _read(tmp_path / "check" / "summary.csv").set_index("Chỉ tiêu")
    assert float(summary.loc["Tỷ lệ nữ", "Mức quy định (%)"]) >= 1.0  # ×100, not a fraction
    review = _read(tmp_path / "review" / "review.csv")
    assert set(review["Kết quả rà soát"]) == {"Giữ lại"} and "dua_ra" not in review.to_string()
    shares = _read(tmp_path / "optimise" / "shares.csv")
    assert "Đạt được (%)" in shares.columns
    refs = _read(tmp_path / "check" / "references.csv")
    assert {"Tham số", "Căn cứ", "Ghi chú"} <= set(refs.columns)
    out = capsys.readouterr().out
    assert not re.search(r"\d\.\d%", out)  # Vietnamese decimal comma in printed percentages


# --------------------------------------------------------------------------- issue 5 §2: notebook 20
def _code(nb_path: Path) -> str:
    raw = json.loads(nb_path.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in raw["cells"] if c["cell_type"] == "code")


def test_planning_notebook_has_no_lambda_helpers_and_uses_library_tables():
    code = _code(ROOT / "notebooks" / "20-quy-hoach.ipynb")
    assert "lambda" not in code
    assert "su.compliance_tables(" in code and "su.review_tables(" in code and "sm.slate_tables(" in code
    assert "change_vi" not in code and "status_vi" not in code


@pytest.mark.slow
def test_planning_notebook_output_has_no_internal_names(tmp_path, monkeypatch):
    import papermill as pm

    if not (ROOT / "data" / "kimson" / "cadres.csv").exists():
        pytest.skip("sample dataset not generated")
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(ROOT / "notebooks" / "20-quy-hoach.ipynb"), str(out), cwd=str(ROOT / "notebooks"),
                        kernel_name="python3", progress_bar=False)
    done = json.loads(out.read_text(encoding="utf-8"))
    html = "\n".join("".join(o.get("data", {}).get("text/html", "")) for c in done["cells"]
                     if c["cell_type"] == "code" for o in c.get("outputs", []))
    assert "Đương nhiên đưa ra khỏi quy hoạch" in html and "Kết quả rà soát" in html
    for word in ("change_vi", "status_vi", ">True<", ">False<", "auto_removal"):
        assert word not in html, word


