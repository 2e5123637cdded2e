"""Training-plan panel: budget scale and priority of thin slates.

Every change runs :func:`kimson_ds.training.schedule.run` on the scenario updated
exactly as notebook 40 updates it (``budget_scale``, ``thin_slate_bonus``).
"""

from __future__ import annotations

import pandas as pd

from kimson_ds.config import load_scenario
from kimson_ds.data.io import Dataset
from kimson_ds.papers.report import REPO_ROOT, table_html
from kimson_ds.training import schedule as training
from kimson_ds.ui.common import (
    ErrorPanel,
    NotebookPanel,
    Panel,
    decimal_slider,
    legal_basis_html,
    load_for_panel,
    repo_file,
)

__all__ = ["TrainingPanel", "training_panel"]


class TrainingPanel(NotebookPanel):
    """Controls of notebook 40 (``budget_scale``, ``thin_slate_bonus``) with the live schedule."""

    title = "Đào tạo, bồi dưỡng — thử kinh phí và thứ tự ưu tiên"
    notebook = REPO_ROOT / "notebooks" / "40-dao-tao.ipynb"

    def __init__(self, ds: Dataset, scenario: str, *, dataset_path=None, budget_scale: float = 1.0,
                 thin_slate_bonus: float | None = None, gantt_rows: int = 40) -> None:
        super().__init__()
        w = self._w
        self.ds = ds
        self.dataset_path = dataset_path if dataset_path is not None else ds.path
        self.scenario_name = str(scenario)
        self.base = load_scenario(repo_file(scenario), training.TrainingScenario)
        self.gantt_rows = int(gantt_rows)
        bonus = self.base.weights.thin_slate_bonus if thin_slate_bonus is None else thin_slate_bonus
        style = {"description_width": "260px"}
        lay = w.Layout(width="560px")
        c = {
            "budget_scale": decimal_slider(float(budget_scale), 0.0, max(3.0, float(budget_scale)), 0.1,
                                           continuous_update=False, description="Hệ số nhân kinh phí hằng năm",
                                           style=style, layout=lay),
            "thin_slate_bonus": decimal_slider(float(bonus), 0.0, max(5.0, float(bonus)), 0.5, whole=True,
                                               continuous_update=False,
                                               description="Ưu tiên chức danh ít người quy hoạch", style=style,
                                               layout=lay),
        }
        for name, ctl in c.items():
            ctl.add_class(f"kimson-{name.replace('_', '-')}")
        self.controls = c
        self.summary = w.HTML("")
        self.summary.add_class("kimson-summary")
        self.sections = {k: w.HTML("") for k in ("readiness", "schedule", "budget", "legal")}
        tabs = w.Tab(children=list(self.sections.values()))
        for i, t in enumerate(["Tình trạng khi nhận chức", "Lịch học", "Kinh phí", "Căn cứ pháp lý"]):
            tabs.set_title(i, t)
        self.tabs = tabs
        buttons = self._buttons("dao-tao")
        self._assemble([w.VBox(list(c.values()))], [self.summary, tabs], buttons)
        self.observe(*c.values())
        self.refresh()

    def notebook_parameters(self) -> dict:
        c = self.controls
        return {"dataset": str(self.dataset_path), "scenario": self.scenario_name,
                "budget_scale": round(float(c["budget_scale"].value), 4),
                "thin_slate_bonus": round(float(c["thin_slate_bonus"].value), 4), "gantt_rows": self.gantt_rows}

    def scenario(self) -> training.TrainingScenario:
        """The scenario notebook 40 runs with the current controls."""
        p = self.notebook_parameters()
        budget = self.base.budget_million_vnd
        if isinstance(budget, dict):
            budget = {y: v * p["budget_scale"] for y, v in budget.items()}
        elif budget is not None:
            budget = budget * p["budget_scale"]
        return self.base.model_copy(update={
            "budget_million_vnd": budget,
            "weights": self.base.weights.model_copy(update={"thin_slate_bonus": p["thin_slate_bonus"]})})

    def compute(self):
        sc = self.scenario()
        return sc, training.run(self.ds, sc)

    def status_text(self, result) -> str:
        if result is None:
            return ""
        return f"{len(result[1].schedule)} lượt học; lời giải: {result[1].status}."

    def render(self, result) -> None:
        sc, res = result
        r = res.readiness
        summary = (r.groupby("status_vi", sort=False).size().rename("Số lượt quy hoạch").reset_index()
                   .rename(columns={"status_vi": "Tình trạng khi nhận chức"}))
        self.sections["readiness"].value = table_html(summary, f"Tình trạng {len(r)} lượt quy hoạch nhiệm kỳ {sc.term}")
        s = res.schedule
        self.sections["schedule"].value = table_html(s.rename(columns={
            "cadre_id": "Mã cán bộ", "full_name": "Họ và tên", "course_name": "Khóa học", "start_year": "Năm bắt đầu",
            "end_year": "Năm kết thúc", "months": "Số tháng", "cost_million_vnd": "Kinh phí (triệu đồng)",
            "for_targets": "Phục vụ chức danh quy hoạch"}).reindex(columns=[
                "Mã cán bộ", "Họ và tên", "Khóa học", "Năm bắt đầu", "Năm kết thúc", "Số tháng",
                "Kinh phí (triệu đồng)", "Phục vụ chức danh quy hoạch"]), f"Lịch học: {len(s)} lượt học")
        budget = training.budget_by_year(sc)
        spent = s.groupby("start_year")["cost_million_vnd"].sum() if len(s) else pd.Series(dtype=float)
        self.sections["budget"].value = table_html(pd.DataFrame({
            "Năm": budget.index, "Kinh phí (triệu đồng)": budget.to_numpy(),
            "Chi cho khóa bắt đầu trong năm (triệu đồng)": spent.reindex(budget.index).fillna(0).to_numpy()}),
            "Kinh phí đào tạo hằng năm")
        self.sections["legal"].value = legal_basis_html(res.params)
        self.summary.value = (f"<ul><li>Lời giải: <b>{res.status}</b>; {len(s)} lượt học của "
                              f"{s['cadre_id'].nunique() if len(s) else 0} cán bộ.</li>"
                              + "".join(f"<li>{k}: <b>{v}</b> lượt quy hoạch</li>"
                                        for k, v in zip(summary.iloc[:, 0], summary.iloc[:, 1], strict=True))
                              + "</ul>")


def training_panel(dataset=None, scenario: str = "data/scenarios/dao-tao-2020-2025.yaml", *,
                   budget_scale: float = 1.0, thin_slate_bonus: float | None = None, gantt_rows: int = 40) -> Panel:
    """Build the training explorer (never raises: a problem becomes a Vietnamese message panel).

    The keyword arguments are notebook 40's parameters and set the controls' starting values
    (``thin_slate_bonus`` None: the scenario's weight).
    """
    try:
        ds, path = load_for_panel(dataset)
        return TrainingPanel(ds, scenario, dataset_path=path, budget_scale=budget_scale,
                             thin_slate_bonus=thin_slate_bonus, gantt_rows=gantt_rows)
    except Exception as exc:  # noqa: BLE001 - shown in the page
        return ErrorPanel(exc, "Không mở được bảng điều khiển đào tạo")
