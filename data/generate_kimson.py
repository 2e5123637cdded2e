"""Regenerate the bundled synthetic sample ``data/kimson/`` and ``data/README.md``.

Usage::

    python data/generate_kimson.py [--out data/kimson] [--seed 2016]

A thin wrapper around :func:`kimson_ds.sample.generator.generate`; the same seed gives
byte-identical files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kimson_ds.sample.generator import DEFAULT_SEED, generate, readme_markdown

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sinh bộ dữ liệu mẫu Kim Sơn (giả lập).")
    parser.add_argument("--out", type=Path, default=HERE / "kimson", help="thư mục ghi các tệp CSV")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="hạt giống ngẫu nhiên")
    parser.add_argument("--readme", type=Path, default=None,
                        help="đường dẫn README (mặc định: README.md cạnh thư mục --out)")
    args = parser.parse_args(argv)
    tables = generate(args.out, seed=args.seed)
    readme = args.readme or args.out.parent / "README.md"
    readme.write_text(readme_markdown(tables), encoding="utf-8", newline="\n")
    print(f"Đã ghi {len(tables)} bảng vào {args.out} và {readme}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
