"""Training-plan panel: every field of the training scenario, budget scale and priority of thin slates.

Every change runs :func:`kimson_ds.training.schedule.run` (what ``kimson-ds train`` runs) on the
scenario of the form, its budget scaled exactly as notebook 40 scales it (``budget_scale``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kimson_ds.config import dump_scenario, load_scenario
from kimson_ds.data.io import Dataset
from kimson_ds.papers.pack import training_proposal
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
from kimson_ds.ui.forms import External, FormPanelMixin

__all__ = ["TRAINING_LABELS", "TrainingPanel", "training_panel"]


TRAINING_LABELS = {
    "name": "Tên kịch bản",
    "as_of": "Ngày lập kế hoạch",
    "term": "Nhiệm kỳ quy hoạch",
    "term_start": "Ngày nhận chức dự kiến",
    "first_year": "Năm đầu tiên mở khóa học",
    "intake_months": "Các tháng khai giảng (1–12)",
    "budget_million_vnd": "Kinh phí (triệu đồng): một số cho mọi năm hoặc «năm: số» mỗi dòng",
    "seats": "Ghi đè chỉ tiêu «mã khóa: số» (hoặc «mã khóa: {năm: số}»)",
    "courses": "Chỉ dùng các khóa học",
    "long_course_months": "Khóa dài từ (tháng)",
    "weights": "Trọng số mục tiêu",
    "weights.key_post": "Trọng số chức danh chủ chốt",
    "weights.other_post": "Trọng số chức danh khác",
    "weights.thin_slate_bonus": "Ưu tiên chức danh ít người quy hoạch",
    "parameter_overrides": "Ghi đè tham số quy định (tên tham số: giá trị)",
    "time_limit_seconds": "Giới hạn thời gian giải mỗi pha (giây)",
    "mip_gap_rel": "Sai số tương đối cho phép của lời giải",
    "knowledge_update": "Bồi dưỡng cập nhật kiến thức",
    "knowledge_update.years": "Các năm theo dõi",
    "knowledge_update.roster_year": "Năm lập danh sách lớp",
    "knowledge_update.roster_date": "Ngày lập danh sách lớp",
    "knowledge_update.class_capacity": "Số học viên tối đa một lớp",
    "knowledge_update.classes_per_group": "Số lớp mỗi nhóm đối tượng",
    "knowledge_update.default_classes_per_group": "Số lớp mặc định mỗi nhóm",
}


class TrainingPanel(FormPanelMixin, NotebookPanel):
    """The training plan: every field of the training scenario, a budget multiplier, the live schedule.

    The form holds :class:`~kimson_ds.training.schedule.TrainingScenario` (the file of
    ``kimson-ds train DATASET --scenario FILE``); "Hệ số nhân kinh phí" scales the budget as notebook 40 does.
    """

    title = "Đào tạo, bồi dưỡng — thử kinh phí và thứ tự ưu tiên"
    notebook = REPO_ROOT / "notebooks" / "40-dao-tao.ipynb"
    model = training.TrainingScenario
    labels = TRAINING_LABELS

    def __init__(self, ds: Dataset, scenario: str, *, dataset_path=None, budget_scale: float = 1.0,
                 thin_slate_bonus: float | None = None, gantt_rows: int = 40) -> None:
        super().__init__()
        w = self._w
        self.ds = ds
        self.dataset_path = dataset_path if dataset_path is not None else ds.path
        self.scenario_name = str(scenario)
        base = load_scenario(repo_file(scenario), training.TrainingScenario)
        if thin_slate_bonus is not None:
            base = base.model_copy(update={"weights": base.weights.model_copy(
                update={"thin_slate_bonus": float(thin_slate_bonus)})})
        self.gantt_rows = int(gantt_rows)
        style = {"description_width": "260px"}
        lay = w.Layout(width="560px")
        c = {
            "budget_scale": decimal_slider(float(budget_scale), 0.0, max(3.0, float(budget_scale)), 0.1,
                                           continuous_update=False, description="Hệ số nhân kinh phí hằng năm",
                                           style=style, layout=lay),
            "thin_slate_bonus": decimal_slider(float(base.weights.thin_slate_bonus), 0.0,
                                               max(5.0, float(base.weights.thin_slate_bonus)), 0.5, whole=True,
                                               continuous_update=False,
                                               description="Ưu tiên chức danh ít người quy hoạch", style=style,
                                               layout=lay),
        }
        for name, ctl in c.items():
            ctl.add_class(f"kimson-{name.replace('_', '-')}")
        self.controls = c
        courses = ds["courses"].sort_values("course_id")
        self._build_form(base, stem="dao-tao", example="data/scenarios/dao-tao-2020-2025.yaml",
                         externals={"weights.thin_slate_bonus": External(c["thin_slate_bonus"])},
                         choices={"courses": [(f"{n} ({i})", i) for i, n in zip(courses["course_id"], courses["name"],
                                                                                 strict=True)]})
        self.summary = w.HTML("")
        self.summary.add_class("kimson-summary")
        self.sections = {k: w.HTML("") for k in ("readiness", "schedule", "budget", "legal")}
        tabs = w.Tab(children=list(self.sections.values()))
        for i, t in enumerate(["Tình trạng khi nhận chức", "Lịch học", "Kinh phí", "Căn cứ pháp lý"]):
            tabs.set_title(i, t)
        self.tabs = tabs
        self._assemble([w.VBox(list(c.values())), self.form_box], [self.summary, tabs], self._form_buttons("dao-tao"))
        self.observe(c["budget_scale"])
        self.refresh()

    def _open_file(self, path) -> bool:
        with self.holding():
            self.controls["budget_scale"].value = 1.0  # a file states its own budget
            ok = super()._open_file(path)
        return ok and self.error is None

    def notebook_parameters(self) -> dict:
        """Notebook 40's parameters: the scenario of the form (before scaling) and the budget multiplier."""
        sc = self.form.value()
        return {"dataset": str(self.dataset_path), "scenario": self.scenario_name,
                "budget_scale": round(float(self.controls["budget_scale"].value), 4),
                "thin_slate_bonus": float(sc.weights.thin_slate_bonus), "gantt_rows": self.gantt_rows}

    def _report_parameters(self, out_dir) -> dict:
        path = dump_scenario(self.form.value(), Path(out_dir) / "kich-ban.yaml")  # scaled by the notebook
        return {**self.notebook_parameters(), "scenario": str(path.resolve())}

    def scenario(self) -> training.TrainingScenario:
        """The scenario of the form, its budget multiplied by "Hệ số nhân kinh phí" (as notebook 40 does)."""
        sc = self.form.value()
        scale = round(float(self.controls["budget_scale"].value), 4)
        budget = sc.budget_million_vnd
        if scale == 1.0 or budget is None:
            return sc
        if isinstance(budget, dict):
            budget = {y: round(v * scale, 6) for y, v in budget.items()}
        else:
            budget = round(budget * scale, 6)
        return sc.model_copy(update={"budget_million_vnd": budget})

    def _submission(self):
        sc, res = self._result_or_error()
        return training_proposal(res, sc).submission

    def _export_tables(self) -> tuple:
        from kimson_ds.papers.report import legal_basis_table, references_frame

        sc, res = self._result_or_error()
        sheets = {**self._tables(sc, res), "Căn cứ pháp lý": legal_basis_table(references_frame(res.params))}
        return sc.name, sheets, lambda path: self._save_scenario(Path(path))

    def compute(self):
        sc = self.scenario()
        return sc, training.run(self.ds, sc)

    def status_text(self, result) -> str:
        if result is None:
            return ""
        return f"{len(result[1].schedule)} lượt học; lời giải: {result[1].status}."

    @staticmethod
    def _tables(sc, res) -> dict[str, pd.DataFrame]:
        r = res.readiness
        s = res.schedule
        summary = (r.groupby("status_vi", sort=False).size().rename("Số lượt quy hoạch").reset_index()
                   .rename(columns={"status_vi": "Tình trạng khi nhận chức"}))
        schedule = s.rename(columns={
            "cadre_id": "Mã cán bộ", "full_name": "Họ và tên", "course_name": "Khóa học", "start_year": "Năm bắt đầu",
            "end_year": "Năm kết thúc", "months": "Số tháng", "cost_million_vnd": "Kinh phí (triệu đồng)",
            "for_targets": "Phục vụ chức danh quy hoạch"}).reindex(columns=[
                "Mã cán bộ", "Họ và tên", "Khóa học", "Năm bắt đầu", "Năm kết thúc", "Số tháng",
                "Kinh phí (triệu đồng)", "Phục vụ chức danh quy hoạch"])
        budget = training.budget_by_year(sc)
        spent = s.groupby("start_year")["cost_million_vnd"].sum() if len(s) else pd.Series(dtype=float)
        money = pd.DataFrame({
            "Năm": budget.index, "Kinh phí (triệu đồng)": budget.to_numpy(),
            "Chi cho khóa bắt đầu trong năm (triệu đồng)": spent.reindex(budget.index).fillna(0).to_numpy()})
        return {"Tình trạng khi nhận chức": summary, "Lịch học": schedule, "Kinh phí": money}

    def render(self, result) -> None:
        sc, res = result
        t = self._tables(sc, res)
        summary, s = t["Tình trạng khi nhận chức"], res.schedule
        self.sections["readiness"].value = table_html(summary, f"Tình trạng {len(res.readiness)} lượt quy hoạch "
                                                               f"nhiệm kỳ {sc.term}")
        self.sections["schedule"].value = table_html(t["Lịch học"], f"Lịch học: {len(s)} lượt học")
        self.sections["budget"].value = table_html(t["Kinh phí"], "Kinh phí đào tạo hằng năm")
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
