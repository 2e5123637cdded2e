"""Tờ trình in Word (.docx) in the Party document format (Hướng dẫn 36-HD/VPTW, 03-4-2018).

:func:`write_submission` turns a :class:`Submission` (what the committee is
asked to decide: the proposal, the figures that matter, the alternatives
considered, the questions, and the tables attached as Phụ lục) into an
editable ``.docx``, built with python-docx on the base document
``templates/to-trinh.docx`` (page size, margins, fonts; edit it in Word to
change the house style). The layout follows Hướng dẫn 36-HD/VPTW:

* header table — left: the superior committee and the issuing body, a star,
  ``Số …-TTr/…`` and, optionally, the secrecy mark ``MẬT``; right:
  ``ĐẢNG CỘNG SẢN VIỆT NAM`` and the place–date line in italics;
* the document type ``TỜ TRÌNH`` and the summary (trích yếu) ``về …``;
* ``Kính gửi:`` and the body (at most two pages: proposal, figures,
  alternatives, the decision asked for);
* the recipients (``Nơi nhận:``) and the signature block;
* each table on its own page as ``Phụ lục 1``, ``Phụ lục 2``, … (landscape).

The issuing body comes from ``templates/co-quan.yaml`` (:func:`organisation`):
one entry per period, so a body that replaced the district committee after
1-7-2025 signs with its own name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pydantic import Field

from kimson_ds.config import StrictModel, load_scenario
from kimson_ds.errors import ScenarioError
from kimson_ds.papers import vi

__all__ = [
    "ORGANISATION_FILE",
    "TEMPLATE",
    "Organisation",
    "Organisations",
    "Submission",
    "organisation",
    "submission_text",
    "write_submission",
]

_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
#: Base document (styles, A4 margins) of every Tờ trình.
TEMPLATE = _TEMPLATES / "to-trinh.docx"
#: Default configuration of the issuing body.
ORGANISATION_FILE = _TEMPLATES / "co-quan.yaml"

# Layout model of the printed Tờ trình (:func:`docx_pages`). No Word-to-PDF converter is installed on the
# office PC or in CI (LibreOffice is not; it is not installed for this), so the printed length is estimated
# from the written .docx: every paragraph and table cell is wrapped word by word at its real width (page or
# cell width minus indents) with the average advance width of Times New Roman text below, and stacked with
# its font size, line spacing and spacing after. The widths are those of Times New Roman (2048 units per em:
# space 512, a/c/e 909, n/o/u/h/d/b/g 1024, i/l/t 569, capitals 1251–1479); the average over Vietnamese text
# of this project is ≈ 0.44 em regular and ≈ 0.47 em bold: the model uses 0.46 and 0.50, so it errs
# towards more lines. Line height 1.15 em (ascender 1825 + descender 443 + line gap 87 of 2048).
#: Average advance width of a character of Times New Roman text, in em (regular, bold), rounded up.
CHAR_EM = {False: 0.46, True: 0.50}
#: Height of a single-spaced line, in em.
LINE_EM = 1.15
#: Points per millimetre.
_PT_PER_MM = 72 / 25.4


class Organisation(StrictModel):
    """The issuing body during one period (an entry of ``co-quan.yaml``)."""

    since: dt.date | None = None
    until: dt.date | None = None
    superior: str
    issuer: str
    symbol: str
    place: str
    addressee: str
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    recipients: list[str] = Field(default_factory=list)

    def covers(self, day: dt.date) -> bool:
        return (self.since is None or self.since <= day) and (self.until is None or day <= self.until)


class Organisations(StrictModel):
    """``co-quan.yaml``: the issuing body, period by period."""

    organisations: list[Organisation] = Field(min_length=1)


def organisation(on: dt.date | str | None = None, path: str | Path | None = None) -> Organisation:
    """The issuing body in office on ``on`` (default today), read from ``path`` (default ``templates/co-quan.yaml``).

    Raises
    ------
    ScenarioError
        Unreadable file, unknown key, or no entry covering the date (the
        message says which file to complete).
    """
    src = Path(path) if path is not None else ORGANISATION_FILE
    day = pd.Timestamp(on).date() if on is not None else dt.date.today()
    conf = load_scenario(src, Organisations)
    for org in conf.organisations:
        if org.covers(day):
            return org
    periods = "; ".join(f"{vi.date(o.since) or '…'} – {vi.date(o.until) or '…'}: {o.superior} {o.issuer}"
                        for o in conf.organisations)
    raise ScenarioError(
        f"Tệp '{src}' không có cơ quan ban hành nào còn hiệu lực vào ngày {vi.date(day)} (đã khai báo: {periods}). "
        "Thêm một mục 'organisations' với 'since' và tên cơ quan hiện nay (ví dụ cơ quan kế nhiệm từ 01/07/2025)."
    )


@dataclass
class Submission:
    """What a Tờ trình says.

    Attributes
    ----------
    subject : str
        Trích yếu after "về", e.g. ``"danh sách quy hoạch cán bộ nhiệm kỳ 2020–2025"``.
    basis : list of str
        "Căn cứ …" sentences (the regulations and the meeting's request).
    proposal : list of str
        Paragraphs: what is proposed.
    figures : list of (str, str)
        The numbers that matter: label, formatted value.
    alternatives : list of str
        The alternatives considered, one sentence each.
    asks : list of str
        What the committee is asked to decide, one item each.
    warnings : list of str
        Points needing the committee's attention.
    appendices : list of (str, DataFrame)
        Tables attached as Phụ lục (title, Vietnamese-labelled table).
    as_of : date, optional
        Reference date of the figures.
    """

    subject: str
    basis: list[str] = field(default_factory=list)
    proposal: list[str] = field(default_factory=list)
    figures: list[tuple[str, str]] = field(default_factory=list)
    alternatives: list[str] = field(default_factory=list)
    asks: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    appendices: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    as_of: dt.date | None = None


def _body_paragraphs(sub: Submission) -> list[tuple[str, str]]:
    """(kind, text) of the body in reading order; kind is ``heading`` or ``text``."""
    out: list[tuple[str, str]] = []
    for line in sub.basis:
        out.append(("text", line))
    out.append(("heading", "1. Nội dung đề xuất"))
    out += [("text", p) for p in sub.proposal]
    if sub.figures:
        out.append(("heading", "2. Số liệu chính"))
        out += [("text", f"- {label}: {value}.") for label, value in sub.figures]
    n = 3 if sub.figures else 2
    if sub.alternatives:
        out.append(("heading", f"{n}. Các phương án đã xem xét"))
        out += [("text", f"- {a}") for a in sub.alternatives]
        n += 1
    if sub.warnings:
        out.append(("heading", f"{n}. Những điểm cần lưu ý"))
        out += [("text", f"- {w}") for w in sub.warnings]
        n += 1
    out.append(("heading", f"{n}. Đề nghị Ban Thường vụ xem xét, quyết định"))
    out += [("text", f"- {a}") for a in sub.asks]
    if sub.appendices:
        names = ", ".join(f"Phụ lục {i}" for i in range(1, len(sub.appendices) + 1))
        out.append(("text", f"(Chi tiết tại {names} kèm theo.)"))
    return out


def body_pages(sub: Submission, org: Organisation | None = None) -> float:
    """Printed pages of the first part (header, body, signature), before the Phụ lục: :func:`docx_pages`
    of the Tờ trình as :func:`write_submission` writes it (issuing body ``org``, default the one in office
    on ``sub.as_of``)."""
    import io

    doc = _submission_document(sub, org or organisation(sub.as_of), appendices=False)
    buf = io.BytesIO()
    doc.save(buf)
    return docx_pages(buf)


def _wrapped_lines(text: str, width_pt: float, size_pt: float, bold: bool, indent_pt: float = 0.0) -> int:
    """Lines a paragraph takes at ``width_pt`` (first line shortened by ``indent_pt``): greedy word wrap
    with the average character width (a space is 0.25 em)."""
    char, space = CHAR_EM[bold] * size_pt, 0.25 * size_pt
    lines, used, avail = 1, 0.0, max(width_pt - indent_pt, char)
    for word in text.split():
        w = len(word) * char
        need = w if used == 0 else used + space + w
        if need <= avail:
            used = need
            continue
        if used > 0:  # the word starts a new line
            lines, avail = lines + 1, width_pt
        while w > avail:  # a word longer than a line breaks inside
            w, lines, avail = w - avail, lines + 1, width_pt
        used = w
    return lines


def _paragraph_height(p, width_pt: float, default_size: float, default_spacing: float, default_after: float) -> float:
    """Height in points of a python-docx paragraph laid out at ``width_pt``."""
    runs = [r for r in p.runs if r.text]
    size = max((r.font.size.pt for r in runs if r.font.size is not None), default=default_size)
    bold = any(r.bold for r in runs)
    fmt = p.paragraph_format
    indent = fmt.first_line_indent.pt if fmt.first_line_indent is not None else 0.0
    left = fmt.left_indent.pt if fmt.left_indent is not None else 0.0
    spacing = fmt.line_spacing if isinstance(fmt.line_spacing, float) else default_spacing
    after = fmt.space_after.pt if fmt.space_after is not None else default_after
    before = fmt.space_before.pt if fmt.space_before is not None else 0.0
    lines = _wrapped_lines(p.text, width_pt - left, size, bold, indent) if p.text.strip() else 1
    return before + lines * size * LINE_EM * spacing + after


def docx_pages(source) -> float:
    """Printed A4 pages of the first section of a Word file (the Tờ trình before its Phụ lục), by the
    layout model above (no converter needed).

    Parameters
    ----------
    source : path or file-like
        The ``.docx``.

    Returns
    -------
    float
        Height of the content of the first section divided by the height of its text area
        (1,4 = one full page and 40 % of the next).
    """
    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(source)
    sec = doc.sections[0]
    width = (sec.page_width - sec.left_margin - sec.right_margin) / 12700  # EMU → pt
    height = (sec.page_height - sec.top_margin - sec.bottom_margin) / 12700
    normal = doc.styles["Normal"]
    size = normal.font.size.pt if normal.font.size is not None else 12.0
    spacing = normal.paragraph_format.line_spacing if isinstance(normal.paragraph_format.line_spacing, float) else 1.0
    after = normal.paragraph_format.space_after.pt if normal.paragraph_format.space_after is not None else 0.0
    total = 0.0
    for el in doc.element.body.iterchildren():
        if el.tag == qn("w:p"):
            p = Paragraph(el, doc)
            total += _paragraph_height(p, width, size, spacing, after)
            if el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:  # the first section ends here
                break
        elif el.tag == qn("w:tbl"):
            table = Table(el, doc)
            for row in table.rows:
                cells = row.cells
                row_height = 0.0
                for cell in cells:
                    w = cell.width / 12700 if cell.width else width / max(len(cells), 1)
                    row_height = max(row_height, sum(_paragraph_height(q, w, size, 1.0, 0.0)
                                                     for q in cell.paragraphs))
                total += row_height
    return total / height


def submission_text(sub: Submission) -> str:
    """The body as plain text (the app shows it before the Word file is downloaded)."""
    return "\n".join(text for _kind, text in _body_paragraphs(sub))


def _base_document():
    from docx import Document

    return Document(str(TEMPLATE)) if TEMPLATE.is_file() else _new_base()


def _new_base():
    """The base document: A4, margins of Hướng dẫn 36 (top/bottom 20 mm, left 30 mm, right 15 mm), 14 pt."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.1
    for name in ("Table Grid",):
        if name in [s.name for s in doc.styles]:
            doc.styles[name].font.size = Pt(12)
    # python-docx's default document has one empty paragraph; a base must start empty.
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    doc.core_properties.title = "Tờ trình"
    doc.core_properties.author = "kimson-ds"
    return doc


def write_template(path: str | Path = TEMPLATE) -> Path:
    """Write the base document ``templates/to-trinh.docx`` (run once; then edit it in Word)."""
    doc = _new_base()
    doc.core_properties.created = dt.datetime(2026, 1, 1)
    doc.core_properties.modified = dt.datetime(2026, 1, 1)
    p = Path(path)
    doc.save(str(p))
    return p


def _para(container, text: str = "", *, bold: bool = False, italic: bool = False, size: float | None = None,
          align: str | None = None, underline: bool = False, indent: bool = False, space_after: float | None = None):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    p = container.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
    if align:
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
                       "right": WD_ALIGN_PARAGRAPH.RIGHT, "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
    if indent:
        p.paragraph_format.first_line_indent = Cm(1)
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    return p


def _cell_para(cell, text: str, **kw):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    if not getattr(cell, "_kimson_first_used", False) and cell.paragraphs and not cell.paragraphs[0].text:
        p = cell.paragraphs[0]
        cell._kimson_first_used = True
    else:
        p = cell.add_paragraph()
    run = p.add_run(text)
    for prop in ("bold", "italic", "underline"):
        if kw.get(prop):
            setattr(run, prop, True)
    if kw.get("size"):
        run.font.size = Pt(kw["size"])
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if kw.get("align", "center") == "center" else WD_ALIGN_PARAGRAPH.LEFT
    p.paragraph_format.space_after = Pt(0)
    return p


def _no_borders(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _boxed(paragraph) -> None:
    """A border around a paragraph (the secrecy mark MẬT is printed in a box)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p_pr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    for edge in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "8")
        el.set(qn("w:space"), "1")
        el.set(qn("w:color"), "000000")
        bdr.append(el)
    p_pr.append(bdr)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _style_id(doc, name: str) -> str:
    """Style id of a named style, looked up once per document (python-docx searches every style each time)."""
    cache = doc.__dict__.setdefault("_kimson_style_ids", {})
    if name not in cache:
        cache[name] = doc.styles[name].style_id
    return cache[name]


def fill_table(doc, frame: pd.DataFrame, *, numbered: bool = False, size: float = 11) -> None:
    """A ``Table Grid`` table of ``frame``: bold repeated header row, Vietnamese cell texts (:func:`vi.value`).

    The table is made in one piece (``add_table`` with all its rows) and the
    texts are written into the cells' XML directly: adding rows one by one
    through python-docx costs a search of the whole table per row (seconds
    for the pack's hundreds of rows). The font size is the table style's.
    """
    from docx.shared import Pt
    from docx.text.run import Run

    doc.styles["Table Grid"].font.size = Pt(size)
    data = frame.reset_index(drop=True)
    cols = (["STT"] if numbered else []) + [str(c) for c in data.columns]
    texts = [[vi.value(v) for v in data[c].tolist()] for c in data.columns]
    if numbered:
        texts.insert(0, [str(i) for i in range(1, len(data) + 1)])
    table = doc.add_table(rows=1 + max(len(data), 1), cols=len(cols))
    table._tbl.tblStyle_val = _style_id(doc, "Table Grid")
    rows = table._tbl.tr_lst
    for tc, c in zip(rows[0].tc_lst, cols, strict=True):
        Run(tc.p_lst[0].add_r(), None).bold = True
        tc.p_lst[0].r_lst[-1].text = c
    _repeat_header(table.rows[0])
    if data.empty:
        rows[1].tc_lst[0].p_lst[0].add_r().text = "(không có dòng nào)"
        return table
    for i, tr in enumerate(rows[1:]):
        for tc, col in zip(tr.tc_lst, texts, strict=True):
            if col[i]:
                tc.p_lst[0].add_r().text = col[i]
    return table


def _appendix_table(doc, title: str, frame: pd.DataFrame, number: int) -> None:
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    sec.left_margin, sec.right_margin = Mm(20), Mm(15)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(15)
    _para(doc, f"Phụ lục {number}", bold=True, align="center", space_after=0)
    _para(doc, title, bold=True, align="center", space_after=6)
    fill_table(doc, frame, numbered=True, size=11)


def write_submission(sub: Submission, path: str | Path, *, org: Organisation, date: dt.date | None = None,
                     number: str = "", secret: bool = False) -> Path:
    """Write the Tờ trình of ``sub`` as a Word file.

    Parameters
    ----------
    sub : Submission
    path : path
        The ``.docx`` to write (its folder is created).
    org : Organisation
        The issuing body (:func:`organisation`).
    date : date, optional
        Date of the document (default: left blank, "ngày … tháng … năm …", filled in when signed).
    number : str
        The number before the symbol (default blank: the office numbers it when it is issued).
    secret : bool
        Print the secrecy mark ``MẬT`` under the number.

    Returns
    -------
    Path
    """
    doc = _submission_document(sub, org, date=date, number=number, secret=secret)
    doc.core_properties.title = f"Tờ trình về {sub.subject}"
    doc.core_properties.subject = sub.subject
    doc.core_properties.keywords = "MẬT" if secret else ""
    fixed = dt.datetime.combine(date or sub.as_of or dt.date(2026, 1, 1), dt.time())
    doc.core_properties.created = fixed
    doc.core_properties.modified = fixed
    doc.core_properties.last_modified_by = "kimson-ds"
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def _submission_document(sub: Submission, org: Organisation, *, date: dt.date | None = None, number: str = "",
                         secret: bool = False, appendices: bool = True):
    """The python-docx Document of a Tờ trình (``appendices=False``: the first part only)."""
    doc = _base_document()
    sec = doc.sections[0]
    text_width = sec.page_width - sec.left_margin - sec.right_margin

    head = doc.add_table(rows=1, cols=2)
    _no_borders(head)
    left, right = head.rows[0].cells
    left.width, right.width = int(text_width * 0.45), int(text_width * 0.55)
    _cell_para(left, org.superior.upper(), size=14)
    _cell_para(left, org.issuer.upper(), bold=True, size=14)
    _cell_para(left, "*", size=14)
    _cell_para(left, f"Số {number or '     '}-{org.symbol}", size=14)
    if secret:
        mark = _cell_para(left, "MẬT", bold=True, size=14)
        _boxed(mark)
    _cell_para(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, size=15)
    _cell_para(right, "", size=8)
    _cell_para(right, f"{org.place}, {vi.date_long(date)}", italic=True, size=14)

    _para(doc, "", space_after=6)
    _para(doc, "TỜ TRÌNH", bold=True, size=16, align="center", space_after=0)
    _para(doc, f"về {sub.subject}", bold=True, size=14, align="center", space_after=0)
    _para(doc, "-----", align="center", space_after=6)
    _para(doc, f"Kính gửi: {org.addressee}", align="center", space_after=6)
    for kind, text in _body_paragraphs(sub):
        if kind == "heading":
            _para(doc, text, bold=True, align="justify", indent=True, space_after=3)
        else:
            _para(doc, text, align="justify", indent=True, space_after=3)

    sign = doc.add_table(rows=1, cols=2)
    _no_borders(sign)
    rec, sig = sign.rows[0].cells
    rec.width, sig.width = int(text_width * 0.5), int(text_width * 0.5)
    _cell_para(rec, "Nơi nhận:", bold=True, underline=True, size=12, align="left")
    for i, r in enumerate(org.recipients):
        end = "." if i == len(org.recipients) - 1 else ","
        _cell_para(rec, f"- {r}{end}", size=12, align="left")
    if org.signer_authority:
        _cell_para(sig, org.signer_authority.upper(), bold=True, size=14)
    if org.signer_title:
        _cell_para(sig, org.signer_title.upper(), bold=True, size=14)
    for _ in range(3):
        _cell_para(sig, "", size=14)
    _cell_para(sig, org.signer_name or " ", bold=True, size=14)

    for i, (title, frame) in enumerate(sub.appendices if appendices else [], start=1):
        _appendix_table(doc, title, frame, i)
    return doc
