"""Root conftest: settings shared by doctests (in src/) and tests."""

from __future__ import annotations

import os

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=40,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=60)
settings.register_profile("large", deadline=None, max_examples=1000,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(autouse=True)
def _pandas_display(doctest_namespace: dict[str, object]) -> None:
    """Wide, stable DataFrame printing so doctest output does not depend on the terminal."""
    doctest_namespace["pd"] = pd
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 30)
