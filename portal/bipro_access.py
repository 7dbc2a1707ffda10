"""Vermittlermenü → BiPRO-Zugänge: technical logins for the broker's management program."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for

from bipro.core.errors import NotFound, ValidationFailed
from bipro.core.identity import bipro_access, second_factor
from bipro.core.identity.bipro_scopes import SCOPES
from portal.database import db
from portal.forms import AccessActionForm, BiproAccessForm, BiproOnlyForm, apply_problems
from portal.login_session import current_caller, login_required
from portal.request_context import identity_policy

bp = Blueprint("bipro_access", __name__)

SCOPE_CHOICES = [(key, f"{label} ({', '.join(sorted(norms))})") for key, (label, norms) in SCOPES.items()]


@bp.route("/bipro-zugaenge", methods=["GET", "POST"])
@login_required
def index():
    form = BiproAccessForm()
    form.scope.choices = SCOPE_CHOICES
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            login, password = bipro_access.create_access(db(), identity_policy(), current_caller(),
                                                         form.name.data, form.scope.data or "")
        except ValidationFailed as failure:
            apply_problems(form, failure, problems)
        else:
            # Shown on this one answer only (pages are never cached).
            return _page(BiproAccessForm(formdata=None), [], created=(login, password))
    return _page(form, problems), 400 if form.is_submitted() else 200


@bp.post("/bipro-zugaenge/erneuern")
@login_required
def renew():
    form = AccessActionForm()
    if not form.validate_on_submit():
        return redirect(url_for("bipro_access.index"))
    try:
        login, password = bipro_access.renew_password(db(), identity_policy(), current_caller(),
                                                      _access_id(form))
    except NotFound as missing:
        flash(missing.message, "error")
        return redirect(url_for("bipro_access.index"))
    return _page(_new_form(), [], renewed=(login, password))


@bp.post("/bipro-zugaenge/widerrufen")
@login_required
def revoke():
    form = AccessActionForm()
    if form.validate_on_submit():
        try:
            login = bipro_access.revoke_access(db(), current_caller(), _access_id(form))
        except NotFound as missing:
            flash(missing.message, "error")
        else:
            flash(f"Der BiPRO-Zugang {login} ist widerrufen; seine Sitzungen sind beendet.", "success")
    return redirect(url_for("bipro_access.index"))


@bp.post("/bipro-zugaenge/nur-zugaenge")
@login_required
def bipro_only():
    form = BiproOnlyForm()
    if form.validate_on_submit():
        on = form.bipro_only.data == "1"
        bipro_access.set_bipro_only(db(), current_caller(), on)
        flash("Ihr persönlicher Login erhält keine BiPRO-Sitzungen mehr; Ihr Programm meldet sich nur "
              "noch über BiPRO-Zugänge an." if on else
              "Ihr persönlicher Login kann sich wieder am BiPRO-Service anmelden.", "success")
    return redirect(url_for("bipro_access.index"))


def _access_id(form: AccessActionForm) -> int:
    value = form.access_id.data or ""
    if not value.isdigit() or len(value) > 12:
        raise NotFound(bipro_access.NOT_FOUND)
    return int(value)


def _new_form() -> BiproAccessForm:
    form = BiproAccessForm(formdata=None)
    form.scope.choices = SCOPE_CHOICES
    return form


def _page(form, problems, *, created=None, renewed=None):
    if not form.scope.choices:
        form.scope.choices = SCOPE_CHOICES
    caller = current_caller()
    return render_template("profile/bipro_access.html", form=form, problems=problems,
                           accesses=bipro_access.list_accesses(db(), caller),
                           bipro_only=bipro_access.bipro_only(db(), caller),
                           # BIPRO_REQUIRE_2FA closes the STS for a personal login with a second factor.
                           forced=identity_policy().require_2fa and second_factor.enabled(db(), caller),
                           action=AccessActionForm(formdata=None), only_form=BiproOnlyForm(formdata=None),
                           created=created, renewed=renewed)
