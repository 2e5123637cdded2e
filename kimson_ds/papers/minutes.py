"""Minutes of the ballot count (biên bản kiểm phiếu) and the procedure's summary, in Word and HTML.

One document per procedure: the Party header (ĐẢNG CỘNG SẢN VIỆT NAM, the issuing
body, place and date), then one minute per ballot step (who was summoned, present,
ballots issued, returned and valid; each person's votes and share of the total
membership; the rule and its reference; the result) with the counting team's
signature block, and the procedure's outcome at the end. The Word file is written
with python-docx so staff can edit it before signing; the HTML twin prints to PDF
through :mod:`kimson_ds.papers.pdf`.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

__all__ = ["DEFAULT_ORGANISATION", "minutes_docx", "minutes_html", "vn_long_date"]

#: Issuing body printed in the header when the user names none.
DEFAULT_ORGANISATION = "BAN THƯỜNG VỤ HUYỆN ỦY KIM SƠN"
_PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"


def vn_long_date(value, place: str = "Kim Sơn") -> str:
    """``"Kim Sơn, ngày 05 tháng 9 năm 2019"`` (day with two digits, month without a leading zero)."""
    ts = pd.Timestamp(value)
    return f"{place}, ngày {ts.day:02d} tháng {ts.month} năm {ts.year}"


def _vn_date(value) -> str:
    return pd.Timestamp(value).strftime("%d/%m/%Y")


def _sections(summary: pd.Series, steps: pd.DataFrame) -> list[dict]:
    out = []
    for step, rows in steps.groupby("step", sort=True):
        first = rows.iloc[0]
        people = rows.loc[rows["cadre_id"] != ""]
        out.append(dict(
            step=int(step), title=f"Bước {int(step)}: {first['step_vi']}", collective=first["collective_vi"],
            held_on=first["held_on"],
            counts=[("Số người được triệu tập", first["members"]), ("Số người có mặt", first["present"]),
                    ("Số phiếu phát ra", first["issued"]), ("Số phiếu thu về", first["returned"]),
                    ("Số phiếu hợp lệ", first["valid"])],
            people=[(i + 1, r.full_name, "" if pd.isna(r.votes) else int(r.votes), r.share_pct, r.decision_vi)
                    for i, r in enumerate(people.itertuples(index=False))],
            rule=first["rule_vi"], decision=first["decision_vi"] if people.empty else "",
            reference=first["reference"] + (" (giả định)" if bool(first["assumption"]) else ""),
        ))
    return out


def minutes_docx(summary: pd.Series, steps: pd.DataFrame, path: str | Path, *,
                 organisation: str = DEFAULT_ORGANISATION, secret: bool = False) -> Path:
    """Write the minutes of one procedure as a Word document.

    Parameters
    ----------
    summary : Series
        One row of :attr:`ProcedureResult.summary`.
    steps : DataFrame
        The rows of :attr:`ProcedureResult.steps` for that procedure.
    path : path
        The ``.docx`` to write.
    organisation : str
        Issuing body in the header (a body after 1-7-2025 uses its own name).
    secret : bool
        Print the "MẬT" marking.
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    header = doc.add_table(rows=2, cols=2)
    header.cell(0, 0).text = organisation.upper()
    header.cell(0, 1).text = _PARTY
    header.cell(1, 0).text = "MẬT" if secret else ""
    header.cell(1, 1).text = vn_long_date(summary["started_on"])
    for cell in (header.cell(0, 0), header.cell(0, 1), header.cell(1, 0), header.cell(1, 1)):
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in p.runs:
                run.bold = cell is not header.cell(1, 1)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("BIÊN BẢN KIỂM PHIẾU")
    run.bold = True
    run.font.size = Pt(15)
    sub = doc.add_paragraph(f"Quy trình {summary['action_vi'].lower()} {summary['post']} "
                            f"({summary['source_vi'].lower()}), mã {summary['procedure_id']}")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if summary.get("body_vi"):
        doc.add_paragraph(f"Cấp có thẩm quyền quyết định: {summary['body_vi']}; hình thức: {summary['mode_vi']}.")
    for sec in _sections(summary, steps):
        doc.add_heading(sec["title"], level=2)
        doc.add_paragraph(f"Hội nghị: {sec['collective']}, ngày {_vn_date(sec['held_on'])}.")
        for label, value in sec["counts"]:
            doc.add_paragraph(f"{label}: {int(value)}", style="List Bullet")
        if sec["people"]:
            t = doc.add_table(rows=1, cols=5)
            t.style = "Table Grid"
            for i, h in enumerate(("STT", "Họ và tên", "Số phiếu", "Tỷ lệ trên tổng số được triệu tập", "Kết quả")):
                t.rows[0].cells[i].text = h
            for row in sec["people"]:
                cells = t.add_row().cells
                for i, v in enumerate(row):
                    cells[i].text = str(v)
        doc.add_paragraph(f"Nguyên tắc: {sec['rule']}.")
        if sec["decision"]:
            doc.add_paragraph(f"Kết quả: {sec['decision']}.")
        doc.add_paragraph(f"Căn cứ: {sec['reference']}.")
        sign = doc.add_table(rows=1, cols=2)
        sign.cell(0, 0).text = "THÀNH VIÊN TỔ KIỂM PHIẾU\n(Ký, ghi rõ họ tên)"
        sign.cell(0, 1).text = "TỔ TRƯỞNG TỔ KIỂM PHIẾU\n(Ký, ghi rõ họ tên)"
    doc.add_heading("Kết quả quy trình", level=2)
    doc.add_paragraph(f"{summary['status_vi']}. {summary['reason']}")
    if summary.get("warnings"):
        doc.add_paragraph(f"Lưu ý: {summary['warnings']}.")
    path = Path(path)
    doc.save(path)
    return path


