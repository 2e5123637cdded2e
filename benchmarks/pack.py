"""Benchmark: wall time of ``make pack`` on the sample (target ≤ 15 s on 2 cores) and the pack's page counts.

Run from the repository root: ``python benchmarks/pack.py [RUNS]``. Each run is a
fresh ``kimson-ds pack data/kimson --scenarios data/scenarios/hop-btv`` process
writing into a temporary folder with a temporary audit log; it prints the wall
time, the timings the pack records (reports, lists and papers, PDF) and the
printed pages of the main part and of the appendices.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 15.0


def main(runs: int = 1) -> int:
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KIMSON_AUDIT_LOG": str(Path(tmp) / "audit.jsonl"), "PYTHONPATH": str(REPO)}
        for i in range(runs):
            out = Path(tmp) / f"run{i}"
            start = time.perf_counter()
            res = subprocess.run(
                [sys.executable, "-m", "kimson_ds.cli", "pack", "data/kimson", "--scenarios",
                 "data/scenarios/hop-btv", "--out", str(out)],
                cwd=REPO, env=env, capture_output=True, text=True,
            )
            elapsed = time.perf_counter() - start
            if res.returncode != 0:
                print(f"run {i + 1}: FAILED (exit {res.returncode})\n{res.stdout}\n{res.stderr}")
                return 1
            record = json.loads((out / "pack.json").read_text(encoding="utf-8"))
            times.append(elapsed)
            main_pages = sum(r.get("pages") or 0 for r in record["reports"])
            appendix_pages = sum(r.get("appendix_pages") or 0 for r in record["reports"])
            print(f"run {i + 1}: {elapsed:.2f} s wall; recorded {record['timings_seconds']}")
            print(f"  pages: main part {main_pages}, appendices {appendix_pages}")
            for r in record["reports"]:
                print(f"    {r['key']}: {r.get('pages')} + {r.get('appendix_pages')} appendix pages")
    best = min(times)
    print(f"cpus: {os.cpu_count()}  runs: {runs}  best {best:.2f} s  median {statistics.median(times):.2f} s  "
          f"target ≤ {TARGET_SECONDS:.0f} s: {'OK' if best <= TARGET_SECONDS else 'SLOWER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1))
