"""Succession-planning panel: term, date, women's share and slate size.

Every change runs what notebook 20 runs: :func:`kimson_ds.planning.succession.check_compliance`
on the current list and :func:`kimson_ds.planning.slate_model.run` for the optimised
list, with the scenario updated exactly as the notebook updates it.
"""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import pandas as pd

from kimson_ds.config import load_scenario
from kimson_ds.data.io import Dataset
from kimson_ds.history.state import dataset_on
from kimson_ds.papers.pack import succession_proposal
from kimson_ds.papers.report import REPO_ROOT, table_html
from kimson_ds.planning import slate_model as sm
from kimson_ds.planning import succession as su
from kimson_ds.rules.parameters import parameters
from kimson_ds.ui.common import ErrorPanel, NotebookPanel, Panel, legal_basis_html, load_for_panel, repo_file
from kimson_ds.ui.forms import External, FormPanelMixin, day_of, put_day, put_option

__all__ = ["PLANNING_LABELS", "SuccessionPanel", "succession_panel"]


def _pct(v) -> str:
    return "" if pd.isna(v) else f"{100 * float(v):.1f}%".replace(".", ",")


PLANNING_LABELS = {
    "term": "Nhiệm kỳ quy hoạch",
    "as_of": "Ngày áp dụng quy định",
    "term_start": "Ngày bắt đầu nhiệm kỳ (đại hội)",
    "parameters": "Ghi đè tham số quy định (tên tham số: giá trị)",
    "merit_years": "Số năm xếp loại gần nhất tính thành tích",
    "slate_size": "Số người tối đa mỗi vị trí",
    "weights": "Trọng số",
    "weights.readiness": "Trọng số mức sẵn sàng",
    "weights.merit": "Trọng số thành tích",
    "weights.keep_current": "Ưu tiên giữ người đang trong danh sách",
    "weights.women_slack": "Mức ưu tiên chỉ tiêu tỷ lệ nữ khi không đạt hết",
    "weights.young_slack": "Mức ưu tiên chỉ tiêu cán bộ trẻ khi không đạt hết",
    "weights.slate_min_slack": "Mức ưu tiên đủ số người tối thiểu mỗi chức danh",
    "weights.cohorts_slack": "Mức ưu tiên đủ ba độ tuổi",
    "pins": "Chỉ định đưa vào quy hoạch (người → chức danh)",
    "excludes": "Loại trừ (người, khỏi mọi chức danh hoặc một chức danh)",
    "extra_candidates": "Ứng viên bổ sung ngoài nguồn tự động (người → chức danh)",
    "review": "Rà soát hằng năm",
    "review.date_from": "Ngày đầu kỳ rà soát",
    "review.date_to": "Ngày cuối kỳ rà soát",
    "time_limit_s": "Giới hạn thời gian giải (giây)",
}
_WOMEN = "planning.women_share_min"


