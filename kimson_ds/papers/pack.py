"""The meeting pack (gói tài liệu họp Ban Thường vụ): reports, PDFs and the proposal lists.

:func:`build_pack` builds, from one dataset and one folder of manifests
(``data/scenarios/hop-btv/``), everything the staff bring to a standing
committee meeting::

    OUT/
      index.html               the pack's home page (links every report, PDF and the workbook)
      danh-sach-de-xuat.xlsx   proposal lists from rotation, succession and vetting, ready to print
      pack.json                what the pack was built from (manifests, data fingerprint, timings)
      bao-cao/NN-name.html     each report, through kimson_ds.papers.report.build_report (offline HTML)
      bao-cao/NN-name.pdf      the same report printed by headless Chromium (kimson_ds.papers.pdf)
      bao-cao/NN-name.ipynb    the executed notebook, and NN-name.references.json

Every file opens on an office PC without internet: the reports are checked
with :func:`kimson_ds.papers.report.external_resources`, and so is the index.

Manifest folder
---------------
``goi-tai-lieu.yaml`` (:class:`PackManifest`)
    The meeting: title, date, and the inputs of the proposal lists (a
    rotation scenario, a succession scenario, a batch of proposals to vet).
    Optional: without it the pack has a default title and no lists.
every other ``*.yaml`` (:class:`ReportSpec`, one per report)
    Which notebook (``notebooks/<name>.ipynb``, or a path relative to the
    manifest), with which parameters; ``files`` holds the parameters that are
    paths relative to the manifest. The ``dataset`` parameter is always the
    pack's dataset. Reports are built in file-name order.

One reference date
------------------
A pack is built for one meeting: ``meeting_date`` of ``goi-tai-lieu.yaml``
(default today) is the ``as_of`` of every analysis in it — every notebook
that declares an ``as_of`` parameter receives it, and every proposal list and
Tờ trình runs on it (a scenario's own ``as_of`` is replaced), on the
organisation of that date (:func:`kimson_ds.history.state.dataset_on`). A
manifest that names another ``as_of`` is refused, so the figures of the
reports, the workbook and the Tờ trình are those of one date.

Paths inside the manifests are relative to the manifest folder. Everything
is checked before the first report runs: an unknown key, an unknown notebook
parameter, a missing file or a missing notebook stops the pack at once with
a Vietnamese message (a notebook marked ``required: false`` is skipped and
listed as such in the index instead).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import json
import os
import re
import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import Field

from kimson_ds import __version__
from kimson_ds.config import StrictModel, load_scenario
from kimson_ds.errors import InfeasibleError, ReportError, ScenarioError
from kimson_ds.papers import vi

__all__ = [
    "MANIFEST_NAME",
    "WORKBOOK_NAME",
    "PackManifest",
    "PackPlan",
    "PackResult",
    "ReportSpec",
    "build_pack",
    "index_html",
    "load_pack",
    "proposal_lists",
]

#: File name of the meeting manifest inside the scenarios folder.
MANIFEST_NAME = "goi-tai-lieu.yaml"
#: File name of the proposal-lists workbook.
WORKBOOK_NAME = "danh-sach-de-xuat.xlsx"
#: Sub-folder of the pack holding the reports.
REPORTS_DIR = "bao-cao"
#: Notebooks run side by side by the pack (each in its own kernel; the machine has 2 cores).
PARALLEL_REPORTS = 2

_NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
_CSS = Path(__file__).resolve().parent / "assets" / "report.css"


# =====================================================================
# Manifests
# =====================================================================
class ReportSpec(StrictModel):
    """One report of the pack (one YAML file per report).

    Attributes
    ----------
    notebook : str
        ``30-luan-chuyen`` (a notebook of ``notebooks/``) or a path to an
        ``.ipynb`` relative to the manifest.
    title : str, optional
        Title shown in the index (default: the report's own title).
    parameters : dict
        Notebook parameters (checked against its ``parameters`` cell).
    files : dict of str to str
        Parameters that are file paths relative to the manifest folder.
    pdf : bool
        Also print this report to PDF.
    required : bool
        A missing notebook stops the pack (``True``) or is skipped (``False``).
    """

    notebook: str
    title: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    files: dict[str, str] = Field(default_factory=dict)
    pdf: bool = True
    required: bool = True


class RotationKnobs(StrictModel):
    """The knobs of :func:`kimson_ds.rotation.model.with_knobs` (those the rotation report varies)."""

    n_bi_thu: int | None = Field(None, ge=0)
    n_pho_bi_thu: int | None = Field(None, ge=0)
    min_women: int | None = Field(None, ge=0)
    seniority_years_bi_thu: float | None = Field(None, ge=0)
    seniority_years_pho_bi_thu: float | None = Field(None, ge=0)


class RotationList(StrictModel):
    """Proposal list of rotations: the plan of a rotation scenario."""

    scenario: str
    knobs: RotationKnobs = Field(default_factory=RotationKnobs)
    title: str = "DANH SÁCH ĐỀ XUẤT LUÂN CHUYỂN CÁN BỘ"


class SuccessionList(StrictModel):
    """Proposal list of planning slates: the optimal slates of a planning scenario."""

    scenario: str
    as_of: dt.date | None = None
    term: str | None = None
    title: str = "DANH SÁCH ĐỀ XUẤT QUY HOẠCH CÁN BỘ"


class VettingList(StrictModel):
    """Vetted proposals: the verdict of each proposal of a batch."""

    proposals: str
    as_of: dt.date | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    title: str = "KẾT QUẢ THẨM ĐỊNH ĐỀ XUẤT NHÂN SỰ"


class RatingList(StrictModel):
    """Rating results of one year (the levels the committee confirms)."""

    year: int
    as_of: dt.date | None = None
    title: str = "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CÁN BỘ"


class TrainingList(StrictModel):
    """Training plan: the course schedule of a training scenario."""

    scenario: str
    title: str = "KẾ HOẠCH ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ QUY HOẠCH"


class ListsSpec(StrictModel):
    """Inputs of the proposal lists and Tờ trình; a list left out is not made."""

    rating: RatingList | None = None
    training: TrainingList | None = None
    rotation: RotationList | None = None
    succession: SuccessionList | None = None
    vetting: VettingList | None = None


class PackManifest(StrictModel):
    """The meeting (``goi-tai-lieu.yaml``)."""

    title: str = "Tài liệu họp Ban Thường vụ Huyện ủy"
    meeting: str | None = None
    meeting_date: dt.date | None = None
    unit: str = "Ban Tổ chức Huyện ủy Kim Sơn"
    organisation: str | None = None
    secret: bool = False
    appendix_pdf: bool = False
    lists: ListsSpec = Field(default_factory=ListsSpec)


@dataclass
class ReportPlan:
    """A report manifest, resolved: its notebook (``None`` when missing) and parameters."""

    key: str
    manifest: Path
    spec: ReportSpec
    notebook: Path | None
    parameters: dict[str, Any]


@dataclass
class PackPlan:
    """What :func:`load_pack` read and checked."""

    folder: Path
    manifest: PackManifest
    manifest_path: Path | None
    reports: list[ReportPlan]

    def resolve(self, relative: str) -> Path:
        """A path of the meeting manifest, relative to the scenarios folder."""
        return _resolve(self.folder, relative)


def _resolve(folder: Path, relative: str) -> Path:
    p = Path(relative).expanduser()
    return (p if p.is_absolute() else folder / p).resolve()


def _as_date(value) -> dt.date | None:
    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError):
        return None


def _other_date(where: str, given, day: dt.date) -> str:
    return (f"Tệp '{where}': ngày áp dụng {given} khác ngày họp {vi.date(day)}. Mỗi gói tài liệu dùng một ngày "
            f"tham chiếu (meeting_date trong {MANIFEST_NAME}) cho mọi báo cáo, danh sách và Tờ trình: bỏ as_of "
            "khỏi tệp này, hoặc lập gói cho ngày họp khác.")


def _notebook_path(folder: Path, name: str) -> Path:
    p = Path(name)
    if p.suffix == ".ipynb" or len(p.parts) > 1:
        return _resolve(folder, name)
    return _NOTEBOOKS / f"{name}.ipynb"


def _project_notebook(nb: Path) -> bool:
    """``nb`` is one of the project's own analysis notebooks (``notebooks/*.ipynb``, not through a link)."""
    real = nb.resolve()
    return real.parent == _NOTEBOOKS.resolve() and real.suffix == ".ipynb" and not nb.is_symlink()


def load_pack(scenarios: str | Path, dataset: str | Path | None = None, *,
              allow_notebooks=()) -> PackPlan:
    """Read and check every manifest of a scenarios folder.

    Only the project's own notebooks (``notebooks/*.ipynb``) run; a manifest
    naming any other notebook is refused unless that notebook is listed in
    ``allow_notebooks`` (``kimson-ds pack --allow-notebook FILE``): a
    scenarios folder received from someone else cannot make the pack run
    code the user did not choose.

    Parameters
    ----------
    scenarios : path
        The folder (``data/scenarios/hop-btv``).
    dataset : path, optional
        Injected as the ``dataset`` parameter of every notebook that has one.
    allow_notebooks : iterable of path
        Extra notebooks the user explicitly allows.

    Returns
    -------
    PackPlan

    Raises
    ------
    ScenarioError
        Missing folder, no report manifest, bad manifest, missing file,
        a notebook used twice (exit code 2).
    ReportInputError
        A required notebook is missing, or a parameter is unknown or of the
        wrong type (exit code 2).
    """
    from kimson_ds.papers.report import ReportInputError, notebook_parameters, resolve_parameters

    folder = Path(scenarios).expanduser().resolve()
    allowed = {Path(a).expanduser().resolve() for a in allow_notebooks}
    if not folder.is_dir():
        raise ScenarioError(f"Không tìm thấy thư mục kịch bản '{scenarios}'.")
    mpath = folder / MANIFEST_NAME
    manifest = load_scenario(mpath, PackManifest) if mpath.is_file() else PackManifest()
    missing_files: list[str] = []
    lists = manifest.lists
    for what, rel in (("kịch bản luân chuyển", lists.rotation.scenario if lists.rotation else None),
                      ("kịch bản đào tạo", lists.training.scenario if lists.training else None),
                      ("tệp cơ quan ban hành", manifest.organisation),
                      ("kịch bản quy hoạch", lists.succession.scenario if lists.succession else None),
                      ("tệp đề xuất", lists.vetting.proposals if lists.vetting else None)):
        if rel is not None and not _resolve(folder, rel).is_file():
            missing_files.append(f"{what} '{rel}' (trong {MANIFEST_NAME})")

    day = manifest.meeting_date or dt.date.today()
    for what, spec in (("rating", lists.rating), ("succession", lists.succession), ("vetting", lists.vetting)):
        if spec is not None and spec.as_of is not None and spec.as_of != day:
            raise ScenarioError(_other_date(f"{MANIFEST_NAME} (lists.{what}.as_of)", spec.as_of, day))
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.name != MANIFEST_NAME)
    if not files:
        raise ScenarioError(f"Thư mục '{scenarios}' không có tệp kê khai báo cáo nào (*.yaml ngoài {MANIFEST_NAME}).")
    reports: list[ReportPlan] = []
    missing_nb: list[str] = []
    for path in files:
        spec = load_scenario(path, ReportSpec)
        if "dataset" in spec.parameters or "dataset" in spec.files:
            raise ScenarioError(f"Tệp '{path.name}': không đặt tham số 'dataset' — lệnh pack dùng bộ dữ liệu "
                                "đã chỉ định cho mọi báo cáo.")
        nb = _notebook_path(folder, spec.notebook)
        if nb.is_file() and not _project_notebook(nb) and nb.resolve() not in allowed:
            raise ScenarioError(
                f"Tệp kê khai '{path.name}' yêu cầu chạy notebook '{spec.notebook}' không thuộc các notebook của "
                f"dự án ({_NOTEBOOKS}). Gói tài liệu chỉ chạy notebook của dự án; nếu bạn tin notebook này, "
                f"chạy lại với --allow-notebook {shlex.quote(str(nb))}.")
        if not nb.is_file():
            if spec.required:
                missing_nb.append(f"'{nb}' (kê khai trong {path.name})")
            reports.append(ReportPlan(path.stem, path, spec, None, {}))
            continue
        params = dict(spec.parameters)
        for name, rel in spec.files.items():
            target = _resolve(folder, rel)
            if not target.exists():
                missing_files.append(f"tham số '{name}' = '{rel}' (trong {path.name})")
            params[name] = str(target)
        declared = notebook_parameters(nb)
        if dataset is not None and "dataset" in declared:
            params["dataset"] = str(Path(dataset).expanduser().resolve())
        if "as_of" in declared:  # the pack's one reference date
            given = params.get("as_of")
            if given not in (None, "") and _as_date(given) != day:
                raise ScenarioError(_other_date(path.name, given, day))
            params["as_of"] = day.isoformat()
        try:
            params = resolve_parameters(nb, parameters=params)
        except ReportInputError as exc:
            raise ReportInputError(f"Tệp kê khai '{path.name}': {exc}") from None
        reports.append(ReportPlan(path.stem, path, spec, nb, params))
    if missing_nb:
        raise ReportInputError(
            "Không tìm thấy notebook: " + "; ".join(missing_nb) + ". Kiểm tra tên notebook trong tệp kê khai, "
            "hoặc đặt 'required: false' để bỏ qua báo cáo chưa có."
        )
    if missing_files:
        raise ScenarioError("Không tìm thấy tệp: " + "; ".join(missing_files) + ".")
    stems: dict[str, str] = {}
    for r in reports:
        if r.notebook is None:
            continue
        if r.notebook.stem in stems:
            raise ScenarioError(
                f"Hai tệp kê khai ({stems[r.notebook.stem]}, {r.manifest.name}) cùng chạy notebook "
                f"'{r.notebook.name}'. Mỗi gói chạy mỗi notebook một lần; để so sánh hai phương án, lập hai gói."
            )
        stems[r.notebook.stem] = r.manifest.name
    return PackPlan(folder, manifest, mpath if mpath.is_file() else None, reports)


