"""Ballot-count panel: staff type the counts of each step and see at once who goes on.

The form holds, for the chosen procedure, one row per step with a ballot
(members summoned, present, ballots issued, returned, valid) and one vote field
per person. Every change runs :func:`kimson_ds.procedure.steps.evaluate_procedures`
on the dataset with the form's counts in place of the recorded ones: the same
consistency checks (a wrong count is named in Vietnamese), the same thresholds and
references as ``kimson-ds kiem-phieu`` and notebook 60. "Lập biên bản" writes the
minutes of the counts on screen (Word and HTML) under ``reports/``; the dataset
itself is never changed.
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from kimson_ds.data.io import Dataset
from kimson_ds.papers.report import table_html
from kimson_ds.procedure.steps import evaluate_procedures
from kimson_ds.procedure.tally import step_definitions
from kimson_ds.ui.common import ErrorPanel, Panel, load_for_panel

__all__ = ["ProcedurePanel", "procedure_panel"]

_COUNTS = (("members", "Triệu tập"), ("present", "Có mặt"), ("issued", "Phát ra"), ("returned", "Thu về"),
           ("valid", "Hợp lệ"))
_SOURCE = "Biểu mẫu kiểm phiếu"


class ProcedurePanel(Panel):
    """Counts of one procedure's ballots, its steps' results and its minutes."""

    title = "Kiểm phiếu quy trình bổ nhiệm, giới thiệu ứng cử"

    def __init__(self, ds: Dataset, *, procedure_id: str = "", out_dir: str | Path = "reports/ung-dung/kiem-phieu"):
        super().__init__()
        w = self._w
        self.ds = ds
        self.out_dir = str(out_dir)
        procs = ds["procedures"].sort_values("procedure_id")
        if procs.empty:
            raise ValueError("Bộ dữ liệu chưa có quy trình nào (trang Quy trình nhân sự trống).")
        units = ds["units"].set_index("unit_id")["name"]
        from kimson_ds.data.codes import TITLE

        options = [(f"{p.procedure_id} — {TITLE.get(p.title, p.title)} {units.get(p.unit_id, p.unit_id)}",
                    p.procedure_id) for p in procs.itertuples(index=False)]
        self.choice = w.Dropdown(options=options, value=procedure_id or options[0][1], description="Quy trình",
                                 layout=w.Layout(width="720px"), style={"description_width": "120px"})
        self.choice.add_class("kimson-procedure")
        self.form = w.VBox()
        self.fields: dict[tuple[int, str], object] = {}
        self.summary = w.HTML("")
        self.summary.add_class("kimson-summary")
        self.steps_html = w.HTML("")
        self.minutes_button = w.Button(description="Lập biên bản", icon="file", button_style="success",
                                       tooltip="Ghi biên bản kiểm phiếu (Word và HTML) của số liệu đang nhập")
        self.minutes_button.add_class("kimson-minutes-button")
        self.minutes_out = w.HTML("")
        self.minutes_button.on_click(lambda _b: self.write_minutes())
        self._assemble([self.choice, self.form], [self.summary, self.steps_html],
                       [self.minutes_button, self.minutes_out])
        self.choice.observe(lambda _c: self._build_form(), names="value")
        self._build_form()

    # ------------------------------------------------------------------ form
    def _build_form(self) -> None:
        w = self._w
        pid = self.choice.value
        proc = self.ds["procedures"].set_index("procedure_id").loc[pid]
        rounds = self.ds["ballot_rounds"]
        rounds = rounds.loc[rounds["procedure_id"] == pid].set_index("step")
        votes = self.ds["ballot_votes"]
        votes = votes.loc[votes["procedure_id"] == pid]
        names = self.ds["cadres"].set_index("cadre_id")["full_name"]
        self.people = sorted(votes["cadre_id"].unique())
        self.steps = [s for s in step_definitions(proc["source"], proc["started_on"]) if s["ballot"] != "khong"]
        self.fields = {}
        rows = []
        small = w.Layout(width="90px")
        for s in self.steps:
            step = s["step"]
            r = rounds.loc[step] if step in rounds.index else None
            boxes = []
            for col, label in _COUNTS:
                value = int(r[col]) if r is not None and not pd.isna(r[col]) else 0
                box = w.BoundedIntText(value=value, min=0, max=100000, description=label, layout=small,
                                       style={"description_width": "initial"})
                box.add_class(f"kimson-step{step}-{col}")
                self.fields[(step, col)] = box
                boxes.append(box)
            for cid in self.people:
                got = votes.loc[(votes["step"] == step) & (votes["cadre_id"] == cid), "votes"]
                box = w.BoundedIntText(value=int(got.iloc[0]) if len(got) else 0, min=0, max=100000,
                                       description=names.get(cid, cid), layout=w.Layout(width="200px"),
                                       style={"description_width": "initial"})
                box.add_class(f"kimson-step{step}-vote-{cid}")
                self.fields[(step, cid)] = box
                boxes.append(box)
            head = w.HTML(f"<b>Bước {step}</b>: {html.escape(s['name_vi'])}")
            rows.append(w.VBox([head, w.HBox(boxes, layout=w.Layout(flex_flow="row wrap"))]))
        self.form.children = rows
        for box in self.fields.values():
            box.observe(lambda _c: self.refresh(), names="value")
        self.refresh()

    def tallies(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The form's ``ballot_rounds`` and ``ballot_votes`` rows of the chosen procedure."""
        pid = self.choice.value
        start = pd.Timestamp(self.ds["procedures"].set_index("procedure_id").loc[pid, "started_on"])
        recorded = self.ds["ballot_rounds"].set_index(["procedure_id", "step"])["held_on"]
        rounds, votes = [], []
        for s in self.steps:
            step = s["step"]
            counts = {col: int(self.fields[(step, col)].value) for col, _ in _COUNTS}
            if counts["members"] == 0:  # a step not held yet
                continue
            held = recorded.get((pid, step), start + pd.Timedelta(days=7 * (step - 1)))
            rounds.append(dict(procedure_id=pid, step=step, held_on=held, **counts))
            votes += [dict(procedure_id=pid, step=step, cadre_id=cid, votes=int(self.fields[(step, cid)].value))
                      for cid in self.people]
        return pd.DataFrame(rounds), pd.DataFrame(votes)

    def _dataset(self) -> Dataset:
        pid = self.choice.value
        rounds, votes = self.tallies()
        tables = dict(self.ds.tables)
        for name, new in (("ballot_rounds", rounds), ("ballot_votes", votes)):
            old = tables[name]
            keep = old.loc[old["procedure_id"] != pid]
            if len(new):
                new = new.astype({c: old[c].dtype for c in new.columns if c in old.columns and c != "held_on"})
            tables[name] = pd.concat([new, keep], ignore_index=True) if len(new) else keep.reset_index(drop=True)
        rows = {**self.ds.rows, "ballot_rounds": np.arange(len(tables["ballot_rounds"])) + 2,
                "ballot_votes": np.arange(len(tables["ballot_votes"])) + 2}
        sources = {**self.ds.sources, "ballot_rounds": f"{_SOURCE} (hội nghị)",
                   "ballot_votes": f"{_SOURCE} (số phiếu)"}
        return Dataset(self.ds.path, tables, sources, rows)

    # ------------------------------------------------------------------ analysis
    def compute(self):
        return evaluate_procedures(self._dataset(), procedure_ids=[self.choice.value])

    def status_text(self, result) -> str:
        return "" if result is None else f"{result.summary.iloc[0]['status_vi']}."

    def render(self, result) -> None:
        s = result.summary.iloc[0]
        who = f" — đề nghị <b>{html.escape(s['proposed_name'])}</b>" if s["proposed_name"] else ""
        warn = f"<p><i>Lưu ý: {html.escape(s['warnings'])}.</i></p>" if s["warnings"] else ""
        self.summary.value = (f"<p><b>{html.escape(s['status_vi'])}</b>{who}. {html.escape(s['reason'])}</p>"
                              f"<p>Cấp có thẩm quyền: {html.escape(s['body_vi'] or 'không xác định')}; hình thức: "
                              f"{html.escape(s['mode_vi'] or 'không xác định')}. Căn cứ: "
                              f"{html.escape(s['reference'])}{' (giả định)' if s['assumption'] else ''}.</p>{warn}")
        st = result.steps
        self.steps_html.value = table_html(st[["step", "collective_vi", "members", "present", "valid", "full_name",
                                               "votes", "share_pct", "decision_vi"]].rename(columns={
            "step": "Bước", "collective_vi": "Hội nghị", "members": "Số được triệu tập", "present": "Số có mặt",
            "valid": "Phiếu hợp lệ", "full_name": "Họ và tên", "votes": "Số phiếu",
            "share_pct": "Tỷ lệ trên tổng số được triệu tập", "decision_vi": "Kết quả"}), "Kết quả từng bước")

    def write_minutes(self, out_dir: str | Path | None = None) -> list[Path]:
        """Write the minutes of the counts on screen; return the files written."""
        from kimson_ds.outputs import confine
        from kimson_ds.papers.minutes import minutes_docx, minutes_html
        from kimson_ds.ui.common import REPORT_ROOTS, error_html

        try:
            if self.result is None:
                raise ValueError("Số liệu kiểm phiếu đang có lỗi: hãy sửa trước khi lập biên bản.")
            folder = confine(out_dir or self.out_dir, REPORT_ROOTS, what="Thư mục biên bản")
            folder.mkdir(parents=True, exist_ok=True)
            s = self.result.summary.iloc[0]
            steps = self.result.steps
            docx = minutes_docx(s, steps, folder / f"bien-ban-{s['procedure_id']}.docx")
            page = folder / f"bien-ban-{s['procedure_id']}.html"
            page.write_text(minutes_html(s, steps), encoding="utf-8")
            self.minutes_out.value = f"Đã ghi biên bản: {html.escape(str(docx))} và {html.escape(page.name)}."
            return [docx, page]
        except Exception as exc:  # noqa: BLE001 - shown in the page
            self.minutes_out.value = error_html(exc)
            return []


def procedure_panel(dataset=None, procedure_id: str = "") -> Panel:
    """Build the ballot-count explorer (never raises: a problem becomes a Vietnamese message panel)."""
    try:
        ds, _path = load_for_panel(dataset)
        return ProcedurePanel(ds, procedure_id=procedure_id)
    except Exception as exc:  # noqa: BLE001 - shown in the page
        return ErrorPanel(exc, "Không mở được bảng kiểm phiếu")
