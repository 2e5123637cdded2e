"""``kimson-ds train DATASET --scenario FILE.yaml --out DIR``: the training plan (đào tạo, bồi dưỡng).

Writes into ``DIR``: ``schedule.csv`` (người × năm × khóa học), ``readiness.csv``
(ai sẽ đủ tiêu chuẩn, ai không kịp và lý do), ``usage.csv`` (chỉ tiêu, kinh phí
theo năm), ``knowledge_updates.csv`` (số ngày cập nhật kiến thức so với yêu cầu
theo người, năm), ``rosters.csv`` (danh sách lớp năm sau), ``gaps.csv`` (mỗi tiêu
chuẩn còn thiếu của từng lượt quy hoạch khi nhận chức, lộ trình khóa học khắc
phục kể cả khóa điều kiện, số tháng, kinh phí, hoặc lý do không khắc phục được)
and ``run.json``.
Exit 0 ok, 2 bad input, 3 no feasible schedule.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pandas as pd

from kimson_ds import __version__, audit
from kimson_ds.config import load_scenario
from kimson_ds.data.io import load_dataset
from kimson_ds.outputs import OutputSet, write_csv
from kimson_ds.training.schedule import TrainingScenario, check_tables, gaps_table, run, run_knowledge_updates

SCHEDULE_HEADERS = {
    "cadre_id": "Mã cán bộ", "full_name": "Họ và tên", "course_id": "Mã khóa học", "course_name": "Khóa học",
    "field_vi": "Lĩnh vực", "start_month": "Tháng bắt đầu", "end_month": "Tháng kết thúc",
    "start_year": "Năm bắt đầu", "end_year": "Năm kết thúc", "months": "Số tháng",
    "cost_million_vnd": "Kinh phí (triệu đồng)", "for_targets": "Phục vụ chức danh quy hoạch",
}
READINESS_HEADERS = {
    "cadre_id": "Mã cán bộ", "full_name": "Họ và tên", "target": "Chức danh quy hoạch",
    "post_kind_vi": "Loại chức danh", "slate_size": "Số người quy hoạch cùng chức danh", "weight": "Trọng số",
    "status_vi": "Tình trạng", "ready": "Đủ tiêu chuẩn khi nhận chức", "unmet": "Tiêu chuẩn còn thiếu (năm lập kế hoạch)",
    "courses_planned": "Khóa học được xếp", "reason": "Lý do",
}
USAGE_HEADERS = {
    "year": "Năm", "resource_vi": "Nguồn lực", "course_id": "Mã khóa học", "used": "Đã dùng", "capacity": "Giới hạn",
    "share": "Tỷ lệ sử dụng", "binding": "Đã dùng hết",
}
KU_HEADERS = {
    "cadre_id": "Mã cán bộ", "full_name": "Họ và tên", "year": "Năm", "group_vi": "Nhóm đối tượng",
    "required_days": "Số ngày yêu cầu", "attended_days": "Số ngày đã học", "met": "Đạt yêu cầu",
    "shortfall_days": "Số ngày còn thiếu", "overdue": "Nợ cập nhật kiến thức", "regulation": "Căn cứ",
}
ROSTER_HEADERS = {
    "year": "Năm", "group_vi": "Nhóm đối tượng", "status_vi": "Lớp", "order": "Thứ tự ưu tiên",
    "cadre_id": "Mã cán bộ", "full_name": "Họ và tên", "overdue": "Nợ cập nhật kiến thức",
    "n_missed": "Số năm chưa đạt", "regulation": "Căn cứ",
}


def register(sub) -> None:
    p = sub.add_parser(
        "train", help="Lập kế hoạch đào tạo, bồi dưỡng cán bộ quy hoạch và cập nhật kiến thức.",
        description="Tối ưu lịch học (ai học khóa nào, năm nào) để nhiều cán bộ quy hoạch nhất đạt tiêu chuẩn "
                    "chức danh khi vào nhiệm kỳ, trong giới hạn chỉ tiêu và kinh phí; theo dõi bồi dưỡng cập nhật "
                    "kiến thức và lập danh sách lớp năm sau.")
    p.add_argument("dataset", help="thư mục tệp CSV hoặc tệp .xlsx")
    p.add_argument("--scenario", required=True, help="tệp kịch bản YAML (ví dụ data/scenarios/dao-tao-2020-2025.yaml)")
    p.add_argument("--out", required=True, help="thư mục ghi kết quả")
    p.set_defaults(func=run_command)


def _write(frame: pd.DataFrame, headers: dict, path: Path) -> Path:
    out = frame[[c for c in headers if c in frame.columns]].copy()
    for c in out.columns:
        if out[c].dtype == bool:
            out[c] = out[c].map({True: "có", False: "không"})
    return write_csv(out.rename(columns=headers), path)


def _write_table(frame: pd.DataFrame, path: Path) -> Path:
    """Write a table that already has Vietnamese headers and texts (UTF-8 with BOM for Excel)."""
    return write_csv(frame, path, date_format="%Y-%m-%d")


def run_command(args) -> int:
    with OutputSet(args.out, inputs=[args.dataset, args.scenario], folder=True) as outs:
        return _run(args, outs)


def _run(args, outs: OutputSet) -> int:
    from kimson_ds.papers import vi

    scenario = load_scenario(args.scenario, TrainingScenario)
    from kimson_ds.history.state import dataset_on

    ds = dataset_on(load_dataset(args.dataset), scenario.as_of)  # posts and holders of the planning date
    check_tables(ds)
    out = outs.root

    res = run(ds, scenario)
    gaps = gaps_table(res)
    ku = run_knowledge_updates(ds, scenario)
    status = ku["status"].copy()
    od_ids = set(ku["overdue"]["cadre_id"])
    status["overdue"] = status["cadre_id"].isin(od_ids)

    files = [
        _write(res.schedule, SCHEDULE_HEADERS, out / "schedule.csv"),
        _write(res.readiness.assign(weight=res.readiness["weight"].round(3)), READINESS_HEADERS,
               out / "readiness.csv"),
        _write(res.usage.assign(share=res.usage["share"].round(4)), USAGE_HEADERS, out / "usage.csv"),
        _write(status, KU_HEADERS, out / "knowledge_updates.csv"),
        _write(ku["rosters"], ROSTER_HEADERS, out / "rosters.csv"),
        _write_table(gaps, out / "gaps.csv"),
    ]
    from kimson_ds.papers.workbook import RESULT_WORKBOOK, write_result_workbook

    def _vi(frame, headers):
        part = frame[[c for c in headers if c in frame.columns]].rename(columns=headers)
        return part.assign(**{c: part[c].map({True: "Có", False: "Không"}) for c in part.columns
                              if part[c].dtype == bool})

    files.append(write_result_workbook(
        out / RESULT_WORKBOOK, {"Lịch học": _vi(res.schedule, SCHEDULE_HEADERS),
                                "Tình trạng khi nhận chức": _vi(res.readiness, READINESS_HEADERS),
                                "Tiêu chuẩn còn thiếu": gaps},
        title=f"KẾ HOẠCH ĐÀO TẠO, BỒI DƯỠNG — {scenario.name}", subtitle=f"Nhiệm kỳ {scenario.term}"))
    used = res.parameters_used
    for ps in ku["params"]:
        used.setdefault(ps.as_of.isoformat(), {}).update(ps.used)
    counts = res.readiness["status_vi"].value_counts().to_dict()
    run_info = {
        "command": "train",
        "version": __version__,
        "dataset": str(args.dataset),
        "data_fingerprint": ds.fingerprint,
        "scenario_file": str(args.scenario),
        "scenario": scenario.model_dump(mode="json"),
        "solver_status": res.status,
        "objective": res.objective,
        "seconds": {k: (round(v, 3) if isinstance(v, float) else v) for k, v in res.seconds.items()},
        "readiness_counts": counts,
        "structure": ds.history_state.record(),
        "parameters": used,
        "outputs": [f.name for f in files],
    }
    (out / "run.json").write_text(json.dumps(run_info, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    files.append(out / "run.json")
    cmd = " ".join(shlex.quote(a) for a in ["train", str(args.dataset), "--scenario", str(args.scenario),
                                            "--out", str(args.out)])
    outs.commit(lambda written: audit.record_run(cmd, dataset=ds, scenario=scenario.model_dump(mode="json"),
                                                 parameters=used, outputs=written))

    r = res.readiness
    n = len(r)
    ready = int(r["ready"].sum())
    m0, m1 = res.instance.months[0], res.instance.months[-1]
    print(ds.history_state.note_vi)
    print(f"Kế hoạch đào tạo '{scenario.name}' (nhiệm kỳ {scenario.term}, các khóa học từ tháng "
          f"{m0 % 12 + 1:02d}/{m0 // 12} đến hết tháng {m1 % 12 + 1:02d}/{m1 // 12}): lời giải {res.status.lower()}.")
    print(f"  {n} lượt quy hoạch: {ready} sẽ đủ tiêu chuẩn khi nhận chức "
          f"(trong đó {int((r['status'] == 'da_du').sum())} đã đủ, {int((r['status'] == 'se_du').sum())} nhờ đào tạo).")
    for code, label in (("khong_kip", "không kịp đào tạo"), ("khong_the", "không thể đáp ứng bằng đào tạo"),
                        ("khong_co_khoa", "không có khóa học phù hợp"),
                        ("thieu_nguon_luc", "chưa xếp được do chỉ tiêu, kinh phí")):
        k = int((r["status"] == code).sum())
        if k:
            print(f"  {k} lượt {label} (xem cột 'Lý do' trong readiness.csv).")
    closable = gaps["Khắc phục được bằng đào tạo"] == "có"
    print(f"  Khoảng thiếu tiêu chuẩn khi nhận chức: {len(gaps)} tiêu chuẩn chưa đạt của "
          f"{gaps[['Mã cán bộ', 'Mã chức danh']].drop_duplicates().shape[0]} lượt; {int(closable.sum())} khắc phục "
          f"được bằng đào tạo, {int((~closable).sum())} không (xem gaps.csv).")
    spend = res.usage.loc[res.usage["resource"] == "budget"]
    total = vi.number(spend['used'].sum(), 1)
    print(f"  {len(res.schedule)} lượt học được xếp; tổng kinh phí {total} triệu đồng.")
    print(f"Cập nhật kiến thức: {len(ku['overdue'])} người nợ; danh sách lớp năm "
          f"{int(ku['rosters']['year'].iloc[0]) if len(ku['rosters']) else '—'}: "
          f"{int((ku['rosters']['class_no'] > 0).sum())} người được xếp lớp, "
          f"{int((ku['rosters']['class_no'] == 0).sum())} người chờ.")
    print(f"Đã ghi kết quả vào {args.out}/.")
    return 0
