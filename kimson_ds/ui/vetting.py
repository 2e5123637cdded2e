"""Vetting panel: a batch of proposals checked against the dated checklist.

Every change runs :func:`kimson_ds.vetting.checklist.read_proposals` and
:func:`kimson_ds.vetting.checklist.vet` exactly as notebook 50 (and ``kimson-ds vet``) do.
"""

from __future__ import annotations

import pandas as pd

from kimson_ds.data.io import Dataset
from kimson_ds.errors import ScenarioError
from kimson_ds.papers.report import REPO_ROOT, table_html
from kimson_ds.ui.common import (
    ErrorPanel,
    NotebookPanel,
    Panel,
    date_vi,
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
        self._assemble([w.VBox(list(c.values()))], [self.summary, tabs], buttons)
        self.observe(*c.values())
        self.refresh()

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
        path = str(found)
        if self._batch is None or self._batch[0] != path:  # the file is read once per name
            self._batch = (path, vetting.read_proposals(path, self.ds))
        overrides = {"vetting.min_rating_years": p["min_rating_years"]} if p["min_rating_years"] > 0 else None
        return self._batch[1], vetting.vet(self.ds, self._batch[1], as_of=p["as_of"], overrides=overrides)

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