# =====================================================================
# Proposal lists
# =====================================================================
@dataclass
class ProposalList:
    """One sheet of the workbook."""

    sheet: str
    title: str
    frame: pd.DataFrame
    subtitle: str = ""
    note: str = ""
    summary: str = ""
    ok: bool = True
    parameters: dict = field(default_factory=dict)
    key: str = ""
    submission: Any = None  # kimson_ds.papers.word.Submission
    people: list[str] = field(default_factory=list)  # cadre ids proposed for a post (profile cards)


def _date_vi(value) -> str:
    return vi.date(value)


def _people(frame: pd.DataFrame, col: str = "cadre_id") -> list[str]:
    return list(dict.fromkeys(frame[col].dropna().astype(str))) if col in frame else []


def _refs_basis(params: dict, as_of) -> list[str]:
    """"Căn cứ …" lines: the documents behind the parameters an analysis read."""
    from kimson_ds.rules.parameters import parameters as load_parameters

    try:
        P = load_parameters(as_of)
        for name in params:
            with contextlib.suppress(Exception):
                P.get(name)
        refs = P.references()
    except Exception:  # noqa: BLE001 - a basis line is a courtesy, never a reason to fail
        return []
    docs = [r for r in dict.fromkeys(refs["reference"].fillna("").astype(str)) if r]
    docs = [re.sub(r"\s*\(.*\)\s*$", "", d.split(";")[0].split(" — ")[0]).strip().rstrip(".") for d in docs]
    docs = list(dict.fromkeys(vi.text(d) for d in docs if d))[:4]
    return [f"Căn cứ {d};" for d in dict.fromkeys(docs)]


