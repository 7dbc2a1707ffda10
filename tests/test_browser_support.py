"""Without Chromium the browser tests fail in CI and skip elsewhere."""

from pathlib import Path

import pytest

from tests.support import browser


def test_missing_chromium_fails_in_ci(monkeypatch):
    monkeypatch.setattr(browser, "CHROMIUM", Path("/nonexistent/chromium"))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="chromium"):
        browser.require_chromium()


def test_missing_chromium_skips_outside_ci(monkeypatch):
    monkeypatch.setattr(browser, "CHROMIUM", Path("/nonexistent/chromium"))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        browser.require_chromium()


def test_screenshots_go_to_the_configured_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("BIPRO_TEST_OUTPUT", str(tmp_path / "out"))
    assert browser.output_dir() == tmp_path / "out" and (tmp_path / "out").is_dir()
