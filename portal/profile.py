"""The Vermittlermenü: Mein Benutzerprofil, Mein Vermittlerprofil, Passwort ändern."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for

from bipro.core.errors import ValidationFailed
from bipro.core.identity import accounts, profiles
from bipro.core.shipments import transfer_format
from portal import login_session
from portal.database import db
from portal.forms import ChangePasswordForm, TransferFormatForm, apply_problems
from portal.login_session import current_caller, login_required
from portal.request_context import identity_policy, settings

bp = Blueprint("profile", __name__)


@bp.route("/profil", methods=["GET", "POST"])
@login_required
def user_profile():
    caller = current_caller()
    form = TransferFormatForm()
    form.transfer_format.choices = list(transfer_format.LABELS.items())
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            chosen = transfer_format.set_transfer_format(db(), settings().mtom, caller,
                                                         form.transfer_format.data or "")
        except ValidationFailed as failure:
            apply_problems(form, failure, problems)
        else:
            flash(f"Dokumentabruf über BiPRO: {transfer_format.LABELS[chosen]}. Das gilt ab dem nächsten "
                  "Abruf Ihres Maklerverwaltungsprogramms.", "success")
            return redirect(url_for("profile.user_profile"))
    elif not form.is_submitted():
        form.transfer_format.data = transfer_format.transfer_format(db(), settings().mtom, caller)
    status = 400 if form.is_submitted() else 200
    return render_template("profile/user.html", form=form, problems=problems,
                           profile=profiles.user_profile(db(), caller)), status


@bp.get("/vermittlerprofil")
@login_required
def broker_profile():
    return render_template("profile/broker.html",
                           broker=profiles.broker_profile(db(), current_caller()))


@bp.route("/passwort-aendern", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    problems: list[str] = []
    if form.validate_on_submit():
        caller = current_caller()
        try:
            revoked = accounts.change_password(
                db(), identity_policy(), caller, form.old_password.data, form.new_password.data,
                form.repeat_password.data, keep_session=login_session.current_session_id())
        except ValidationFailed as failure:
            apply_problems(form, failure, problems)
        else:
            message = "Ihr Passwort wurde geändert."
            if revoked:
                message += f" {revoked} aktive BiPRO-Sitzung(en) wurden beendet."
            flash(message + " Bitte tragen Sie das neue Passwort auch in Ihrem "
                  "Maklerverwaltungsprogramm ein.", "success")
            return redirect(url_for("profile.change_password"))
    return render_template("profile/password.html", form=form, problems=problems)
