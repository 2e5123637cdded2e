"""A pack is built for one meeting date: every analysis runs on it and the figures agree everywhere.

The same planning counts come out of ``kimson-ds plan`` (check and optimise, ``--as-of`` the meeting date),
``kimson-ds train`` (the training scenario dated to the meeting), the pack's planning and training reports,
its proposal workbook and its Tờ trình; every report states the one date.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook
from test_pack import HOP_BTV, REPO, SAMPLE, _write, sample_pack

from kimson_ds.cli import main
from kimson_ds.errors import ScenarioError

MEETING = "2019-12-31"


def _text(path: Path) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


def test_a_report_manifest_with_another_date_is_refused(tmp_path):
    from kimson_ds.papers.pack import load_pack

    _write(tmp_path, "goi-tai-lieu.yaml", {"meeting_date": MEETING})
    _write(tmp_path, "00-tong-quan.yaml", {"notebook": "00-tong-quan", "parameters": {"as_of": "2018-12-31"}})
    with pytest.raises(ScenarioError, match="00-tong-quan.yaml.*khác ngày họp 31/12/2019"):
        load_pack(tmp_path)
    _write(tmp_path, "00-tong-quan.yaml", {"notebook": "00-tong-quan", "parameters": {"as_of": MEETING}})
    plan = load_pack(tmp_path)
    assert plan.reports[0].parameters["as_of"] == MEETING
    _write(tmp_path, "00-tong-quan.yaml", {"notebook": "00-tong-quan"})  # no date: the meeting's is injected
    assert load_pack(tmp_path).reports[0].parameters["as_of"] == MEETING
    _write(tmp_path, "goi-tai-lieu.yaml", {"meeting_date": MEETING, "lists": {"rating": {"year": 2019,
                                                                                       "as_of": "2019-10-18"}}})
    with pytest.raises(ScenarioError, match="lists.rating.as_of"):
        load_pack(tmp_path)


def test_every_sample_report_receives_the_meeting_date():
    from kimson_ds.papers.pack import load_pack

    plan = load_pack(HOP_BTV, SAMPLE)
    assert str(plan.manifest.meeting_date) == MEETING
    assert {r.key: r.parameters.get("as_of") for r in plan.reports} == {r.key: MEETING for r in plan.reports}


@pytest.mark.slow
@pytest.mark.skipif(not SAMPLE.is_dir(), reason="data/kimson is not generated")
def test_planning_counts_agree_across_plan_train_the_reports_the_workbook_and_the_papers(
        tmp_path, tmp_path_factory, monkeypatch):
    facts = sample_pack(tmp_path_factory)
    assert facts["code"] == 0, facts["stdout"] + facts["stderr"]
    out = Path(facts["out"])
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    scen = REPO / "data" / "scenarios"
    assert main(["plan", str(SAMPLE), "--scenario", str(scen / "quy-hoach-2020-2025.yaml"), "--as-of", MEETING,
                 "--check", "--out", str(tmp_path / "check")]) == 0
    assert main(["plan", str(SAMPLE), "--scenario", str(scen / "quy-hoach-2020-2025.yaml"), "--as-of", MEETING,
                 "--optimise", "--out", str(tmp_path / "opt")]) == 0
    assert main(["train", str(SAMPLE), "--scenario", str(scen / "dao-tao-2020.yaml"),
                 "--out", str(tmp_path / "train")]) == 0
    assert main(["rotate", str(SAMPLE), "--scenario", str(scen / "luan-chuyen-2020.yaml"),
                 "--out", str(tmp_path / "rotate")]) == 0
    current = pd.read_csv(tmp_path / "check" / "planning_rows.csv", encoding="utf-8-sig")
    cur_people, cur_rows = json.loads((tmp_path / "check" / "run.json").read_text())["people"], len(current)
    slates = pd.read_csv(tmp_path / "opt" / "slates.csv", encoding="utf-8-sig")
    opt_rows = len(slates)
    opt_people = slates[next(c for c in slates.columns if c in ("cadre_id", "Mã cán bộ"))].nunique()
    readiness = pd.read_csv(tmp_path / "train" / "readiness.csv", encoding="utf-8-sig")
    assert len(readiness) == cur_rows  # train plans for the list in force on the same date
    rotated = pd.read_csv(tmp_path / "rotate" / "assignments.csv", encoding="utf-8-sig")

    planning = _text(out / "bao-cao" / "20-quy-hoach.html")
    assert f"(ngày 31/12/2019): {cur_people} người, {cur_rows} lượt" in planning
    assert f"Phương án quy hoạch tối ưu: {opt_people} người, {opt_rows} lượt" in planning
    assert f"/{cur_rows} lượt quy hoạch sẽ đủ tiêu chuẩn" in _text(out / "bao-cao" / "40-dao-tao.html")

    wb = load_workbook(out / "danh-sach-de-xuat.xlsx")
    ws = wb["Quy hoạch"]
    header = next(r for r in range(1, 8) if ws.cell(r, 1).value == "STT")
    heads = [c.value for c in ws[header]]
    ids = [ws.cell(r, heads.index("Mã cán bộ") + 1).value for r in range(header + 1, ws.max_row + 1)]
    ids = [i for i in ids if i]
    assert (len(ids), len(set(ids))) == (opt_rows, opt_people)
    ws = wb["Luân chuyển"]
    header = next(r for r in range(1, 8) if ws.cell(r, 1).value == "STT")
    assert sum(1 for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 2).value) == len(rotated)

    def figures(name: str) -> str:
        return "\n".join(p.text for p in Document(str(out / "to-trinh" / name)).paragraphs)

    plan_paper = figures("quy-hoach.docx")
    assert f"Số người: {opt_people}." in plan_paper and f"Số lượt: {opt_rows}." in plan_paper
    assert f"Số lượt quy hoạch: {cur_rows}." in figures("dao-tao.docx")
    assert "ngày 31/12/2019" in figures("xep-loai.docx")

    record = json.loads((out / "pack.json").read_text(encoding="utf-8"))
    assert record["reference_date"] == MEETING
    for report in sorted((out / "bao-cao").glob("[0-9]*.html")):
        if report.name.endswith(".phu-luc.html"):
            continue
        assert "Tài liệu họp ngày 31/12/2019. Số liệu tại ngày 31/12/2019." in _text(report), report.name
