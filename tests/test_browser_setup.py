"""`make test` without a browser: the browser tests are skipped with the reason and the remedy, except
where CI requires them (BAPAS_REQUIRE_BROWSER=1, set by .ci/run), where the run fails instead."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests import conftest


class _Item:
    def __init__(self, browser: bool) -> None:
        self.keywords = {"browser": True} if browser else {}
        self.markers: list = []

    def add_marker(self, marker) -> None:
        self.markers.append(marker)


def _run(monkeypatch, found: str | None, required: str | None):
    monkeypatch.setattr(conftest, "chromium", lambda: found)
    if required is None:
        monkeypatch.delenv(conftest.REQUIRE_BROWSER, raising=False)
    else:
        monkeypatch.setenv(conftest.REQUIRE_BROWSER, required)
    config = SimpleNamespace(stash=pytest.Stash())
    items = [_Item(browser=True), _Item(browser=False)]
    conftest.pytest_collection_modifyitems(config, items)
    return config, items


def test_without_chromium_the_browser_tests_are_skipped_and_the_summary_says_how_to_run_them(monkeypatch):
    config, (browser_test, other) = _run(monkeypatch, None, None)
    assert [m.kwargs["reason"] for m in browser_test.markers] == [conftest.NO_BROWSER]
    assert other.markers == []
    lines = []
    reporter = SimpleNamespace(write_line=lambda line, **_: lines.append(line))
    conftest.pytest_terminal_summary(reporter, 0, config)
    assert lines == [f"1 browser tests skipped: {conftest.NO_BROWSER}"]
    assert "apt-get install chromium" in lines[0] and "BAPAS_CHROMIUM" in lines[0]


def test_where_ci_requires_the_browser_a_missing_one_fails_the_run(monkeypatch):
    with pytest.raises(pytest.UsageError, match="BAPAS_REQUIRE_BROWSER=1 and no chromium found"):
        _run(monkeypatch, None, "1")


def test_with_chromium_nothing_is_skipped(monkeypatch):
    config, items = _run(monkeypatch, "/usr/bin/chromium", "1")
    assert all(item.markers == [] for item in items)
    assert config.stash.get(conftest._SKIPPED_BROWSER_TESTS, 0) == 0


def test_ci_requires_the_browser():
    from pathlib import Path

    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    assert f"export {conftest.REQUIRE_BROWSER}=1" in ci
