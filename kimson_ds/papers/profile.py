"""The profile card of a cadre (phiếu hồ sơ cán bộ, in the spirit of mẫu 2C): one page per person.

:func:`profile_card` gathers, on a reference date, what the committee looks at
before deciding on a person: identity, current posts, work history (when the
dataset has a ``work_history`` table), ratings by year, planning, training
and the standards gaps of the planned posts, discipline, relatives holding
posts, and the retirement date. :func:`card_html` renders one card (the app
shows it), :func:`write_profile_cards` writes the cards of a list of people as
one Word file (a page per person) and one printable HTML file.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kimson_ds.errors import DataError
from kimson_ds.papers import vi

__all__ = ["ProfileCard", "card_html", "cards_html", "planning_gaps", "profile_card", "write_cards_docx",
           "write_profile_cards"]

#: Names a work-history table may have in a dataset (added by the history module when present).
HISTORY_TABLES = ("work_history", "history", "career")


@dataclass
class ProfileCard:
    """One person's card: identity lines and titled tables (Vietnamese labels, no codes)."""

    cadre_id: str
    full_name: str
    as_of: dt.date
    identity: list[tuple[str, str]]
    sections: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def _label(codes: dict, value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return codes.get(str(value), str(value))


def _table(ds, name: str) -> pd.DataFrame:
    try:
        return ds[name]
    except (KeyError, TypeError):
        return pd.DataFrame()


def _history(ds, cid: str, units: dict[str, str]) -> pd.DataFrame | None:
    from kimson_ds.data.codes import TITLE

    for name in HISTORY_TABLES:
        t = _table(ds, name)
        if len(t.columns) and "cadre_id" in t:
            h = t.loc[t["cadre_id"] == cid].copy()
            start = next((c for c in ("start_date", "from_date", "since", "valid_from") if c in h), None)
            end = next((c for c in ("end_date", "to_date", "until", "valid_to") if c in h), None)
            if start:
                h = h.sort_values(start, kind="stable")
            out = pd.DataFrame({
                "Từ ngày": h[start].map(vi.date) if start else "",
                "Đến ngày": h[end].map(vi.date) if end else "",
                "Chức danh": h["title"].map(lambda v: _label(TITLE, v)) if "title" in h else "",
                "Đơn vị": h["unit_id"].map(lambda v: units.get(v, v)) if "unit_id" in h else "",
            })
            if "note" in h:
                out["Ghi chú"] = h["note"].fillna("")
            return out.reset_index(drop=True)
    return None


def _active_planning(ds, ids, day: dt.date) -> pd.DataFrame:
    pl = _table(ds, "planning")
    if not len(pl):
        return pl
    p = pl.loc[pl["cadre_id"].isin(list(ids))]
    added = pd.to_datetime(p["added_on"], errors="coerce")
    removed = pd.to_datetime(p["removed_on"], errors="coerce")
    ts = pd.Timestamp(day)
    return p.loc[(added <= ts) & (removed.isna() | (removed > ts))]


def planning_gaps(ds, cadre_ids, as_of) -> pd.DataFrame:
    """Standards gaps of the planned posts (active on ``as_of``) of several people at once."""
    from kimson_ds.rules.standards import standards_gaps

    day = pd.Timestamp(as_of).date()
    active = _active_planning(ds, cadre_ids, day)
    if not len(active):
        return pd.DataFrame(columns=["cadre_id"])
    cadres = ds["cadres"]
    units_t = _table(ds, "units")
    try:
        return standards_gaps(cadres.loc[cadres["cadre_id"].isin(list(cadre_ids))],
                              active[["cadre_id", "target_title", "target_unit_id"]], day,
                              units=units_t if len(units_t) else None)
    except (DataError, KeyError, ValueError):
        return pd.DataFrame(columns=["cadre_id"])


def profile_card(ds, cadre_id: str, as_of=None, *, gaps: pd.DataFrame | None = None) -> ProfileCard:
    """The card of ``cadre_id`` on ``as_of`` (default today).

    ``gaps`` (from :func:`planning_gaps`, for many cards at once) saves
    recomputing the standards of the planned posts.

    Raises
    ------
    DataError
        ``cadre_id`` is not in the ``cadres`` table (the message names it).
    """
    from kimson_ds.data.codes import (
        DISCIPLINE_FORM,
        EDUCATION,
        GENDER,
        POLITICAL_THEORY,
        RATING_LEVEL,
        RELATION,
        REMOVAL_REASON,
        STATE_MGMT,
        TITLE,
        TRAINING_STATUS,
    )
    from kimson_ds.rules.parameters import parameters
    from kimson_ds.rules.retirement import retirement_date

    day = pd.Timestamp(as_of).date() if as_of is not None else dt.date.today()
    cadres = ds["cadres"]
    rows = cadres.loc[cadres["cadre_id"] == cadre_id]
    if rows.empty:
        raise DataError(f"Không có cán bộ mã '{cadre_id}' trong bảng cadres (cột cadre_id) của bộ dữ liệu.")
    c = rows.iloc[0]
    units_t = _table(ds, "units")
    units = dict(zip(units_t["unit_id"], units_t["name"], strict=False)) if len(units_t) else {}
    P = parameters(day)
    birth = pd.Timestamp(c["birth_date"]) if pd.notna(c.get("birth_date")) else None
    retire = retirement_date(c["birth_date"], c["gender"], P) if birth is not None else None
    age = None
    if birth is not None:
        age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    pos = _table(ds, "positions")
    held = pos.loc[pos["holder_id"] == cadre_id] if len(pos) else pos
    posts = "; ".join(f"{_label(TITLE, r.title)} — {units.get(r.unit_id, r.unit_id)}"
                      for r in held.itertuples(index=False)) or "Không giữ chức vụ trong bảng chức danh"
    identity = [
        ("Họ và tên", str(c["full_name"])),
        ("Giới tính", _label(GENDER, c.get("gender"))),
        ("Ngày sinh", vi.date(c.get("birth_date")) + (f" ({age} tuổi)" if age is not None else "")),
        ("Dân tộc", _label({}, c.get("ethnicity"))),
        ("Quê quán", _label(units, c.get("home_unit_id"))),
        ("Đơn vị công tác", _label(units, c.get("unit_id"))),
        ("Chức vụ hiện nay", posts),
        ("Ngày vào Đảng", vi.date(c.get("party_join_date"))),
        ("Ngày bắt đầu công tác", vi.date(c.get("work_start_date"))),
        ("Trình độ chuyên môn", _label(EDUCATION, c.get("education"))),
        ("Lý luận chính trị", _label(POLITICAL_THEORY, c.get("political_theory"))),
        ("Quản lý nhà nước", _label(STATE_MGMT, c.get("state_mgmt"))),
        ("Ngày đủ tuổi nghỉ hưu", vi.date(retire) if retire is not None and pd.notna(retire) else "không xác định"),
    ]
    card = ProfileCard(cadre_id, str(c["full_name"]), day, identity)

    hist = _history(ds, cadre_id, units)
    if hist is not None:
        card.sections.append(("Quá trình công tác", hist))
    rot = _table(ds, "rotations")
    if len(rot):
        r = rot.loc[rot["cadre_id"] == cadre_id].sort_values("start_date", kind="stable")
        if len(r):
            card.sections.append(("Luân chuyển", pd.DataFrame({
                "Từ ngày": r["start_date"].map(vi.date), "Đến ngày": r["end_date"].map(vi.date),
                "Từ đơn vị": r["from_unit_id"].map(lambda v: units.get(v, v)),
                "Đến đơn vị": r["to_unit_id"].map(lambda v: units.get(v, v)),
                "Chức danh": r["title"].map(lambda v: _label(TITLE, v))}).reset_index(drop=True)))

    rat = _table(ds, "ratings")
    r = rat.loc[(rat["cadre_id"] == cadre_id) & (rat["year"] <= day.year)].sort_values("year") if len(rat) else rat
    card.sections.append(("Đánh giá, xếp loại theo năm", pd.DataFrame({
        "Năm": r["year"].astype(int) if len(r) else [], "Điểm": r["score"].map(vi.number) if len(r) else [],
        "Mức xếp loại": r["level"].map(lambda v: _label(RATING_LEVEL, v)) if len(r) else []})))

    pl = _table(ds, "planning")
    p = pl.loc[pl["cadre_id"] == cadre_id].sort_values(["term", "added_on"], kind="stable") if len(pl) else pl
    card.sections.append(("Quy hoạch", pd.DataFrame({
        "Nhiệm kỳ": p["term"] if len(p) else [],
        "Chức danh quy hoạch": p["target_title"].map(lambda v: _label(TITLE, v)) if len(p) else [],
        "Đơn vị": p["target_unit_id"].map(lambda v: units.get(v, v)) if len(p) else [],
        "Ngày đưa vào": p["added_on"].map(vi.date) if len(p) else [],
        "Ngày đưa ra": p["removed_on"].map(vi.date) if len(p) else [],
        "Lý do đưa ra": p["removal_reason"].map(lambda v: _label(REMOVAL_REASON, v)) if len(p) else []})))

    tr = _table(ds, "trainings")
    courses = _table(ds, "courses")
    cname = dict(zip(courses["course_id"], courses["name"], strict=False)) if len(courses) else {}
    t = tr.loc[tr["cadre_id"] == cadre_id].sort_values("year") if len(tr) else tr
    if len(t):
        card.sections.append(("Đào tạo, bồi dưỡng", pd.DataFrame({
            "Năm": t["year"].astype(int), "Khóa học": t["course_id"].map(lambda v: cname.get(v, v)),
            "Tình trạng": t["status"].map(lambda v: _label(TRAINING_STATUS, v))}).reset_index(drop=True)))

    if gaps is None:
        gaps = planning_gaps(ds, [cadre_id], day)
    gaps = gaps.loc[gaps["cadre_id"] == cadre_id] if len(gaps) else gaps
    if len(gaps):
        unmet = gaps.loc[~gaps["met"].astype(bool)]
        card.sections.append(("Tiêu chuẩn chức danh quy hoạch chưa đạt", pd.DataFrame({
            "Chức danh quy hoạch": unmet["target_title"].map(lambda v: _label(TITLE, v)),
            "Tiêu chuẩn": unmet["standard_vi"], "Lý do": vi.text(unmet["reason"]),
            "Khắc phục bằng đào tạo": unmet["closable"].map({True: "Có", False: "Không"})}).reset_index(
                drop=True)))
        if len(unmet):
            card.flags.append(f"Chưa đạt {len(unmet)} tiêu chuẩn của chức danh quy hoạch.")

    dis = _table(ds, "discipline")
    d = dis.loc[dis["cadre_id"] == cadre_id].sort_values("decided_on") if len(dis) else dis
    if len(d):
        card.sections.append(("Kỷ luật", pd.DataFrame({
            "Hình thức": d["form"].map(lambda v: _label(DISCIPLINE_FORM, v)),
            "Ngày quyết định": d["decided_on"].map(vi.date), "Hết hiệu lực": d["expires_on"].map(vi.date)})))
        exp = pd.to_datetime(d["expires_on"], errors="coerce")
        if ((exp.isna()) | (exp > pd.Timestamp(day))).any():
            card.flags.append("Đang trong thời hạn kỷ luật.")

    rel = _table(ds, "relatives")
    if len(rel):
        mine = rel.loc[(rel["cadre_id"] == cadre_id) | (rel["relative_id"] == cadre_id)]
        other = mine["relative_id"].where(mine["cadre_id"] == cadre_id, mine["cadre_id"])
        names = dict(zip(cadres["cadre_id"], cadres["full_name"], strict=False))
        holders = held_posts = {}
        if len(pos):
            hp = pos.dropna(subset=["holder_id"])
            holders = hp.groupby("holder_id")["title"].first().to_dict()
            held_posts = hp.groupby("holder_id")["unit_id"].first().to_dict()
        if len(mine):
            frame = pd.DataFrame({
                "Họ và tên người thân": other.map(lambda v: names.get(v, "")),
                "Quan hệ": mine["relation"].map(lambda v: _label(RELATION, v)),
                "Chức vụ người thân": other.map(
                    lambda v: f"{_label(TITLE, holders[v])} — {units.get(held_posts[v], held_posts[v])}"
                    if v in holders else "")}).reset_index(drop=True)
            card.sections.append(("Người thân đang công tác trong hệ thống", frame))
            n_hold = int(other.isin(list(holders)).sum())
            if n_hold:
                card.flags.append(f"Có {n_hold} người thân đang giữ chức vụ: cần xem xét quy định về "
                                  "người có quan hệ gia đình.")
    if retire is not None and pd.notna(retire):
        left = (pd.Timestamp(retire) - pd.Timestamp(day)).days / 365.25
        if left < 5:
            card.flags.append(f"Còn dưới 5 năm công tác (đủ tuổi nghỉ hưu ngày {vi.date(retire)}).")
    return card


def card_html(card: ProfileCard) -> str:
    """One card as an HTML fragment (a ``<section class="kimson-card">``, a printed page)."""
    from kimson_ds.papers.report import table_html

    ident = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in card.identity)
    parts = [
        '<section class="kimson-card">',
        f"<h2>PHIẾU HỒ SƠ CÁN BỘ: {html.escape(card.full_name.upper())}</h2>",
        f'<p class="kimson-note">Số liệu tại ngày {vi.date(card.as_of)}; mã hồ sơ {html.escape(card.cadre_id)}.</p>',
        f'<table class="kimson-meta"><tbody>{ident}</tbody></table>',
    ]
    if card.flags:
        parts.append("<h3>Điểm cần lưu ý</h3><ul>" + "".join(f"<li>{html.escape(f)}</li>" for f in card.flags)
                     + "</ul>")
    for title, frame in card.sections:
        parts.append(f"<h3>{html.escape(title)}</h3>")
        parts.append(table_html(frame) if len(frame) else "<p>(không có)</p>")
    parts.append("</section>")
    return "\n".join(parts)