def _rating_list(ds, plan: PackPlan, spec: RatingList) -> ProposalList:
    from kimson_ds.rating.engine import rate_dataset

    as_of = meeting_date(plan)
    return rating_proposal(rate_dataset(ds, year=spec.year, as_of=as_of), spec.title)


def rating_proposal(res, title: str = RatingList.model_fields["title"].default) -> ProposalList:
    """The proposal list and Tờ trình of a rating result (the pack's and the app's)."""
    from kimson_ds.data.codes import RATING_LEVEL
    from kimson_ds.papers.word import Submission

    as_of, year = res.as_of, res.year
    t = res.table
    level = t["final_level"].map(RATING_LEVEL)
    v = res.vietnamese()
    frame = pd.DataFrame({
        "Họ và tên": v["Họ và tên"], "Chức danh": v["Chức danh"], "Đơn vị": v["Tên đơn vị"], "Điểm": v["Điểm"],
        "Mức theo điểm": v["Mức theo điểm"], "Mức đề xuất": v["Mức xếp loại (tên)"], "Lý do": vi.text(v["Lý do"]),
    })
    dist = res.distribution()
    counts = "; ".join(f"{r.label}: {int(r.count)} ({vi.percent(r.share)})" for r in dist.itertuples(index=False))
    n = int(level.notna().sum())
    capped, moved = len(res.capped), len(res.moved)
    warnings = []
    if capped:
        warnings.append(f"{capped} người bị hạ mức theo kết quả xếp loại của tổ chức, đơn vị mình phụ trách.")
    if moved:
        warnings.append(f"{moved} người đề xuất hạ từ xuất sắc xuống tốt do vượt tỷ lệ.")
    if len(res.missing_org):
        warnings.append(f"{len(res.missing_org)} người chưa có xếp loại tổ chức liên kết: cần bổ sung trước khi "
                        "quyết định.")
    sub = Submission(
        subject=f"kết quả đánh giá, xếp loại chất lượng cán bộ năm {year}",
        basis=_refs_basis(res.params.used, as_of),
        proposal=[f"Ban Tổ chức đã tổng hợp kết quả đánh giá, xếp loại năm {year} của {n} cán bộ "
                  f"thuộc diện Ban Thường vụ quản lý, áp dụng quy định ngày {vi.date(as_of)}, và đề xuất "
                  "mức xếp loại của từng người như Phụ lục 1."],
        figures=[("Số cán bộ được xếp loại", vi.integer(n)), ("Kết quả", counts),
                 ("Tỷ lệ hoàn thành xuất sắc nhiệm vụ", vi.percent(res.share_excellent)),
                 ("Số người bị hạ theo xếp loại tổ chức", vi.integer(capped))],
        alternatives=["Giữ nguyên mức theo điểm tự chấm của từng người (không áp dụng giới hạn theo tổ chức): "
                      "không phù hợp quy định liên kết xếp loại người đứng đầu với tổ chức."],
        asks=[f"Thông qua kết quả xếp loại năm {year} của {n} cán bộ (Phụ lục 1).",
              "Cho ý kiến đối với các trường hợp bị hạ mức theo tổ chức."],
        warnings=warnings, appendices=[(f"Kết quả xếp loại cán bộ năm {year}", frame)], as_of=as_of)
    return ProposalList("Xếp loại", f"{title} NĂM {year}", frame,
                        subtitle=f"Ngày áp dụng quy định {vi.date(as_of)}", summary=f"{n} cán bộ: {counts}",
                        parameters=dict(res.params.used), key="xep-loai", submission=sub)


def _training_list(ds, plan: PackPlan, spec: TrainingList) -> ProposalList:
    from kimson_ds.training import schedule as training

    sc = load_scenario(plan.resolve(spec.scenario), training.TrainingScenario)
    sc = sc.model_copy(update={"as_of": meeting_date(plan)})
    return training_proposal(training.run(ds, sc), sc, spec.title)


def training_proposal(res, sc, title: str = TrainingList.model_fields["title"].default) -> ProposalList:
    """The proposal list and Tờ trình of a training plan ``res`` of scenario ``sc``."""
    from kimson_ds.papers.word import Submission
    from kimson_ds.training import schedule as training

    s = res.schedule
    frame = pd.DataFrame({
        "Họ và tên": s["full_name"], "Khóa học": s["course_name"], "Lĩnh vực": s["field_vi"],
        "Năm bắt đầu": s["start_year"], "Năm kết thúc": s["end_year"], "Số tháng": s["months"],
        "Kinh phí (triệu đồng)": s["cost_million_vnd"], "Để đáp ứng chức danh": s["for_targets"],
    })
    r = res.readiness
    counts = r["status_vi"].value_counts()
    spend = float(res.usage.loc[res.usage["resource"] == "budget", "used"].sum())
    budget = float(training.budget_by_year(sc).sum())
    not_ready = r.loc[~r["ready"].astype(bool)]
    nr = pd.DataFrame({"Họ và tên": not_ready["full_name"], "Chức danh quy hoạch": not_ready["target"],
                       "Tình trạng": not_ready["status_vi"], "Lý do": vi.text(not_ready["reason"])})
    sub = Submission(
        subject=f"kế hoạch đào tạo, bồi dưỡng cán bộ quy hoạch nhiệm kỳ {sc.term}",
        basis=_refs_basis(res.parameters_used if isinstance(res.parameters_used, dict) else {}, sc.as_of),
        proposal=[f"Để cán bộ trong quy hoạch nhiệm kỳ {sc.term} đủ tiêu chuẩn khi nhận chức "
                  f"(ngày {vi.date(sc.term_start)}), Ban Tổ chức đề xuất cử {s['cadre_id'].nunique()} người "
                  f"đi học {len(s)} lượt trong các năm {min(s['start_year'], default='')}–"
                  f"{max(s['end_year'], default='')} (Phụ lục 1)."],
        figures=[("Số lượt quy hoạch", vi.integer(len(r))),
                 ("Sẽ đủ tiêu chuẩn khi nhận chức", vi.integer(int(r["ready"].sum()))),
                 ("Kinh phí dự kiến", f"{vi.number(spend, 1)} / {vi.number(budget, 1)} triệu đồng")]
        + [(str(k), vi.integer(v)) for k, v in counts.items()],
        alternatives=["Chỉ cử đi học theo nhu cầu của đơn vị (không xếp theo chức danh quy hoạch): không bảo đảm "
                      "người trong quy hoạch đủ tiêu chuẩn đúng thời điểm nhận chức."],
        asks=[f"Thông qua kế hoạch cử {len(s)} lượt cán bộ đi đào tạo, bồi dưỡng (Phụ lục 1).",
              f"Cho ý kiến về {len(not_ready)} lượt quy hoạch chưa thể đủ tiêu chuẩn (Phụ lục 2)."],
        appendices=[("Kế hoạch cử cán bộ đi đào tạo, bồi dưỡng", frame),
                    ("Các lượt quy hoạch chưa đủ tiêu chuẩn khi nhận chức", nr)], as_of=sc.as_of)
    return ProposalList("Đào tạo", f"{title} NHIỆM KỲ {sc.term}", frame,
                        subtitle=f"Kịch bản: {sc.name}; ngày lập kế hoạch {vi.date(sc.as_of)}",
                        summary=f"{len(s)} lượt học của {s['cadre_id'].nunique()} người; kinh phí "
                                f"{vi.number(spend, 1)} triệu đồng",
                        key="dao-tao", submission=sub)


