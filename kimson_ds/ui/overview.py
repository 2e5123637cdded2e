"""Overview panel: the cadre corps on a chosen date.

Every change calls the :mod:`kimson_ds.overview.figures` functions notebook 00 calls,
with the same arguments, and shows their tables and charts. "Lưu kịch bản"
writes the notebook's parameters (``dataset``, ``as_of``) as the YAML file that
``kimson-ds report notebooks/00-tong-quan.ipynb --params FILE --out DIR``
accepts; "Xuất báo cáo" builds that report.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from kimson_ds.data.io import Dataset, load_dataset
from kimson_ds.overview import figures as overview
from kimson_ds.papers.report import REPO_ROOT, find_dataset, table_html
from kimson_ds.rules.parameters import ParameterSet, parameters
from kimson_ds.ui.common import (
    ErrorPanel,
    Panel,
    ReportButton,
    SaveButton,
    date_choices,
    default_dataset,
    figure_html,
    legal_basis_html,
)

__all__ = ["NOTEBOOK", "OverviewPanel", "OverviewResult", "overview_panel"]

#: The report notebook that "Xuất báo cáo" runs.
NOTEBOOK = REPO_ROOT / "notebooks" / "00-tong-quan.ipynb"

_FIELDS = {"education": "Trình độ chuyên môn", "political_theory": "Lý luận chính trị",
           "state_mgmt": "Quản lý nhà nước"}


@dataclass
class OverviewResult:
    """The overview tables of one date (as notebook 00 computes them)."""

    as_of: dt.date
    params: ParameterSet
    cadres: pd.DataFrame
    units: pd.DataFrame
    pyramid: pd.DataFrame
    cohorts: pd.DataFrame
    women: pd.DataFrame
    qualification: pd.DataFrame
    vacant: pd.DataFrame
    retiring: pd.DataFrame
    highlights: list[str]
    term_next: overview.Term


def _md_bold(text: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html.escape(text))


class OverviewPanel(Panel):
    """Date and display choices for the overview, with live tables and charts.

    Parameters
    ----------
    ds : Dataset
    as_of : date
        Starting date (must be among the choices; added when missing).
    dataset_path : path, optional
        Passed to the report notebook (default ``ds.path``).
    """

    title = "Tổng quan đội ngũ cán bộ — xem theo ngày đối chiếu"

    def __init__(self, ds: Dataset, as_of: dt.date, *, dataset_path=None) -> None:
        super().__init__()
        w = self._w
        self.ds = ds
        self.dataset_path = Path(dataset_path) if dataset_path is not None else ds.path
        style = {"description_width": "200px"}
        c = {
            "as_of": w.Dropdown(options=date_choices(ds, as_of), value=as_of,
                                description="Ngày đối chiếu", style=style, layout=w.Layout(width="380px")),
            "field": w.Dropdown(options=[(v, k) for k, v in _FIELDS.items()], value="education",
                                description="Trình độ cần xem", style=style, layout=w.Layout(width="380px")),
        }
        for name, ctl in c.items():
            ctl.add_class(f"kimson-{name.replace('_', '-')}")
        self.controls = c
        self.summary = w.HTML("")
        self.summary.add_class("kimson-summary")
        self.sections = {k: w.HTML("") for k in ("units", "ages", "women", "qualification", "vacant", "retiring", "legal")}
        tabs = w.Tab(children=list(self.sections.values()))
        for i, t in enumerate(["Đơn vị, chức danh", "Độ tuổi", "Cán bộ nữ", "Trình độ", "Vị trí khuyết",
                               "Sắp nghỉ hưu", "Căn cứ pháp lý"]):
            tabs.set_title(i, t)
        self.tabs = tabs
        out = REPO_ROOT / "reports"
        self.saver = SaveButton(self._save, os.path.relpath(out / "kich-ban" / "tong-quan.yaml", REPO_ROOT))
        self.reporter = ReportButton(NOTEBOOK, self._report_parameters,
                                     os.path.relpath(out / "ung-dung" / "tong-quan", REPO_ROOT))
        self._assemble([w.HBox([c["as_of"], c["field"]])], [self.summary, self.tabs],
                       [self.saver.widget, self.reporter.widget])
        self.observe(*c.values())
        self.refresh()

    # ----------------------------------------------------------------- parameters
    def notebook_parameters(self) -> dict:
        """The parameters of notebook 00 that reproduce the panel."""
        return {"dataset": str(self.dataset_path), "as_of": self.controls["as_of"].value.isoformat()}

    def _save(self, path: Path) -> Path:
        path.write_text(yaml.safe_dump(self.notebook_parameters(), allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        return path

    def _report_parameters(self, out_dir: Path) -> dict:
        self._save(Path(out_dir) / "tham-so.yaml")
        return self.notebook_parameters()

    # ----------------------------------------------------------------- refresh
    def compute(self) -> OverviewResult:
        ds = self.ds
        as_of = self.controls["as_of"].value.isoformat()
        P = parameters(as_of)
        cadres = overview.active_cadres(ds.cadres, ds.units, as_of, P)
        cohorts = overview.age_cohorts(cadres, as_of, P)
        women = overview.women_share(cadres, ds.positions)
        vacant = overview.vacancies(ds.units, ds.positions, ds.cadres, as_of, P)
        retiring = overview.retiring_before_next_term_end(ds.cadres, ds.units, ds.positions, as_of, P)
        return OverviewResult(
            as_of=self.controls["as_of"].value, params=P, cadres=cadres,
            units=overview.unit_summary(ds.units, ds.positions, ds.cadres, as_of, P),
            pyramid=overview.age_pyramid(cadres, as_of), cohorts=cohorts, women=women,
            qualification=overview.qualification_distribution(cadres, self.controls["field"].value),
            vacant=vacant, retiring=retiring,
            highlights=overview.highlights(cadres, cohorts, women, vacant, retiring, as_of, P),
            term_next=overview.term_of(as_of, P, offset=1),
        )

    def status_text(self, result) -> str:
        return "" if result is None else f"{len(result.cadres)} cán bộ đang công tác."

    def render(self, r: OverviewResult) -> None:
        ds = self.ds
        day = r.as_of.strftime("%d/%m/%Y")
        self.summary.value = "<ul>" + "".join(f"<li>{_md_bold(x)}</li>" for x in r.highlights) + "</ul>"
        self.sections["units"].value = (
            table_html(r.units, "Theo loại đơn vị")
            + table_html(overview.position_counts(ds.units, ds.positions, r.as_of.isoformat()),
                         "Vị trí chức danh theo loại đơn vị và chức danh"))
        self.sections["ages"].value = (
            figure_html(overview.plot_age_pyramid(r.pyramid, f"Tháp tuổi cán bộ ngày {day}"), "Tháp tuổi")
            + table_html(r.pyramid, "Tháp tuổi") + table_html(r.cohorts, "Cơ cấu ba độ tuổi"))
        self.sections["women"].value = table_html(r.women, "Tỷ lệ cán bộ nữ theo nhóm")
        title = overview.qualification_title(self.controls["field"].value)
        self.sections["qualification"].value = (
            figure_html(overview.plot_bars(r.qualification, "Trình độ", "Số người", title=title,
                                           xlabel="Số người", horizontal=True), title)
            + table_html(r.qualification, title))
        self.sections["vacant"].value = table_html(r.vacant, "Vị trí khuyết")
        self.sections["retiring"].value = table_html(
            r.retiring, f"Cán bộ nghỉ hưu đến hết ngày {r.term_next.end:%d/%m/%Y} (hết nhiệm kỳ {r.term_next.label})")
        self.sections["legal"].value = legal_basis_html(r.params)


def overview_panel(dataset: str | os.PathLike | Dataset | None = None, as_of: str | dt.date = "2019-12-31") -> Panel:
    """Build the overview explorer (never raises: a problem becomes a Vietnamese message panel)."""
    try:
        if isinstance(dataset, Dataset):
            ds, path = dataset, dataset.path
        else:
            path = find_dataset(default_dataset(dataset))
            ds = load_dataset(path)
        day = pd.Timestamp(as_of).date()
        return OverviewPanel(ds, day, dataset_path=path)
    except Exception as exc:  # noqa: BLE001 - shown in the page
        return ErrorPanel(exc, "Không mở được bảng tổng quan")
