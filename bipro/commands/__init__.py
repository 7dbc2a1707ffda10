"""Subcommands of ``bipro-gateway``; each module registers its own."""

from __future__ import annotations


def register_all(commands) -> None:
    from bipro.commands import brokers, check, dashboard_content, database, intake, serve, users

    modules = [
        check,
        database,
        serve,
        users,
        brokers,
        intake,
        dashboard_content,
    ]
    for module in modules:
        module.register(commands)
    from bipro.commands import gdv_import, shipments
    shipments.register(commands)
    gdv_import.register(commands)
