"""No code, Python literal or English word reaches a reader: one scan over every user-facing output.

Scanned: the sample pack (HTML main parts and appendices, index, profile cards,
PDF text, Word Tờ trình and cards, Excel headers and values) and the terminal
output of every command run on the sample. A hit fails the test unless the
allowlist below explains it. Values in an identifier column (a header starting
with "Mã", e.g. "Mã cán bộ", "Mã tham số") are ids shown as ids and are fine.
"""

from __future__ import annotations

import contextlib
import html.parser
import io
import re
from pathlib import Path

import pytest
from test_pack import HOP_BTV, REPO, SAMPLE, sample_pack

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not SAMPLE.is_dir(), reason="data/kimson is not generated")]

#: What a reader must never see.
PATTERNS = {
    "mã dạng snake_case": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    "mã viết hoa dùng làm nhãn": re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?:-[A-Z0-9_]+)*\b"),
    "mã cán bộ dùng làm nhãn": re.compile(r"\bCB\d{4}\b"),
    "giá trị Python": re.compile(r"\b(?:True|False|None|nan|NaN|NaT)\b|\[\{|\{'"),
    "từ tiếng Anh": re.compile(r"\b(?:the|and|of|units|positions|assignments|score|total|error|warning|status|"
                               r"optimal|infeasible|solver|objective|dataset|group_col|as_of|Traceback|"
                               r"Notebook|notebook)\b"),
}

#: Explicit allowlist: (regular expression matched around the hit, why it is allowed).
ALLOWED = [
    (r"(?:[\w.\-]+/)+[\w.\-]+|[\w\-]+\.(?:csv|json|xlsx|docx|html|pdf|ipynb|yaml|jsonl)\b",
     "file paths and machine file names printed so the user can open them (CSVs are for machines)"),
    (r"kimson-ds [a-z\-]+(?: [^\s,;)]+)*", "a command the user can type"),
    (r"sha256[^\n]*", "the data fingerprint line"),
    (r"KIMSON_[A-Z_]+", "environment variables named in help texts"),
    (r"mã hồ sơ CB\d{4}", "the card's own id, labelled as an id"),
    (r"\b[a-z_]+(?:\.[a-z_]+)+\b", "a regulation parameter id (rules/params), cited beside its Vietnamese text in "
                                   "the appendix, as in the 'Mã tham số' column"),
]
#: Allowed in the appendix files only: the model section names the notebook parameters it explains.
ALLOWED_APPENDIX = [(r"\b(?:compare_)?as_of\b|\b[a-z_]+_(?:id|scale|thu)\b", "notebook parameter names in the "
                     "appendix model section, each next to its Vietnamese meaning")]


