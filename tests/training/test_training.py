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
    """Best weighted number of ready entries by enumerating every subset of the allowed options."""
    opt = inst.options.reset_index(drop=True)
    cat = inst.courses.set_index("course_id")
    seats = inst.seats.set_index(["course_id", "year"])["seats"]
    cand = inst.entries.loc[inst.entries["status"] == "candidate"]
    needs = inst.needs
    best = 0.0
    for pick in itertools.product((0, 1), repeat=len(opt)):
        chosen = opt.loc[[bool(b) for b in pick]]
        if (chosen.groupby(["course_id", "year"]).size() > chosen.groupby(["course_id", "year"]).size().index.map(
                lambda i: seats[i]).to_numpy()).any():
            continue
        if chosen.duplicated(["cadre_id", "course_id"]).any():
            continue
        spend, busy, ok = {}, set(), True
        for r in chosen.itertuples():
            d = int(cat.at[r.course_id, "dur"])
            for t in range(r.year, r.year + d):
                spend[t] = spend.get(t, 0.0) + cat.at[r.course_id, "cost_million_vnd"] / d
                if cat.at[r.course_id, "long"]:
                    ok &= (r.cadre_id, t) not in busy
                    busy.add((r.cadre_id, t))
            if r.rank_pre > r.rank:  # prerequisite finished in an earlier year
                ok &= bool(((chosen["cadre_id"] == r.cadre_id) & (chosen["rank_grant"] >= r.rank_pre)
                            & (chosen["end_year"] < r.year)).any())
        ok &= all(v <= inst.budget.get(t, float("inf")) + 1e-9 for t, v in spend.items())
        if not ok:
            continue
        value = 0.0
        for k, w in zip(cand["k"], cand["weight"], strict=True):
            nk = needs.loc[needs["k"] == k]
            if all(((chosen["cadre_id"] == n.cadre_id) & (chosen["field"] == n.field)
                    & (chosen["rank_grant"] >= n.req_rank)).any() for n in nk.itertuples()):
                value += w
        best = max(best, value)
    return best


@pytest.mark.parametrize("budget, seats", [(None, 1), (20.0, 5), (15.0, 1), ({2018: 3.0, 2019: 12.0}, 5)])
def test_schedule_matches_brute_force(budget, seats):
    t = tables(["so_cap", "chua_co", "so_cap"], targets=["X1", "X2", "X2"], seats=[seats, seats, 50])
    sc = scenario(budget_million_vnd=budget)
    inst = prepare(t, sc)
    assert len(inst.options) <= 14  # keeps the enumeration small
    res = run(t, sc)
    assert res.objective == pytest.approx(brute_force(inst))
    # the schedule read back satisfies the seats
    per = res.schedule.groupby(["course_id", "start_year"]).size()
    assert (per <= seats).all()


def test_prerequisites_in_order():
    res = run(tables(["chua_co"]), scenario(first_year=2017))
    s = res.schedule.set_index("course_id")
    assert list(s.index) == ["SC", "TC"]
    assert s.at["SC", "end_year"] < s.at["TC", "start_year"]
    r = res.readiness.iloc[0]
    assert r["status"] == "se_du" and bool(r["ready"])


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
    # chưa có → sơ cấp → trung cấp needs two years; only 2019 is left
    res = run(tables(["chua_co", "so_cap"]), scenario(first_year=2019))
    r = res.readiness.set_index("cadre_id")
    assert r.at["C0", "status"] == "khong_kip"
    assert "Cần tối thiểu 2 năm" in r.at["C0", "reason"] and "chỉ còn 1 năm (2019)" in r.at["C0", "reason"]
    assert r.at["C1", "status"] == "se_du"


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
