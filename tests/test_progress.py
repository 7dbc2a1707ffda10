"""Long commands show their progress: a bar on a terminal, a line every few seconds in a log."""

from __future__ import annotations

import io
import os
import re

import pytest
from sqlalchemy import text

from bipro.cli import main
from store import progress
from store.db import Database
from store.migrate import upgrade
from tests.support.databases import fresh_database

PLAIN_LINE = re.compile(r"^(?P<label>.+): (?P<n>\d+)/(?P<total>\d+) (?P<unit>\S+) \((?P<percent>\d+) %\), "
                        r"(?:\?|[\d.]+) (?P=unit)/s, vergangen [\d:]+, noch (?:\?|[\d:]+)$")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def at_once(monkeypatch):
    """Show progress from the first step and redraw on every update."""
    monkeypatch.setattr(progress, "QUIET_SECONDS", 0)
    monkeypatch.setattr(progress, "LINE_SECONDS", 0)


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("BIPRO_") and not name.startswith("BIPRO_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("BIPRO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BIPRO_BCRYPT_ROUNDS", "4")
    return monkeypatch


def plain_lines(output: str) -> list[re.Match]:
    lines = [PLAIN_LINE.match(line) for line in output.splitlines()]
    assert lines and all(lines), output
    return lines


def test_without_a_terminal_one_plain_line_per_redraw(at_once):
    out = io.StringIO()
    with progress.bar("Kunden", 3, stream=out) as counter:
        for _ in range(3):
            counter.update(1)
    assert "\r" not in out.getvalue()
    lines = plain_lines(out.getvalue())
    assert [(m["n"], m["total"], m["percent"]) for m in lines] == [
        ("0", "3", "0"), ("1", "3", "33"), ("2", "3", "67"), ("3", "3", "100")]


def test_on_a_terminal_a_bar_with_rate_and_time_left(at_once):
    out = Terminal()
    with progress.bar("Verträge", 50_000, "Verträge", stream=out) as counter:
        counter.update(25_000)
        counter.update(25_000)
    final = out.getvalue().split("\r")[-1]
    assert re.match(r"Verträge: 100%\|#+\| 50\.0k/50\.0k \[[\d:]+<[\d:]+, .* Verträge/s\]", final), final


def test_short_jobs_stay_quiet():
    out = io.StringIO()
    with progress.bar("Kunden", 3, stream=out) as counter:
        counter.update(3)
    assert out.getvalue() == ""


def test_demo_and_gdv_export_show_progress_on_stderr(env, capsys, at_once, tmp_path):
    env.setenv("BIPRO_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    assert main(["demo"]) == 0
    demo = capsys.readouterr()
    finals = {m["label"]: (m["n"], m["total"]) for m in plain_lines(demo.err) if m["percent"] == "100"}
    assert finals["Vermittler 1: Kunden"] == ("140", "140")
    assert finals["Vermittler 1: Verträge"] == ("210", "210")
    assert "Demo geladen" in demo.out and "Zeilen" not in demo.out  # results stay on stdout alone

    assert main(["gdv-export", "--broker", "demo"]) == 0
    export = capsys.readouterr()
    written = re.search(r"Vermittler (\d+): (\d+) Verträge", export.out)
    last = plain_lines(export.err)[-1]
    assert (last["label"], last["n"], last["total"]) == (f"GDV {written[1]}", written[2], written[2])


def test_the_backfilling_migration_shows_progress(backend, tmp_path, capsys, at_once):
    """0004 fills sort keys for existing customers and counts them."""
    with fresh_database(backend, tmp_path) as url:
        db = Database(url)
        try:
            upgrade(db.engine, "0003")
            with db.engine.begin() as conn:
                conn.execute(text("INSERT INTO brokers (id, number, name, street, postcode, town, phone, "
                                  "email, created_at) VALUES (1, '1', 'B', '', '', '', '', '', "
                                  "'2026-01-01 00:00:00')"))
                conn.execute(text(
                    "INSERT INTO customers (id, broker_id, partner_number, salutation, title, first_name, "
                    "last_name, street, postcode, town, country, email, phone, search_text, version, "
                    "updated_at) VALUES (:id, 1, :id, 1, '', 'Anna', 'Busch', '', '44787', 'Bochum', 'D', "
                    "'', '', 'busch', 1, '2026-01-01 00:00:00')"), [{"id": n} for n in range(1, 8)])
            capsys.readouterr()
            upgrade(db.engine, "0004")
        finally:
            db.dispose()
    last = plain_lines(capsys.readouterr().err)[-1]
    assert (last["label"], last["n"], last["total"], last["unit"]) == ("Sortierschlüssel", "7", "7", "Kunden")
