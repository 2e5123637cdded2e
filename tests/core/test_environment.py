"""environment.yml (conda) stays in sync with pyproject.toml (pip)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(req: str) -> str:
    return req.strip().replace(" ", "").lower()


def test_environment_yml_lists_the_same_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str) and _name(d) not in ("python", "pip")]
    assert {_name(d): _spec(d) for d in conda} == {_name(d): _spec(d) for d in wanted}
    pip_part = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert pip_part and "-e ." in pip_part[0]["pip"], "environment.yml must install the package itself"


def test_python_version_floor_matches():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert project["requires-python"] == ">=3.11"
    assert "python>=3.11" in env["dependencies"]


def test_pulp_pinned_below_4():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pulp = [d for d in project["dependencies"] if _name(d) == "pulp"]
    assert pulp == ["pulp>=3.3,<4"]
