"""``kimson-ds kiem-phieu DATASET --out DIR``: count the ballots of appointment procedures and confidence votes.

Reads the ``procedures``, ``ballot_rounds`` and ``ballot_votes`` sheets (and
``confidence_votes``) of the dataset, checks that every tally is consistent,
applies each step's rule of the regulation in force on the procedure's start date
and writes: ``tong-hop-quy-trinh.csv`` (one row per procedure: outcome, who is
proposed, why), ``ket-qua-tung-buoc.csv`` (one row per step and person),
``tin-nhiem.csv`` and ``tin-nhiem-theo-nam.csv`` (confidence votes), the same in
``ket-qua-kiem-phieu.xlsx``, the minutes ``bien-ban-<mã>.docx`` / ``.html`` /
``.pdf`` per procedure, and ``run.json``; appends an audit record. Exit code 0
when every procedure that ended did so by proposing someone and nobody's
confidence vote reaches a consequence, 1 when one falls short of a threshold,
must hold a meeting again or has a low-confidence consequence, 2 on bad input.
"""

from __future__ import annotations

import json
import shlex

import pandas as pd

from kimson_ds import __version__, audit
from kimson_ds.data.io import load_dataset
from kimson_ds.outputs import OutputSet, write_csv

#: Vietnamese headers of the outputs.
SUMMARY_HEADERS = {
    "procedure_id": "Mã quy trình", "post": "Chức vụ", "action_vi": "Hình thức", "source_vi": "Nguồn nhân sự",
    "started_on": "Ngày bắt đầu", "body_vi": "Cấp có thẩm quyền", "mode_vi": "Cách thức", "status_vi": "Kết quả",
    "proposed_id": "Mã cán bộ được đề nghị", "proposed_name": "Người được đề nghị", "reason": "Lý do",
    "warnings": "Lưu ý", "reference": "Căn cứ quy trình", "competence_reference": "Căn cứ phân cấp",
    "assumption": "Có giả định",
}
STEP_HEADERS = {
    "procedure_id": "Mã quy trình", "step": "Bước", "step_vi": "Nội dung bước", "collective_vi": "Hội nghị",
    "held_on": "Ngày họp", "members": "Số được triệu tập", "present": "Số có mặt", "issued": "Phiếu phát ra",
    "returned": "Phiếu thu về", "valid": "Phiếu hợp lệ", "cadre_id": "Mã cán bộ", "full_name": "Họ và tên",
    "votes": "Số phiếu", "share_pct": "Tỷ lệ trên tổng số được triệu tập", "rule_vi": "Nguyên tắc",
    "decision_vi": "Kết quả", "reference": "Căn cứ", "assumption": "Có giả định",
}
CONFIDENCE_HEADERS = {
    "cadre_id": "Mã cán bộ", "full_name": "Họ và tên", "post": "Chức vụ", "held_on": "Ngày lấy phiếu",
    "members": "Số được triệu tập", "present": "Số có mặt", "valid": "Phiếu hợp lệ", "high_pct": "Tín nhiệm cao",
    "medium_pct": "Tín nhiệm", "low_pct": "Tín nhiệm thấp", "consequence_vi": "Hệ quả theo quy định",
    "note_vi": "Ghi chú", "reference": "Căn cứ", "assumption": "Có giả định",
}


def register(sub) -> None:
    p = sub.add_parser(
        "kiem-phieu", help="Kiểm phiếu quy trình bổ nhiệm, giới thiệu ứng cử và lấy phiếu tín nhiệm.",
        description="Kiểm tra số liệu kiểm phiếu từng bước, tính tỷ lệ trên tổng số thành viên được triệu "
                    "tập, áp dụng nguyên tắc của quy định có hiệu lực khi bắt đầu quy trình và lập biên bản "
                    "kiểm phiếu; thoát với mã 0 nếu mọi quy trình đạt, 1 nếu có quy trình không đạt tỷ lệ "
                    "hoặc có người tín nhiệm thấp đến mức phải xử lý, 2 nếu dữ liệu đầu vào sai.")
    p.add_argument("dataset", help="thư mục tệp CSV hoặc tệp .xlsx (các trang Quy trình nhân sự, "
                                   "Kiểm phiếu - hội nghị, Kiểm phiếu - số phiếu, Lấy phiếu tín nhiệm)")
    p.add_argument("--quy-trinh", action="append", default=None, metavar="MÃ",
                   help="chỉ xét quy trình có mã này (dùng nhiều lần được)")
    p.add_argument("--co-quan", default=None, help="tên cơ quan ban hành in ở đầu biên bản")
    p.add_argument("--mat", action="store_true", help="in dấu MẬT trên biên bản")
    p.add_argument("--no-pdf", dest="pdf", action="store_false", help="không tạo bản PDF (không cần Chromium)")
    p.add_argument("--out", required=True, help="thư mục kết quả")
    p.set_defaults(func=run)