def _rotation_list(ds, plan: PackPlan, spec: RotationList) -> ProposalList:
    from kimson_ds.rotation import model as rotation

    base = rotation.load_rotation_scenario(plan.resolve(spec.scenario))
    sc = rotation.with_knobs(base, **spec.knobs.model_dump()).model_copy(update={"as_of": meeting_date(plan)})
    return rotation_proposal(rotation.run(ds, sc, rule_costs=False), spec.title)


def rotation_proposal(result, title: str = RotationList.model_fields["title"].default) -> ProposalList:
    """The proposal list and Tờ trình of a rotation result (its scenario is ``result.problem.scenario``)."""
    from kimson_ds.papers.word import Submission

    sc = result.problem.scenario
    a = result.assignments
    frame = pd.DataFrame({
        "Họ và tên": a["full_name"], "Mã cán bộ": a["cadre_id"], "Giới tính": a["gender"], "Tuổi": a["age"],
        "Đơn vị hiện nay": a["source_unit"], "Chức danh hiện nay": a["current_title"],
        "Chức danh đề xuất": a["title"], "Xã, thị trấn đến": a["commune"], "Tổng điểm": a["score"].round(2),
    })
    note = "Ghi chú: " + vi.text(" ".join(line.lstrip("- ").strip() for line in result.diagnosis))
    state = "phương án tối ưu" if result.feasible else "phương án nới lỏng — yêu cầu không thực hiện được đầy đủ"
    alts = result.alternatives
    alt_lines = []
    for r in alts.head(3).itertuples(index=False):
        moved = len([x for x in str(r.removed_ids or "").split(";") if x.strip()])
        same = "bằng" if abs(float(r.delta)) < 1e-9 else f"kém {vi.number(abs(float(r.delta)))} điểm so với"
        alt_lines.append(f"Phương án {int(r.plan)}: tổng điểm {vi.number(r.objective)}"
                         + (" (phương án đề xuất)." if int(r.plan) == 1 else
                            f", {same} phương án 1, khác ở {moved} vị trí bố trí."))
    women = int((a["gender"] == "Nữ").sum())
    sub = Submission(
        subject=f"phương án luân chuyển cán bộ về xã, thị trấn ({sc.name})",
        basis=_refs_basis(result.problem.params.used, sc.as_of),
        proposal=[f"Ban Tổ chức đề xuất luân chuyển {len(a)} cán bộ về giữ chức vụ tại các xã, thị trấn "
                  f"như Phụ lục 1 ({state})."] + [vi.text(d) for d in result.diagnosis[:2]],
        figures=[("Số cán bộ luân chuyển", vi.integer(len(a))), ("Trong đó nữ", vi.integer(women)),
                 ("Tổng điểm phù hợp của phương án", vi.number(result.solution.objective)),
                 ("Tuổi bình quân", vi.number(a["age"].mean(), 1) if len(a) else "")],
        alternatives=alt_lines,
        asks=[f"Thông qua phương án luân chuyển {len(a)} cán bộ (Phụ lục 1).",
              "Giao Ban Tổ chức hoàn thiện hồ sơ, quy trình nhân sự theo quy định."],
        warnings=[] if result.feasible else ["Yêu cầu của kịch bản không thực hiện được đầy đủ; phương án trình "
                                              "là phương án nới lỏng."],
        appendices=[("Danh sách đề xuất luân chuyển cán bộ", frame.drop(columns=["Mã cán bộ"]))], as_of=sc.as_of)
    return ProposalList(
        "Luân chuyển", title, frame,
        subtitle=f"Kịch bản: {sc.name}; ngày áp dụng quy định {_date_vi(sc.as_of)}",
        note=note, summary=f"{len(frame)} cán bộ ({state})", ok=result.feasible,
        parameters=dict(result.problem.params.used), key="luan-chuyen", submission=sub, people=_people(a),
    )


def _succession_list(ds, plan: PackPlan, spec: SuccessionList) -> ProposalList:
    from kimson_ds.planning import slate_model as sm

    sc = load_scenario(plan.resolve(spec.scenario), sm.PlanScenario)
    res = sm.run(ds, sc, as_of=meeting_date(plan), term=spec.term)
    return succession_proposal(res, spec.term or sc.term, meeting_date(plan), spec.title)


def succession_proposal(res, term: str, as_of, title: str = SuccessionList.model_fields["title"].default
                        ) -> ProposalList:
    """The proposal list and Tờ trình of optimised slates ``res`` for ``term`` on ``as_of``."""
    from kimson_ds.data.codes import GENDER
    from kimson_ds.papers.word import Submission

    s = res.slates
    frame = pd.DataFrame({
        "Chức danh quy hoạch": s["post_vi"], "Thứ tự": s["order"], "Họ và tên": s["full_name"],
        "Mã cán bộ": s["cadre_id"], "Giới tính": s["gender"].map(GENDER).fillna(s["gender"]), "Tuổi": s["age"],
        "Độ tuổi": s["cohort_vi"], "Mức sẵn sàng": s["readiness_vi"], "Tiêu chuẩn chức danh": s["standards_vi"],
        "So với danh sách hiện hành": s["on_current_list"].map({True: "Giữ nguyên", False: "Đề xuất mới"}),
    })
    shares = "; ".join(
        f"{r.indicator} {vi.percent(r.achieved)}"
        + ("" if pd.isna(r.target) else f" (mức tối thiểu {vi.percent(r.target, 0)})")
        for r in res.shares.itertuples(index=False))
    unmet = " ".join(f"Chưa đạt {r.target}: {vi.text(r.reason)}." for r in res.unmet.itertuples(index=False))
    used: dict = {}
    for P in res.param_sets:
        used.update(P.used)
    counts = res.diff["change"].value_counts() if "change" in res.diff else pd.Series(dtype=int)
    sub = Submission(
        subject=f"danh sách quy hoạch cán bộ nhiệm kỳ {term}",
        basis=_refs_basis(used, as_of),
        proposal=[f"Ban Tổ chức đề xuất danh sách quy hoạch nhiệm kỳ {term} gồm {s['cadre_id'].nunique()} người "
                  f"({len(s)} lượt) cho {s['post_id'].nunique()} chức danh (Phụ lục 1), lập theo tiêu chuẩn "
                  f"chức danh và cơ cấu tại ngày {vi.date(as_of)}."],
        figures=[("Số người", vi.integer(s["cadre_id"].nunique())), ("Số lượt", vi.integer(len(s))),
                 ("Giữ nguyên so với danh sách hiện hành", vi.integer(int(counts.get("giu", 0)))),
                 ("Đề xuất mới", vi.integer(int(counts.get("them", 0)))),
                 ("Không đưa vào", vi.integer(int(counts.get("bo", 0))))]
        + [(str(r.indicator), vi.percent(r.achieved)) for r in res.shares.itertuples(index=False)],
        alternatives=["Giữ nguyên danh sách quy hoạch hiện hành: "
                      f"{int(counts.get('bo', 0))} lượt không còn đủ điều kiện vẫn nằm trong danh sách."],
        asks=[f"Thông qua danh sách quy hoạch nhiệm kỳ {term} (Phụ lục 1).",
              "Cho ý kiến về các chỉ tiêu cơ cấu chưa đạt (nếu có)."],
        warnings=[f"Chưa đạt {r.target}: {vi.text(r.reason)}" for r in res.unmet.itertuples(index=False)],
        appendices=[(f"Danh sách quy hoạch cán bộ nhiệm kỳ {term}", frame.drop(columns=["Mã cán bộ"]))],
        as_of=as_of)
    return ProposalList(
        "Quy hoạch", f"{title} NHIỆM KỲ {term}", frame,
        subtitle=f"Ngày áp dụng quy định {_date_vi(as_of)}; kết quả giải: {res.status}",
        note=f"Ghi chú: {shares}. {unmet}".strip(),
        summary=f"{s['cadre_id'].nunique()} người, {len(s)} lượt cho {s['post_id'].nunique()} chức danh",
        parameters=used, key="quy-hoach", submission=sub,
        people=_people(s.loc[~s["on_current_list"].astype(bool)]),
    )


