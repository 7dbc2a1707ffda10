"""The benchmark runner: it finds the scenarios, runs one on a small scale, writes Markdown.

No figure is asserted here (speed belongs in bench/README.md); only that the
suite runs and reports what it measured.
"""

from __future__ import annotations

import argparse

from bench import Options, Result, rate_result, time_result
from bench.__main__ import markdown, plain_table, scenario_names


def test_every_scenario_module_is_found_and_helpers_are_not():
    names = scenario_names()
    assert {"sts", "frame", "throughput", "transfer", "exports", "lists", "gdv"} <= set(names)
    assert not [name for name in names if name.startswith("_")]


def test_every_scenario_follows_the_convention():
    import importlib

    for name in scenario_names():
        module = importlib.import_module(f"bench.{name}")
        assert callable(getattr(module, "run", None)), name


def test_the_large_databases_are_cached_by_scale_and_content():
    from bench._bigdb import cache_key

    assert cache_key(250_000, 1_000_000) != cache_key(20_000, 80_000)
    assert cache_key(20_000, 80_000) == cache_key(20_000, 80_000)


def test_results_compute_ratios_the_same_way_for_times_and_rates():
    slower = time_result("t", [0.002, 0.002, 0.004], baseline="b", baseline_seconds=[0.001, 0.001])
    assert (slower.median, slower.baseline_median, slower.ratio) == (2.0, 1.0, 2.0)
    fewer = rate_result("r", 50.0, "req/s", baseline="b", baseline_rate=100.0)
    assert fewer.ratio == 2.0  # half the rate costs twice as much


def test_tables_carry_every_row_and_mark_failures():
    rows = [("sts", Result("issue", 12.5, 20.0, "ms", "bcrypt", 10.0, 1.25, "cost 12")),
            ("throughput", Result("echo", None, None, "req/s", note="skipped", failed=True))]
    text = plain_table(rows)
    assert "issue" in text and "1.25×" in text and "FAILED: skipped" in text
    md = markdown(rows, argparse.Namespace(quick=True))
    assert md.count("\n| ") == 3  # header and two rows
    assert "`python -m bench --quick`" in md


def test_the_frame_scenario_runs_on_a_small_scale(tmp_path):
    from bench import frame

    results = frame.run(Options(quick=True, workdir=tmp_path))
    assert [r.unit for r in results] == ["ms", "ms"]
    assert all(r.median > 0 and r.baseline_median > 0 and not r.failed for r in results)
