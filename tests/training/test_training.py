"""Training plan: the schedule optimiser (checked by brute force) and knowledge updates."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from kimson_ds.training.schedule import (
    TrainingScenario,
    knowledge_update_members,
    knowledge_update_rosters,
    knowledge_update_status,
    overdue_list,
    prepare,
    run,
)

UNITS = pd.DataFrame({"unit_id": ["X1", "X2", "P1"], "name": ["Xã Một", "Xã Hai", "Phòng Một"],
                      "kind": ["xa", "xa", "phong_ban"]})
COURSES = pd.DataFrame({
    "course_id": ["SC", "TC", "KU"], "name": ["Sơ cấp LLCT", "Trung cấp LLCT", "Cập nhật kiến thức"],
    "field": ["political_theory", "political_theory", "knowledge_update"],
    "grants_level": ["so_cap", "trung_cap", "co"], "months": [3.0, 8.0, 0.25],
    "seats_per_year": [5, 5, 50], "cost_million_vnd": [3.0, 12.0, 1.0],
    "prerequisite_level": [None, "so_cap", None]})


def tables(pol, targets=None, births=None, discipline=None, seats=None):
    """Planned cadres all meeting every standard of a commune secretary except political theory."""
    ids = [f"C{i}" for i in range(len(pol))]
    cadres = pd.DataFrame({
        "cadre_id": ids, "full_name": [f"Người {i}" for i in range(len(pol))], "gender": "nam",
        "birth_date": pd.to_datetime(births or ["1982-03-01"] * len(pol)), "unit_id": "X1",
        "education": "dai_hoc", "political_theory": pol, "state_mgmt": "chuyen_vien", "managed_by_btv": True})
    positions = pd.DataFrame({"position_id": ["X1_BT", "X2_BT"], "unit_id": ["X1", "X2"], "title": ["bi_thu"] * 2,
                              "is_key": [True, True], "holder_id": [None, None], "holder_since": [pd.NaT, pd.NaT]})
    targets = targets or ["X1"] * len(pol)
    planning = pd.DataFrame({"cadre_id": ids, "target_title": "bi_thu", "target_unit_id": targets,
                             "term": "2020-2025", "added_on": pd.Timestamp("2017-05-18"),
                             "removed_on": pd.NaT})
    courses = COURSES.copy()
    if seats is not None:
        courses["seats_per_year"] = seats
    empty_tr = pd.DataFrame(columns=["cadre_id", "course_id", "year", "status", "days"])
    disc = discipline if discipline is not None else pd.DataFrame(
        columns=["cadre_id", "form", "decided_on", "expires_on"])
    return {"cadres": cadres, "units": UNITS, "positions": positions, "planning": planning, "courses": courses,
            "trainings": empty_tr, "discipline": disc}


def scenario(**kw):
    base = dict(as_of="2017-08-31", term="2020-2025", term_start="2020-07-01", first_year=2018,
                mip_gap_rel=0.0)
    base.update(kw)
    return TrainingScenario(**base)


def brute_force(inst) -> float:
    """Best weighted number of ready entries by enumerating every subset of the allowed (person, course, month)."""
    from collections import Counter

    opt = list(inst.options.reset_index(drop=True).itertuples(index=False))
    cat = inst.courses.set_index("course_id")
    dur, cost, long = cat["dur"].to_dict(), cat["cost_million_vnd"].to_dict(), cat["long"].to_dict()
    seats = inst.seats.set_index(["course_id", "year"])["seats"].to_dict()
    cand = inst.entries.loc[inst.entries["status"] == "candidate"]
    needs = {k: list(g.itertuples(index=False)) for k, g in inst.needs.groupby("k")}
    best = 0.0
    for pick in itertools.product((0, 1), repeat=len(opt)):
        chosen = [o for o, b in zip(opt, pick, strict=True) if b]
        starts = Counter((o.course_id, o.year) for o in chosen)  # seats of the year a course starts in
        if any(n > seats.get(key, 0) for key, n in starts.items()):
            continue
        if len({(o.cadre_id, o.course_id) for o in chosen}) < len(chosen):
            continue
        spend, busy, ok = Counter(), set(), True
        for o in chosen:
            d = int(dur[o.course_id])
            for t in range(o.month, o.month + d):  # months the course occupies
                spend[t // 12] += cost[o.course_id] / d
                if long[o.course_id]:
                    ok &= (o.cadre_id, t) not in busy
                    busy.add((o.cadre_id, t))
            if o.rank_pre > o.rank:  # prerequisite finished in an earlier month
                ok &= any(c.cadre_id == o.cadre_id and c.field == o.field and c.rank_grant >= o.rank_pre
                          and c.end_month < o.month for c in chosen)
        ok &= all(v <= inst.budget.get(t, float("inf")) + 1e-9 for t, v in spend.items())
        if not ok:
            continue
        value = sum(w for k, w in zip(cand["k"], cand["weight"], strict=True)
                    if all(any(c.cadre_id == n.cadre_id and c.field == n.field and c.rank_grant >= n.req_rank
                               for c in chosen) for n in needs.get(k, [])))
        best = max(best, value)
    return best


@pytest.mark.parametrize("budget, seats", [(None, 1), (20.0, 5), (15.0, 1), ({2019: 2.0, 2020: 12.0}, 5),
                                           ({2019: 12.0, 2020: 3.0}, 5)])
def test_schedule_matches_brute_force(budget, seats):
    # short courses in a 7-month window over two budget years (December 2019 to June 2020)
    t = tables(["so_cap", "chua_co", "so_cap"], targets=["X1", "X2", "X2"], seats=[seats, seats, 50])
    t["courses"]["months"] = [2.0, 4.0, 0.25]
    sc = scenario(budget_million_vnd=budget, as_of="2019-11-30", first_year=None)
    inst = prepare(t, sc)
    assert inst.months[0] % 12 == 11 and len(inst.months) == 7
    assert len(inst.options) <= 14  # keeps the enumeration small
    res = run(t, sc)
    assert res.objective == pytest.approx(brute_force(inst))
    # the schedule read back satisfies the seats
    per = res.schedule.groupby(["course_id", "start_year"]).size()
    assert (per <= seats).all()


def _month(text: str) -> pd.Period:
    return pd.Period(pd.to_datetime("01/" + text, format="%d/%m/%Y"), "M")


def test_prerequisites_in_order():
    res = run(tables(["chua_co"]), scenario(first_year=2017))
    s = res.schedule.set_index("course_id")
    assert list(s.index) == ["SC", "TC"]
    assert _month(s.at["SC", "end_month"]) < _month(s.at["TC", "start_month"])
    assert (_month(s.at["SC", "end_month"]) - _month(s.at["SC", "start_month"])).n == 2  # three months
    r = res.readiness.iloc[0]
    assert r["status"] == "se_du" and bool(r["ready"])


def test_eleven_month_ladder_fits_before_a_mid_year_term_start():
    # as of 31-12-2018, term from 1-7-2020: January 2019 … June 2020 are 18 months for sơ cấp (3) + trung cấp (8)
    res = run(tables(["chua_co"]), scenario(as_of="2018-12-31", first_year=None, term_start="2020-07-01"))
    assert res.instance.months[0] == 2019 * 12 and len(res.instance.months) == 18
    r = res.readiness.iloc[0]
    assert r["status"] == "se_du", r["reason"]
    s = res.schedule.set_index("course_id")
    assert _month(s.at["SC", "end_month"]) < _month(s.at["TC", "start_month"])
    assert _month(s.at["TC", "end_month"]) <= pd.Period("2020-06", "M")
    # the first half of the term-start year is usable: a start in 2019-05 or later still fits
    late = run(tables(["chua_co"]), scenario(as_of="2019-04-30", first_year=None, term_start="2020-07-01"))
    assert late.readiness.iloc[0]["status"] == "se_du"


def test_budget_binds_and_key_thin_slate_wins():
    # three people with the same gap; C2 is alone on X2's slate (thin); the budget pays one trung cấp only
    t = tables(["so_cap", "so_cap", "so_cap"], targets=["X1", "X1", "X2"])
    res = run(t, scenario(budget_million_vnd={2018: 12.0, 2019: 0.0}))
    r = res.readiness.set_index("cadre_id")
    assert r.at["C2", "status"] == "se_du"  # weight 2·(1+1/1) beats 2·(1+1/2)
    assert list(r.loc[["C0", "C1"], "status"]) == ["thieu_nguon_luc"] * 2
    assert "Kinh phí" in r.at["C0", "reason"]
    budget = res.usage.loc[res.usage["resource"] == "budget"]
    assert budget["binding"].any() and (budget["used"] <= budget["capacity"] + 1e-9).all()
    # a larger budget lets everyone be ready, at the lowest cost
    res = run(t, scenario(budget_million_vnd=100.0))
    assert res.readiness["ready"].all()
    assert res.schedule["cost_million_vnd"].sum() == pytest.approx(36.0)


def test_impossible_in_time_has_its_reason():
    # chưa có → sơ cấp → trung cấp needs 11 months; October 2019 … June 2020 are 9
    res = run(tables(["chua_co", "so_cap"]), scenario(as_of="2019-09-30", first_year=None))
    r = res.readiness.set_index("cadre_id")
    assert r.at["C0", "status"] == "khong_kip"
    assert "Cần tối thiểu 11 tháng" in r.at["C0", "reason"]
    assert "chỉ còn 9 tháng (10/2019–06/2020)" in r.at["C0", "reason"]
    assert r.at["C1", "status"] == "se_du"


def test_discipline_blocks_only_the_months_it_runs():
    # khiển trách from 1-3-2018 to 1-9-2018: the 8-month trung cấp fits from September 2018 on
    disc = pd.DataFrame({"cadre_id": ["C0"], "form": ["khien_trach"], "decided_on": [pd.Timestamp("2018-03-01")],
                         "expires_on": [pd.Timestamp("2018-09-01")]})
    res = run(tables(["so_cap"], discipline=disc), scenario(first_year=2018, term_start="2019-07-01"))
    assert res.readiness.iloc[0]["status"] == "se_du"
    start = _month(res.schedule.iloc[0]["start_month"])
    end = _month(res.schedule.iloc[0]["end_month"])
    assert start >= pd.Period("2018-09", "M") or end < pd.Period("2018-03", "M")


def test_no_training_under_discipline_or_after_retirement():
    disc = pd.DataFrame({"cadre_id": ["C0"], "form": ["canh_cao"], "decided_on": [pd.Timestamp("2018-03-01")],
                         "expires_on": [pd.NaT]})
    # C1 retires in 2019 (born 1959, 60 years)
    t = tables(["so_cap", "so_cap"], births=["1982-01-01", "1959-05-01"], discipline=disc)
    sc = scenario(first_year=2018, term_start="2019-07-01")  # only 2018 is left
    res = run(t, sc)
    r = res.readiness.set_index("cadre_id")
    assert res.schedule.empty
    assert r.at["C0", "status"] == "khong_kip" and "kỷ luật" in r.at["C0", "reason"]
    assert r.at["C1", "status"] in ("khong_kip", "khong_the")


def test_age_gap_is_not_trainable():
    res = run(tables(["so_cap"], births=["1970-01-01"]), scenario())
    r = res.readiness.iloc[0]
    assert r["status"] == "khong_the" and "tuổi" in r["reason"]
    assert res.schedule.empty


# ------------------------------------------------------------------ knowledge updates


def ku_tables():
    units = pd.DataFrame({"unit_id": ["X1", "P1"], "kind": ["xa", "phong_ban"], "name": ["Xã", "Phòng"]})
    positions = pd.DataFrame({
        "position_id": ["a", "b", "c", "d"], "unit_id": ["X1", "X1", "P1", "P1"],
        "title": ["bi_thu", "chu_tich_ubnd", "truong_phong", "chuyen_vien"],
        "holder_id": ["A", "B", "C", "D"],
        "holder_since": pd.to_datetime(["2010-01-01", "2018-06-01", "2012-01-01", "2012-01-01"])})
    trainings = pd.DataFrame({"cadre_id": ["A", "A", "C", "C"], "course_id": ["KU"] * 4, "year": [2017, 2018, 2017, 2018],
                              "status": ["completed"] * 4, "days": [5.0, 5.0, 4.0, None]})
    return positions, units, trainings


def test_knowledge_update_groups_change_on_2024_05_10():
    positions, units, _ = ku_tables()
    before = knowledge_update_members(positions, units, "2024-05-09")
    after = knowledge_update_members(positions, units, "2024-05-10")
    assert dict(zip(before["cadre_id"], before["group"], strict=True)) == {"A": "doi_tuong_4_xa", "B": "doi_tuong_4_xa",
                                                                               "C": "doi_tuong_4_huyen"}
    assert set(after["group"]) == {"nhom_3"} and set(after["cadre_id"]) == {"A", "B", "C"}
    assert before["regulation"].str.contains("164-QĐ/TW").all()
    assert after["regulation"].str.contains("145-QĐ/TW").all()


def test_attendance_overdue_and_rosters():
    positions, units, trainings = ku_tables()
    st = knowledge_update_status(positions, units, trainings, COURSES, [2017, 2018])
    s = st.set_index(["cadre_id", "year"])
    assert ("B", 2017) not in s.index  # B took the post in 2018
    assert bool(s.at[("A", 2017), "met"]) and s.at[("A", 2017), "required_days"] == 5
    assert not bool(s.at[("C", 2017), "met"]) and s.at[("C", 2017), "shortfall_days"] == 1
    assert bool(s.at[("C", 2018), "met"])  # completed, days not recorded: counts in full
    assert not bool(s.at[("B", 2018), "met"])
    od = overdue_list(st)
    assert list(od["cadre_id"]) == ["B", "C"]  # both missed one year; B more recently
    rosters = knowledge_update_rosters(positions, units, od, "2019-01-01", class_capacity=1,
                                       classes_per_group={"doi_tuong_4_xa": 1})
    g4 = rosters.loc[rosters["group"] == "doi_tuong_4_xa"].set_index("cadre_id")
    assert g4.at["B", "class_no"] == 1 and g4.at["A", "class_no"] == 0  # overdue first, capacity 1
    assert g4.at["A", "status_vi"].startswith("Chờ")


# ------------------------------------------------------------------ end to end


@pytest.mark.slow
def test_cli_train_on_sample(tmp_path):
    root = Path(__file__).resolve().parents[2]
    data = root / "data" / "kimson"
    if not (data / "cadres.csv").exists():
        from kimson_ds.sample.generator import generate

        data = tmp_path / "kimson"
        generate(data)
    out = tmp_path / "out"
    env = {**os.environ, "KIMSON_AUDIT_LOG": str(tmp_path / "audit.jsonl")}
    proc = subprocess.run([sys.executable, "-m", "kimson_ds.cli", "train", str(data), "--scenario",
                           str(root / "data/scenarios/dao-tao-2020-2025.yaml"), "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "sẽ đủ tiêu chuẩn" in proc.stdout
    for name in ("schedule.csv", "readiness.csv", "usage.csv", "knowledge_updates.csv", "rosters.csv", "run.json"):
        assert (out / name).is_file()
    usage = pd.read_csv(out / "usage.csv")
    assert (usage["Đã dùng"] <= usage["Giới hạn"] + 1e-6).all()
    assert (tmp_path / "audit.jsonl").read_text(encoding="utf-8").count("\n") == 1
    bad = subprocess.run([sys.executable, "-m", "kimson_ds.cli", "train", str(data), "--scenario",
                          str(tmp_path / "missing.yaml"), "--out", str(out)], capture_output=True, text=True,
                         env=env, timeout=120)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_notebook_is_thin_and_parameterised():
    import nbformat

    nb = nbformat.read(Path(__file__).resolve().parents[2] / "notebooks" / "40-dao-tao.ipynb", as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code_cells[0].metadata.get("tags", [])
    assert all(not c.get("outputs") for c in code_cells)
    assert not any(ln.lstrip().startswith(("def ", "class ")) for c in code_cells for ln in c.source.splitlines())
    assert "legal_basis(" in code_cells[-1].source
    headings = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown"]
    for h in ("## Mục tiêu", "## Bài toán", "## Mô hình", "## Dữ liệu", "## Kết quả", "## Phân tích",
              "## Căn cứ pháp lý"):
        assert h in headings


@pytest.mark.slow
def test_notebook_report_renders(tmp_path):
    root = Path(__file__).resolve().parents[2]
    if not (root / "data" / "kimson" / "cadres.csv").exists():
        pytest.skip("bộ dữ liệu mẫu data/kimson chưa có")
    env = {**os.environ, "KIMSON_AUDIT_LOG": str(tmp_path / "audit.jsonl")}
    proc = subprocess.run([sys.executable, "-m", "kimson_ds.cli", "report", str(root / "notebooks/40-dao-tao.ipynb"),
                           "-p", "budget_scale", "0.5", "--out", str(tmp_path)], capture_output=True, text=True,
                          env=env, timeout=600, cwd=root)
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "40-dao-tao.html").read_text(encoding="utf-8")
    assert "Lịch học" in html and "data:image/png;base64" in html and "GIẢ ĐỊNH" in html