class SuccessionPanel(FormPanelMixin, NotebookPanel):
    """Every field of the planning scenario (term, date, women's share, slate size, weights, pins,
    exclusions, extra candidates, review) with the compliance check and the optimal slates, live.

    The form holds :class:`~kimson_ds.planning.slate_model.PlanScenario`, the file of
    ``kimson-ds plan DATASET --scenario FILE``; every refresh runs what that command runs, on the
    organisation of the scenario's date.
    """

    title = "Quy hoạch cán bộ — kiểm tra danh sách và phương án tối ưu"
    notebook = REPO_ROOT / "notebooks" / "20-quy-hoach.ipynb"
    model = sm.PlanScenario
    labels = PLANNING_LABELS

    def __init__(self, ds: Dataset, scenario: str, *, dataset_path=None, term: str | None = None,
                 as_of: str | dt.date | None = None, term_start: str | dt.date | None = None,
                 review_from: str | None = None, review_to: str | None = None,
                 women_share_min: float | None = None, slate_size: int | None = None) -> None:
        super().__init__()
        w = self._w
        self.ds = ds
        self._states: dict = {}
        self.dataset_path = dataset_path if dataset_path is not None else ds.path
        self.scenario_name = str(scenario)
        base = load_scenario(repo_file(scenario), sm.PlanScenario)
        update: dict = {}
        if term:
            update["term"] = term
        if as_of:
            update["as_of"] = pd.Timestamp(as_of).date()
        if term_start:
            update["term_start"] = pd.Timestamp(term_start).date()
        if review_from and review_to:
            update["review"] = sm.Review(date_from=pd.Timestamp(review_from).date(),
                                         date_to=pd.Timestamp(review_to).date())
        if slate_size is not None:
            update["slate_size"] = int(slate_size)
        if women_share_min is not None and women_share_min >= 0:  # as in notebook 20: negative = the regulation
            update["parameters"] = {**base.parameters, _WOMEN: float(women_share_min)}
        base = base.model_copy(update=update)
        terms = sorted(pd.Series(ds["planning"]["term"]).dropna().astype(str).unique())
        years = sorted(int(y) for y in pd.Series(ds["ratings"]["year"]).dropna().unique())
        dates = sorted({base.as_of, *(dt.date(y, 12, 31) for y in years)} - {None})
        style = {"description_width": "240px"}
        lay = w.Layout(width="480px")
        c = {
            "term": w.Dropdown(options=[(t, t) for t in terms], value=terms[-1] if terms else None,
                               description="Nhiệm kỳ quy hoạch", style=style, layout=lay),
            "as_of": w.Dropdown(options=[("Ngày trước nhiệm kỳ (mặc định)", ""),
                                         *((d.strftime("%d/%m/%Y"), d.isoformat()) for d in dates)],
                                value="", description="Ngày áp dụng quy định", style=style, layout=lay),
            "override_women": w.Checkbox(value=False, indent=False,
                                         description="Đặt tỷ lệ nữ tối thiểu khác quy định"),
            "women_share_min": w.FloatSlider(value=0.15, min=0, max=0.6, step=0.05, readout_format=".0%",
                                             continuous_update=False, description="Tỷ lệ nữ tối thiểu",
                                             style=style, layout=lay),
            "slate_size": w.BoundedIntText(value=0, min=0, max=10,
                                           description="Số người tối đa mỗi vị trí (0: theo quy định)",
                                           style=style, layout=w.Layout(width="340px")),
        }
        for name, ctl in c.items():
            ctl.add_class(f"kimson-{name.replace('_', '-')}")
        self.controls = c
        self._build_form(self._without_women(base), stem="quy-hoach",
                         example="data/scenarios/quy-hoach-2020-2025.yaml", choices=self._choices(ds),
                         externals={"term": External(c["term"], put=put_option),
                                    "as_of": External(c["as_of"], get=day_of, put=put_day),
                                    "slate_size": External(c["slate_size"], get=lambda x: x.value or None,
                                                           put=lambda x, v: setattr(x, "value", v or 0))})
        self.summary = w.HTML("")
        self.summary.add_class("kimson-summary")
        self.sections = {k: w.HTML("") for k in ("compliance", "violations", "bench", "slate", "legal")}
        tabs = w.Tab(children=list(self.sections.values()))
        for i, t in enumerate(["Chỉ tiêu cơ cấu", "Vi phạm", "Nguồn kế nhiệm", "Phương án tối ưu", "Căn cứ pháp lý"]):
            tabs.set_title(i, t)
        self.tabs = tabs
        self._assemble([w.VBox(list(c.values())), self.form_box], [self.summary, tabs],
                       self._form_buttons("quy-hoach"))
        self.observe(*c.values())
        self.refresh()

    # ----------------------------------------------------------------- the form and the women's share
    @staticmethod
    def _choices(ds) -> dict:
        """People and planning posts to pick pins, exclusions and extra candidates from."""
        from kimson_ds.data.codes import TITLE

        cad = ds["cadres"].sort_values(["full_name", "cadre_id"], kind="mergesort")
        people = [(f"{n} ({i})", {"cadre_id": i}) for i, n in zip(cad["cadre_id"], cad["full_name"], strict=True)]
        units = ds["units"].set_index("unit_id")["name"]
        pos = ds["positions"][["title", "unit_id"]].drop_duplicates().sort_values(["unit_id", "title"])
        posts = [(f"{TITLE.get(t, t)} — {units.get(u, u)}", {"target_title": t, "target_unit_id": u})
                 for t, u in zip(pos["title"], pos["unit_id"], strict=True)]
        pair = {"Cán bộ": people, "Chức danh": posts}
        return {"pins": pair, "extra_candidates": pair,
                "excludes": {"Cán bộ": people, "Chức danh": [("(mọi chức danh)", {}), *posts]}}

    def _without_women(self, sc: sm.PlanScenario) -> sm.PlanScenario:
        """``sc`` without its women's share override, shown instead by the quick controls."""
        women = sc.parameters.get(_WOMEN)
        self.controls["override_women"].value = women is not None
        if women is not None:
            self.controls["women_share_min"].value = float(women)
        return sc.model_copy(update={"parameters": {k: v for k, v in sc.parameters.items() if k != _WOMEN}})

    def _open_file(self, path) -> bool:
        sc = load_scenario(path, sm.PlanScenario)
        with self.holding():
            self.form.set(self._without_women(sc))
        return self.error is None

    def scenario(self) -> sm.PlanScenario:
        """The scenario of the form, with the women's share of the quick controls when it is set."""
        sc = self.form.value()
        if self.controls["override_women"].value:
            women = float(round(self.controls["women_share_min"].value, 4))
            sc = sc.model_copy(update={"parameters": {**sc.parameters, _WOMEN: women}})
        return sc

    def rule_date(self, sc: sm.PlanScenario) -> dt.date:
        """The scenario's date, or (as ``kimson-ds plan``) the day before its term starts."""
        if sc.as_of is not None:
            return sc.as_of
        return (su.term_window(sc.term, parameters(dt.date.today()), sc.term_start).start
                - pd.Timedelta(days=1)).date()

    def notebook_parameters(self) -> dict:
        sc = self.scenario()
        review = sc.review
        return {"dataset": str(self.dataset_path), "scenario": self.scenario_name, "term": sc.term,
                "as_of": self.rule_date(sc).isoformat(),
                "term_start": sc.term_start.isoformat() if sc.term_start else "",
                "review_from": review.date_from.isoformat() if review else "2017-12-31",
                "review_to": review.date_to.isoformat() if review else "2019-12-31",
                "women_share_min": float(sc.parameters[_WOMEN]) if _WOMEN in sc.parameters else -1.0,
                # no size of its own: the regulation's maximum, which 10 per post (the largest size) never cuts
                "slate_size": int(sc.slate_size or 10)}

    def _report_parameters(self, out_dir) -> dict:
        path = self._save_scenario(Path(out_dir) / "kich-ban.yaml")
        return {**self.notebook_parameters(), "scenario": str(path.resolve())}

    def _submission(self):
        _P, _comp, res = self._result_or_error()
        sc = self.scenario()
        return succession_proposal(res, sc.term, self.rule_date(sc)).submission

    def _export_tables(self) -> tuple:
        from kimson_ds.papers.report import legal_basis_table, references_frame

        P, comp, res = self._result_or_error()
        ct, st = su.compliance_tables(comp), sm.slate_tables(res)
        sheets = {"Phương án tối ưu": st["slates"], "Cơ cấu": st["shares"], "So với hiện hành": st["diff"],
                  "Vi phạm": ct["violations"], "Chỉ tiêu cơ cấu": ct["summary"],
                  "Căn cứ pháp lý": legal_basis_table(references_frame([P, *comp.param_sets[1:], *res.param_sets]))}
        sc = self.scenario()
        return f"Quy hoạch cán bộ nhiệm kỳ {sc.term}", sheets, lambda path: self._save_scenario(Path(path))

    def state(self, day: dt.date):
        """The organisation on ``day`` (as ``kimson-ds plan`` reads it), kept once computed."""
        if day not in self._states:
            self._states[day] = dataset_on(self.ds, day)
        return self._states[day]

    def compute(self):
        sc = self.scenario()
        su.parse_term(sc.term)
        as_of = self.rule_date(sc)
        ds = self.state(as_of)
        P = parameters(as_of, sc.parameters or None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            comp = su.check_compliance(ds, sc.term, as_of, params=P, term_start=sc.term_start,
                                       merit_years=sc.merit_years)
            res = sm.run(ds, sc, as_of=as_of, term=sc.term)
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
                     term_start: str | dt.date | None = None, review_from: str | None = None,
                     review_to: str | None = None, women_share_min: float | None = None,
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
