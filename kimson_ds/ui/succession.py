"""Succession-planning panel: term, date, women's share and slate size.

Every change runs what notebook 20 runs: :func:`kimson_ds.planning.succession.check_compliance`
on the current list and :func:`kimson_ds.planning.slate_model.run` for the optimised
list, with the scenario updated exactly as the notebook updates it.
"""

from __future__ import annotations

import datetime as dt
import warnings

import pandas as pd

from kimson_ds.config import load_scenario
from kimson_ds.data.io import Dataset
from kimson_ds.papers.report import REPO_ROOT, table_html
from kimson_ds.planning import slate_model as sm
from kimson_ds.planning import succession as su
from kimson_ds.rules.parameters import parameters
from kimson_ds.ui.common import ErrorPanel, NotebookPanel, Panel, legal_basis_html, load_for_panel, repo_file

__all__ = ["SuccessionPanel", "succession_panel"]


def _pct(v) -> str:
    return "" if pd.isna(v) else f"{100 * float(v):.1f}%".replace(".", ",")


class SuccessionPanel(NotebookPanel):
    """Controls of notebook 20 (``term``, ``as_of``, ``women_share_min``, ``slate_size``) with live results."""

    title = "Quy hoạch cán bộ — kiểm tra danh sách và phương án tối ưu"
    notebook = REPO_ROOT / "notebooks" / "20-quy-hoach.ipynb"

    def __init__(self, ds: Dataset, scenario: str, *, dataset_path=None, term: str | None = None,
                 as_of: str | dt.date | None = None, term_start: str | dt.date | None = None,
                 review_from: str = "2017-12-31", review_to: str = "2019-12-31",
                 women_share_min: float | None = None, slate_size: int | None = None) -> None:
        super().__init__()
        w = self._w
        self.ds = ds
        self.dataset_path = dataset_path if dataset_path is not None else ds.path
        self.scenario_name = str(scenario)
        self.base = load_scenario(repo_file(scenario), sm.PlanScenario)
        if term_start:
            self.base = self.base.model_copy(update={"term_start": pd.Timestamp(term_start).date()})
        self.review = (review_from, review_to)
        terms = sorted(pd.Series(ds["planning"]["term"]).dropna().astype(str).unique())
        years = sorted(int(y) for y in pd.Series(ds["ratings"]["year"]).dropna().unique())
        start_day = pd.Timestamp(as_of).date() if as_of else self.base.as_of
        dates = sorted({start_day, self.base.as_of, *(dt.date(y, 12, 31) for y in years)} - {None})
        start_term = term or self.base.term
        if start_term not in terms:
            terms = sorted([*terms, start_term]) if term else terms
        style = {"description_width": "240px"}
        lay = w.Layout(width="480px")
        women = self.base.parameters.get("planning.women_share_min")
        if women_share_min is not None and women_share_min >= 0:  # as in notebook 20: negative = the regulation
            women = float(women_share_min)
        c = {
            "term": w.Dropdown(options=terms, value=start_term if start_term in terms else terms[-1],
                               description="Nhiệm kỳ quy hoạch", style=style, layout=lay),
            "as_of": w.Dropdown(options=[(d.strftime("%d/%m/%Y"), d.isoformat()) for d in dates],
                                value=start_day.isoformat(), description="Ngày áp dụng quy định",
                                style=style, layout=lay),
            "override_women": w.Checkbox(value=women is not None, indent=False,
                                         description="Đặt tỷ lệ nữ tối thiểu khác quy định"),
            "women_share_min": w.FloatSlider(value=float(women) if women is not None else 0.15, min=0, max=0.6,
                                             step=0.05, readout_format=".0%", continuous_update=False,
                                             description="Tỷ lệ nữ tối thiểu", style=style, layout=lay),
            "slate_size": w.BoundedIntText(value=int(slate_size if slate_size is not None else self.base.slate_size),
                                           min=1, max=10,
                                           description="Số người tối đa mỗi vị trí", style=style,
                                           layout=w.Layout(width="340px")),
        }
        for name, ctl in c.items():
            ctl.add_class(f"kimson-{name.replace('_', '-')}")
        self.controls = c
        self.summary = w.HTML("")
        self.summary.add_class("kimson-summary")
        self.sections = {k: w.HTML("") for k in ("compliance", "violations", "bench", "slate", "legal")}
        tabs = w.Tab(children=list(self.sections.values()))
        for i, t in enumerate(["Chỉ tiêu cơ cấu", "Vi phạm", "Nguồn kế nhiệm", "Phương án tối ưu", "Căn cứ pháp lý"]):
            tabs.set_title(i, t)
        self.tabs = tabs
        buttons = self._buttons("quy-hoach")
        self._assemble([w.VBox(list(c.values()))], [self.summary, tabs], buttons)
        self.observe(*c.values())
        self.refresh()

    def notebook_parameters(self) -> dict:
        c = self.controls
        return {"dataset": str(self.dataset_path), "scenario": self.scenario_name, "term": c["term"].value,
                "as_of": c["as_of"].value, "term_start": self.base.term_start.isoformat(),
                "review_from": self.review[0], "review_to": self.review[1],
                "women_share_min": float(round(c["women_share_min"].value, 4)) if c["override_women"].value else -1.0,
                "slate_size": int(c["slate_size"].value)}

    def compute(self):
        p = self.notebook_parameters()
        overrides = dict(self.base.parameters)
        if p["women_share_min"] >= 0:
            overrides["planning.women_share_min"] = p["women_share_min"]
        sc = self.base.model_copy(update={"term": p["term"], "as_of": pd.Timestamp(p["as_of"]).date(),
                                          "term_start": pd.Timestamp(p["term_start"]).date(),
                                          "parameters": overrides, "slate_size": p["slate_size"]})
        P = parameters(p["as_of"], overrides or None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            comp = su.check_compliance(self.ds, p["term"], p["as_of"], params=P, term_start=sc.term_start,
                                       merit_years=sc.merit_years)
            res = sm.run(self.ds, sc)
        return P, comp, res

    def status_text(self, result) -> str:
        if result is None:
            return ""
        _, comp, res = result
        return (f"{comp.rows['cadre_id'].nunique()} người trong danh sách, {len(comp.violations)} vi phạm; "
                f"phương án tối ưu: {res.status}.")

    def render(self, result) -> None:
        # The same display tables as the CLI and the report (succession.compliance_tables,
        # slate_model.slate_tables): one formatting, three front ends.
        P, comp, res = result
        ct = su.compliance_tables(comp)
        st = sm.slate_tables(res)
        v = comp.violations
        sh = res.shares
        self.sections["compliance"].value = table_html(ct["summary"], "Chỉ tiêu cơ cấu của danh sách quy hoạch hiện hành")
        self.sections["violations"].value = (
            table_html(ct["violation_counts"], f"{len(v)} vi phạm theo quy tắc")
            + table_html(ct["violations"].drop(columns=["Mã quy tắc", "Mã cán bộ", "Mã chức danh quy hoạch"],
                                               errors="ignore"), "Chi tiết vi phạm"))
        self.sections["bench"].value = table_html(ct["bench"].drop(columns=["Mã chức danh quy hoạch"], errors="ignore"),
                                                  "Nguồn kế nhiệm từng chức danh chủ chốt")
        slate = table_html(st["shares"], f"Phương án tối ưu ({res.status})")
        if len(st["unmet"]):
            slate += table_html(st["unmet"], "Chỉ tiêu chưa đạt")
        slate += table_html(st["diff_counts"], "So với danh sách hiện hành")
        self.sections["slate"].value = slate
        self.sections["legal"].value = legal_basis_html([P, *comp.param_sets[1:], *res.param_sets])
        women = sh.iloc[0]["achieved"] if len(sh) else float("nan")
        self.summary.value = (
            f"<ul><li>Danh sách nhiệm kỳ {comp.window.term if hasattr(comp.window, 'term') else ''}: "
            f"<b>{comp.rows['cadre_id'].nunique()}</b> người, {len(comp.rows)} lượt; <b>{len(v)}</b> vi phạm.</li>"
            f"<li>Phương án tối ưu: {res.status}; {len(res.slates)} lượt, tỷ lệ nữ {_pct(women)}; "
            f"{len(res.unmet)} chỉ tiêu chưa đạt.</li></ul>")


def succession_panel(dataset=None, scenario: str = "data/scenarios/quy-hoach-2020-2025.yaml", *,
                     term: str | None = None, as_of: str | dt.date | None = None,
                     term_start: str | dt.date | None = None, review_from: str = "2017-12-31",
                     review_to: str = "2019-12-31", women_share_min: float | None = None,
                     slate_size: int | None = None) -> Panel:
    """Build the succession explorer (never raises: a problem becomes a Vietnamese message panel).

    The keyword arguments are notebook 20's parameters and set the controls' starting values
    (None: the scenario's value; ``women_share_min`` < 0: the regulation, as in the notebook).
    """
    try:
        ds, path = load_for_panel(dataset)
        return SuccessionPanel(ds, scenario, dataset_path=path, term=term, as_of=as_of, term_start=term_start,
                               review_from=review_from, review_to=review_to, women_share_min=women_share_min,
                               slate_size=slate_size)
    except Exception as exc:  # noqa: BLE001 - shown in the page
        return ErrorPanel(exc, "Không mở được bảng điều khiển quy hoạch")
