"""Benchmark: wall time of ``kimson-ds report notebooks/00-tong-quan.ipynb`` (target < 20 s).

Run from anywhere: ``python benchmarks/report.py [RUNS]``. Each run is a fresh
``kimson-ds`` process (kernel start, notebook execution, HTML export, audit),
writing into a temporary folder with a temporary audit log.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 20.0


def main(runs: int = 3) -> int:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KIMSON_AUDIT_LOG": str(Path(tmp) / "audit.jsonl")}
        for i in range(runs):
            out = Path(tmp) / f"run{i}"
            start = time.perf_counter()
            res = subprocess.run(
                [sys.executable, "-m", "kimson_ds.cli", "report", "notebooks/00-tong-quan.ipynb", "--out", str(out)],
                cwd=REPO, env=env, capture_output=True, text=True,
            )
            elapsed = time.perf_counter() - start
            if res.returncode != 0:
                print(f"run {i + 1}: FAILED (exit {res.returncode})\n{res.stderr}")
                return 1
            size = (out / "00-tong-quan.html").stat().st_size
            times.append(elapsed)
            print(f"run {i + 1}: {elapsed:.2f} s (HTML {size / 1024:.0f} KiB)")
    print(f"cpus: {os.cpu_count()}  runs: {runs}")
    print(f"wall time: min {min(times):.2f} s, median {statistics.median(times):.2f} s, max {max(times):.2f} s")
    print(f"target < {TARGET_SECONDS:.0f} s: {'OK' if max(times) < TARGET_SECONDS else 'EXCEEDED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