def _dates(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%d/%m/%Y")
        elif out[col].dtype == bool:
            out[col] = out[col].map({True: "có", False: "không"})
    return out


def run(args) -> int:
    with OutputSet(args.out, inputs=[args.dataset], folder=True) as outs:
        return _run(args, outs)


def _run(args, outs: OutputSet) -> int:
    from kimson_ds.papers.minutes import DEFAULT_ORGANISATION, minutes_docx, minutes_html
    from kimson_ds.procedure.confidence import evaluate_confidence, year_over_year
    from kimson_ds.procedure.steps import evaluate_procedures

    ds = load_dataset(args.dataset)
    result = evaluate_procedures(ds, procedure_ids=args.quy_trinh)
    conf = evaluate_confidence(ds)
    out = outs.root
    organisation = args.co_quan or DEFAULT_ORGANISATION

    tables = {
        "tong-hop-quy-trinh.csv": _dates(result.summary[list(SUMMARY_HEADERS)]).rename(columns=SUMMARY_HEADERS),
        "ket-qua-tung-buoc.csv": _dates(result.steps[list(STEP_HEADERS)]).rename(columns=STEP_HEADERS),
        "tin-nhiem.csv": _dates(conf.votes[list(CONFIDENCE_HEADERS)]).rename(columns=CONFIDENCE_HEADERS),
        "tin-nhiem-theo-nam.csv": year_over_year(conf),
    }
    for name, frame in tables.items():
        write_csv(frame, out / name)
    xlsx = out / "ket-qua-kiem-phieu.xlsx"
    with pd.ExcelWriter(xlsx, engine="openpyxl") as xw:
        for sheet, name in zip(("Tổng hợp quy trình", "Kết quả từng bước", "Lấy phiếu tín nhiệm", "Tín nhiệm theo năm"),
                               tables, strict=True):
            tables[name].to_excel(xw, sheet_name=sheet, index=False)
            ws = xw.sheets[sheet]
            ws.freeze_panes = "A2"
            for col in ws.columns:
                ws.column_dimensions[col[0].column_letter].width = min(
                    60, max(10, *(len(str(c.value or "")) for c in col)) + 2)

    html_jobs = []
    for s in result.summary.itertuples(index=False):
        row = pd.Series(s._asdict())
        steps = result.steps.loc[result.steps["procedure_id"] == s.procedure_id]
        minutes_docx(row, steps, out / f"bien-ban-{s.procedure_id}.docx", organisation=organisation,
                                 secret=args.mat)
        html_path = out / f"bien-ban-{s.procedure_id}.html"
        html_path.write_text(minutes_html(row, steps, organisation=organisation, secret=args.mat), encoding="utf-8")
        html_jobs.append((html_path, out / f"bien-ban-{s.procedure_id}.pdf"))
    pdf_note = ""
    if args.pdf and html_jobs:
        from kimson_ds.papers.pdf import ChromiumMissingError, html_to_pdf

        try:
            html_to_pdf(html_jobs)
        except ChromiumMissingError as exc:
            pdf_note = f"Không tạo được bản PDF: {exc}"

    counts = result.summary["status_vi"].value_counts()
    flagged = conf.flagged
    exit_code = max(result.exit_code, int(len(flagged) > 0))
    cmd = ["kiem-phieu", str(args.dataset), "--out", str(args.out)]
    for pid in args.quy_trinh or []:
        cmd += ["--quy-trinh", pid]
    run_info = {
        "command": " ".join(shlex.quote(a) for a in cmd),
        "version": __version__,
        "dataset": str(args.dataset),
        "data_fingerprint": ds.fingerprint,
        "procedures": {r.procedure_id: r.status for r in result.summary.itertuples(index=False)},
        "confidence_flagged": flagged["cadre_id"].tolist(),
        "parameters": {**result.parameters, **conf.parameters},
        "exit_code": exit_code,
    }
    (out / "run.json").write_text(json.dumps(run_info, ensure_ascii=False, indent=2, default=str) + "\n",
                                  encoding="utf-8")
    outs.commit(lambda files: audit.record_run(
        run_info["command"], dataset=ds, scenario={"procedures": args.quy_trinh or "tất cả"},
        parameters=run_info["parameters"], outputs=files))

    print(f"Đã kiểm phiếu {len(result.summary)} quy trình: "
          + (", ".join(f"{n} {k.lower()}" for k, n in counts.items()) or "không có quy trình nào") + ".")
    for s in result.summary.itertuples(index=False):
        who = f" — {s.proposed_name}" if s.proposed_name else ""
        print(f"  - {s.procedure_id} ({s.action_vi.lower()} {s.post}): {s.status_vi}{who}. {s.reason}")
        if s.warnings:
            print(f"    Lưu ý: {s.warnings}.")
    print(f"Lấy phiếu tín nhiệm: {len(conf.votes)} lượt, {len(flagged)} lượt có hệ quả theo quy định.")
    for r in flagged.itertuples(index=False):
        print(f"  - {r.full_name} ({r.post}, năm {r.year}): {r.low_pct} tín nhiệm thấp — {r.consequence_vi}.")
    if pdf_note:
        print(pdf_note)
    print(f"Kết quả ghi tại {args.out}: tong-hop-quy-trinh.csv, ket-qua-tung-buoc.csv, tin-nhiem.csv, "
          f"ket-qua-kiem-phieu.xlsx, biên bản .docx/.html{'/.pdf' if args.pdf and not pdf_note else ''}, run.json.")
    return exit_code
