"""Rating panel: year, rule-set date, comparison date and quota grouping.

Every change calls :func:`kimson_ds.rating.engine.rate_dataset` exactly as notebook
10 does (and ``kimson-ds rate``), so the panel and the report agree.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from kimson_ds.data.codes import RATING_LEVEL, RATING_ORDER
from kimson_ds.data.io import Dataset
from kimson_ds.errors import ScenarioError
from kimson_ds.history.state import dataset_on
from kimson_ds.papers.pack import rating_proposal
from kimson_ds.papers.report import REPO_ROOT, table_html
from kimson_ds.rating import engine as rating
from kimson_ds.rating.scenario import RatingScenario
from kimson_ds.ui.common import ErrorPanel, NotebookPanel, Panel, legal_basis_html, load_for_panel
from kimson_ds.ui.forms import External, FormPanelMixin, day_of, put_day, put_option

__all__ = ["GROUPS", "RATING_LABELS", "RatingPanel", "rating_panel"]

#: Quota grouping choices of notebook 10 (``group_col``).
GROUPS = {"group": "Nhóm chức danh tương đương", "title": "Chức danh", "post_unit_id": "Đơn vị",
          "cap_unit_id": "Đơn vị liên kết", "all": "Toàn bộ (một nhóm)"}


def _pct(v) -> str:
    return f"{100 * float(v):.1f}%".replace(".", ",")


RATING_LABELS = {
    "name": "Tên kịch bản",
    "year": "Năm đánh giá",
    "as_of": "Ngày áp dụng quy định",
    "compare_as_of": "So sánh với quy định ngày",
    "group": "Nhóm tính tỷ lệ xuất sắc",
    "all_cadres": "Xếp loại cả cán bộ không thuộc diện Ban Thường vụ quản lý",
    "parameters": "Ghi đè tham số quy định (tên tham số: giá trị)",
}


class RatingPanel(FormPanelMixin, NotebookPanel):
    """The rating what-if: year, rule-set date, comparison date, grouping, scope and parameter overrides.

    The controls are the fields of :class:`~kimson_ds.rating.scenario.RatingScenario`, the file
    ``kimson-ds rate DATASET --scenario FILE`` reads; "Lưu kịch bản" writes it, "Mở kịch bản" reads it back.
    """

    title = "Đánh giá, xếp loại cán bộ — thử bộ quy định"
    notebook = REPO_ROOT / "notebooks" / "10-xep-loai.ipynb"
    model = RatingScenario
    labels = RATING_LABELS

    def __init__(self, ds: Dataset, *, year: int = 2018, as_of: str = "2018-12-31",
                 compare_as_of: str = "2019-10-18", group_col: str = "group", dataset_path=None,
                 scenario: RatingScenario | None = None) -> None:
        super().__init__()
        w = self._w
        self.ds = ds
        self._states: dict = {}
        self.dataset_path = dataset_path if dataset_path is not None else ds.path
        if scenario is None:
            scenario = RatingScenario(year=int(year), as_of=pd.Timestamp(as_of).date() if as_of else None,
                                      compare_as_of=pd.Timestamp(compare_as_of).date() if compare_as_of else None,
                                      group=group_col)
        years = sorted(int(y) for y in pd.Series(ds["ratings"]["year"]).dropna().unique())
        keep = [d for d in (scenario.as_of, scenario.compare_as_of) if d]
        dates = sorted({*keep, *rating.rule_change_dates(), *(dt.date(y, 12, 31) for y in years)})
        opts = [(d.strftime("%d/%m/%Y"), d.isoformat()) for d in dates]
        style = {"description_width": "240px"}
        lay = w.Layout(width="480px")
        c = {
            "year": w.Dropdown(options=[(str(y), y) for y in years], value=years[-1], description="Năm đánh giá",
                               style=style, layout=lay),
            "as_of": w.Dropdown(options=[("Ngày 31/12 của năm đánh giá", ""), *opts], value="",
                                description="Ngày áp dụng quy định", style=style, layout=lay),
            "compare_as_of": w.Dropdown(options=[("Không so sánh", ""), *opts], value="",
                                        description="So sánh với quy định ngày", style=style, layout=lay),
            "group_col": w.Dropdown(options=[(v, k) for k, v in GROUPS.items()], value="group",
                                    description="Nhóm tính tỷ lệ xuất sắc", style=style, layout=lay),
        }
        for name, ctl in c.items():
            ctl.add_class(f"kimson-{name.replace('_', '-')}")
        self.controls = c
        day = External(c["as_of"], get=day_of, put=put_day)
        other = External(c["compare_as_of"], get=day_of, put=put_day)
        self._build_form(scenario, stem="xep-loai", example="reports/kich-ban/xep-loai.yaml",
                         externals={"year": External(c["year"], put=put_option), "as_of": day,
                                    "compare_as_of": other, "group": External(c["group_col"])})
        self.summary = w.HTML("")
        self.summary.add_class("kimson-summary")
        self.sections = {k: w.HTML("") for k in ("distribution", "groups", "people", "legal")}
        tabs = w.Tab(children=list(self.sections.values()))
        for i, t in enumerate(["Phân bố mức xếp loại", "Theo nhóm", "Từng cán bộ", "Căn cứ pháp lý"]):
            tabs.set_title(i, t)
        self.tabs = tabs
        self._assemble([w.VBox(list(c.values())), self.form_box], [self.summary, tabs], self._form_buttons("xep-loai"))
        self.observe(*c.values())
        self.refresh()

    def notebook_parameters(self) -> dict:
        sc = self.scenario()
        return {"dataset": str(self.dataset_path), "year": int(sc.year), "as_of": sc.rule_date().isoformat(),
                "compare_as_of": sc.compare_as_of.isoformat() if sc.compare_as_of else "", "group_col": sc.group}

    def _report_parameters(self, out_dir: Path) -> dict:
        sc = self.scenario()
        if sc.all_cadres or sc.parameters:  # notebook 10 has no parameter for them: its report would differ
            raise ScenarioError("Báo cáo xếp loại (notebook 10) chỉ nhận năm, ngày áp dụng, ngày so sánh và cách chia "
                                "nhóm; kịch bản này còn xếp loại mọi cán bộ hoặc ghi đè tham số quy định. Hãy dùng "
                                "«Xuất Tờ trình, Excel và PDF» hoặc lệnh kimson-ds rate --scenario với tệp đã lưu.")
        self._save_scenario(Path(out_dir) / "kich-ban.yaml")
        return self.notebook_parameters()

    def _submission(self):
        return rating_proposal(self._result_or_error()[0]).submission

    def _export_tables(self) -> tuple:
        from kimson_ds.papers.report import legal_basis_table, references_frame

        res, other = self._result_or_error()
        sheets = {"Kết quả từng cán bộ": res.vietnamese(), "Phân bố mức xếp loại": self._distribution(res, other)}
        if other is not None:
            cmp = rating.compare(res, other)
            sheets["So sánh hai bộ quy định"] = cmp.loc[cmp["differs"], ["cadre_id", "full_name", "group_label",
                                                                        "level_a_vi", "level_b_vi"]].set_axis(
                ["Mã cán bộ", "Họ và tên", "Nhóm chức danh", f"Quy định ngày {res.as_of:%d/%m/%Y}",
                 f"Quy định ngày {other.as_of:%d/%m/%Y}"], axis=1)
        sheets["Căn cứ pháp lý"] = legal_basis_table(references_frame(
            [r.params for r in (res, other) if r is not None]))
        sc = self.scenario()
        return (f"Kết quả đánh giá, xếp loại cán bộ năm {sc.year}", sheets,
                lambda path: self._save_scenario(Path(path)))

    @staticmethod
    def _distribution(res, other) -> pd.DataFrame:
        dist = pd.DataFrame({"Mức xếp loại": [RATING_LEVEL[c] for c in RATING_ORDER]})
        for r in (res, other):
            if r is None:
                continue
            name = f"Quy định ngày {r.as_of:%d/%m/%Y}"
            d = r.distribution()
            dist[f"Số người — {name}"] = d["count"].to_numpy()
            dist[f"Tỷ lệ (%) — {name}"] = (d["share"] * 100).round(1).to_numpy()
        return dist

    def state(self, sc: RatingScenario):
        """The dataset as it stood in the rated year (as ``kimson-ds rate`` and notebook 10 take it):
        on the rule date if it falls in or before that year, else on 31-12 of the year."""
        day = min(pd.Timestamp(sc.rule_date()), pd.Timestamp(sc.year, 12, 31))
        if day not in self._states:
            self._states[day] = dataset_on(self.ds, day)
        return self._states[day]

    def compute(self):
        sc = self.scenario()
        ds = self.state(sc)
        kw = dict(year=sc.year, group_by=sc.group, btv_only=not sc.all_cadres, overrides=sc.parameters or None)
        res = rating.rate_dataset(ds, as_of=sc.rule_date(), **kw)
        other = rating.rate_dataset(ds, as_of=sc.compare_as_of, **kw) if sc.compare_as_of else None
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
        for name, r in named:
            s = r.summary.iloc[0]
            lines.append(f"<li><b>{name}</b>: {int(s['xuat_sac'])}/{int(s['rated'])} người hoàn thành xuất sắc "
                         f"nhiệm vụ = <b>{_pct(s['xs_share'])}</b>; hạ theo xếp loại tổ chức: {int(s['capped'])}; "
                         f"đề xuất hạ do tỷ lệ: {int(s['quota_moved'])}; hạ do kỷ luật: {int(s['discipline_applied'])}."
                         "</li>")
        dist = self._distribution(res, other)
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