class _Cells(html.parser.HTMLParser):
    """Visible text of an HTML page, table cells of "Mã …" columns left out."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._heads: list[str] = []
        self._col = -1
        self._in_head = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1
        elif tag == "thead":
            self._in_head, self._heads = True, []
        elif tag == "tr":
            self._col = -1
        elif tag in ("td", "th"):
            self._col += 1
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None:
            text = " ".join(self._cell)
            if self._in_head:
                self._heads.append(text)
            head = self._heads[self._col] if 0 <= self._col < len(self._heads) else ""
            if not (tag == "td" and head.strip().startswith("Mã")):
                self.parts.append(text)
            self._cell = None

    def handle_data(self, data):
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        else:
            self.parts.append(data)


def _html_text(path: Path) -> str:
    p = _Cells()
    p.feed(path.read_text(encoding="utf-8"))
    return "\n".join(p.parts)


def _docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        heads = [c.text for c in t.rows[0].cells] if t.rows else []
        for r_i, row in enumerate(t.rows):
            for c_i, cell in enumerate(row.cells):
                if r_i and c_i < len(heads) and heads[c_i].startswith("Mã"):
                    continue
                parts.append(cell.text)
    return "\n".join(parts)


def _xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    parts = []
    for ws in wb.worksheets:
        parts.append(ws.title)
        heads: list[str] = []
        for row in ws.iter_rows(values_only=True):
            values = ["" if v is None else str(v) for v in row]
            if "STT" in values or (not heads and any(values)):
                heads = values
            parts += [v for i, v in enumerate(values) if not (i < len(heads) and heads[i].startswith("Mã")
                                                               and v != heads[i])]
    return "\n".join(parts)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


def hits(text: str, where: str, *, patterns: dict | None = None) -> list[str]:
    """Every forbidden token of ``text`` that no allowlist entry covers."""
    allow = ALLOWED + (ALLOWED_APPENDIX if ".phu-luc." in where else [])
    allowed_spans = [m.span() for rx, _why in allow for m in re.finditer(rx, text)]
    found = []
    for label, rx in (patterns or PATTERNS).items():
        for m in rx.finditer(text):
            if any(a <= m.start() and m.end() <= b for a, b in allowed_spans):
                continue
            line = text[max(0, m.start() - 40): m.end() + 40].replace("\n", " ")
            found.append(f"{where}: {label} «{m.group(0)}» … {line} …")
    return found


def test_the_scanner_catches_each_kind_of_fault():
    text = "Nhóm truong_phong_ban; HU_VAN_PHONG-TRUONG_BAN-1; CB0021; True; [{'group': 1}]; units: 62"
    kinds = {h.split(": ")[1].split(" «")[0] for h in hits(text, "mẫu")}
    assert kinds == set(PATTERNS)
    assert hits("Kết quả ghi tại reports/x/assignments.csv; chạy kimson-ds rate data/kimson", "mẫu") == []


@pytest.fixture(scope="module")
def pack_out(tmp_path_factory) -> Path:
    facts = sample_pack(tmp_path_factory)
    assert facts["code"] == 0, facts["stdout"] + facts["stderr"]
    return Path(facts["out"])


def test_every_user_facing_file_of_the_sample_pack_reads_vietnamese(pack_out):
    found: list[str] = []
    for path in sorted(pack_out.rglob("*")):
        rel = path.relative_to(pack_out).as_posix()
        if path.suffix == ".html":
            found += hits(_html_text(path), rel)
        elif path.suffix == ".docx":
            found += hits(_docx_text(path), rel)
        elif path.suffix == ".xlsx":
            found += hits(_xlsx_text(path), rel)
        elif path.suffix == ".pdf":  # a print of a scanned HTML page: its ids sit in "Mã" columns there
            found += hits(_pdf_text(path), rel, patterns={k: PATTERNS[k] for k in ("giá trị Python",
                                                                                  "từ tiếng Anh")})
    assert not found, f"{len(found)} chỗ:\n" + "\n".join(found[:60])


def _run(argv: list[str]) -> tuple[int, str]:
    from kimson_ds.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue() + err.getvalue()


def test_every_command_prints_vietnamese_on_the_sample(tmp_path, pack_out, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    s = str(SAMPLE)
    sc = REPO / "data" / "scenarios"
    commands = [
        ["validate", s],
        ["rate", s, "--year", "2018", "--out", str(tmp_path / "rate.xlsx")],
        ["rotate", s, "--scenario", str(sc / "luan-chuyen-2016.yaml"), "--out", str(tmp_path / "rotate")],
        ["plan", s, "--scenario", str(sc / "quy-hoach-2020-2025.yaml"), "--out", str(tmp_path / "plan")],
        ["train", s, "--scenario", str(sc / "dao-tao-2020-2025.yaml"), "--out", str(tmp_path / "train")],
        ["vet", s, "--proposals", str(sc / "de-xuat-mau.csv"), "--out", str(tmp_path / "vet")],
        ["ho-so", s, "--id", "CB0022", "--as-of", "2019-12-31", "--out", str(tmp_path / "ho-so")],
        ["to-trinh", s, "--scenarios", str(HOP_BTV), "--out", str(tmp_path / "to-trinh")],
    ]
    found: list[str] = []
    for argv in commands:
        code, text = _run(argv)
        assert code in (0, 1, 3), (argv, text)  # vet exits 1 when a proposal fails
        found += hits(text, " ".join(argv[:1]))
    assert not found, f"{len(found)} chỗ:\n" + "\n".join(found[:60])
