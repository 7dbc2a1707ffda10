"""Vermittlermenü → Anmeldung absichern: set up or turn off the second factor (TOTP)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for

from bipro.core.errors import ValidationFailed
from bipro.core.identity import second_factor
from portal.database import db
from portal.forms import DisableSecondFactorForm, SetupSecondFactorForm, apply_problems
from portal.login_session import current_caller, login_required
from portal.request_context import identity_policy

bp = Blueprint("second_factor", __name__)


@bp.route("/anmeldung-absichern", methods=["GET", "POST"])
@login_required
def index():
    caller = current_caller()
    if second_factor.enabled(db(), caller):
        return _enabled_page(DisableSecondFactorForm(formdata=None), [])
    form = SetupSecondFactorForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm_setup(db(), identity_policy(), caller, form.code.data)
        except ValidationFailed as failure:
            apply_problems(form, failure, problems)
        else:
            # Shown on this one answer only (pages are never cached).
            return render_template("profile/second_factor_codes.html", codes=codes)
    setup = second_factor.start_setup(db(), identity_policy(), caller)
    return (render_template("profile/second_factor_setup.html", form=form, problems=problems, setup=setup),
            400 if form.is_submitted() else 200)


@bp.post("/anmeldung-absichern/ausschalten")
@login_required
def disable():
    form = DisableSecondFactorForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            second_factor.disable(db(), identity_policy(), current_caller(), form.password.data, form.code.data)
        except ValidationFailed as failure:
            apply_problems(form, failure, problems)
        else:
            flash("Der zweite Faktor ist ausgeschaltet. Ihre Anmeldung verlangt nur noch das Passwort.",
                  "success")
            return redirect(url_for("second_factor.index"))
    return _enabled_page(form, problems), 400


def _enabled_page(form, problems):
    caller = current_caller()
    return render_template("profile/second_factor_on.html", form=form, problems=problems,
                           remaining=second_factor.remaining_recovery_codes(db(), caller),
                           required=identity_policy().require_2fa)
