"""``pack`` runs only the project's own notebooks unless the user names the extra notebook explicitly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from kimson_ds.errors import ScenarioError

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "kimson"
OWN = REPO / "notebooks" / "00-tong-quan.ipynb"


def _manifest(folder: Path, name: str, notebook: str) -> None:
    (folder / name).write_text(yaml.safe_dump({"notebook": notebook}, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def scenarios(tmp_path):
    folder = tmp_path / "kich-ban"
    folder.mkdir()
    shutil.copy(OWN, folder / "la.ipynb")  # a notebook that came with the scenarios folder
    return folder


def test_a_notebook_shipped_in_the_scenarios_folder_is_refused(scenarios):
    from kimson_ds.papers.pack import load_pack

    _manifest(scenarios, "00-la.yaml", "la.ipynb")
    with pytest.raises(ScenarioError, match="--allow-notebook") as info:
        load_pack(scenarios)
    assert "00-la.yaml" in str(info.value) and info.value.exit_code == 2


@pytest.mark.parametrize("how", ["absolute", "relative"])
def test_notebooks_named_by_any_path_outside_the_project_are_refused(scenarios, tmp_path, how):
    from kimson_ds.papers.pack import load_pack

    other = tmp_path / "khac" / "x.ipynb"
    other.parent.mkdir()
    shutil.copy(OWN, other)
    name = {"absolute": str(other), "relative": "../khac/x.ipynb"}[how]
    _manifest(scenarios, "00-x.yaml", name)
    with pytest.raises(ScenarioError, match="không thuộc các notebook của dự án"):
        load_pack(scenarios)


def test_a_link_inside_the_notebooks_folder_does_not_count_as_a_project_notebook(scenarios):
    from kimson_ds.papers.pack import load_pack

    link = REPO / "notebooks" / "99-lien-ket-thu.ipynb"
    link.symlink_to(scenarios / "la.ipynb")
    try:
        _manifest(scenarios, "00-x.yaml", "99-lien-ket-thu")
        with pytest.raises(ScenarioError, match="--allow-notebook"):
            load_pack(scenarios)
    finally:
        link.unlink()


def test_the_explicitly_allowed_extra_notebook_runs_and_project_notebooks_need_no_flag(scenarios):
    from kimson_ds.papers.pack import load_pack

    _manifest(scenarios, "00-la.yaml", "la.ipynb")
    _manifest(scenarios, "10-tong-quan.yaml", "00-tong-quan")
    plan = load_pack(scenarios, SAMPLE, allow_notebooks=[scenarios / "la.ipynb"])
    assert [r.notebook.resolve() for r in plan.reports] == [(scenarios / "la.ipynb").resolve(), OWN.resolve()]


def test_pack_command_refuses_before_building_anything(scenarios, tmp_path, capsys, monkeypatch):
    from kimson_ds.cli import main

    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    _manifest(scenarios, "00-la.yaml", "la.ipynb")
    out = tmp_path / "goi"
    code = main(["pack", str(SAMPLE), "--scenarios", str(scenarios), "--out", str(out), "--no-pdf"])
    err = capsys.readouterr().err
    assert code == 2 and "--allow-notebook" in err and "Traceback" not in err
    assert not out.exists() and not (tmp_path / "audit.jsonl").exists()


def test_pack_output_inside_the_scenarios_folder_is_refused(scenarios, tmp_path, capsys, monkeypatch):
    from kimson_ds.cli import main

    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    _manifest(scenarios, "10-tong-quan.yaml", "00-tong-quan")
    code = main(["pack", str(SAMPLE), "--scenarios", str(scenarios), "--out", str(scenarios / "goi"), "--no-pdf"])
    assert code == 2 and "thư mục đầu vào" in capsys.readouterr().err
    assert not (scenarios / "goi").exists()