def minutes_html(summary: pd.Series, steps: pd.DataFrame, *, organisation: str = DEFAULT_ORGANISATION,
                 secret: bool = False, css: str = "") -> str:
    """The same minutes as a standalone HTML page (for the PDF and the browser)."""
    e = html.escape
    parts = [
        "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>",
        f"<title>Biên bản kiểm phiếu {e(summary['procedure_id'])}</title>",
        "<style>body{font-size:12pt;max-width:190mm;margin:auto} table{border-collapse:collapse}"
        " .grid td,.grid th{border:1px solid #333;padding:2px 6px} .head td{text-align:center;font-weight:bold;"
        "width:50%} h1{text-align:center;font-size:15pt} .sign td{text-align:center;width:50%;height:3cm;"
        f"vertical-align:top}} {css}</style></head><body>",
        "<table class='head' style='width:100%'><tr>",
        f"<td>{e(organisation.upper())}</td><td>{_PARTY}</td></tr>",
        f"<tr><td>{'MẬT' if secret else ''}</td><td style='font-weight:normal;font-style:italic'>"
        f"{e(vn_long_date(summary['started_on']))}</td></tr></table>",
        "<h1>BIÊN BẢN KIỂM PHIẾU</h1>",
        f"<p style='text-align:center'>Quy trình {e(summary['action_vi'].lower())} {e(summary['post'])} "
        f"({e(summary['source_vi'].lower())}), mã {e(summary['procedure_id'])}</p>",
    ]
    if summary.get("body_vi"):
        parts.append(f"<p>Cấp có thẩm quyền quyết định: {e(summary['body_vi'])}; hình thức: {e(summary['mode_vi'])}.</p>")
    for sec in _sections(summary, steps):
        parts.append(f"<h2>{e(sec['title'])}</h2><p>Hội nghị: {e(sec['collective'])}, ngày "
                     f"{_vn_date(sec['held_on'])}.</p><ul>")
        parts += [f"<li>{e(label)}: {int(value)}</li>" for label, value in sec["counts"]]
        parts.append("</ul>")
        if sec["people"]:
            parts.append("<table class='grid'><tr><th>STT</th><th>Họ và tên</th><th>Số phiếu</th>"
                         "<th>Tỷ lệ trên tổng số được triệu tập</th><th>Kết quả</th></tr>")
            parts += ["<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>" for row in sec["people"]]
            parts.append("</table>")
        parts.append(f"<p>Nguyên tắc: {e(sec['rule'])}.</p>")
        if sec["decision"]:
            parts.append(f"<p>Kết quả: {e(sec['decision'])}.</p>")
        parts.append(f"<p>Căn cứ: {e(sec['reference'])}.</p>")
        parts.append("<table class='sign' style='width:100%'><tr><td>THÀNH VIÊN TỔ KIỂM PHIẾU<br>"
                     "<i>(Ký, ghi rõ họ tên)</i></td><td>TỔ TRƯỞNG TỔ KIỂM PHIẾU<br><i>(Ký, ghi rõ họ tên)</i>"
                     "</td></tr></table>")
    parts.append(f"<h2>Kết quả quy trình</h2><p>{e(summary['status_vi'])}. {e(summary['reason'])}</p>")
    if summary.get("warnings"):
        parts.append(f"<p>Lưu ý: {e(summary['warnings'])}.</p>")
    parts.append("</body></html>")
    return "".join(parts)
