"""``kimson-ds rotate DATASET --scenario FILE.yaml --out DIR``: plan a rotation round or a merger staffing."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser(
        "rotate",
        help="Lập phương án luân chuyển cán bộ (hoặc bố trí cán bộ khi sáp nhập xã).",
        description=(
            "Lập phương án luân chuyển tối ưu theo kịch bản YAML. Ghi assignments.csv, eligibility.csv, "
            "unfilled.csv, unused.csv, binding.csv, alternatives.csv, diagnosis.txt, run.json vào thư mục --out. "
            "Mã thoát: 0 có phương án, 3 yêu cầu không thực hiện được, 2 dữ liệu hoặc kịch bản sai."
        ),
    )
    p.add_argument("dataset", help="thư mục tệp CSV hoặc tệp .xlsx")
    p.add_argument("--scenario", required=True, help="tệp kịch bản YAML (data/scenarios/...)")
    p.add_argument("--out", required=True, help="thư mục ghi kết quả")
    p.set_defaults(func=run)


def _write(frame, path: Path) -> Path:
    from kimson_ds.outputs import write_csv
    from kimson_ds.rotation.model import vietnamese

    return write_csv(vietnamese(frame), path)


def write_outputs(result, stage: Path, *, before: tuple[str, ...] = (), after: tuple[str, ...] = ()) -> dict:
    """Write every table of a rotation result, ``diagnosis.txt`` and ``run.json`` into ``stage``
    (the staging folder of an :class:`~kimson_ds.outputs.OutputSet`, or any folder); return the record.

    ``before`` and ``after`` are lines added around the diagnosis (the structure used, the back-test)."""
    from kimson_ds.rotation.eligibility import describe

    stage.mkdir(parents=True, exist_ok=True)
    pb = result.problem
    t = result.tables
    _write(t["assignments"], stage / "assignments.csv")
    _write(describe(pb.elig, pb.cands, pb.posts), stage / "eligibility.csv")
    for name in ("unfilled", "unused", "binding"):
        _write(t[name], stage / f"{name}.csv")
    _write(result.alternatives, stage / "alternatives.csv")
    _write(result.rule_costs, stage / "rule_costs.csv")
    if len(result.sensitivity):
        _write(result.sensitivity, stage / "sensitivity.csv")
    for j, plan in enumerate(result.alternative_plans, start=2):
        _write(plan, stage / f"alternative_{j}.csv")
    from kimson_ds.papers import vi
    from kimson_ds.papers.workbook import RESULT_WORKBOOK, write_result_workbook
    from kimson_ds.rotation.model import vietnamese

    write_result_workbook(stage / RESULT_WORKBOOK, {
        "Phương án luân chuyển": vietnamese(t["assignments"]), "Các phương án khác": vietnamese(result.alternatives),
        "Vị trí chưa bố trí": vietnamese(t["unfilled"])}, title=f"PHƯƠNG ÁN LUÂN CHUYỂN CÁN BỘ — {pb.scenario.name}",
        subtitle=f"Ngày áp dụng quy định {vi.date(pb.scenario.as_of)}")
    text = "\n".join([*before, *result.diagnosis, *after]) + "\n"
    (stage / "diagnosis.txt").write_text(text, encoding="utf-8")
    record = result.run_record()
    state = getattr(pb.dataset, "__dict__", {}).get("history_state")
    if state is not None:  # the structure and mode of the date the plan was made on
        record["structure"] = state.record()
    (stage / "run.json").write_text(json.dumps(record, ensure_ascii=False, indent=2, default=str) + "\n",
                                    encoding="utf-8")
    return record


def run(args) -> int:
    from kimson_ds.outputs import OutputSet
    from kimson_ds.rotation.model import load_rotation_scenario
    from kimson_ds.rotation.model import run as run_rotation

    with OutputSet(args.out, inputs=[args.dataset, args.scenario], folder=True) as outs:
        return _run(args, outs, load_rotation_scenario, run_rotation)


def _run(args, outs, load_rotation_scenario, run_rotation) -> int:
    from kimson_ds.audit import record_run
    from kimson_ds.data.io import load_dataset
    from kimson_ds.history.state import dataset_on

    sc = load_rotation_scenario(args.scenario)
    full = load_dataset(args.dataset)
    ds = dataset_on(full, sc.as_of)  # holders and units of the scenario's date (from the work history if any)
    result = run_rotation(ds, sc)
    out = Path(args.out)
    before = (ds.history_state.note_vi,)
    after = tuple(_backtest(full, result, sc, outs.root))
    record = write_outputs(result, outs.root, before=before, after=after)
    pb = result.problem
    t = result.tables
    text = "\n".join([*before, *result.diagnosis, *after]) + "\n"
    command = "rotate " + " ".join(shlex.quote(a) for a in (args.dataset, "--scenario", args.scenario,
                                                             "--out", args.out))
    outs.commit(lambda files: record_run(command, dataset=ds, scenario=record["scenario"],
                                         parameters=pb.params.used, outputs=files))

    from kimson_ds.papers import vi

    n = len(t["assignments"])
    if not result.feasible:
        print(f"Kịch bản '{sc.name}': yêu cầu KHÔNG thực hiện được với đầy đủ các quy tắc.", file=sys.stderr)
        print(text, end="", file=sys.stderr)
        print(f"Phương án nới lỏng ({n} người) và chẩn đoán đã ghi vào {out}.", file=sys.stderr)
        return 3
    print(f"Kịch bản '{sc.name}': bố trí {n} cán bộ, tổng điểm {vi.number(result.solution.objective)} "
          f"({result.solution.status_text}).")
    print(text, end="")
    if len(t["unused"]) and sc.merger is not None:
        print(f"Số cán bộ dôi dư: {len(t['unused'])}.")
    print(f"Kết quả đã ghi vào {out}.")
    return 0


def _backtest(full, result, sc, out: Path) -> list[str]:
    """Compare the plan with the rotations recorded in the 12 months after the scenario date, or for a
    merger with the staffing the work history records from its effective day (back-test)."""
    import pandas as pd

    from kimson_ds.data.codes import TITLE
    from kimson_ds.history import backtest

    if sc.merger is not None:  # a merger: who the history records in the new posts from the effective day
        effective = sc.merger.effective or sc.as_of
        record = backtest.recorded_staffing(full, result.problem.posts["post_id"], effective)
        what = f"{len(record)} bố trí đã ghi nhận trong quá trình công tác từ ngày {pd.Timestamp(effective):%d/%m/%Y}"
    else:
        record = backtest.recorded_rotations(full, sc.as_of)
        what = (f"{len(record)} quyết định luân chuyển đã ghi nhận trong 12 tháng sau ngày "
                f"{pd.Timestamp(sc.as_of):%d/%m/%Y}")
    if not len(record):
        return []
    plan = result.assignments.merge(full["positions"][["position_id", "unit_id", "title"]], left_on="post_id",
                                    right_on="position_id", suffixes=("_vi", ""))
    ov = backtest.compare_with_record(plan, record)
    pb = result.problem
    pos = full["positions"].set_index("position_id")
    labels = pos["title"].map(TITLE) + " " + pos["unit_id"].map(full["units"].set_index("unit_id")["name"])
    table = backtest.explain_record(record, result.assignments, pb.cands, pb.elig, pb.scores,
                                    full["cadres"].set_index("cadre_id")["full_name"],
                                    full["units"].set_index("unit_id")["name"], TITLE, labels,
                                    person_label="Cán bộ được bố trí" if sc.merger is not None
                                    else "Cán bộ đã luân chuyển")
    _write(table, out / "backtest.csv")
    n = ov["n_record"]
    return [f"Đối chiếu với {what}: "
            f"trùng người {ov['same_person']}/{n}, trùng vị trí {ov['same_post']}/{n}, "
            f"trùng cả người và vị trí {ov['same_pair']}/{n} (chi tiết: backtest.csv)."]
