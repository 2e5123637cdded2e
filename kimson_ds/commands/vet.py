"""``kimson-ds vet DATASET --proposals FILE --out DIR``: vet a batch of personnel proposals.

Writes ``checklist.csv`` (one row per proposal and item), ``verdicts.csv``
(one row per proposal), ``conflicts.csv`` (relatives conflicts: existing ones
among current holders and those the batch creates) and ``run.json`` (what the
run used), and appends a record to the audit log. Exit code 0 when no proposal
is "không đạt" (proposals to review are listed), 1 when any is, 2 on bad input.
"""

from __future__ import annotations

import json
import shlex

import pandas as pd

from kimson_ds import __version__, audit
from kimson_ds.config import load_overrides
from kimson_ds.data.io import load_dataset
from kimson_ds.errors import ScenarioError
from kimson_ds.outputs import OutputSet, write_csv
from kimson_ds.vetting.checklist import read_proposals, vet

#: Vietnamese headers of the output files.
CHECKLIST_HEADERS = {
    "proposal_id": "Mã đề xuất", "cadre_id": "Mã cán bộ", "full_name": "Họ và tên", "action": "Mã hình thức",
    "action_vi": "Hình thức", "post": "Chức vụ đề xuất", "effective_date": "Ngày hiệu lực", "item": "Mã mục",
    "item_vi": "Mục kiểm tra", "status": "Mã kết quả", "status_vi": "Kết quả", "reason": "Lý do",
    "reference": "Căn cứ", "assumption": "Có giả định",
}
VERDICT_HEADERS = {
    "proposal_id": "Mã đề xuất", "cadre_id": "Mã cán bộ", "full_name": "Họ và tên", "action": "Mã hình thức",
    "action_vi": "Hình thức", "post": "Chức vụ đề xuất", "effective_date": "Ngày hiệu lực", "verdict": "Mã kết luận",
    "verdict_vi": "Kết luận", "failed_items": "Mục không đạt", "review_items": "Mục cần xem xét",
    "summary": "Tóm tắt lý do",
}
CONFLICT_HEADERS = {
    "as_of": "Ngày xét", "kind": "Mã loại", "kind_vi": "Loại", "rule_id": "Mã quy tắc", "rule_vi": "Quy tắc",
    "reference": "Căn cứ", "scope": "Mã phạm vi", "scope_vi": "Phạm vi", "scope_id": "Mã đơn vị phạm vi",
    "scope_name": "Đơn vị phạm vi", "cadre_a": "Mã cán bộ A", "name_a": "Họ và tên A", "position_a": "Mã vị trí A",
    "title_a": "Mã chức danh A", "unit_a": "Mã đơn vị A", "post_a": "Chức vụ A", "proposal_a": "Đề xuất A",
    "cadre_b": "Mã cán bộ B", "name_b": "Họ và tên B", "position_b": "Mã vị trí B", "title_b": "Mã chức danh B",
    "unit_b": "Mã đơn vị B", "post_b": "Chức vụ B", "proposal_b": "Đề xuất B", "relation": "Mã quan hệ",
    "derived": "Quan hệ suy ra", "via": "Qua người", "relation_vi": "Quan hệ (B là … của A)", "reason": "Diễn giải",
}


def register(sub) -> None:
    p = sub.add_parser(
        "vet", help="Thẩm định đề xuất nhân sự (tiêu chuẩn, điều kiện, người thân).",
        description="Kiểm tra từng đề xuất bổ nhiệm, giới thiệu ứng cử, luân chuyển, quy hoạch theo quy định "
                    "có hiệu lực vào ngày hiệu lực của đề xuất; thoát với mã 0 nếu không có đề xuất nào "
                    "không đạt, 1 nếu có, 2 nếu dữ liệu đầu vào sai.")
    p.add_argument("dataset", help="thư mục tệp CSV hoặc tệp .xlsx")
    p.add_argument("--proposals", required=True,
                   help="tệp đề xuất .csv hoặc .xlsx (cột proposal_id, cadre_id, action, position_id hoặc "
                        "target_title và target_unit_id, effective_date)")
    p.add_argument("--as-of", default=None,
                   help="ngày xét xung đột người thân giữa những người đang giữ chức vụ (yyyy-mm-dd); "
                        "mặc định ngày hiệu lực muộn nhất của đợt đề xuất")
    p.add_argument("--params", default=None,
                   help="tệp YAML ghi đè tham số {tên: giá trị}, ví dụ vetting.min_rating_years")
    p.add_argument("--out", required=True, help="thư mục kết quả")
    p.set_defaults(func=run)


