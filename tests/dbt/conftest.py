"""Fixtures for the dbt project tests; the helpers they use live in `dbt_builds`."""

from __future__ import annotations

import pytest
from dbt_builds import Build, build_fixture


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The fixture landing folder built once, in UTC, evaluated at its data watermark."""
    return build_fixture(tmp_path_factory.mktemp("fixture-utc"))
