"""Rating panel: year, rule-set date, comparison date and quota grouping.

Every change calls :func:`kimson_ds.rating.engine.rate_dataset` exactly as notebook
10 does (and ``kimson-ds rate``), so the panel and the report agree.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kimson_ds.data.codes import RATING_LEVEL, RATING_ORDER
from kimson_ds.data.io import Dataset
from kimson_ds.papers.report import REPO_ROOT, table_html
from kimson_ds.rating import engine as rating
from kimson_ds.ui.common import ErrorPanel, NotebookPanel, Panel, legal_basis_html, load_for_panel

__all__ = ["GROUPS", "RatingPanel", "rating_panel"]

#: Quota grouping choices of notebook 10 (``group_col``).
GROUPS = {"group": "Nhóm chức danh tương đương", "title": "Chức danh", "post_unit_id": "Đơn vị",
          "cap_unit_id": "Đơn vị liên kết", "all": "Toàn bộ (một nhóm)"}


def _pct(v) -> str:
    return f"{100 * float(v):.1f}%".replace(".", ",")


class RatingPanel(NotebookPanel):
    """Controls of notebook 10 (``year``, ``as_of``, ``compare_as_of``, ``group_col``) with live results."""

    title = "Đánh giá, xếp loại cán bộ — thử bộ quy định"
    notebook = REPO_ROOT / "notebooks" / "10-xep-loai.ipynb"

    def __init__(self, ds: Dataset, *, year: int = 2018, as_of: str = "2018-12-31",
                 compare_as_of: str = "2019-10-18", group_col: str = "group", dataset_path=None) -> None:
        super().__init__()
        w = self._w
        self.ds = ds
        self.dataset_path = dataset_path if dataset_path is not None else ds.path
        years = sorted(int(y) for y in pd.Series(ds["ratings"]["year"]).dropna().unique())
        day = pd.Timestamp(as_of).date()
        dates = sorted({day, *rating.rule_change_dates(), *(dt.date(y, 12, 31) for y in years)})
        opts = [(d.strftime("%d/%m/%Y"), d.isoformat()) for d in dates]
        cmp_day = pd.Timestamp(compare_as_of).date().isoformat() if compare_as_of else ""
        if cmp_day and cmp_day not in [v for _, v in opts]:
            opts = sorted([*opts, (pd.Timestamp(cmp_day).strftime("%d/%m/%Y"), cmp_day)], key=lambda o: o[1])
        style = {"description_width": "240px"}
        lay = w.Layout(width="480px")
        c = {
            "year": w.Dropdown(options=[(str(y), y) for y in years], value=int(year), description="Năm đánh giá",
                               style=style, layout=lay),
            "as_of": w.Dropdown(options=opts, value=day.isoformat(), description="Ngày áp dụng quy định",
                                style=style, layout=lay),
            "compare_as_of": w.Dropdown(options=[("Không so sánh", ""), *opts], value=cmp_day,
                                        description="So sánh với quy định ngày", style=style, layout=lay),
            "group_col": w.Dropdown(options=[(v, k) for k, v in GROUPS.items()], value=group_col,
                                    description="Nhóm tính tỷ lệ xuất sắc", style=style, layout=lay),
        }
        for name, ctl in c.items():
            ctl.add_class(f"kimson-{name.replace('_', '-')}")
        self.controls = c
        self.summary = w.HTML("")
        self.summary.add_class("kimson-summary")
        self.sections = {k: w.HTML("") for k in ("distribution", "groups", "people", "legal")}
        tabs = w.Tab(children=list(self.sections.values()))
        for i, t in enumerate(["Phân bố mức xếp loại", "Theo nhóm", "Từng cán bộ", "Căn cứ pháp lý"]):
            tabs.set_title(i, t)
        self.tabs = tabs
        buttons = self._buttons("xep-loai")
        self._assemble([w.VBox(list(c.values()))], [self.summary, tabs], buttons)
        self.observe(*c.values())
        self.refresh()

    def notebook_parameters(self) -> dict:
        c = self.controls
        return {"dataset": str(self.dataset_path), "year": int(c["year"].value), "as_of": c["as_of"].value,
                "compare_as_of": c["compare_as_of"].value, "group_col": c["group_col"].value}

    def compute(self):
        p = self.notebook_parameters()
        res = rating.rate_dataset(self.ds, year=p["year"], as_of=p["as_of"], group_by=p["group_col"])
        other = (rating.rate_dataset(self.ds, year=p["year"], as_of=p["compare_as_of"], group_by=p["group_col"])
                 if p["compare_as_of"] else None)
        return res, other

    def status_text(self, result) -> str:
        if result is None:
            return ""
        s = result[0].summary.iloc[0]
        return f"{int(s['xuat_sac'])}/{int(s['rated'])} người xuất sắc ({_pct(s['xs_share'])})."

    def render(self, result) -> None:
        res, other = result
        named = [(f"Quy định ngày {res.as_of:%d/%m/%Y}", res)]
        if other is not None:
            named.append((f"Quy định ngày {other.as_of:%d/%m/%Y}", other))
        lines = []
        dist = pd.DataFrame({"Mức xếp loại": [RATING_LEVEL[c] for c in RATING_ORDER]})
        for name, r in named:
            s = r.summary.iloc[0]
            lines.append(f"<li><b>{name}</b>: {int(s['xuat_sac'])}/{int(s['rated'])} người hoàn thành xuất sắc "
                         f"nhiệm vụ = <b>{_pct(s['xs_share'])}</b>; hạ theo xếp loại tổ chức: {int(s['capped'])}; "
                         f"đề xuất hạ do tỷ lệ: {int(s['quota_moved'])}; hạ do kỷ luật: {int(s['discipline_applied'])}."
                         "</li>")
            d = r.distribution()
            dist[f"Số người — {name}"] = d["count"].to_numpy()
            dist[f"Tỷ lệ (%) — {name}"] = (d["share"] * 100).round(1).to_numpy()
        self.summary.value = f"<ul>{''.join(lines)}</ul>"
        self.sections["distribution"].value = table_html(dist, f"Phân bố mức xếp loại năm {res.year}")
        html_groups = ""
        for name, r in named:
            g = r.by_group
            html_groups += table_html(pd.DataFrame({
                "Nhóm": g["group_label"].fillna(g["quota_group"]), "Số người": g["n"],
                **{RATING_LEVEL[c]: g[c] for c in RATING_ORDER},
                "Số xuất sắc tối đa": g["quota_allowed"], "Đề xuất hạ do tỷ lệ": g["quota_moved"],
                "Tỷ lệ xuất sắc (%)": (g["xs_share"] * 100).round(1)}), f"Xếp loại theo nhóm — {name}")
        self.sections["groups"].value = html_groups
        self.sections["people"].value = table_html(res.vietnamese(), f"Kết quả từng cán bộ — {named[0][0]}")
        self.sections["legal"].value = legal_basis_html([r.params for _, r in named])


def rating_panel(dataset=None, year: int = 2018, as_of: str = "2018-12-31", compare_as_of: str = "2019-10-18",
                 group_col: str = "group") -> Panel:
    """Build the rating explorer (never raises: a problem becomes a Vietnamese message panel)."""
    try:
        ds, path = load_for_panel(dataset)
        return RatingPanel(ds, year=year, as_of=as_of, compare_as_of=compare_as_of, group_col=group_col,
                           dataset_path=path)
    except Exception as exc:  # noqa: BLE001 - shown in the page
        return ErrorPanel(exc, "Không mở được bảng điều khiển xếp loại")


