"""The ``kimson-ds`` command line: a thin wrapper that parses and calls the library.

Errors derived from :class:`kimson_ds.errors.KimsonError` are printed as their
Vietnamese message with the exit code they carry; no traceback is ever shown
(set ``KIMSON_DEBUG=1`` to see one while developing).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from kimson_ds import __version__
from kimson_ds.errors import KimsonError


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand module registered."""
    parser = argparse.ArgumentParser(
        prog="kimson-ds",
        description="Công cụ hỗ trợ ra quyết định công tác cán bộ (Ban Tổ chức Huyện ủy Kim Sơn).",
    )
    parser.add_argument("--version", action="version", version=f"kimson-ds {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    from kimson_ds import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"kimson_ds.commands.{info.name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KimsonError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu của người dùng.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence: never a traceback
        if os.environ.get("KIMSON_DEBUG"):
            raise
        print(
            f"Lỗi không mong đợi ({type(exc).__name__}): {exc}. "
            "Đặt biến môi trường KIMSON_DEBUG=1 để xem chi tiết kỹ thuật.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