def _vetting_list(ds, plan: PackPlan, spec: VettingList) -> ProposalList:
    from kimson_ds.papers.word import Submission
    from kimson_ds.vetting import checklist as vetting

    path = plan.resolve(spec.proposals)
    batch = vetting.read_proposals(path, ds)
    res = vetting.vet(ds, batch, as_of=meeting_date(plan), overrides=spec.parameters or None)
    v = res.verdicts
    frame = pd.DataFrame({
        "Mã đề xuất": v["proposal_id"], "Họ và tên": v["full_name"], "Hình thức": v["action_vi"],
        "Chức vụ đề xuất": v["post"], "Ngày hiệu lực": pd.to_datetime(v["effective_date"]),
        "Kết luận": v["verdict_vi"], "Mục không đạt": v["failed_items"], "Mục cần xem xét": v["review_items"],
        "Tóm tắt lý do": vi.text(v["summary"]),
    })
    counts = v["verdict_vi"].value_counts()
    tally = ", ".join(f"{int(counts.get(k, 0))} {k.lower()}" for k in ("Đạt", "Cần xem xét", "Không đạt"))
    as_of = meeting_date(plan)
    sub = Submission(
        subject="kết quả thẩm định nhân sự đề xuất",
        basis=_refs_basis(res.parameters_used(), as_of) if as_of else [],
        proposal=[f"Ban Tổ chức đã thẩm định {len(v)} đề xuất nhân sự (tệp {path.name}) theo tiêu chuẩn, điều "
                  "kiện tại ngày hiệu lực của từng đề xuất; kết quả từng người tại Phụ lục 1."],
        figures=[("Số đề xuất", vi.integer(len(v)))]
        + [(k, vi.integer(int(counts.get(k, 0)))) for k in ("Đạt", "Cần xem xét", "Không đạt")],
        alternatives=[],
        asks=[f"Đồng ý {int(counts.get('Đạt', 0))} đề xuất đạt yêu cầu.",
              f"Cho ý kiến {int(counts.get('Cần xem xét', 0))} đề xuất cần xem xét; không xem xét "
              f"{int(counts.get('Không đạt', 0))} đề xuất không đạt."],
        appendices=[("Kết quả thẩm định từng đề xuất", frame)], as_of=as_of)
    return ProposalList(
        "Thẩm định", spec.title, frame,
        subtitle=f"Đợt đề xuất: {path.name}; quy định áp dụng theo ngày hiệu lực của từng đề xuất",
        note="Ghi chú: đề xuất không đạt nếu có một mục không đạt; cần xem xét nếu có mục cần xem xét.",
        summary=f"{len(v)} đề xuất: {tally}", parameters=res.parameters_used(), key="tham-dinh", submission=sub,
        people=_people(v),
    )


def proposal_lists(ds, plan: PackPlan) -> list[ProposalList]:
    """Compute the proposal lists (and their Tờ trình) the meeting manifest asks for.

    A list whose analysis cannot give a result (an infeasible request, an
    analysis module not installed) becomes an empty sheet whose note says why;
    bad inputs (scenario, proposals file, data) raise.
    """
    from kimson_ds.history.state import dataset_on

    ds = dataset_on(ds, meeting_date(plan))  # the organisation of the pack's one reference date
    lists = plan.manifest.lists
    makers = [("rating", "Xếp loại", _rating_list, lists.rating),
              ("succession", "Quy hoạch", _succession_list, lists.succession),
              ("rotation", "Luân chuyển", _rotation_list, lists.rotation),
              ("training", "Đào tạo", _training_list, lists.training),
              ("vetting", "Thẩm định", _vetting_list, lists.vetting)]
    out: list[ProposalList] = []
    for _key, sheet, maker, spec in makers:
        if spec is None:
            continue
        try:
            out.append(maker(ds, plan, spec))
        except ImportError as exc:
            msg = f"Chưa có mô-đun phân tích cần cho danh sách này ({exc.name})."
            out.append(ProposalList(sheet, spec.title, pd.DataFrame(), note=msg, summary=msg, ok=False))
        except InfeasibleError as exc:
            msg = f"Không lập được danh sách: {exc}"
            out.append(ProposalList(sheet, spec.title, pd.DataFrame(), note=msg, summary=msg, ok=False))
    return out


def write_lists(path: Path, lists: list[ProposalList], manifest: PackManifest) -> Path:
    """The printable workbook of the proposal lists (one sheet per list)."""
    from openpyxl import Workbook

    from kimson_ds.data.excel import save_workbook, write_print_table

    wb = Workbook()
    wb.remove(wb.active)
    meeting = " — ".join(x for x in (manifest.meeting, _date_vi(manifest.meeting_date)) if x)
    for item in lists:
        ws = wb.create_sheet(item.sheet[:31])
        subtitle = "; ".join(x for x in (meeting, item.subtitle) if x)
        write_print_table(ws, item.frame, item.title, subtitle=subtitle or None, note=item.note or None)
    if not lists:
        ws = wb.create_sheet("Danh sách")
        write_print_table(ws, pd.DataFrame(), "DANH SÁCH ĐỀ XUẤT", subtitle=meeting or None, numbered=False,
                          note=f"Gói tài liệu không yêu cầu danh sách đề xuất nào (mục lists trong {MANIFEST_NAME}).")
    wb.properties.title = f"Danh sách đề xuất — {manifest.title}"
    return save_workbook(wb, path)


#: Sub-folder of the pack holding the Tờ trình (Word) and the per-decision workbooks.
PAPERS_DIR = "to-trinh"
#: Sub-folder of the pack holding the profile cards of the proposed people.
CARDS_DIR = "ho-so"


