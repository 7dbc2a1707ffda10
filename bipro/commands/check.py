"""``check``: is the configuration fit to start? Runs without a working configuration."""

from __future__ import annotations

from bipro.config import ConfigError, Settings
from bipro.core.operations.preflight import Finding, check_database, check_settings


def register(commands) -> None:
    check = commands.add_parser("check", help="Konfiguration vor dem Start prüfen")
    check.set_defaults(handler=run_check, needs_gateway=False)


def run_check(args) -> int:
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        findings = [Finding("Konfiguration", problem=str(exc))]
    else:
        findings = [*check_settings(settings), *check_database(settings)]
    for finding in findings:
        if finding.ok:
            print(f"in Ordnung  {finding.topic}: {finding.detail}")
        else:
            print(f"FEHLER      {finding.topic}: {finding.problem}")
    problems = sum(not finding.ok for finding in findings)
    if problems:
        print(f"{problems} Problem(e) gefunden; bitte vor dem Start beheben.")
        return 1
    print("Alles in Ordnung.")
    return 0
