"""The fuzz test runs last: its valid submissions change the shared demo data other tests read."""

from __future__ import annotations

import pytest

LAST = "tests/security/test_fuzz.py"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Move the fuzz test to the end of the run, keeping every other test's order."""
    items.sort(key=lambda item: item.nodeid.startswith(LAST))
