"""``python -m bench [--quick] [--markdown FILE] [--postgres URL] [scenario ...]``.

Runs every scenario module of this package (or the ones named), prints one
table and, with ``--markdown``, writes it as a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import pkgutil
import platform
import sys
import tempfile
import time
import traceback
from pathlib import Path

import bench
from bench import Options, Result

COLUMNS = ("scenario", "measure", "median", "p95", "unit", "baseline", "baseline median", "ratio", "note")


def scenario_names() -> list[str]:
    """Modules of the bench package that are scenarios (not ``_helpers``, not this one)."""
    names = []
    for info in pkgutil.iter_modules(bench.__path__):
        if info.name.startswith("_") or info.ispkg:
            continue
        names.append(info.name)
    return sorted(names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("scenarios", nargs="*", help=f"default: all ({', '.join(scenario_names())})")
    parser.add_argument("--quick", action="store_true", help="smaller scales, for a smoke run")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--postgres", default=os.environ.get("BIPRO_BENCH_POSTGRES_URL")
                        or os.environ.get("BIPRO_TEST_POSTGRES_URL"),
                        help="PostgreSQL URL the bench may create databases on "
                             "(default: BIPRO_BENCH_POSTGRES_URL or BIPRO_TEST_POSTGRES_URL)")
    parser.add_argument("--cache", type=Path, default=Options().cachedir,
                        help="folder for the large demo databases kept between runs "
                             "(default: %(default)s)")
    args = parser.parse_args(argv)
    known = scenario_names()
    unknown = [name for name in args.scenarios if name not in known]
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(unknown)}; known: {', '.join(known)}")

    rows: list[tuple[str, Result]] = []
    failures = 0
    with tempfile.TemporaryDirectory(prefix="bipro-bench-") as workdir:
        options = Options(quick=args.quick, postgres_url=args.postgres or None, workdir=Path(workdir),
                          cachedir=args.cache)
        for name in args.scenarios or known:
            started = time.monotonic()
            print(f"== {name} ...", file=sys.stderr, flush=True)
            try:
                module = importlib.import_module(f"bench.{name}")
                results = module.run(options)
            except Exception:
                traceback.print_exc()
                results = [Result("(scenario crashed)", None, None, "", note="see the traceback", failed=True)]
            for result in results:
                rows.append((name, result))
                failures += result.failed
            print(f"   {name}: {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)

    print(plain_table(rows))
    if args.markdown:
        args.markdown.write_text(markdown(rows, args), encoding="utf-8")
        print(f"Markdown: {args.markdown}", file=sys.stderr)
    return 1 if failures else 0


def _cells(scenario: str, result: Result) -> list[str]:
    def number(value):
        if value is None:
            return "–"
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"

    note = ("FAILED: " if result.failed else "") + result.note
    ratio = "–" if result.ratio is None else f"{result.ratio:.2f}×"
    return [scenario, result.name, number(result.median), number(result.p95), result.unit,
            result.baseline or "–", number(result.baseline_median), ratio, note]


def plain_table(rows) -> str:
    table = [list(COLUMNS)] + [_cells(s, r) for s, r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(rows, args) -> str:
    def escape(cell: str) -> str:
        return cell.replace("|", "\\|")

    head = (f"Measured {dt.date.today():%Y-%m-%d} on {platform.node() or 'this machine'} "
            f"({os.cpu_count()} cores, Python {platform.python_version()}), "
            f"`python -m bench{' --quick' if args.quick else ''}`.\n\n")
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(escape(c) for c in _cells(s, r)) + " |" for s, r in rows]
    return head + "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
