"""Benchmark: wall time of ``make pack`` on the sample (target ≤ 15 s on 2 cores) and the pack's page counts.

Run from the repository root: ``python benchmarks/pack.py [RUNS]``. Each run is a
fresh ``kimson-ds pack data/kimson --scenarios data/scenarios/hop-btv`` process
writing into a temporary folder with a temporary audit log; it prints the wall
time, the timings the pack records (reports, lists and papers, PDF), the
printed pages of the main part and of the appendices (printed after the
first run, not timed) and the length of each Tờ trình.
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


def _appendix_pages(out: Path) -> dict[str, int]:
    """Printed pages of each report's appendix (``*.phu-luc.html``), printed by the pack's own Chromium path."""
    from kimson_ds.papers.pdf import html_to_pdf

    jobs = [(p, p.with_suffix(".pdf")) for p in sorted((out / "bao-cao").glob("*.phu-luc.html"))]
    return {r.html.name.removesuffix(".phu-luc.html"): r.pages for r in html_to_pdf(jobs)}


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
            print(f"run {i + 1}: {elapsed:.2f} s wall; recorded {record['timings_seconds']}")
            if i == 0:  # pages (not timed): the appendices are printed here, the pack prints them on request only
                appendix = _appendix_pages(out)
                print(f"  pages: main part {main_pages}, appendices {sum(appendix.values())}")
                for r in record["reports"]:
                    print(f"    {r['key']}: {r.get('pages')} + {appendix.get(r['key'])} appendix pages")
                print(f"  Tờ trình (first part, layout model): {record.get('submission_pages')}")
    best = min(times)
    print(f"cpus: {os.cpu_count()}  runs: {runs}  best {best:.2f} s  median {statistics.median(times):.2f} s  "
          f"target ≤ {TARGET_SECONDS:.0f} s: {'OK' if best <= TARGET_SECONDS else 'SLOWER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1))
