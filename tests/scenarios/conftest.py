"""The demo company, loaded once for the scenario tests."""

from __future__ import annotations

from pathlib import Path

import pytest

import orglens
from orglens.model import Organization

# With --doctest-modules pytest would import this file a second time as the module "conftest",
# which clashes with the other conftest.py files; it holds no doctests.
collect_ignore = ["conftest.py"]

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


@pytest.fixture(scope="session")
def demo() -> Organization:
    return orglens.load(DEMO)
