"""Benchmark: audit log appends (long log, concurrent runs) and a full verify; staged output commit.

Run: python benchmarks/audit_log.py [N_RECORDS]   (default 10000)
Prints the seconds of one append to a log of N records, of 10 processes × 20 concurrent appends,
of `verify` over the whole log, and of committing a 50-file output folder (stage, swap, audit).
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from kimson_ds import audit
from kimson_ds.outputs import OutputSet, write_csv

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
root = Path(__file__).resolve().parents[1]
with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    log = tmp / "audit.jsonl"
    params = {f"rating.param_{i}": i * 0.1 for i in range(40)}
    t0 = time.perf_counter()
    for i in range(n):
        audit.record_run(f"rate data/kimson --year {i}", scenario={"i": i}, parameters=params, log=log)
    fill = time.perf_counter() - t0
    t0 = time.perf_counter()
    audit.record_run("rate data/kimson --year 2018", scenario={"i": -1}, parameters=params, log=log)
    one = time.perf_counter() - t0
    writer = ("import sys\nfrom kimson_ds import audit\n"
              "for i in range(20): audit.record_run('x', scenario={'i': i}, log=sys.argv[1])\n")
    env = {**os.environ, "PYTHONPATH": str(root)}
    t0 = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", writer, str(log)], env=env) for _ in range(10)]
    for p in procs:
        p.wait()
    conc = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = audit.verify(log)
    ver = time.perf_counter() - t0
    frame = pd.DataFrame({"Họ và tên": [f"Nguyễn Văn {i}" for i in range(2000)], "Điểm": range(2000)})
    t0 = time.perf_counter()
    with OutputSet(tmp / "ra", folder=True) as outs:
        for k in range(50):
            write_csv(frame, outs / f"bang_{k}.csv")
        outs.commit(lambda files: audit.record_run("bench", outputs=files, log=log))
    commit = time.perf_counter() - t0
    size = log.stat().st_size / 1e6
    print(f"log of {n} records ({size:.1f} MB) filled in {fill:.1f} s ({1000 * fill / n:.2f} ms per append)")
    print(f"one more append: {1000 * one:.1f} ms")
    print(f"10 processes x 20 appends: {conc:.2f} s; verify: {ver:.2f} s -> {result.message}")
    print(f"50-file output folder written, swapped in and audited: {commit:.2f} s")
