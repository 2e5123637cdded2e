"""Every command with ``--out`` (today's and any later one) refuses an output inside a dataset folder.

The commands are discovered from the parser: a new command with ``--out`` must
be added to :data:`ARGS`, and then it is held to the same rule.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from kimson_ds.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
SCEN = ROOT / "data" / "scenarios"
PROPOSAL = ("proposal_id,cadre_id,action,position_id,target_title,target_unit_id,effective_date\n"
            "D1,CB0002,bo_nhiem,XA_KIM_HAI-BI_THU-1,,,2020-06-01\n")

#: command -> (arguments before --out, output name inside the dataset folder)
ARGS = {
    "rate": (["{data}", "--year", "2018"], "ket-qua.csv"),
    "rotate": (["{data}", "--scenario", str(SCEN / "luan-chuyen-2016.yaml")], "ra"),
    "plan": (["{data}", "--term", "2020-2025"], "ra"),
    "train": (["{data}", "--scenario", str(SCEN / "dao-tao-2020-2025.yaml")], "ra"),
    "vet": (["{data}", "--proposals", "{proposals}"], "ra"),
    "export": (["{data}"], "ban-sao.xlsx"),
    "template": ([], "mau.xlsx"),
    "report": ([str(ROOT / "notebooks" / "00-tong-quan.ipynb"), "-p", "dataset", "{data}"], "bao-cao"),
    "pack": (["{data}", "--scenarios", str(SCEN / "hop-btv"), "--no-pdf"], "goi"),
    "kiem_phieu": (["{data}", "--no-pdf"], "ra"),
    "ho_so": (["{data}", "--id", "CB0001"], "ra"),
    "to_trinh": (["{data}", "--scenarios", str(SCEN / "hop-btv")], "ra"),
}


def _commands_with_out() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(name for name, p in sub.choices.items()
                  if any("--out" in a.option_strings for a in p._actions))


def _tree(path: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.rglob("*")) if p.is_file()}


def test_every_command_with_an_output_is_in_the_table():
    missing = [c for c in _commands_with_out() if c.replace("-", "_") not in ARGS]
    assert not missing, f"thêm lệnh vào ARGS để kiểm tra đầu ra an toàn: {missing}"


@pytest.mark.parametrize("command", _commands_with_out())
def test_command_refuses_an_output_inside_the_dataset_folder(command, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (tmp_path / "de-xuat.csv").write_text(PROPOSAL, encoding="utf-8")
    before = _tree(data)
    args, name = ARGS[command.replace("-", "_")]
    args = [a.format(data=data, proposals=tmp_path / "de-xuat.csv") for a in args]
    code = main([command, *args, "--out", str(data / name)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert str(data / name) in err and ("thư mục bộ dữ liệu" in err or "thư mục đầu vào" in err), err
    assert "Traceback" not in err and "Lỗi không mong đợi" not in err
    assert _tree(data) == before
    assert not (tmp_path / "audit.jsonl").exists()


@pytest.mark.parametrize("command", _commands_with_out())
def test_command_refuses_to_write_through_a_symbolic_link(command, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (tmp_path / "de-xuat.csv").write_text(PROPOSAL, encoding="utf-8")
    elsewhere = tmp_path / "noi-khac"
    elsewhere.mkdir()
    link = tmp_path / "lien-ket"
    link.symlink_to(elsewhere, target_is_directory=True)
    args, name = ARGS[command.replace("-", "_")]
    args = [a.format(data=data, proposals=tmp_path / "de-xuat.csv") for a in args]
    code = main([command, *args, "--out", str(link / name)])
    err = capsys.readouterr().err
    assert code == 2 and "liên kết tượng trưng" in err, err
    assert list(elsewhere.iterdir()) == [] and not (tmp_path / "audit.jsonl").exists()
