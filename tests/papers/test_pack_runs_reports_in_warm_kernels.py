"""The meeting pack's speed mechanisms change nothing a reader sees.

* :func:`kimson_ds.data.io.load_dataset` with ``$KIMSON_DATASET_CACHE=1`` returns an independent copy of an
  earlier load of the same bytes, and reads again when a file changes;
* a report run in a warm kernel after another report (:class:`kimson_ds.papers.report.WarmKernel`) reads
  exactly like the same report run in a new kernel.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "kimson"
MINIMAL = REPO / "tests" / "fixtures" / "minimal"


@pytest.fixture(autouse=True)
def _audit_log(tmp_path, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))


def test_cached_dataset_loads_are_independent_copies_and_follow_the_files(tmp_path, monkeypatch):
    from kimson_ds.data import io

    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    monkeypatch.setenv(io.CACHE_ENV, "1")
    monkeypatch.setattr(io, "_CACHE", {})
    reads = []
    real = io.read_dataset
    monkeypatch.setattr(io, "read_dataset", lambda *a, **k: reads.append(a) or real(*a, **k))
    first = io.load_dataset(data)
    first.cadres.loc[first.cadres.index[0], "full_name"] = "Đã sửa trong bộ nhớ"
    second = io.load_dataset(data)
    assert len(reads) == 1 and second.cadres["full_name"].iloc[0] != "Đã sửa trong bộ nhớ"
    assert second.fingerprint == first.fingerprint
    cadres = data / "cadres.csv"
    text = cadres.read_text(encoding="utf-8")
    name = second.cadres["full_name"].iloc[0]
    cadres.write_text(text.replace(name, name + " Văn", 1), encoding="utf-8")
    third = io.load_dataset(data)
    assert len(reads) == 2 and third.cadres["full_name"].iloc[0] == name + " Văn"
    monkeypatch.delenv(io.CACHE_ENV)
    io.load_dataset(data)
    assert len(reads) == 3  # without the variable every load reads the files


def _visible(path: Path) -> str:
    """The report as a reader sees it, without the time it was made."""
    text = path.read_text(encoding="utf-8")
    return re.sub(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}(:\d{2})?", "", text)


@pytest.mark.slow
@pytest.mark.skipif(not SAMPLE.is_dir(), reason="data/kimson is not generated")
def test_a_report_in_a_warm_kernel_after_another_reads_like_one_in_a_new_kernel(tmp_path, monkeypatch):
    from kimson_ds.data.io import CACHE_ENV
    from kimson_ds.papers.report import WarmKernel, build_report

    nb = REPO / "notebooks"
    params = {"dataset": str(SAMPLE), "as_of": "2019-12-31", "year": 2019, "compare_as_of": "2018-12-31"}
    cold = build_report(nb / "10-xep-loai.ipynb", params, tmp_path / "cold", split_appendix=True, record=False)
    monkeypatch.setenv(CACHE_ENV, "1")
    kernel = WarmKernel(env={CACHE_ENV: "1"})
    try:
        build_report(nb / "00-tong-quan.ipynb", {"dataset": str(SAMPLE), "as_of": "2019-12-31"}, tmp_path / "first",
                     split_appendix=True, record=False, kernel=kernel)
        warm = build_report(nb / "10-xep-loai.ipynb", params, tmp_path / "warm", split_appendix=True, record=False,
                            kernel=kernel)
    finally:
        kernel.shutdown()
    assert _visible(warm.html) == _visible(cold.html)
    assert _visible(warm.appendix) == _visible(cold.appendix)
    assert warm.references.equals(cold.references)