_CARD_CSS = """
.kimson-card { page-break-after: always; break-after: page; font-size: 10.5pt; }
.kimson-card:last-child { page-break-after: auto; break-after: auto; }
.kimson-card h2 { font-size: 13pt; margin: 0 0 4px 0; }
.kimson-card h3 { font-size: 11pt; margin: 8px 0 2px 0; }
.kimson-card table { font-size: 9.5pt; }
"""


def cards_html(cards: list[ProfileCard], title: str = "Phiếu hồ sơ cán bộ") -> str:
    """A printable, offline HTML page of several cards (one printed page each)."""
    from kimson_ds.papers.report import _css

    body = "\n".join(card_html(c) for c in cards) or "<p>(không có cán bộ nào)</p>"
    return ("<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n<style>\n{_css()}\n{_CARD_CSS}</style>\n</head>\n<body>\n"
            f'<div class="kimson-report">\n<header class="kimson-header"><h1>{html.escape(title)}</h1>\n'
            f'<p class="kimson-note">{len(cards)} người; mỗi người một trang khi in.</p></header>\n'
            f"<main>\n{body}\n</main>\n</div>\n</body>\n</html>\n")


def write_cards_docx(cards: list[ProfileCard], path: str | Path) -> Path:
    """The cards as one Word file, a page per person (12 pt, A4 portrait)."""
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt
    from docx.table import _Cell

    from kimson_ds.papers.word import _base_document, _cell_para, _para, _style_id, fill_table

    doc = _base_document()
    doc.styles["Normal"].font.size = Pt(11)
    last = None  # the closing paragraph of the previous card (doc.paragraphs is rebuilt on every access)
    for card in cards:
        if last is not None:
            last.add_run().add_break(WD_BREAK.PAGE)
        _para(doc, f"PHIẾU HỒ SƠ CÁN BỘ: {card.full_name.upper()}", bold=True, size=13, align="center",
              space_after=0)
        _para(doc, f"(Số liệu tại ngày {vi.date(card.as_of)})", italic=True, size=10, align="center", space_after=4)
        t = doc.add_table(rows=len(card.identity), cols=2)
        t._tbl.tblStyle_val = _style_id(doc, "Table Grid")
        for tr, (k, v) in zip(t._tbl.tr_lst, card.identity, strict=True):
            label, value = tr.tc_lst
            _cell_para(_Cell(label, t), k, bold=True, size=10, align="left")
            _cell_para(_Cell(value, t), v, size=10, align="left")
        if card.flags:
            _para(doc, "Điểm cần lưu ý", bold=True, size=11, space_after=0)
            for f in card.flags:
                _para(doc, f"- {f}", size=10, space_after=0)
        for title, frame in card.sections:
            _para(doc, title, bold=True, size=11, space_after=0)
            if frame.empty:
                _para(doc, "(không có)", italic=True, size=10, space_after=0)
                continue
            fill_table(doc, frame, size=9)
        last = _para(doc, "", size=4, space_after=0)
    doc.core_properties.title = "Phiếu hồ sơ cán bộ"
    fixed = dt.datetime.combine(cards[0].as_of if cards else dt.date(2026, 1, 1), dt.time())
    doc.core_properties.created = doc.core_properties.modified = fixed
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


def write_profile_cards(ds, cadre_ids: list[str], folder: str | Path, *, as_of=None,
                        name: str = "phieu-ho-so") -> list[Path]:
    """Write ``<name>.docx`` (a page per person) and ``<name>.html`` (printable) into ``folder``."""
    ids = list(dict.fromkeys(cadre_ids))
    day = pd.Timestamp(as_of).date() if as_of is not None else dt.date.today()
    gaps = planning_gaps(ds, ids, day)
    cards = [profile_card(ds, cid, day, gaps=gaps) for cid in ids]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    html_path = folder / f"{name}.html"
    html_path.write_text(cards_html(cards), encoding="utf-8")
    return [write_cards_docx(cards, folder / f"{name}.docx"), html_path]
