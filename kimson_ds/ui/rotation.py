"""Rotation explorer panel: vary the request and the rules, see the plan change.

Every change calls :func:`kimson_ds.rotation.model.resolve` (the function the
``kimson-ds rotate`` command and notebook 30 use, through
:func:`kimson_ds.rotation.model.run`) on the already loaded dataset, then shows the
plan, the diagnosis and the explanation tables it returned. The knobs the
report notebook exposes go through :func:`kimson_ds.rotation.model.with_knobs`; the
other controls edit the scenario model itself, so "Lưu kịch bản" writes a
YAML that ``kimson-ds rotate DATASET --scenario FILE`` accepts, and "Xuất báo
cáo" runs notebook 30 on exactly that file.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

import pandas as pd

from kimson_ds.config import dump_scenario, parse_scenario
from kimson_ds.data.io import Dataset, load_dataset
from kimson_ds.errors import ScenarioError
from kimson_ds.history.state import dataset_on
from kimson_ds.papers.pack import rotation_proposal
from kimson_ds.papers.report import REPO_ROOT, find_dataset, table_html
from kimson_ds.rotation import model as rotation
from kimson_ds.rotation.eligibility import exclusion_counts
from kimson_ds.rules.parameters import parameters
from kimson_ds.ui.common import (
    ErrorPanel,
    ExportButton,
    Panel,
    ReportButton,
    date_choices,
    decimal_slider,
    default_dataset,
    error_html,
    figure_html,
    legal_basis_html,
    slug,
)
from kimson_ds.ui.forms import External, FormPanelMixin, put_option

__all__ = ["NOTEBOOK", "ROTATION_LABELS", "RULE_LABELS", "RotationPanel", "merger_panel", "rotation_panel"]

#: The report notebook that "Xuất báo cáo" runs.
NOTEBOOK = REPO_ROOT / "notebooks" / "30-luan-chuyen.ipynb"

#: Switchable rules of the planner and their Vietnamese labels (merger-only rules last).
RULE_LABELS = {
    "seniority": "Đủ thâm niên, bậc chức danh",
    "years_left": "Đủ số năm công tác còn lại",
    "young": "Cán bộ trẻ chỉ làm cấp phó",
    "home": "Không về quê quán, nơi đang công tác",
    "relatives": "Không về nơi có người thân giữ chức chủ chốt",
    "discipline": "Không đang trong thời hạn kỷ luật",
    "current_rotation": "Không đang luân chuyển chưa đủ thời gian",
    "gender": "Số cán bộ nữ tối thiểu",
    "source_units": "Giới hạn số người mỗi đơn vị nguồn",
    "predecessors": "Mỗi xã cũ có người trong lãnh đạo xã mới",
    "successor": "Chỉ bố trí vào xã mới kế thừa",
}
_MERGER_RULES = ("predecessors", "successor")

#: Columns of the plan table, in order.
_PLAN_COLUMNS = ["rank", "cadre_id", "full_name", "gender", "age", "source_unit", "current_title", "post_id",
                 "commune", "title", "score"]

_WEIGHT_LABELS = {
    "merit": "Trọng số xếp loại",
    "need": "Trọng số nhu cầu của xã",
    "development": "Trọng số phát triển cán bộ trẻ",
    "distance": "Trọng số khoảng cách",
}


ROTATION_LABELS = {
    "name": "Tên kịch bản",
    "description": "Mô tả",
    "as_of": "Ngày áp dụng quy định",
    "posts": "Vị trí cần bố trí",
    "posts.counts": "Số người cần bố trí theo chức danh",
    "posts.position_ids": "Chỉ xét các vị trí",
    "posts.units": "Chỉ xét các đơn vị đến",
    "candidates": "Nguồn ứng viên",
    "candidates.cadre_ids": "Chỉ xét các cán bộ",
    "candidates.cadres_of": "Mọi cán bộ của các đơn vị",
    "candidates.key_holders_of": "Người giữ chức danh chủ chốt của các đơn vị",
    "candidates.planning_terms": "Người trong quy hoạch các nhiệm kỳ (ví dụ 2020-2025)",
    "candidates.source_kinds": "Loại đơn vị nguồn (mã loại đơn vị)",
    "rules": "Quy định",
    "rules.seniority": "Thâm niên, bậc chức danh",
    "rules.seniority.enabled": "Áp dụng quy định thâm niên",
    "rules.seniority.min_years_service": "Số năm công tác tối thiểu theo chức danh đến",
    "rules.seniority.min_rank": "Bậc chức danh hiện tại tối thiểu theo chức danh đến",
    "rules.years_left": "Số năm công tác còn lại",
    "rules.years_left.enabled": "Áp dụng quy định số năm công tác còn lại",
    "rules.years_left.min_years": "Số năm công tác còn lại tối thiểu",
    "rules.years_left.one_term_exception": "Cho phép đủ một nhiệm kỳ trong các trường hợp ngoại lệ",
    "rules.higher": "Vị trí tương đương (bố trí lên chức vụ cao hơn)",
    "rules.higher.enabled": "Áp dụng quy định vị trí tương đương",
    "rules.higher.absolute": "Loại hẳn (bỏ chọn: chỉ cảnh báo cần xem xét)",
    "rules.higher.outstanding_years": "Số năm hoàn thành xuất sắc để được bố trí cao hơn",
    "rules.higher.planned_counts": "Người trong quy hoạch chức danh cao hơn được bố trí",
    "rules.young": "Cán bộ trẻ",
    "rules.young.enabled": "Cán bộ trẻ chỉ làm cấp phó",
    "rules.young.age_limit": "Tuổi dưới mức này là cán bộ trẻ",
    "rules.home": "Quê quán, nơi đang công tác",
    "rules.home.enabled": "Áp dụng quy định quê quán, nơi công tác",
    "rules.home.home_commune": "Không về xã quê quán",
    "rules.home.current_unit": "Không về nơi đang công tác",
    "rules.home.absolute": "Loại hẳn khi về quê quán (bỏ chọn: chỉ cảnh báo)",
    "rules.relatives": "Người thân giữ chức chủ chốt",
    "rules.relatives.enabled": "Áp dụng quy định người thân",
    "rules.relatives.include_derived": "Tính cả quan hệ suy ra (anh em dâu, rể…)",
    "rules.relatives.absolute": "Loại hẳn khi người thân giữ chức chủ chốt khác (bỏ chọn: chỉ cảnh báo)",
    "rules.discipline": "Kỷ luật",
    "rules.discipline.enabled": "Không đang trong thời hạn kỷ luật",
    "rules.current_rotation": "Đang luân chuyển",
    "rules.current_rotation.enabled": "Không đang luân chuyển chưa đủ thời gian",
    "rules.current_rotation.min_duration_years": "Thời gian luân chuyển tối thiểu (năm)",
    "rules.successor": "Xã mới kế thừa",
    "rules.successor.enabled": "Chỉ bố trí vào xã mới kế thừa",
    "rules.two_terms": "Người đứng đầu quá hai nhiệm kỳ liên tiếp (Quy định 65-QĐ/TW)",
    "rules.two_terms.enabled": "Áp dụng: nêu người đứng đầu quá hai nhiệm kỳ cần luân chuyển",
    "rules.two_terms.mode": "Cách áp dụng",
    "rules.two_terms.mode:bat_buoc": "Bắt buộc luân chuyển",
    "rules.two_terms.mode:uu_tien": "Ưu tiên (cộng điểm phù hợp)",
    "rules.two_terms.bonus": "Điểm cộng khi ưu tiên",
    "rules.two_terms.include": "Đưa những người này vào nguồn ứng viên",
    "rules.two_terms.open_posts": "Vị trí họ rời đi được bố trí người khác",
    "rules.two_terms.anywhere": "Xét mọi người giữ chức trong dữ liệu (không chỉ các vị trí được yêu cầu)",
    "rules.reappointment": "Hết thời hạn bổ nhiệm",
    "rules.reappointment.enabled": "Áp dụng: nêu người hết thời hạn bổ nhiệm cần luân chuyển",
    "rules.reappointment.mode": "Cách áp dụng",
    "rules.reappointment.mode:bat_buoc": "Bắt buộc luân chuyển",
    "rules.reappointment.mode:uu_tien": "Ưu tiên (cộng điểm phù hợp)",
    "rules.reappointment.bonus": "Điểm cộng khi ưu tiên",
    "rules.reappointment.include": "Đưa những người này vào nguồn ứng viên",
    "rules.reappointment.open_posts": "Vị trí họ rời đi được bố trí người khác",
    "rules.reappointment.anywhere": "Xét mọi người giữ chức trong dữ liệu (không chỉ các vị trí được yêu cầu)",
    "rules.reappointment.within_months": "Hết hạn trong vòng (tháng)",
    "rules.gender": "Cán bộ nữ",
    "rules.gender.enabled": "Áp dụng số cán bộ nữ tối thiểu",
    "rules.gender.min_women": "Số cán bộ nữ tối thiểu",
    "rules.gender.min_women_share": "Tỷ lệ nữ tối thiểu (0–1)",
    "rules.gender.per_title": "Số nữ tối thiểu theo chức danh",
    "rules.source_units": "Đơn vị nguồn",
    "rules.source_units.enabled": "Giới hạn số người mỗi đơn vị nguồn",
    "rules.source_units.max_per_unit": "Tối đa số người mỗi đơn vị nguồn",
    "rules.predecessors": "Xã cũ",
    "rules.predecessors.enabled": "Mỗi xã cũ có người trong lãnh đạo xã mới",
    "pins": "Chỉ định bắt buộc",
    "bans": "Cặp không được bố trí",
    "weights": "Trọng số",
    "weights.merit": "Trọng số xếp loại",
    "weights.need": "Trọng số nhu cầu của xã",
    "weights.development": "Trọng số phát triển cán bộ trẻ",
    "weights.distance": "Trọng số khoảng cách",
    "weights.merit_years": "Số năm xếp loại gần nhất tính thành tích",
    "weights.merit_missing": "Điểm thành tích khi thiếu xếp loại (0–1)",
    "weights.distance_scale_km": "Thang khoảng cách (km)",
    "penalties": "Mức phạt khi nới lỏng (chế độ mềm)",
    "penalties.count": "Phạt mỗi vị trí thiếu người",
    "penalties.gender": "Phạt mỗi người nữ còn thiếu",
    "penalties.coverage": "Phạt mỗi xã cũ không có người",
    "pair_scores": "Tệp điểm phù hợp từng cặp (CSV)",
    "baseline": "Tệp phương án gốc cần giữ (CSV)",
    "baseline_penalty": "Điểm thưởng mỗi cặp giữ theo phương án gốc",
    "alternatives": "Số phương án tốt nhất cần đưa ra",
    "strict": "Bắt buộc đáp ứng đủ (chế độ chặt)",
    "merger": "Sắp xếp đơn vị hành chính (sáp nhập)",
    "merger.effective": "Ngày sắp xếp có hiệu lực",
    "merger.new_units": "Xã mới và các xã cũ nhập vào («xã mới: [xã cũ, …]» mỗi dòng)",
    "merger.note": "Ghi chú phương án sắp xếp",
    "merger.district_units": "Cơ quan cấp huyện kết thúc hoạt động (cán bộ được bố trí về xã mới)",
    "parameters": "Ghi đè tham số quy định (tên tham số: giá trị)",
    "rule_costs": "Tính giá của từng quy định (giải lại khi bỏ từng quy định)",
    "min_difference": "Số vị trí khác nhau tối thiểu giữa hai phương án",
    "ties": "Phương án tương đương",
    "ties.tolerance": "Sai lệch điểm coi là tương đương",
    "ties.order": "Thứ tự tiêu chí phụ khi tương đương",
    "ties.count_limit": "Đếm tối đa số phương án tương đương",
    "ties.rating_years": "Số năm xếp loại dùng khi so sánh phụ",
    "robustness": "Độ vững của phương án",
    "robustness.enabled": "Tìm các cặp có trong mọi phương án gần tối ưu",
    "robustness.epsilon": "Biên gần tối ưu (điểm)",
    "robustness.sensitivity": "Tính khoảng trọng số giữ nguyên phương án",
    "robustness.max_weight": "Trọng số lớn nhất khi tính khoảng",
    "solver": "Bộ giải",
    "solver.time_limit": "Giới hạn thời gian giải (giây)",
    "solver.gap": "Sai số tương đối cho phép",
}


class RotationPanel(FormPanelMixin, Panel):
    """Controls for a rotation scenario and its live plan.

    Parameters
    ----------
    ds : Dataset
        Loaded once; every refresh reuses it.
    base : RotationScenario
        The scenario the controls start from (its file's folder resolves relative paths).
    dataset_path : path, optional
        Passed to the report notebook (default ``ds.path``).
    scenario_name : str, optional
        File-name stem of saved scenarios.

    Attributes
    ----------
    controls : dict of str to widget
        Every control by name (``as_of``, ``n_bi_thu``, ``n_pho_bi_thu``,
        ``min_women``, ``max_per_unit``, ``seniority_bi_thu``,
        ``seniority_pho_bi_thu``, ``min_years_left``, ``alternatives``, ``strict``,
        ``weight_<name>``, ``rule_<name>``, ``pins``, ``bans``).
    """

    title = "Luân chuyển cán bộ về xã, thị trấn — thử các phương án"
    model = rotation.RotationScenario
    labels = ROTATION_LABELS

    def __init__(self, ds: Dataset, base: rotation.RotationScenario, *, dataset_path=None,
                 scenario_name: str | None = None, _first_run: bool = True, _files=None) -> None:
        super().__init__()
        w = self._w
        # holders and units of the scenario's date, as `kimson-ds rotate` uses (work history if any);
        # a dataset already set to a date (notebook 30) is used as given
        self.full = None if "history_state" in ds.__dict__ else ds
        self._states: dict = {}
        self.ds = self.state(base.as_of) if self.full is not None else ds
        self.base = base
        self.dataset_path = Path(dataset_path) if dataset_path is not None else ds.path
        self.name = scenario_name or slug(base.name)
        P = parameters(base.as_of, dict(base.parameters))
        seniority = P.get("rotation.seniority")
        own = base.rules.seniority.min_years_service
        counts = base.posts.counts or {}
        g = base.rules.gender
        su = base.rules.source_units
        narrow = {"description_width": "260px"}
        lay = w.Layout(width="420px")

        c: dict[str, Any] = {}
        c["as_of"] = w.Dropdown(options=date_choices(ds, base.as_of), value=base.as_of,
                                description="Ngày áp dụng quy định", style=narrow, layout=lay)
        int_field = dict(style=narrow, layout=w.Layout(width="340px"))
        c["n_bi_thu"] = w.BoundedIntText(value=int(counts.get("bi_thu", 0)), min=0, max=60,
                                         description="Số Bí thư cần bố trí", **int_field)
        c["n_pho_bi_thu"] = w.BoundedIntText(value=int(counts.get("pho_bi_thu", 0)), min=0, max=60,
                                             description="Số Phó Bí thư cần bố trí", **int_field)
        c["min_women"] = w.BoundedIntText(value=int(g.min_women or 0), min=0, max=60,
                                          description="Số cán bộ nữ tối thiểu", **int_field)
        c["max_per_unit"] = w.BoundedIntText(value=int(su.max_per_unit or 0),
                                             min=0, max=60, description="Tối đa số người mỗi đơn vị nguồn (0: không giới hạn)",
                                             **int_field)
        c["alternatives"] = w.BoundedIntText(value=int(base.alternatives), min=1, max=10,
                                             description="Số phương án tốt nhất cần đưa ra", **int_field)
        wide = {"description_width": "300px"}
        slider = dict(style=wide, layout=w.Layout(width="560px"), continuous_update=False)
        c["seniority_bi_thu"] = decimal_slider(
            float(own.get("bi_thu", seniority.get("bi_thu", {}).get("min_years_service", 0))),
            0, 30, 0.5, whole=True, description="Số năm công tác tối thiểu làm Bí thư", **slider)
        c["seniority_pho_bi_thu"] = decimal_slider(
            float(own.get("pho_bi_thu", seniority.get("pho_bi_thu", {}).get("min_years_service", 0))),
            0, 30, 0.5, whole=True, description="Số năm công tác tối thiểu làm Phó Bí thư", **slider)
        c["min_years_left"] = decimal_slider(
            float(base.rules.years_left.min_years if base.rules.years_left.min_years is not None
                  else P.get("rotation.min_years_left")),
            0, 20, 0.5, whole=True, description="Số năm công tác còn lại tối thiểu", **slider)
        for k, label in _WEIGHT_LABELS.items():
            c[f"weight_{k}"] = decimal_slider(float(getattr(base.weights, k)), 0, 3, 0.1, description=label,
                                              **slider)
        rules = [r for r in RULE_LABELS if base.merger is not None or r not in _MERGER_RULES]
        for r in rules:
            c[f"rule_{r}"] = w.Checkbox(value=bool(getattr(base.rules, r).enabled), description=RULE_LABELS[r],
                                        indent=False, layout=w.Layout(width="360px"))
        c["strict"] = w.Checkbox(value=bool(base.strict), indent=False, layout=w.Layout(width="520px"),
                                 description="Bắt buộc đáp ứng đủ số lượng, số nữ và chỉ định (chế độ chặt)")
        options = self._pair_options()
        sel = dict(rows=7, layout=w.Layout(width="98%"), style={"description_width": "initial"})
        c["pins"] = w.SelectMultiple(options=options, value=self._known(options, base.pins),
                                     description="Chỉ định bắt buộc (giữ Ctrl để chọn nhiều)", **sel)
        c["bans"] = w.SelectMultiple(options=options, value=self._known(options, base.bans),
                                     description="Cặp không được bố trí (giữ Ctrl để chọn nhiều)", **sel)
        for name, ctl in c.items():
            ctl.add_class(f"kimson-{name.replace('_', '-')}")
        self.controls = c

        # outputs
        self.diagnosis = w.HTML("")
        self.diagnosis.add_class("kimson-diagnosis")
        self.plan = w.HTML("")
        self.plan.add_class("kimson-assignments")
        self.others = {k: w.HTML("") for k in ("alternatives", "unfilled", "unused", "binding", "charts", "legal")}
        tabs = w.Tab(children=list(self.others.values()))
        for i, t in enumerate(["Phương án thay thế", "Vị trí chưa bố trí", "Ứng viên chưa chọn",
                               "Ràng buộc đang chặt", "Biểu đồ", "Căn cứ pháp lý"]):
            tabs.set_title(i, t)
        self.tabs = tabs
        self._drawn = self._chart_of = None
        tabs.observe(lambda _c: self._draw_chart(), names="selected_index")

        out = REPO_ROOT / "reports"
        self._build_form(base, stem=self.name, example="data/scenarios/sap-xep-2025.yaml", files=_files,
                         externals=self._externals(c, rules, P), choices=self._choices(), validate=self._validate)
        self.reporter = ReportButton(NOTEBOOK, self._report_parameters,
                                     os.path.relpath(out / "ung-dung" / self.name, REPO_ROOT))

        box = w.Layout(flex_flow="row wrap", align_items="flex-start")
        col = w.Layout(margin="0 24px 0 0")
        request = w.VBox([w.HTML("<b>Yêu cầu</b>"), c["as_of"], c["n_bi_thu"], c["n_pho_bi_thu"], c["min_women"],
                          c["max_per_unit"], c["alternatives"], c["strict"]], layout=col)
        numbers = w.VBox([w.HTML("<b>Tiêu chuẩn và trọng số</b>"), c["seniority_bi_thu"], c["seniority_pho_bi_thu"],
                          c["min_years_left"], *(c[f"weight_{k}"] for k in _WEIGHT_LABELS)], layout=col)
        switches = w.VBox([w.HTML("<b>Quy định áp dụng</b>"), *(c[f"rule_{r}"] for r in rules)], layout=col)
        pairs = w.VBox([c["pins"], c["bans"]], layout=w.Layout(width="100%"))
        controls = [w.HBox([request, numbers, switches], layout=box),
                    w.Accordion(children=[pairs], titles=("Chỉ định và loại trừ từng cặp cán bộ – vị trí",)),
                    self.form_box]
        self.exporter = ExportButton(self._export_tables, os.path.relpath(out / "xuat" / self.name, REPO_ROOT),
                                     "luan-chuyen", submission=self._submission)
        self._assemble(controls,
                       [self.diagnosis, w.HTML("<h3>Phương án luân chuyển</h3>"), self.plan, self.tabs],
                       [self.files.opener, self.saver.widget, self.exporter.widget, self.reporter.widget])
        self.observe(*c.values())
        if _first_run:
            self.refresh()

    def _export_tables(self):
        """Title, Vietnamese tables of the plan on screen and the scenario writer, for "Xuất Excel và PDF"."""
        from kimson_ds.papers.report import legal_basis_table, references_frame

        res = self.result
        if res is None:
            raise ScenarioError("Chưa có phương án để xuất; hãy sửa các lựa chọn cho đến khi có kết quả.")
        vi = rotation.vietnamese
        t = res.tables
        sheets = {
            "Chẩn đoán": pd.DataFrame({"Chẩn đoán": [x.removeprefix("- ") for x in res.diagnosis]}),
            "Phương án": vi(res.assignments.reindex(columns=_PLAN_COLUMNS)),
            "Phương án thay thế": vi(res.alternatives.drop(columns=["removed_ids", "added_ids"], errors="ignore")),
            "Vị trí chưa bố trí": vi(t["unfilled"]),
            "Ứng viên chưa chọn": vi(t["unused"]),
            "Căn cứ pháp lý": legal_basis_table(references_frame(res.problem.params)),
        }
        return self.scenario().name, sheets, lambda path: dump_scenario(self.scenario(), path)

    def _submission(self):
        return rotation_proposal(self._result_or_error()).submission

    # ----------------------------------------------------------------- open a scenario file
    def _open_file(self, path: Path) -> bool:
        """Rebuild the controls from a rotation scenario file (its posts and people give the pairs) and re-solve."""
        sc = rotation.load_rotation_scenario(path)
        box, runs = self.widget, self.runs
        self.__init__(self.full if self.full is not None else self.ds, sc, dataset_path=self.dataset_path,
                      scenario_name=path.stem, _first_run=False, _files=self.files)
        box.children, self.widget = self.widget.children, box  # the page keeps showing the same box
        self.runs = runs
        return self.refresh()

    def state(self, day):
        """The organisation on ``day`` (the dataset of `kimson-ds rotate` for that scenario date), kept."""
        if day not in self._states:
            self._states[day] = dataset_on(self.full, day)
        return self._states[day]

    # ----------------------------------------------------------------- the form
    def _externals(self, c: dict, rules: list[str], P) -> dict[str, External]:
        """The scenario fields shown among the quick controls above the form."""
        seniority = P.get("rotation.seniority")

        def shown(widget, default=None, *, none_if_zero: bool = False):
            # a field the file leaves empty shows ``default`` (the regulation's value) and stays empty
            # while the control keeps showing it, so an opened file is saved back unchanged
            unset: list = [None]

            def get(x):
                if unset[0] is not None and x.value == unset[0]:
                    return None
                return (x.value or None) if none_if_zero else x.value

            def put(x, v):
                unset[0] = default if v is None else None
                x.value = default if v is None else v

            return External(widget, get=get, put=put)

        def years(title: str) -> float:
            return float(seniority.get(title, {}).get("min_years_service", 0))

        ext = {
            "as_of": External(c["as_of"], put=lambda x, v: put_option(x, v, v.strftime("%d/%m/%Y"))),
            "posts.counts.bi_thu": shown(c["n_bi_thu"], 0, none_if_zero=True),
            "posts.counts.pho_bi_thu": shown(c["n_pho_bi_thu"], 0, none_if_zero=True),
            "rules.gender.min_women": shown(c["min_women"], 0),
            "rules.source_units.max_per_unit": shown(c["max_per_unit"], 0, none_if_zero=True),
            "rules.seniority.min_years_service.bi_thu": shown(c["seniority_bi_thu"], years("bi_thu")),
            "rules.seniority.min_years_service.pho_bi_thu": shown(c["seniority_pho_bi_thu"], years("pho_bi_thu")),
            "rules.years_left.min_years": shown(c["min_years_left"], float(P.get("rotation.min_years_left"))),
            "alternatives": shown(c["alternatives"]),
            "strict": shown(c["strict"]),
            "pins": External(c["pins"], get=_pairs_of, put=_put_pairs),
            "bans": External(c["bans"], get=_pairs_of, put=_put_pairs),
            **{f"weights.{k}": shown(c[f"weight_{k}"]) for k in _WEIGHT_LABELS},
            **{f"rules.{r}.enabled": shown(c[f"rule_{r}"]) for r in rules},
        }
        return ext

    def _choices(self) -> dict:
        """Titles, posts, units and people the form's lists are chosen from."""
        from kimson_ds.data.codes import TITLE

        titles = [(label, code) for code, label in TITLE.items()]
        ds = self.full if self.full is not None else self.ds
        units = ds["units"].sort_values(["name", "unit_id"])
        unit_opts = [(f"{n} ({u})", u) for u, n in zip(units["unit_id"], units["name"], strict=True)]
        names = ds["units"].set_index("unit_id")["name"]
        pos = ds["positions"].sort_values("position_id")
        post_opts = [(f"{TITLE.get(t, t)} — {names.get(u, u)} ({p})", p)
                     for p, t, u in zip(pos["position_id"], pos["title"], pos["unit_id"], strict=True)]
        cad = ds["cadres"].sort_values(["full_name", "cadre_id"], kind="mergesort")
        people = [(f"{n} ({i})", i) for i, n in zip(cad["cadre_id"], cad["full_name"], strict=True)]
        return {"posts.counts": titles, "rules.seniority.min_years_service": titles, "rules.seniority.min_rank": titles,
                "rules.gender.per_title": titles, "posts.position_ids": post_opts, "posts.units": unit_opts,
                "candidates.cadres_of": unit_opts, "merger.district_units": unit_opts, "candidates.key_holders_of": unit_opts,
                "candidates.cadre_ids": people}

    def _validate(self, data: dict) -> rotation.RotationScenario:
        """The scenario of the form, validated as `kimson-ds rotate` validates the file; the files it
        names (pair scores, baseline) stay reachable from wherever it is saved."""
        new = parse_scenario(data, rotation.RotationScenario, "các ô nhập của biểu mẫu")
        for key in ("pair_scores", "baseline"):
            if getattr(new, key):
                setattr(new, key, str(self.base.path(getattr(new, key)).resolve()))
        new._base_dir = self.base._base_dir
        return new

    # ----------------------------------------------------------------- scenario
    def _pair_options(self) -> list[tuple[str, tuple[str, str]]]:
        """Every candidate–post pair of the starting scenario, labelled in Vietnamese."""
        pb = rotation.prepare(self.ds, self.base)
        e = pb.elig[~pb.elig["fail_holder"]]
        c = pb.cands.set_index("cadre_id")["full_name"]
        p = pb.posts.set_index("post_id")
        labels = (e["cadre_id"].map(c).astype(str) + " (" + e["cadre_id"] + ") → "
                  + e["post_id"].map(p["title_label"]).astype(str) + " " + e["post_id"].map(p["unit_name"]).astype(str))
        frame = pd.DataFrame({"label": labels.to_numpy(), "c": e["cadre_id"].to_numpy(), "p": e["post_id"].to_numpy()})
        frame = frame.sort_values(["label", "c", "p"], kind="mergesort")
        return list(zip(frame["label"], zip(frame["c"], frame["p"], strict=True), strict=True))

    @staticmethod
    def _known(options, pairs) -> tuple:
        values = {v for _, v in options}
        return tuple(v for v in ((p.cadre_id, p.post_id) for p in pairs) if v in values)

    def _report_parameters(self, out_dir: Path) -> dict:
        """Save the scenario next to the report and return notebook 30's parameters for it."""
        sc = self.scenario()
        path = dump_scenario(sc, Path(out_dir) / "kich-ban.yaml")
        counts = sc.posts.counts or {}
        svc = sc.rules.seniority.min_years_service
        return {
            "dataset": str(self.dataset_path),
            "scenario": str(path.resolve()),
            "n_bi_thu": int(counts.get("bi_thu", 0)),
            "n_pho_bi_thu": int(counts.get("pho_bi_thu", 0)),
            "min_women": int(sc.rules.gender.min_women or 0),
            "seniority_years_bi_thu": float(svc.get("bi_thu", self.controls["seniority_bi_thu"].value)),
            "seniority_years_pho_bi_thu": float(svc.get("pho_bi_thu", self.controls["seniority_pho_bi_thu"].value)),
            "alternatives": int(sc.alternatives),
        }

    # ----------------------------------------------------------------- refresh
    def compute(self) -> rotation.RotationResult:
        sc = self.scenario()
        return rotation.resolve(self.state(sc.as_of) if self.full is not None else self.ds, sc)

    def status_text(self, result) -> str:
        if result is None:
            return ""
        n = len(result.assignments)
        verdict = "đáp ứng đầy đủ các quy tắc" if result.feasible else "yêu cầu KHÔNG thực hiện được đầy đủ"
        return f"{n} người được bố trí; {verdict}."

    def render(self, result: rotation.RotationResult) -> None:
        cls = "kimson-diag" + ("" if result.feasible else " kimson-infeasible")
        body = diagnosis_html(result.diagnosis)
        self.diagnosis.value = (f'<div class="{cls}" data-feasible="{int(result.feasible)}">'
                                f"<b>Chẩn đoán:</b> {body}</div>")
        plan = result.assignments.reindex(columns=_PLAN_COLUMNS)
        caption = "Phương án tối ưu" if result.feasible else "Phương án nới lỏng (chưa đáp ứng đủ yêu cầu)"
        self.plan.value = table_html(rotation.vietnamese(plan), caption)
        t = result.tables
        vi = rotation.vietnamese
        alts = result.alternatives.drop(columns=["removed_ids", "added_ids"], errors="ignore")
        self.others["alternatives"].value = table_html(vi(alts),
                                                       "Các phương án tốt nhất và khác biệt so với phương án tối ưu")
        self.others["unfilled"].value = table_html(vi(t["unfilled"]), "Vị trí chưa bố trí")
        self.others["unused"].value = table_html(vi(t["unused"]), "Ứng viên chưa được chọn và lý do")
        self.others["binding"].value = table_html(vi(t["binding"]), "Ràng buộc đang chặt (đạt đúng giới hạn)")
        self._chart_of = result  # the chart is drawn only when its tab is open (≈ 0.07 s saved per change)
        self._draw_chart()
        self.others["legal"].value = legal_basis_html(result.problem.params)

    def _draw_chart(self) -> None:
        keys = list(self.others)
        res = self._chart_of
        if res is None or self.tabs.selected_index != keys.index("charts") or self._drawn is res:
            return
        try:
            self.others["charts"].value = self._charts(res)
        except Exception as exc:  # noqa: BLE001 - shown in the tab
            self.others["charts"].value = error_html(exc, "Không vẽ được biểu đồ")
        self._drawn = res

    @staticmethod
    def _charts(result: rotation.RotationResult) -> str:
        from matplotlib.figure import Figure

        # The same counts and labels as notebook 30 and the report (eligibility.exclusion_counts).
        counts = exclusion_counts(result.problem.elig)
        if not len(counts):
            return "<p>Không có cặp ứng viên – vị trí nào bị loại bởi các quy định đang bật.</p>"
        fig = Figure(figsize=(7, 0.45 * len(counts) + 1.2))
        ax = fig.add_subplot()
        ax.barh(counts.index, counts.to_numpy(), color="#8c2d04")
        ax.set_xlabel("Số cặp ứng viên – vị trí bị loại")
        ax.set_title("Quy định loại các cặp ứng viên – vị trí")
        fig.tight_layout()
        return figure_html(fig, "Quy định loại các cặp ứng viên – vị trí")


def diagnosis_html(lines: list[str]) -> str:
    """The diagnosis lines in their order: a sentence per block, ``- `` items as a list, ``  + ``
    sub-items nested under the item before them (as the library and the CLI's diagnosis.txt write them)."""
    out, depth = [], 0
    for line in lines:
        level = 2 if line.startswith("  + ") else 1 if line.startswith("- ") else 0
        text = html.escape(line.strip().removeprefix("- ").removeprefix("+ "))
        while depth > level:
            out.append("</li></ul>")
            depth -= 1
        if level and depth == level:
            out.append(f"</li><li>{text}")
        elif level:
            out.extend(["<ul><li>"] * (level - depth))
            out.append(text)
            depth = level
        else:
            out.append(f"<div>{text}</div>")
    out.extend(["</li></ul>"] * depth)
    return "".join(out)


def _pairs_of(widget) -> list[dict]:
    return [{"cadre_id": a, "post_id": b} for a, b in widget.value]


def _put_pairs(widget, pairs) -> None:
    """Select the (cadre, post) pairs of a file; a pair the data does not offer is added and marked."""
    values = [(p["cadre_id"], p["post_id"]) for p in (pairs or [])]
    known = {v for _, v in widget.options}
    extra = [(f"{a} → {b} (không có trong các cặp đủ điều kiện)", (a, b)) for a, b in values if (a, b) not in known]
    if extra:
        widget.options = [*widget.options, *extra]
    widget.value = tuple(values)


def rotation_panel(dataset: str | os.PathLike | Dataset | None = None,
                   scenario: str | os.PathLike | rotation.RotationScenario = "data/scenarios/luan-chuyen-2016.yaml",
                   ) -> Panel:
    """Build the rotation explorer (never raises: a problem becomes a Vietnamese message panel).

    Parameters
    ----------
    dataset : path or Dataset
        Folder of CSV files or ``.xlsx`` (relative paths also from the repository root).
    scenario : path or RotationScenario
        Starting scenario YAML.
    """
    try:
        if isinstance(dataset, Dataset):
            ds, path = dataset, dataset.path
        else:
            path = find_dataset(default_dataset(dataset))
            ds = load_dataset(path)
        if isinstance(scenario, rotation.RotationScenario):
            sc, name = scenario, None
        else:
            p = Path(scenario)
            p = p if p.exists() else REPO_ROOT / p
            sc, name = rotation.load_rotation_scenario(p), p.stem
        return RotationPanel(ds, sc, dataset_path=path, scenario_name=name)
    except Exception as exc:  # noqa: BLE001 - shown in the page
        return ErrorPanel(exc, "Không mở được bảng điều khiển luân chuyển")



def merger_panel(dataset: str | os.PathLike | Dataset | None = None,
                 scenario: str | os.PathLike | rotation.RotationScenario = "data/scenarios/sap-xep-2025.yaml",
                 ) -> Panel:
    """The merger staffing explorer: the rotation explorer opened on a merger scenario (sắp xếp đơn vị
    hành chính: new communes, their predecessors, who is placed, who is surplus)."""
    return rotation_panel(dataset, scenario)
