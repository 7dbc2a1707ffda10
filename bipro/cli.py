"""The ``bipro-gateway`` command line: database, demo data, serving, back office."""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import PackageNotFoundError, version

from bipro.config import ConfigError, Settings
from bipro.gateway import Gateway

SERVICE_PATHS = (
    ("STS (410)", "/bipro/410_STS/UserPasswordLogin_2.6.1.1.0"),
    ("Transfer (430)", "/bipro/430_Transfer/Service_2.6.1.1.0"),
    ("Partner (501)", "/bipro/501_Partner/Service_2.6.1.1.0"),
    ("Vertrag (502)", "/bipro/502_Vertrag/Service_2.6.1.1.0"),
    ("Suchlisten (480)", "/bipro/480_Liste/Service_2.6.1.1.0"),
    ("Tarifierung (420)", "/bipro/420_TAA/Service_2.6.1.1.0"),
    ("Extranet-Links (440)", "/bipro/440_Extranet/Service_1.0.1.0"),
)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "needs_gateway", True):  # e.g. check: reports a bad configuration itself
        return args.handler(args) or 0
    try:
        gateway = Gateway.from_settings(Settings.from_env())
    except ConfigError as exc:
        print(f"Konfigurationsfehler: {exc}", file=sys.stderr)
        return 2
    try:
        return args.handler(gateway, args) or 0
    finally:
        gateway.db.dispose()


def build_parser() -> argparse.ArgumentParser:
    from bipro.commands import register_all

    parser = argparse.ArgumentParser(prog="bipro-gateway", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {installed_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    register_all(commands)
    return parser


def installed_version() -> str:
    try:
        return version("bipro-gateway")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unbekannt (nicht installiert)"