def _as_of(text: str | None) -> pd.Timestamp | None:
    if text is None:
        return None
    ts = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    if pd.isna(ts):
        raise ScenarioError(f"Ngày --as-of không hợp lệ: '{text}' (cần dạng yyyy-mm-dd).")
    return ts


def run(args) -> int:
    with OutputSet(args.out, inputs=[args.dataset, args.proposals, args.params], folder=True) as outs:
        return _run(args, outs)


def _run(args, outs: OutputSet) -> int:
    from kimson_ds.papers import vi

    as_of = _as_of(args.as_of)
    overrides = load_overrides(args.params)
    from kimson_ds.history.state import dataset_on

    full = load_dataset(args.dataset, as_of=as_of)
    proposals = read_proposals(args.proposals, full)
    # holders, units and relatives' posts of the vetting day (the latest effective date unless --as-of)
    when = as_of if as_of is not None else pd.to_datetime(proposals["effective_date"]).max()
    ds = dataset_on(full, when if pd.notna(when) else pd.Timestamp.today())
    result = vet(ds, proposals, as_of=as_of, overrides=overrides)

    out = outs.root
    files = {
        "checklist.csv": result.checklist.rename(columns=CHECKLIST_HEADERS),
        "verdicts.csv": result.verdicts.rename(columns=VERDICT_HEADERS),
        "conflicts.csv": result.conflicts.rename(columns=CONFLICT_HEADERS),
    }
    for name, frame in files.items():
        write_csv(frame, out / name)
    from kimson_ds.papers.workbook import RESULT_WORKBOOK, write_result_workbook

    write_result_workbook(out / RESULT_WORKBOOK, {"Kết luận thẩm định": files["verdicts.csv"],
                                                  "Từng mục thẩm định": files["checklist.csv"],
                                                  "Xung đột người thân": files["conflicts.csv"]},
                          title="KẾT QUẢ THẨM ĐỊNH ĐỀ XUẤT NHÂN SỰ",
                          subtitle=f"Xung đột người thân tại ngày {vi.date(result.as_of)}")

    counts = result.verdicts["verdict"].value_counts()
    n_ok, n_fail, n_review = (int(counts.get(k, 0)) for k in ("dat", "khong_dat", "can_xem_xet"))
    kinds = result.conflicts["kind"].value_counts()
    n_existing = int(kinds.get("hien_tai", 0))
    n_batch = int(len(result.conflicts) - n_existing)
    cmd = ["vet", str(args.dataset), "--proposals", str(args.proposals), "--as-of",
           result.as_of.strftime("%Y-%m-%d"), "--out", str(args.out)]
    if args.params:
        cmd += ["--params", str(args.params)]
    run_info = {
        "command": " ".join(shlex.quote(a) for a in cmd),
        "version": __version__,
        "dataset": str(args.dataset),
        "data_fingerprint": ds.fingerprint,
        "proposals_file": str(args.proposals),
        "proposals_sha256": audit.file_digest(args.proposals),
        "as_of": result.as_of.strftime("%Y-%m-%d"),
        "effective_dates": sorted(result.verdicts["effective_date"].unique().tolist()),
        "overrides": overrides or {},
        "verdicts": {"dat": n_ok, "khong_dat": n_fail, "can_xem_xet": n_review},
        "conflicts": {"hien_tai": n_existing, "do_de_xuat": n_batch},
        "parameters": result.parameters_used(),
        "exit_code": result.exit_code,
        "structure": ds.history_state.record(),
    }
    (out / "run.json").write_text(json.dumps(run_info, ensure_ascii=False, indent=2, default=str) + "\n",
                                  encoding="utf-8")
    outs.commit(lambda written: audit.record_run(
        run_info["command"], dataset=ds,
        scenario={"proposals_file": str(args.proposals), "proposals_sha256": run_info["proposals_sha256"],
                  "as_of": run_info["as_of"], "overrides": overrides or {}},
        parameters=run_info["parameters"], outputs=written))

    print(ds.history_state.note_vi)
    print(f"Đã thẩm định {len(result.verdicts)} đề xuất: {n_ok} đạt, {n_fail} không đạt, {n_review} cần xem xét.")
    for row in result.verdicts.loc[result.verdicts["verdict"] != "dat"].itertuples(index=False):
        items = row.failed_items or row.review_items
        print(f"  - {row.proposal_id} ({row.full_name}, {row.action_vi} {row.post}): {row.verdict_vi} — {items}")
    print(f"Xung đột người thân: {n_existing} giữa những người đang giữ chức vụ "
          f"(ngày {vi.date(result.as_of)}), {n_batch} do đợt đề xuất tạo ra.")
    print(f"Kết quả ghi tại {args.out}: checklist.csv, verdicts.csv, conflicts.csv, run.json.")
    return result.exit_code
