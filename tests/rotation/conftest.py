"""Every rotation test also solves the readable PuLP reference model and fails if it disagrees
with the HiGHS matrix model (``KIMSON_CHECK_REFERENCE``, read by :func:`kimson_ds.rotation.model.run`)."""

import pytest


@pytest.fixture(autouse=True)
def _check_against_reference_model(monkeypatch):
    monkeypatch.setenv("KIMSON_CHECK_REFERENCE", "1")
