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


def write_outputs(result, stage: Path) -> dict:
    """Write every table of a rotation result, ``diagnosis.txt`` and ``run.json`` into ``stage``
    (the staging folder of an :class:`~kimson_ds.outputs.OutputSet`, or any folder); return the record."""
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
    text = "\n".join(result.diagnosis) + "\n"
    (stage / "diagnosis.txt").write_text(text, encoding="utf-8")
    record = result.run_record()
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

    sc = load_rotation_scenario(args.scenario)
    ds = load_dataset(args.dataset)
    result = run_rotation(ds, sc)
    out = Path(args.out)
    record = write_outputs(result, outs.root)
    pb = result.problem
    t = result.tables
    text = "\n".join(result.diagnosis) + "\n"
    command = "rotate " + " ".join(shlex.quote(a) for a in (args.dataset, "--scenario", args.scenario,
                                                             "--out", args.out))
    outs.commit(lambda files: record_run(command, dataset=ds, scenario=record["scenario"],
                                         parameters=pb.params.used, outputs=files))

    n = len(t["assignments"])
    if not result.feasible:
        print(f"Kịch bản '{sc.name}': yêu cầu KHÔNG thực hiện được với đầy đủ các quy tắc.", file=sys.stderr)
        print(text, end="", file=sys.stderr)
        print(f"Phương án nới lỏng ({n} người) và chẩn đoán đã ghi vào {out}.", file=sys.stderr)
        return 3
    print(f"Kịch bản '{sc.name}': bố trí {n} cán bộ, tổng điểm {result.solution.objective:.3f} "
          f"({result.solution.status_text}).")
    print(text, end="")
    if len(t["unused"]) and sc.merger is not None:
        print(f"Số cán bộ dôi dư: {len(t['unused'])}.")
    print(f"Kết quả đã ghi vào {out}.")
    return 0
