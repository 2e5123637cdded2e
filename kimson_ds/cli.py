"""The ``kimson-ds`` command line: a thin wrapper that parses and calls the library.

Errors derived from :class:`kimson_ds.errors.KimsonError` are printed as their
Vietnamese message with the exit code they carry; no traceback is ever shown
(set ``KIMSON_DEBUG=1`` to see one while developing).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import pkgutil
import sys

from kimson_ds import __version__
from kimson_ds.errors import KimsonError

_ARGPARSE_VI = {
    "usage: ": "cách dùng: ",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "unrecognized arguments: %s": "tham số không nhận ra: %s",
    "not allowed with argument %s": "không được dùng cùng tham số %s",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn không rõ: %(option)s có thể là %(matches)s",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ (cần kiểu %(type)s): %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "lựa chọn không hợp lệ: %(value)r (chọn một trong %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
}


@contextlib.contextmanager
def _vietnamese_argparse():
    """Let argparse speak Vietnamese (usage, help headings, errors) while we parse."""
    original = argparse._
    argparse._ = lambda text: _ARGPARSE_VI.get(text, original(text))
    try:
        yield
    finally:
        argparse._ = original


def _command_names() -> list[str]:
    """The subcommand modules in ``kimson_ds/commands`` (found without importing them)."""
    from kimson_ds import commands

    return sorted(m.name for m in pkgutil.iter_modules(commands.__path__))


def _help_of(name: str) -> tuple[str, str] | None:
    """The command name and ``help=`` text a command module gives ``add_parser``, read from its
    source without importing it (so that ``kimson-ds --help`` does not load pandas, PuLP or
    Jupyter pieces); ``None`` when they are not plain strings (the module is then imported)."""
    import ast

    from kimson_ds import commands

    path = os.path.join(commands.__path__[0], f"{name}.py")
    try:
        with open(path, encoding="utf-8") as fh:
            tree = ast.parse(fh.read())
    except (OSError, SyntaxError):
        return None
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_parser"
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            for kw in node.keywords:
                if kw.arg == "help" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    return node.args[0].value, kw.value.value
            return None
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand module registered.

    With ``command`` given, only the module of that command is imported and
    registered in full; the others appear with their help line (read from
    their source), which is what ``kimson-ds --help`` shows. Without it every
    module is imported.
    """
    parser = argparse.ArgumentParser(
        prog="kimson-ds",
        description="Công cụ hỗ trợ ra quyết định công tác cán bộ (Ban Tổ chức Huyện ủy Kim Sơn).",
    )
    parser.add_argument("--version", action="version", version=f"kimson-ds {__version__}",
                        help="hiện phiên bản rồi thoát")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    for name in _command_names():
        found = _help_of(name) if command is not None else None
        if found is None or found[0] == command:
            module = importlib.import_module(f"kimson_ds.commands.{name}")
            module.register(sub)
        else:
            sub.add_parser(found[0], help=found[1])
    return parser


def _wanted(argv: list[str]) -> str:
    """The subcommand named on the command line ("" when none: top-level help)."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg
    return ""


#: Option destinations holding a date, and the option name the user typed.
_DATE_OPTIONS = {"as_of": "--as-of", "compare_as_of": "--compare-as-of", "date_from": "--from", "date_to": "--to"}


def _normalise_options(args: argparse.Namespace) -> None:
    """Check typed options once for every command: dates and years in range.

    Dates are accepted in the formats the data accepts and handed on as ISO
    ``yyyy-mm-dd``; years must lie in the range dates may take.

    Raises
    ------
    ScenarioError
        Naming the option, the (shortened) value and what is expected.
    """
    from kimson_ds.config import DATE_MAX, DATE_MIN, parse_date_option
    from kimson_ds.errors import ScenarioError

    for dest, option in _DATE_OPTIONS.items():
        value = getattr(args, dest, None)
        if isinstance(value, str):
            setattr(args, dest, parse_date_option(value, option).isoformat())
    year = getattr(args, "year", None)
    if isinstance(year, int) and not DATE_MIN.year <= year <= DATE_MAX.year:
        raise ScenarioError(f"Năm --year không hợp lệ: {year} (cần một năm từ {DATE_MIN.year} đến {DATE_MAX.year}).")
    port = getattr(args, "port", None)
    if isinstance(port, int) and not 1 <= port <= 65535:
        raise ScenarioError(f"Cổng --port không hợp lệ: {port} (cần một số từ 1 đến 65535).")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    with _vietnamese_argparse():
        parser = build_parser(_wanted(argv))
        args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        with _vietnamese_argparse():
            parser.print_help()
        return 2
    try:
        _normalise_options(args)
        return int(args.func(args) or 0)
    except KimsonError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # the reader (e.g. `| head`) went away: not an error of ours
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    except OSError as exc:
        target = f" '{exc.filename}'" if exc.filename else ""
        print(f"Lỗi: không đọc/ghi được tệp{target}: {exc.strerror or exc}.", file=sys.stderr)
        return 2
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