def meeting_date(plan: PackPlan) -> dt.date:
    """The one reference date of the pack: the meeting date (default today)."""
    return plan.manifest.meeting_date or dt.date.today()


def write_papers(out: Path, lists: list[ProposalList], plan: PackPlan, *, secret: bool | None = None) -> list[Path]:
    """One Tờ trình (``to-trinh/<key>.docx``) and one printable workbook (``to-trinh/<key>.xlsx``) per decision.

    The issuing body is the one in office on the meeting date
    (:func:`kimson_ds.papers.word.organisation`, file ``organisation`` of the
    manifest or ``templates/co-quan.yaml``); ``secret`` (default: the
    manifest's ``secret``) prints the MẬT mark.
    """
    from openpyxl import Workbook

    from kimson_ds.data.excel import save_workbook, write_print_table
    from kimson_ds.papers.word import organisation, write_submission

    made = [x for x in lists if x.submission is not None]
    if not made:
        return []
    day = meeting_date(plan)
    org = organisation(day, plan.resolve(plan.manifest.organisation) if plan.manifest.organisation else None)
    folder = out / PAPERS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    mark = plan.manifest.secret if secret is None else secret
    written: list[Path] = []
    for x in made:
        written.append(write_submission(x.submission, folder / f"{x.key}.docx", org=org, date=day, secret=mark))
        wb = Workbook()
        wb.remove(wb.active)
        for i, (title, frame) in enumerate(x.submission.appendices, start=1):
            ws = wb.create_sheet(f"Phụ lục {i}")
            write_print_table(ws, frame, title.upper(), subtitle=f"Kèm theo Tờ trình về {x.submission.subject}",
                              note=x.note or None)
        wb.properties.title = f"Phụ lục Tờ trình về {x.submission.subject}"
        written.append(save_workbook(wb, folder / f"{x.key}.xlsx"))
    return written


# =====================================================================
# Index page
# =====================================================================
def _link(href: str | None, text: str) -> str:
    if not href:
        return html.escape(text)
    return f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>'


def index_html(manifest: PackManifest, rows: list[dict], lists: list[ProposalList], info: dict) -> str:
    """The pack's ``index.html`` (Vietnamese, offline, the report style sheet).

    Parameters
    ----------
    rows : list of dict
        One per report: ``title``, ``html`` and ``pdf`` (relative links or
        ``None``), ``pages``, ``note``.
    lists : list of ProposalList
    info : dict
        ``built`` (datetime), ``dataset``, ``fingerprint``, ``scenarios``, ``commit``.
    """
    css = _CSS.read_text(encoding="utf-8") if _CSS.exists() else ""
    meta = [("Ngày lập", vi.datetime(info["built"]))]
    if manifest.meeting or manifest.meeting_date:
        meta.insert(0, ("Phiên họp", " — ".join(x for x in (manifest.meeting, _date_vi(manifest.meeting_date))
                                                 if x)))
    meta += [("Đơn vị chuẩn bị", manifest.unit), ("Bộ dữ liệu", str(info["dataset"])),
             ("Dấu vân tay dữ liệu (sha256)", info["fingerprint"] or "không rõ"),
             ("Thư mục kịch bản", str(info["scenarios"])), ("Phiên bản kimson-ds", __version__),
             ("Mã nguồn (git commit)", info.get("commit", "không rõ"))]
    mono = ' class="mono"'
    meta_rows = "".join(
        f"<tr><th>{html.escape(k)}</th><td{mono if 'sha256' in k else ''}>{html.escape(v)}</td></tr>"
        for k, v in meta)
    body_rows = []
    for i, r in enumerate(rows, start=1):
        pdf = _link(r["pdf"], "Tải bản PDF") if r.get("pdf") else ""
        pages = str(r["pages"]) if r.get("pages") else ""
        app = " ".join(x for x in (_link(r.get("appendix"), "Xem") if r.get("appendix") else "",
                                   _link(r.get("appendix_pdf"), "PDF") if r.get("appendix_pdf") else "") if x)
        app_pages = str(r["appendix_pages"]) if r.get("appendix_pages") else ""
        body_rows.append(
            f'<tr><td class="num">{i}</td><td>{_link(r.get("html"), r["title"])}</td><td>{pdf}</td>'
            f'<td class="num">{pages}</td><td>{app}</td><td class="num">{app_pages}</td>'
            f'<td>{html.escape(r.get("note", ""))}</td></tr>')
    reports = (
        '<table class="kimson-table"><thead><tr><th class="num">STT</th><th>Báo cáo</th><th>Bản in (PDF)</th>'
        '<th class="num">Số trang</th><th>Phụ lục</th><th class="num">Số trang phụ lục</th><th>Ghi chú</th>'
        f'</tr></thead><tbody>{"".join(body_rows)}</tbody></table>'
    )
    paper_names = {"xep-loai": "Tờ trình kết quả xếp loại", "quy-hoach": "Tờ trình danh sách quy hoạch",
                   "luan-chuyen": "Tờ trình phương án luân chuyển", "dao-tao": "Tờ trình kế hoạch đào tạo",
                   "tham-dinh": "Tờ trình kết quả thẩm định", "phieu-ho-so": "Phiếu hồ sơ cán bộ được đề xuất"}
    kinds = {".docx": "bản Word", ".xlsx": "phụ lục Excel", ".html": "bản xem, in"}
    paper_rows = "".join(
        f"<li>{_link(href, paper_names.get(Path(href).stem, Path(href).stem) + ' — ' + kinds.get(Path(href).suffix, ''))}"
        "</li>" for href in info.get("papers", []))
    papers_html = (f"<ul>{paper_rows}</ul>" if paper_rows else "<p>(không có Tờ trình nào)</p>")
    list_rows = "".join(
        f"<tr><td>{html.escape(x.sheet)}</td><td>{html.escape(x.title)}</td><td>{html.escape(x.summary)}</td></tr>"
        for x in lists) or '<tr><td class="empty" colspan="3">(không có danh sách nào)</td></tr>'
    lists_table = (
        '<table class="kimson-table"><thead><tr><th>Trang tính</th><th>Danh sách</th><th>Tóm tắt</th></tr>'
        f"</thead><tbody>{list_rows}</tbody></table>"
    )
    title = html.escape(manifest.title)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="kimson-ds {html.escape(__version__)}">\n'
        f"<title>{title}</title>\n<style>\n{css}\n</style>\n</head>\n<body>\n"
        '<div class="kimson-report">\n<header class="kimson-header">\n'
        f"<h1>{title}</h1>\n"
        f'<table class="kimson-meta"><tbody>{meta_rows}</tbody></table>\n</header>\n<main>\n'
        "<h2>Tờ trình và phiếu hồ sơ</h2>\n"
        "<p>Mỗi Tờ trình là tệp Word để chỉnh sửa trước khi ký; các bảng kèm theo là phụ lục.</p>\n"
        f"{papers_html}\n"
        "<h2>Các báo cáo phân tích</h2>\n"
        "<p>Mỗi báo cáo mở được khi không có mạng; bản PDF khổ A4 dùng để in phát tại cuộc họp.</p>\n"
        f"{reports}\n"
        "<h2>Danh sách đề xuất</h2>\n"
        f"<p>{_link(WORKBOOK_NAME, 'Tải tệp Excel danh sách đề xuất')} "
        "(mỗi danh sách một trang tính, định dạng sẵn để in khổ A4 ngang).</p>\n"
        f"{lists_table}\n</main>\n"
        f"<footer>Gói tài liệu tạo tự động bởi kimson-ds {html.escape(__version__)}. Kết quả là căn cứ tham khảo; "
        "tập thể có thẩm quyền xem xét, quyết định.</footer>\n</div>\n</body>\n</html>\n"
    )


