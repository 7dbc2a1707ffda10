"""Tarifrechner (placeholder until the calculator pages exist)."""

from __future__ import annotations

from flask import Blueprint, render_template

from portal.guard import login_required

bp = Blueprint("tariff", __name__)


@bp.get("/tarifrechner")
@login_required
def index():
    return render_template("placeholder.html", title="Tarifrechner", active="tariff")
