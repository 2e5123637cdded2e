"""``kimson-ds --help`` starts fast: it reads the commands' help lines without importing them
(no pandas, PuLP, matplotlib or Jupyter pieces), and shows the same text as the full parser."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kimson_ds.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def test_top_level_help_imports_no_heavy_library():
    code = ("import sys, contextlib, io\nfrom kimson_ds.cli import main\n"
            "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n    main(['--help'])\n"
            "print(sorted(m for m in ('pandas', 'pulp', 'matplotlib', 'nbformat', 'papermill', 'numpy', 'pydantic')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_help_lines_read_from_source_match_the_registered_commands():
    light = build_parser("").format_help()
    full = build_parser(None).format_help()
    assert light == full
    assert "rotate" in light and "Lập phương án luân chuyển" in light


def test_a_subcommand_is_registered_in_full_when_named():
    args = build_parser("rotate").parse_args(["rotate", "data/kimson", "--scenario", "s.yaml", "--out", "o"])
    assert args.command == "rotate" and args.scenario == "s.yaml" and callable(args.func)