# =====================================================================
# Pipeline
# =====================================================================
@dataclass
class PackResult:
    """What :func:`build_pack` produced.

    Attributes
    ----------
    out, index, workbook : Path
    reports : DataFrame
        One row per report manifest: ``key, title, status`` (``ok``, ``bo_qua``,
        ``loi``), ``html, pdf`` (paths or None), ``pages``, ``seconds``, ``note``.
    lists : list of ProposalList
    timings : dict
        Seconds: ``reports``, ``lists``, ``pdf``, ``total``.
    """

    out: Path
    index: Path
    workbook: Path
    reports: pd.DataFrame
    lists: list[ProposalList]
    timings: dict[str, float]
    fingerprint: str = ""
    papers: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> pd.DataFrame:
        return self.reports.loc[self.reports["status"] == "loi"]

    @property
    def exit_code(self) -> int:
        """0 when every report was built, 1 when any failed."""
        return int(len(self.failed) > 0)


# The worker processes of the pack each keep one warm kernel (kimson_ds.papers.report.WarmKernel) for all the
# reports they build: started with the first report, shut down when the worker exits.
_WARM: dict[str, Any] = {"kernel": None, "args": None}


def _worker_start(warm_args: dict | None) -> None:
    """Initialiser of a worker process: how to start its warm kernel, and stop it when the worker exits."""
    import multiprocessing.util

    _WARM.update(kernel=None, args=warm_args)
    multiprocessing.util.Finalize(None, _stop_warm, exitpriority=10)


def _stop_warm() -> None:
    kernel, _WARM["kernel"] = _WARM["kernel"], None
    if kernel is not None:
        kernel.shutdown()


def _warm_kernel():
    """This worker's warm kernel (started on first use); ``None`` when warm kernels are off or cannot start."""
    from kimson_ds.papers.report import WarmKernel

    if _WARM["kernel"] is None and _WARM["args"] is not None:
        try:
            _WARM["kernel"] = WarmKernel(**_WARM["args"])
        except Exception:  # noqa: BLE001 - a kernel that cannot warm up: each report starts its own, as before
            _WARM["args"] = None
    return _WARM["kernel"]


def _build_one(job: tuple[str, dict, str, dt.date | None]):
    """One report of the pack (run in a worker process): ``(ReportResult, None)`` or ``(None, ReportError)``."""
    from kimson_ds.papers.report import build_report

    notebook, params, out_dir, meeting = job
    cmd = " ".join(shlex.quote(p) for p in ["pack", "report", notebook]
                   + [x for k, v in params.items() for x in ("-p", k, str(v))])
    kernel = _warm_kernel()
    try:
        return build_report(Path(notebook), params, out_dir, command=cmd, split_appendix=True, record=False,
                            meeting_date=meeting, kernel=kernel), None
    except ReportError as exc:
        if kernel is not None:  # the next report gets a new kernel, whatever state this one was left in
            _stop_warm()
        return None, ReportError(str(exc))


def _check_offline(path: Path) -> list[str]:
    from kimson_ds.papers.report import external_resources

    return external_resources(path.read_text(encoding="utf-8"))


def build_pack(dataset: str | Path, scenarios: str | Path, out: str | Path, *, pdf: bool = True,
               chromium: str | None = None, progress: Callable[[str], None] | None = None,
               command: str | None = None, allow_notebooks=()) -> PackResult:
    """Build the meeting pack (see the module docstring).

    Parameters
    ----------
    dataset : path
        Dataset folder or workbook (validated on load).
    scenarios : path
        Folder of manifests.
    out : path
        Output folder (created).
    pdf : bool
        Print each report to PDF (needs Chromium).
    chromium : str, optional
        Chromium executable (default: :func:`kimson_ds.papers.pdf.find_chromium`).
    progress : callable, optional
        Receives one Vietnamese line per step.
    command : str, optional
        Command text for the audit record.
    allow_notebooks : iterable of path
        Notebooks outside the project that the manifests may run (see :func:`load_pack`).

    Returns
    -------
    PackResult

    Raises
    ------
    ScenarioError, ReportInputError, DataError
        Bad manifests or data (exit code 2), before any report is built.
    ChromiumMissingError
        ``pdf`` and no Chromium (exit code 2), before any report is built.
    """
    from kimson_ds.data.io import CACHE_ENV
    from kimson_ds.outputs import OutputSet

    allow_notebooks = list(allow_notebooks)
    # Every report of the pack reads the same dataset: loaded once per process (this one, its workers, their
    # kernels), see kimson_ds.data.io.load_dataset.
    saved = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = "1"
    try:
        # The whole pack folder is one output set: staged, then swapped in with the audit record.
        with OutputSet(out, inputs=[dataset, scenarios, *allow_notebooks], folder=True) as outs:
            return _build_pack(dataset, scenarios, Path(out), outs, pdf=pdf, chromium=chromium, progress=progress,
                               command=command, allow_notebooks=allow_notebooks)
    finally:
        if saved is None:
            os.environ.pop(CACHE_ENV, None)
        else:
            os.environ[CACHE_ENV] = saved


