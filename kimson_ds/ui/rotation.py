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

from kimson_ds.config import dump_scenario
from kimson_ds.data.io import Dataset, load_dataset
from kimson_ds.errors import ScenarioError
from kimson_ds.history.state import dataset_on
from kimson_ds.papers.report import REPO_ROOT, find_dataset, table_html
from kimson_ds.rotation import model as rotation
from kimson_ds.rotation.eligibility import exclusion_counts
from kimson_ds.rules.parameters import parameters
from kimson_ds.ui.common import (
    ErrorPanel,
    ExportButton,
    Panel,
    ReportButton,
    SaveButton,
    date_choices,
    decimal_slider,
    default_dataset,
    error_html,
    figure_html,
    legal_basis_html,
    slug,
)

__all__ = ["NOTEBOOK", "RULE_LABELS", "RotationPanel", "rotation_panel"]

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


class RotationPanel(Panel):
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

    def __init__(self, ds: Dataset, base: rotation.RotationScenario, *, dataset_path=None,
                 scenario_name: str | None = None, _first_run: bool = True) -> None:
        super().__init__()
        w = self._w
        # holders and units of the scenario's date, as `kimson-ds rotate` uses (work history if any)
        self.ds = ds if "history_state" in ds.__dict__ else dataset_on(ds, base.as_of)
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
        c["max_per_unit"] = w.BoundedIntText(value=int(su.max_per_unit if su.max_per_unit is not None else 2),
                                             min=0, max=60, description="Tối đa số người mỗi đơn vị nguồn",
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
        self.saver = SaveButton(self._save, os.path.relpath(out / "kich-ban" / f"{self.name}.yaml", REPO_ROOT))
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
                    ]
        self.opener = self._opener()
        self.exporter = ExportButton(self._export_tables, os.path.relpath(out / "xuat" / self.name, REPO_ROOT),
                                     "luan-chuyen")
        self._assemble(controls,
                       [self.diagnosis, w.HTML("<h3>Phương án luân chuyển</h3>"), self.plan, self.tabs],
                       [self.opener, self.saver.widget, self.exporter.widget, self.reporter.widget])
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

    # ----------------------------------------------------------------- open a scenario file
    def _opener(self):
        w = self._w
        self.open_path = w.Text(value="", placeholder="ví dụ data/scenarios/luan-chuyen-2016.yaml",
                                description="Tệp kịch bản cần mở:", layout=w.Layout(width="440px"),
                                style={"description_width": "initial"})
        self.open_path.add_class("kimson-open-path")
        button = w.Button(description="Mở kịch bản", tooltip="Đọc một tệp kịch bản luân chuyển (YAML) vào các ô nhập")
        button.add_class("kimson-open")
        self.open_out = w.HTML("")
        button.on_click(lambda _b: self.open_scenario(self.open_path.value))
        return w.VBox([w.HBox([self.open_path, button]), self.open_out])

    def open_scenario(self, path) -> bool:
        """Load a rotation scenario file into the form (every control, pins and bans) and re-solve.

        Returns False, with a Vietnamese message under the button, when the file cannot be used.
        """
        try:
            text = str(path).strip()
            if not text:
                raise FileNotFoundError("chưa nhập tên tệp kịch bản")
            p = Path(text).expanduser()
            p = p if p.is_absolute() or p.exists() else REPO_ROOT / p
            sc = rotation.load_rotation_scenario(p)
        except Exception as exc:  # noqa: BLE001 - shown under the button
            self.open_out.value = error_html(exc, "Không mở được kịch bản")
            return False
        box, runs = self.widget, self.runs
        self.__init__(self.ds, sc, dataset_path=self.dataset_path, scenario_name=p.stem, _first_run=False)
        box.children, self.widget = self.widget.children, box  # the page keeps showing the same box
        self.runs = runs
        self.open_path.value = str(text)
        self.open_out.value = f'<span class="kimson-ok">Đã mở kịch bản {html.escape(str(p))}.</span>'
        return self.refresh()

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

    def scenario(self) -> rotation.RotationScenario:
        """The scenario the controls describe (a validated :class:`RotationScenario`)."""
        c = self.controls
        sc = rotation.with_knobs(self.base, n_bi_thu=c["n_bi_thu"].value, n_pho_bi_thu=c["n_pho_bi_thu"].value,
                                 min_women=c["min_women"].value,
                                 seniority_years_bi_thu=c["seniority_bi_thu"].value,
                                 seniority_years_pho_bi_thu=c["seniority_pho_bi_thu"].value)
        data = sc.model_dump()
        data["as_of"] = c["as_of"].value
        for r in RULE_LABELS:
            if f"rule_{r}" in c:
                data["rules"][r]["enabled"] = bool(c[f"rule_{r}"].value)
        data["rules"]["source_units"]["max_per_unit"] = int(c["max_per_unit"].value)
        data["rules"]["years_left"]["min_years"] = float(c["min_years_left"].value)
        for k in _WEIGHT_LABELS:
            data["weights"][k] = round(float(c[f"weight_{k}"].value), 6)
        data["alternatives"] = int(c["alternatives"].value)
        data["strict"] = bool(c["strict"].value)
        data["pins"] = [{"cadre_id": a, "post_id": b} for a, b in c["pins"].value]
        data["bans"] = [{"cadre_id": a, "post_id": b} for a, b in c["bans"].value]
        for key in ("pair_scores", "baseline"):  # keep the files the scenario points at reachable
            if data.get(key):
                data[key] = str(self.base.path(data[key]).resolve())
        new = rotation.RotationScenario.model_validate(data)
        new._base_dir = self.base._base_dir
        return new

    def _save(self, path: Path) -> Path:
        return dump_scenario(self.scenario(), path)

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
        return rotation.resolve(self.ds, self.scenario())

    def status_text(self, result) -> str:
        if result is None:
            return ""
        n = len(result.assignments)
        verdict = "đáp ứng đầy đủ các quy tắc" if result.feasible else "yêu cầu KHÔNG thực hiện được đầy đủ"
        return f"{n} người được bố trí; {verdict}."

    def render(self, result: rotation.RotationResult) -> None:
        cls = "kimson-diag" + ("" if result.feasible else " kimson-infeasible")
        head = [x for x in result.diagnosis if not x.startswith("- ")]
        items = [x[2:] for x in result.diagnosis if x.startswith("- ")]
        body = "".join(f"<div>{html.escape(x)}</div>" for x in head)
        if items:
            body += "<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in items) + "</ul>"
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

