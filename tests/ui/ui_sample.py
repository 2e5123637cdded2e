"""What the panel tests share: the sample's paths and the explorer pages (the ``ds`` and ``base``
fixtures are in ``conftest.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "kimson"
SCENARIO = REPO / "data" / "scenarios" / "luan-chuyen-2016.yaml"
APPS = REPO / "apps"
ANALYSES = ["tong-quan.ipynb", "luan-chuyen.ipynb", "xep-loai.ipynb", "quy-hoach.ipynb", "dao-tao.ipynb",
            "tham-dinh.ipynb", "kiem-phieu.ipynb"]

needs_sample = pytest.mark.skipif(not SAMPLE.is_dir(), reason="data/kimson is not generated")
