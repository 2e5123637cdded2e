"""Vetting panel: a batch of proposals checked against the dated checklist.

Every change runs :func:`kimson_ds.vetting.checklist.read_proposals` and
:func:`kimson_ds.vetting.checklist.vet` exactly as notebook 50 (and ``kimson-ds vet``) do.

"Thêm đề xuất" is a form for one more proposal (cadre, action, post and term
chosen from lists): the row is checked by
:func:`kimson_ds.vetting.checklist.parse_proposals`, added to the batch on
screen and vetted with it; "Lưu danh sách đề xuất" writes the whole batch as
the CSV that ``kimson-ds vet --proposals`` accepts and points the panel at it.
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from kimson_ds.data.codes import TITLE
from kimson_ds.data.excel import PROPOSAL_TERMS
from kimson_ds.data.io import Dataset
from kimson_ds.errors import ScenarioError
from kimson_ds.papers.report import REPO_ROOT, table_html
from kimson_ds.ui.common import (
    ErrorPanel,
    NotebookPanel,
    Panel,
    SaveButton,
    date_vi,
    error_html,
    legal_basis_html,
    load_for_panel,
    parse_date_vi,
    repo_file,
)
from kimson_ds.vetting import checklist as vetting

__all__ = ["VettingPanel", "vetting_panel"]


class VettingPanel(NotebookPanel):
    """Controls of notebook 50 (``proposals``, ``as_of``, ``min_rating_years``) with live verdicts."""

    title = "Thẩm định đề xuất nhân sự — kiểm tra từng tiêu chí"
    notebook = REPO_ROOT / "notebooks" / "50-kiem-tra.ipynb"

    def __init__(self, ds: Dataset, *, proposals: str = "data/scenarios/de-xuat-mau.csv", as_of: str = "2020-08-01",
                 min_rating_years: int = 0, dataset_path=None) -> None:
        super().__init__()
        w = self._w
        self.ds = ds
        self.dataset_path = dataset_path if dataset_path is not None else ds.path
        self._batch: tuple[str, pd.DataFrame] | None = None
        style = {"description_width": "300px"}
        c = {
            "proposals": w.Text(value=proposals, continuous_update=False, description="Tệp đề xuất (.csv hoặc .xlsx)",
                                style=style, layout=w.Layout(width="720px")),
            # a text field, not a DatePicker: the browser's date picker shows mm/dd/yyyy in an en-US browser
            "as_of": w.Text(value=date_vi(as_of), placeholder="ngày/tháng/năm", continuous_update=False,
                            description="Ngày rà soát người đang giữ chức vụ (ngày/tháng/năm)",
                            style=style, layout=w.Layout(width="520px")),
            "min_rating_years": w.BoundedIntText(value=int(min_rating_years), min=0, max=10,
                                                 description="Số năm xếp loại tốt liền kề (0: theo quy định)",
                                                 style=style, layout=w.Layout(width="420px")),
        }
        for name, ctl in c.items():
            ctl.add_class(f"kimson-{name.replace('_', '-')}")
        self.controls = c
        self.summary = w.HTML("")
        self.summary.add_class("kimson-summary")
        self.sections = {k: w.HTML("") for k in ("verdicts", "checklist", "conflicts", "legal")}
        tabs = w.Tab(children=list(self.sections.values()))
        for i, t in enumerate(["Kết luận", "Phiếu thẩm định", "Xung đột người thân", "Căn cứ pháp lý"]):
            tabs.set_title(i, t)
        self.tabs = tabs
        buttons = self._buttons("tham-dinh")
        self.added = pd.DataFrame()
        form = self._proposal_form()
        self._assemble([w.VBox(list(c.values())), form], [self.summary, tabs], buttons)
        self.observe(*c.values())
        self.refresh()

    # ----------------------------------------------------------------- proposal form
    def _proposal_form(self):
        w = self._w
        ds = self.ds
        cad = ds["cadres"].sort_values(["full_name", "cadre_id"], kind="mergesort")
        pos = ds["positions"].merge(ds["units"][["unit_id", "name"]], on="unit_id", how="left")
        pos = pos.assign(label=pos["title"].map(TITLE).fillna(pos["title"]) + " – " + pos["name"].fillna(pos["unit_id"])
                         + " (" + pos["position_id"] + ")").sort_values("label", kind="mergesort")
        style = {"description_width": "160px"}
        wide = w.Layout(width="640px")
        f = {
            "proposal_id": w.Text(description="Mã đề xuất", placeholder="ví dụ DX20", style=style,
                                  layout=w.Layout(width="360px")),
            "cadre_id": w.Dropdown(options=list(zip(cad["full_name"] + " (" + cad["cadre_id"] + ")", cad["cadre_id"],
                                                    strict=True)), value=None, description="Cán bộ", style=style,
                                   layout=wide),
            "action": w.Dropdown(options=[(v, k) for k, v in vetting.ACTIONS.items()], value="bo_nhiem",
                                 description="Hình thức đề xuất", style=style, layout=w.Layout(width="420px")),
            "position_id": w.Dropdown(options=list(zip(pos["label"], pos["position_id"], strict=True)), value=None,
                                      description="Vị trí đề xuất", style=style, layout=wide),
            "term": w.Dropdown(options=[("(không ghi)", "")] + [(t, t) for t in PROPOSAL_TERMS], value="",
                               description="Nhiệm kỳ", style=style, layout=w.Layout(width="360px")),
            "effective_date": w.Text(description="Ngày hiệu lực", placeholder="ngày/tháng/năm", style=style,
                                     layout=w.Layout(width="360px")),
            "note": w.Text(description="Ghi chú", style=style, layout=wide),
        }
        for name, ctl in f.items():
            ctl.add_class(f"kimson-new-{name.replace('_', '-')}")
        self.form = f
        add = w.Button(description="Thêm đề xuất", button_style="primary",
                       tooltip="Kiểm tra đề xuất này và thẩm định cùng cả đợt")
        add.add_class("kimson-add-proposal")
        add.on_click(lambda _b: self.add_proposal())
        self.form_message = w.HTML("")
        self.form_message.add_class("kimson-form-message")
        self.batch_saver = SaveButton(self._save_batch, "reports/kich-ban/de-xuat.csv", suffixes=(".csv",),
                                      what="Tệp đề xuất")
        self.batch_saver.button.description = "Lưu danh sách đề xuất"
        self.batch_saver.button.tooltip = "Ghi cả đợt đề xuất (kể cả các đề xuất vừa thêm) thành tệp CSV cho lệnh kimson-ds vet"
        self.batch_saver.path.description = "Tệp đề xuất:"
        self.batch_saver.button.remove_class("kimson-save")
        self.batch_saver.button.add_class("kimson-save-batch")
        self.batch_saver.path.remove_class("kimson-save-path")
        self.batch_saver.path.add_class("kimson-save-batch-path")
        box = w.VBox([*f.values(), add, self.form_message, self.batch_saver.widget])
        return w.Accordion(children=[box], titles=("Thêm đề xuất mới vào đợt",))

    def add_proposal(self) -> bool:
        """Check the form's proposal, add it to the batch and vet again; False (with a message) when refused."""
        f = self.form
        try:
            pid = str(f["proposal_id"].value).strip()
            if not pid:
                raise ScenarioError("Hãy nhập mã đề xuất (ví dụ DX20).")
            if f["cadre_id"].value is None or f["position_id"].value is None:
                raise ScenarioError("Hãy chọn cán bộ và vị trí đề xuất trong danh sách.")
            day = parse_date_vi(f["effective_date"].value)
            taken = set(self.added.get("proposal_id", [])) | set(self._file_batch()["proposal_id"])
            if pid in taken:
                raise ScenarioError(f"Mã đề xuất '{pid}' đã có trong đợt; hãy dùng mã khác.")
            post = self.ds["positions"].set_index("position_id").loc[f["position_id"].value]
            new = pd.DataFrame([{"proposal_id": pid, "cadre_id": f["cadre_id"].value, "action": f["action"].value,
                                 "position_id": f["position_id"].value, "target_title": post["title"],
                                 "target_unit_id": post["unit_id"], "term": f["term"].value,
                                 "effective_date": day.isoformat(), "note": f["note"].value}])
            # checked together with the batch on screen, so every batch-level check (duplicates, …) applies
            raw = pd.concat([self._raw(self.batch()), new], ignore_index=True)
            rows = np.arange(len(raw)) + 2
            row = vetting.parse_proposals(raw, self.ds, source="biểu mẫu thêm đề xuất", rows=rows).tail(1)
        except Exception as exc:  # noqa: BLE001 - shown in the form
            self.form_message.value = error_html(exc, "Chưa thêm được đề xuất")
            return False
        row = row.assign(row=0)
        self.added = pd.concat([self.added, row], ignore_index=True)
        self.form_message.value = (f'<span class="kimson-ok">Đã thêm đề xuất {html.escape(pid)} vào đợt '
                                   f"({len(self.added)} đề xuất thêm trên màn hình).</span>")
        f["proposal_id"].value = ""
        return self.refresh()

    def _file_batch(self) -> pd.DataFrame:
        path = str(repo_file(self.controls["proposals"].value.strip()))
        if self._batch is None or self._batch[0] != path:  # the file is read once per name
            self._batch = (path, vetting.read_proposals(path, self.ds))
        return self._batch[1]

    def batch(self) -> pd.DataFrame:
        """The proposals vetted on screen: the file's, then those added in the form."""
        base = self._file_batch()
        return base if self.added.empty else pd.concat([base, self.added], ignore_index=True)

    @staticmethod
    def _raw(batch: pd.DataFrame) -> pd.DataFrame:
        """A parsed batch back as the cells of a proposals file (codes, ISO dates)."""
        out = pd.DataFrame({code: batch[code] for code in vetting.PROPOSAL_COLUMNS if code in batch.columns})
        out["effective_date"] = pd.to_datetime(out["effective_date"]).dt.strftime("%Y-%m-%d")
        return out.astype(object).where(out.notna(), "")

    def _save_batch(self, path: Path) -> Path:
        self._raw(self.batch()).to_csv(path, index=False, encoding="utf-8")
        self.added = pd.DataFrame()
        self.controls["proposals"].value = str(path)  # the saved file is now the batch (refreshes)
        return path

    def notebook_parameters(self) -> dict:
        c = self.controls
        text = str(c["as_of"].value).strip()
        day = parse_date_vi(text).isoformat() if text else ""
        return {"dataset": str(self.dataset_path), "proposals": c["proposals"].value.strip(),
                "as_of": day, "min_rating_years": int(c["min_rating_years"].value)}

    def compute(self):
        p = self.notebook_parameters()
        if not p["as_of"]:
            raise ScenarioError("Hãy nhập ngày rà soát (ngày/tháng/năm).")
        found = repo_file(p["proposals"])
        if not found.is_file():
            raise ScenarioError(f"Không tìm thấy tệp đề xuất '{p['proposals']}'.")
        batch = self.batch()
        overrides = {"vetting.min_rating_years": p["min_rating_years"]} if p["min_rating_years"] > 0 else None
        return batch, vetting.vet(self.ds, batch, as_of=p["as_of"], overrides=overrides)

    def status_text(self, result) -> str:
        if result is None:
            return ""
        counts = result[1].verdicts["verdict_vi"].value_counts()
        return ", ".join(f"{counts.get(k, 0)} {k.lower()}" for k in ("Đạt", "Không đạt", "Cần xem xét")) + "."

    def render(self, result) -> None:
        batch, res = result
        v = res.verdicts
        self.summary.value = f"<p><b>{len(v)}</b> đề xuất: {self.status_text(result)}</p>"
        self.sections["verdicts"].value = table_html(v[[
            "proposal_id", "full_name", "action_vi", "post", "effective_date", "verdict_vi", "failed_items",
            "review_items"]].rename(columns={
                "proposal_id": "Mã đề xuất", "full_name": "Họ và tên", "action_vi": "Hình thức",
                "post": "Chức danh đề xuất", "effective_date": "Ngày hiệu lực", "verdict_vi": "Kết luận",
                "failed_items": "Mục không đạt", "review_items": "Mục cần xem xét"}), "Kết luận thẩm định")
        grid = res.checklist.pivot(index="proposal_id", columns="item", values="status_vi")
        grid = grid.reindex(index=v["proposal_id"], columns=list(vetting.ITEMS)).rename(columns=vetting.ITEMS)
        self.sections["checklist"].value = table_html(grid.rename_axis("Mã đề xuất").reset_index(),
                                                      "Phiếu thẩm định: kết quả từng mục")
        c = res.conflicts
        self.sections["conflicts"].value = table_html(c.reindex(columns=[
            "kind_vi", "post_a", "name_a", "post_b", "name_b", "relation_vi", "rule_vi", "reference"]).rename(columns={
                "kind_vi": "Loại", "post_a": "Chức vụ A", "name_a": "Người A", "post_b": "Chức vụ B",
                "name_b": "Người B", "relation_vi": "B là … của A", "rule_vi": "Quy định bị vi phạm",
                "reference": "Căn cứ"}), f"Xung đột người thân (ngày {res.as_of:%d/%m/%Y} và do đợt đề xuất)")
        self.sections["legal"].value = legal_basis_html(res.params)


def vetting_panel(dataset=None, proposals: str = "data/scenarios/de-xuat-mau.csv", as_of: str = "2020-08-01",
                  min_rating_years: int = 0) -> Panel:
    """Build the vetting explorer (never raises: a problem becomes a Vietnamese message panel)."""
    try:
        ds, path = load_for_panel(dataset)
        return VettingPanel(ds, proposals=proposals, as_of=as_of, min_rating_years=min_rating_years,
                            dataset_path=path)
    except Exception as exc:  # noqa: BLE001 - shown in the page
        return ErrorPanel(exc, "Không mở được bảng điều khiển thẩm định")