def _build_pack(dataset, scenarios, final_out: Path, outs, *, pdf, chromium, progress, command,
                allow_notebooks) -> PackResult:
    from kimson_ds.audit import record_run
    from kimson_ds.data.io import load_dataset
    from kimson_ds.papers.pdf import find_chromium, html_to_pdf
    from kimson_ds.papers.report import _git_commit
    from kimson_ds.papers.word import docx_pages

    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    plan = load_pack(scenarios, dataset, allow_notebooks=allow_notebooks)
    exe = None
    if pdf and any(r.spec.pdf and r.notebook is not None for r in plan.reports):
        exe = find_chromium(chromium)
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            from kimson_ds.papers.pdf import ChromiumMissingError

            raise ChromiumMissingError(
                "Chưa cài thư viện Python 'playwright' để tạo PDF (pip install playwright), "
                "hoặc chạy lại với --no-pdf.") from None
    ds = load_dataset(dataset)
    out = outs.root
    rep_dir = out / REPORTS_DIR
    rep_dir.mkdir(parents=True, exist_ok=True)

    rows: list[dict] = []
    t_start_reports = time.perf_counter()
    runnable = []
    for r in plan.reports:
        row = {"key": r.key, "title": r.spec.title or r.spec.notebook, "status": "ok", "html": None, "pdf": None,
               "pages": None, "seconds": 0.0, "note": "", "pdf_wanted": r.spec.pdf, "appendix": None,
               "appendix_pdf": None, "appendix_pages": None}
        rows.append(row)
        if r.notebook is None:
            row.update(status="bo_qua", note=f"Chưa có notebook '{r.spec.notebook}': bỏ qua (required: false).")
            say(f"Bỏ qua {r.key}: chưa có notebook '{r.spec.notebook}'.")
            continue
        for suffix in (".pdf", ".phu-luc.pdf"):
            (rep_dir / f"{r.notebook.stem}{suffix}").unlink(missing_ok=True)
        runnable.append((r, row))

    # The notebooks run side by side, each build in its own worker process (its own environment for the
    # kernel and its own stderr redirection); the audit records are written here, in manifest order.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    say(f"Đang tạo {len(runnable)} báo cáo (chạy song song {PARALLEL_REPORTS} notebook một lúc)…")
    jobs_in = [(str(r.notebook), r.parameters, str(rep_dir), meeting_date(plan)) for r, _row in runnable]
    pool = None
    if len(runnable) > 1 and PARALLEL_REPORTS > 1:
        # Each worker runs its reports one after another in one warm kernel that has the dataset loaded.
        preload = f"kimson_ds.data.io.load_dataset({str(Path(dataset).expanduser().resolve())!r})"
        warm = {"env": {"KIMSON_DATASET_CACHE": "1"}, "preload": preload}
        pool = ProcessPoolExecutor(max_workers=min(PARALLEL_REPORTS, len(runnable)),
                                   mp_context=multiprocessing.get_context("fork"),
                                   initializer=_worker_start, initargs=(warm,))
        futures = [pool.submit(_build_one, j) for j in jobs_in]
    try:
        # While the kernels run: the proposal lists, the Tờ trình and the profile cards, in this process.
        say("Đang lập danh sách đề xuất…")
        t0 = time.perf_counter()
        lists = proposal_lists(ds, plan)
        workbook = write_lists(out / WORKBOOK_NAME, lists, plan.manifest)
        papers = write_papers(out, lists, plan)
        people = list(dict.fromkeys(p for x in lists for p in x.people))
        if people:
            from kimson_ds.papers.profile import write_profile_cards

            say(f"Đang lập phiếu hồ sơ của {len(people)} cán bộ được đề xuất…")
            papers += write_profile_cards(ds, people, out / CARDS_DIR, as_of=meeting_date(plan))
        t_lists = time.perf_counter() - t0

        t0 = time.perf_counter()
        outcomes = [f.result() for f in futures] if pool is not None else [_build_one(j) for j in jobs_in]
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    done = [(r, row, res, exc) for (r, row), (res, exc) in zip(runnable, outcomes, strict=True)]
    for r, row, res, exc in done:
        if exc is not None:
            row.update(status="loi", note=f"Lỗi khi chạy notebook: {exc}")
            say(f"  Lỗi ({r.notebook.name}): {exc}")
            continue
        bad = _check_offline(res.html) + (_check_offline(res.appendix) if res.appendix else [])
        if bad:
            row.update(status="loi", note="Báo cáo có tài nguyên tải từ mạng: " + "; ".join(bad[:3]))
        row.update(title=r.spec.title or res.title, html=res.html, appendix=res.appendix,
                   seconds=round(res.seconds, 2))
    t_reports = time.perf_counter() - t_start_reports

    t0 = time.perf_counter()
    jobs = []
    for row in rows:
        if row["status"] == "ok" and row["html"] is not None and row["pdf_wanted"] and exe:
            jobs.append((row["html"], row["html"].with_suffix(".pdf")))
            if row["appendix"] is not None and plan.manifest.appendix_pdf:
                jobs.append((row["appendix"], row["appendix"].with_suffix(".pdf")))
    if jobs:
        say(f"Đang in {len(jobs)} tệp ra PDF bằng Chromium…")
        try:
            printed = {p.html: p for p in html_to_pdf(jobs, chromium=exe)}
        except ReportError as exc:  # the HTML reports stay usable; the index says what is missing
            printed = {}
            say(f"  Lỗi: {exc}")
            for row in rows:
                if any(row["html"] == h for h, _ in jobs):
                    row.update(status="loi", note=f"Không in được PDF: {exc}")
        for row in rows:
            p = printed.get(row["html"])
            if p is not None:
                row.update(pdf=p.pdf, pages=p.pages)
            q = printed.get(row["appendix"]) if row["appendix"] is not None else None
            if q is not None:
                row.update(appendix_pdf=q.pdf, appendix_pages=q.pages)
    t_pdf = time.perf_counter() - t0

    built = dt.datetime.now()
    info = {"built": built, "dataset": Path(dataset).expanduser().resolve(), "fingerprint": ds.fingerprint,
            "scenarios": plan.folder, "commit": _git_commit()}
    links = [{**row, **{k: row[k].relative_to(out).as_posix() if row[k] else None
                        for k in ("html", "pdf", "appendix", "appendix_pdf")}} for row in rows]
    index = out / "index.html"
    info["papers"] = [p.relative_to(out).as_posix() for p in papers]
    index.write_text(index_html(plan.manifest, links, lists, info), encoding="utf-8")
    bad = _check_offline(index)
    if bad:  # pragma: no cover - the index is built from local links only
        raise ReportError("Trang mục lục có tài nguyên tải từ mạng: " + "; ".join(bad))

    timings = {"reports": round(t_reports, 2), "lists": round(t_lists, 2), "pdf": round(t_pdf, 2),
               "total": round(time.perf_counter() - started, 2)}
    table = pd.DataFrame(rows).drop(columns=["pdf_wanted"])
    def final(p: Path | None) -> Path | None:
        return None if p is None else final_out / Path(p).relative_to(out)

    record = {
        "command": command or "pack",
        "version": __version__,
        "built": built.isoformat(timespec="seconds"),
        "dataset": str(info["dataset"]),
        "data_fingerprint": ds.fingerprint,
        "scenarios": str(plan.folder),
        "manifest": plan.manifest.model_dump(mode="json"),
        "reports": [{"key": r.key, "notebook": None if r.notebook is None else str(r.notebook),
                     "parameters": r.parameters, "status": row["status"], "note": row["note"],
                     "html": None if row["html"] is None else str(final(row["html"])),
                     "pdf": None if row["pdf"] is None else str(final(row["pdf"])), "pages": row["pages"],
                     "appendix": None if row["appendix"] is None else str(final(row["appendix"])),
                     "appendix_pdf": None if row["appendix_pdf"] is None else str(final(row["appendix_pdf"])),
                     "appendix_pages": row["appendix_pages"], "seconds": row["seconds"]} for r, row in zip(plan.reports, rows, strict=True)],
        "lists": [{"sheet": x.sheet, "rows": len(x.frame), "summary": x.summary, "ok": x.ok} for x in lists],
        "timings_seconds": timings,
        "reference_date": meeting_date(plan).isoformat(),
        "papers": [str(p) for p in papers],
        # printed pages of each Tờ trình before its Phụ lục (layout model of kimson_ds.papers.word.docx_pages)
        "submission_pages": {p.stem: round(docx_pages(p), 2) for p in papers
                             if p.suffix == ".docx" and p.parent.name == PAPERS_DIR},
    }
    run_json = out / "pack.json"
    run_json.write_text(json.dumps(record, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    outs.commit(lambda files: record_run(
        record["command"], dataset=ds,
        scenario={"scenarios": str(plan.folder), "manifest": record["manifest"],
                  "reports": {r.key: r.parameters for r in plan.reports}},
        parameters={x.sheet: x.parameters for x in lists}, outputs=files))
    table["html"] = table["html"].map(final)
    table["pdf"] = table["pdf"].map(final)
    for col in ("appendix", "appendix_pdf"):
        table[col] = table[col].map(final)
    return PackResult(final_out, final(index), final(workbook), table, lists, timings, ds.fingerprint,
                      [final(p) for p in papers])
