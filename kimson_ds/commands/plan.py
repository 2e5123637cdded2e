"""``kimson-ds plan DATASET --term 2020-2025 [--check|--optimise|--review] --out DIR``: succession planning.

* ``--check`` (default): compliance of the planning list, bench strength and
  vacancy chains → ``violations.csv``, ``summary.csv``, ``bench.csv``,
  ``bench_overall.csv``, ``chains.csv``, ``chain_steps.csv``, ``planning_rows.csv``.
* ``--optimise``: the slate optimiser → ``slates.csv``, ``shares.csv``,
  ``unmet.csv``, ``diff.csv``, ``candidates.csv``.
* ``--review --from DATE --to DATE``: the annual review → ``review.csv``,
  ``review_shares.csv``.

Every mode writes ``references.csv`` (legal basis) and ``run.json`` and appends
an audit record. Exit codes: 0 done, 2 bad input, 3 infeasible.
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
import sys
from pathlib import Path

import pandas as pd

from kimson_ds import __version__, audit
from kimson_ds.config import load_scenario
from kimson_ds.data.io import load_dataset
from kimson_ds.errors import InfeasibleError, ScenarioError
from kimson_ds.history.state import dataset_on
from kimson_ds.outputs import OutputSet, write_csv
from kimson_ds.planning import slate_model as sm
from kimson_ds.planning import succession as su
from kimson_ds.rules.parameters import parameters


def register(sub) -> None:
    p = sub.add_parser("plan", help="Quy hoạch cán bộ: kiểm tra, tối ưu danh sách, rà soát hằng năm.",
                       description="Quy hoạch cán bộ: kiểm tra danh sách theo quy định (mặc định), lập danh sách "
                                   "tối ưu (--optimise) hoặc rà soát giữa hai thời điểm (--review).")
    p.add_argument("dataset", help="thư mục tệp CSV hoặc tệp .xlsx")
    p.add_argument("--term", default=None, help="nhiệm kỳ quy hoạch, ví dụ 2020-2025")
    p.add_argument("--scenario", default=None, help="tệp kịch bản YAML (data/scenarios/quy-hoach-2020-2025.yaml)")
    p.add_argument("--as-of", dest="as_of", default=None, help="ngày áp dụng quy định (yyyy-mm-dd)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--check", dest="mode", action="store_const", const="check", help="kiểm tra danh sách")
    mode.add_argument("--optimise", "--optimize", dest="mode", action="store_const", const="optimise",
                      help="lập danh sách quy hoạch tối ưu")
    mode.add_argument("--review", dest="mode", action="store_const", const="review", help="rà soát hằng năm")
    p.add_argument("--from", dest="date_from", default=None, help="ngày đầu kỳ rà soát (yyyy-mm-dd)")
    p.add_argument("--to", dest="date_to", default=None, help="ngày cuối kỳ rà soát (yyyy-mm-dd)")
    p.add_argument("--out", required=True, help="thư mục ghi kết quả")
    p.set_defaults(func=run, mode="check")


def _date(text: str | None, what: str):
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise ScenarioError(f"{what} '{text}' không hợp lệ: cần dạng yyyy-mm-dd.") from None


def _write(frame: pd.DataFrame, path: Path) -> Path:
    """Write a display-ready table for Excel: UTF-8 with BOM, dates as yyyy-mm-dd."""
    return write_csv(frame, path, date_format="%Y-%m-%d")


def _references(sets) -> pd.DataFrame:
    refs = pd.concat([s.references() for s in sets if s is not None], ignore_index=True)
    refs = refs.drop_duplicates("name").sort_values("name").reset_index(drop=True)
    return pd.DataFrame({
        "Tham số": refs["name"],
        "Nội dung": refs["description"],
        "Giá trị": refs["value"].astype(str),
        "Áp dụng từ": refs["since"],
        "Căn cứ": refs["reference"],
        "Liên kết": refs["href"],
        "Ghi chú": refs["assumption"].astype(bool).map({True: "GIẢ ĐỊNH", False: ""}),
        "Ghi đè theo kịch bản": refs["overridden"].astype(bool).map({True: "có", False: "không"}),
    })


def _used(sets) -> dict:
    out: dict = {}
    for s in sets:
        out.update(s.used)
    return dict(sorted(out.items()))


def run(args) -> int:
    with OutputSet(args.out, inputs=[args.dataset, args.scenario], folder=True) as outs:
        return _run(args, outs)


def _run(args, outs: OutputSet) -> int:
    from kimson_ds.papers import vi

    scenario = load_scenario(args.scenario, sm.PlanScenario) if args.scenario else sm.PlanScenario()
    term = args.term or scenario.term
    su.parse_term(term)
    scenario = scenario.model_copy(update={"term": term})
    as_of = _date(args.as_of, "Ngày áp dụng") or scenario.as_of
    if as_of is None:
        as_of = (su.term_window(term, parameters(dt.date.today()), scenario.term_start).start
                 - pd.Timedelta(days=1)).date()
    full = load_dataset(args.dataset)
    out = outs.root
    written: list[Path] = []
    info: dict = {"mode": args.mode, "term": term, "as_of": str(as_of)}
    if args.mode == "review":  # the review looks back over a period: the structure at its end
        end = _date(args.date_to, "Ngày cuối kỳ") or (scenario.review.date_to if scenario.review else None)
        ds = dataset_on(full, end or as_of)
    else:  # checks and slates on a (possibly past) term read the holdings of their date
        ds = dataset_on(full, as_of)
    info["structure"] = ds.history_state.record()
    print(ds.history_state.note_vi)
    overrides = scenario.parameters or None
    if args.mode == "check":
        P = parameters(as_of, overrides)
        comp = su.check_compliance(ds, term, as_of, params=P, term_start=scenario.term_start,
                                   merit_years=scenario.merit_years)
        steps, chains = su.chains_for(comp, ds)
        tables = su.compliance_tables(comp, steps=steps, chains=chains)
        written += [_write(tables[name], out / f"{name}.csv") for name in
                    ("violations", "summary", "bench", "bench_overall", "chains", "chain_steps", "planning_rows")]
        from kimson_ds.papers.workbook import RESULT_WORKBOOK, write_result_workbook

        written.append(write_result_workbook(
            out / RESULT_WORKBOOK, {"Vi phạm": tables["violations"], "Chỉ tiêu": tables["summary"],
                                    "Độ sẵn sàng kế nhiệm": tables["bench"]},
            title=f"KIỂM TRA DANH SÁCH QUY HOẠCH NHIỆM KỲ {term}", subtitle=f"Ngày áp dụng quy định {vi.date(as_of)}"))
        sets = comp.param_sets
        n_auto = int(comp.violations["auto_removal"].astype(bool).sum()) if len(comp.violations) else 0
        share = comp.bench_overall.set_index("indicator")["value"]
        info.update(violations=len(comp.violations), auto_removals=n_auto, people=int(comp.rows["cadre_id"].nunique()))
        print(f"Kiểm tra quy hoạch nhiệm kỳ {term} (áp dụng quy định ngày {vi.date(as_of)}): "
              f"{info['people']} người, {len(comp.rows)} lượt quy hoạch, {len(comp.violations)} vi phạm "
              f"({n_auto} trường hợp đương nhiên đưa ra khỏi quy hoạch).")
        for rule, n in comp.violations.groupby("rule").size().items():
            print(f"  - {su.RULES[rule][0]}: {n}")
        print(f"Chức danh có ít nhất 1 người sẵn sàng ngay: "
              f"{su.percent_text(share['Tỷ lệ chức danh có ít nhất 1 người sẵn sàng ngay'])}; "
              f"{share.index[2][len('Tỷ lệ chức danh '):]}: {su.percent_text(share.iloc[2])}.")
    elif args.mode == "optimise":
        try:
            res = sm.run(ds, scenario, as_of=as_of, term=term)
        except InfeasibleError as exc:
            (out / "diagnosis.txt").write_text(str(exc) + "\n", encoding="utf-8")
            info.update(status="Không khả thi", diagnosis=str(exc))
            _finish(args, ds, scenario, info, [parameters(as_of, overrides)], out, outs)
            raise
        tables = sm.slate_tables(res)
        written += [_write(tables[name], out / f"{name}.csv") for name in
                    ("slates", "shares", "unmet", "diff", "candidates", "ties")]
        from kimson_ds.papers.workbook import RESULT_WORKBOOK, write_result_workbook

        written.append(write_result_workbook(
            out / RESULT_WORKBOOK, {"Danh sách quy hoạch": tables["slates"], "Cơ cấu": tables["shares"],
                                    "So với hiện hành": tables["diff"]},
            title=f"DANH SÁCH QUY HOẠCH CÁN BỘ NHIỆM KỲ {term}", subtitle=f"Ngày áp dụng quy định {vi.date(as_of)}"))
        sets = res.param_sets
        counts = res.diff["change"].value_counts()
        info.update(status=res.status, objective=res.objective, build_seconds=round(res.build_seconds, 3),
                    solve_seconds=round(res.solve_seconds, 3), slates=len(res.slates))
        secs = f"dựng mô hình {vi.seconds(res.build_seconds)}, giải {vi.seconds(res.solve_seconds)}"
        print(f"Lập danh sách quy hoạch nhiệm kỳ {term}: {res.status}; {len(res.slates)} lượt, "
              f"{res.slates['cadre_id'].nunique()} người cho {res.slates['post_id'].nunique()} chức danh ({secs}).")
        print(f"So với danh sách hiện hành: giữ nguyên {counts.get('giu', 0)}, đề xuất mới {counts.get('them', 0)}, "
              f"không đưa vào {counts.get('bo', 0)}.")
        for r in res.shares.itertuples(index=False):
            tgt = "chưa có chỉ tiêu" if pd.isna(r.target) else f"chỉ tiêu {su.percent_text(r.target)}"
            print(f"  - {r.indicator}: {su.percent_text(r.achieved)} ({tgt})")
        for r in res.unmet.itertuples(index=False):
            print(f"  ! Chưa đạt {r.target}: {r.reason}")
        if len(res.ties):
            print(f"  Có {len(res.ties)} chức danh có phương án khác cùng điểm; đã phân định theo: "
                  f"{'; '.join(sm.TIE_CRITERIA)} (xem ties.csv).")
    else:
        date_from = _date(args.date_from, "Ngày đầu kỳ") or (scenario.review.date_from if scenario.review else None)
        date_to = _date(args.date_to, "Ngày cuối kỳ") or (scenario.review.date_to if scenario.review else None)
        if date_from is None or date_to is None:
            raise ScenarioError("Rà soát cần --from và --to (hoặc khóa review trong kịch bản).")
        if date_to <= date_from:
            raise ScenarioError("Ngày cuối kỳ rà soát phải sau ngày đầu kỳ.")
        P = parameters(date_to, overrides)
        rows, shares = su.annual_review(ds, term, date_from, date_to, params=P, term_start=scenario.term_start)
        tables = su.review_tables(rows, shares)
        written += [_write(tables["review"], out / "review.csv"),
                    _write(tables["review_shares"], out / "review_shares.csv")]
        sets = [P]
        info.update(date_from=str(date_from), date_to=str(date_to))
        c = rows["status"].value_counts()
        print(f"Rà soát quy hoạch nhiệm kỳ {term} từ {vi.date(date_from)} đến {vi.date(date_to)}: "
              f"giữ lại {c.get('giu', 0)}, bổ sung {c.get('them', 0)}, đưa ra {c.get('dua_ra', 0)} lượt; "
              f"{int((rows['flag'] != '').sum())} trường hợp cần xem xét.")
    written.append(_write(_references(sets), out / "references.csv"))
    _finish(args, ds, scenario, info, sets, out, outs)
    print(f"Kết quả đã ghi vào thư mục {args.out}.")
    return 0


def _finish(args, ds, scenario, info, sets, out: Path, outs: OutputSet) -> None:
    run_json = out / "run.json"
    record = {
        "command": "plan",
        "version": __version__,
        **info,
        "dataset": str(args.dataset),
        "data_fingerprint": ds.fingerprint,
        "scenario": scenario.model_dump(mode="json"),
        "parameters": _used(sets),
    }
    run_json.write_text(json.dumps(record, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    cmd = "plan " + " ".join(shlex.quote(a) for a in sys.argv[2:]) if len(sys.argv) > 2 else "plan"
    outs.commit(lambda files: audit.record_run(cmd, dataset=ds, scenario=record["scenario"],
                                               parameters=record["parameters"], outputs=files))
