"""Login (with the second factor's step), logout and "Passwort vergessen?".

The steps and their transactions are the core's (``bipro.core.identity.portal_login``,
``password_reset``); these views carry the session id between cookie and core.
"""

from __future__ import annotations

import time

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask import session as cookie

from bipro.core import portal_paths
from bipro.core.clock import to_local
from bipro.core.errors import AccountLocked, AuthenticationFailed, TokenInvalid, TooManyRequests, ValidationFailed
from bipro.core.identity import password_reset, portal_login, second_factor
from bipro.core.identity.auth import FAILED
from portal import login_session
from portal.database import db
from portal.forms import ForgotPasswordForm, LoginForm, LogoutForm, ResetPasswordForm, SecondFactorForm, apply_problems
from portal.request_context import identity_policy, remote_addr

bp = Blueprint("auth", __name__)

LOCKED = ("Ihr Zugang ist wegen zu vieler fehlgeschlagener Anmeldeversuche vorübergehend "
          "gesperrt. Bitte versuchen Sie es ab {until} Uhr erneut oder setzen Sie Ihr Passwort "
          "über „Passwort vergessen?“ zurück.")
RESET_SENT = ("Wenn der Login-Name bei uns bekannt ist, haben wir Ihnen soeben eine E-Mail mit "
              "einem Link zum Zurücksetzen des Passworts an die hinterlegte Adresse gesendet. "
              "Der Link ist {minutes} Minuten gültig.")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = login_session.safe_next(request.args.get("next")) or ""
        if g.caller is not None:
            return redirect(form.next.data or url_for("dashboard.index"))
    error = None
    if form.validate_on_submit():
        try:
            started = portal_login.with_password(db(), identity_policy(), form.login.data, form.password.data,
                                                 replacing=login_session.current_session_id(),
                                                 remote_addr=remote_addr())
        except TooManyRequests as limited:
            return render_template("auth/login.html", form=form, error=limited.message), 429
        except AccountLocked as locked:
            error = LOCKED.format(until=f"{to_local(locked.until):%H:%M}")
        except AuthenticationFailed:
            error = FAILED
        else:
            if started.code_due:
                login_session.begin_anonymous()
                cookie[PENDING_KEY] = {"user": started.user_id, "at": int(time.time()),
                                       "next": login_session.safe_next(form.next.data) or ""}
                return redirect(url_for("auth.second_factor_step"))
            return _logged_in(started, form.next.data)
    return render_template("auth/login.html", form=form, error=error)


PENDING_KEY = "2fa"
PENDING_SECONDS = 300  # the code must follow the password within five minutes


@bp.route("/anmeldung/code", methods=["GET", "POST"])
def second_factor_step():
    """Second step of the login: the code from the app, or a recovery code."""
    pending = cookie.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        cookie.pop(PENDING_KEY, None)
        if request.method == "POST" or pending:
            flash("Bitte melden Sie sich erneut an.", "notice")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    error = None
    if form.validate_on_submit():
        try:
            started = portal_login.with_code(db(), identity_policy(), pending["user"], form.code.data,
                                           replacing=login_session.current_session_id(), remote_addr=remote_addr())
        except AccountLocked as locked:
            cookie.pop(PENDING_KEY, None)
            flash(LOCKED.format(until=f"{to_local(locked.until):%H:%M}"), "error")
            return redirect(url_for("auth.login"))
        except AuthenticationFailed:
            error = second_factor.WRONG_CODE
        else:
            return _logged_in(started, pending.get("next"))
    return render_template("auth/second_factor.html", form=form, error=error), 200 if error is None else 400


def _logged_in(started: portal_login.PortalLogin, next_target):
    login_session.begin(started.session_id)
    if started.second_factor_missing:
        flash("Bitte sichern Sie Ihre Anmeldung mit einem zweiten Faktor ab; ohne ihn ist das "
              "Portal nicht nutzbar.", "notice")
        return redirect(url_for("second_factor.index"))
    return redirect(login_session.safe_next(next_target) or url_for("dashboard.index"))


@bp.post("/abmelden")
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        portal_login.log_out(db(), login_session.current_session_id(), remote_addr=remote_addr())
    login_session.begin_anonymous()
    flash("Sie haben sich abgemeldet.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/passwort-vergessen", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            password_reset.mail_reset_link(db(), identity_policy(), form.login.data, remote_addr=remote_addr())
        except TooManyRequests as limited:
            form.login.errors = [limited.message]
            return render_template("auth/forgot.html", form=form), 429
        return render_template("auth/forgot_sent.html",
                               message=RESET_SENT.format(minutes=identity_policy().reset_token_minutes))
    return render_template("auth/forgot.html", form=form)


@bp.route(portal_paths.RESET_PASSWORD, methods=["GET", "POST"])
def reset_password(token: str):
    form = ResetPasswordForm()
    try:
        user = password_reset.verify_reset(db(), token)
    except TokenInvalid as invalid:
        return render_template("auth/reset_invalid.html", message=invalid.message), 404
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            password_reset.consume_reset(db(), identity_policy(), token, form.new_password.data,
                                         form.repeat_password.data, remote_addr=remote_addr())
        except ValidationFailed as failure:
            apply_problems(form, failure, problems)
        except TokenInvalid as invalid:
            return render_template("auth/reset_invalid.html", message=invalid.message), 404
        else:
            login_session.begin_anonymous()
            flash("Ihr neues Passwort ist gespeichert. Bitte melden Sie sich damit an. Denken "
                  "Sie daran, es auch in Ihrem Maklerverwaltungsprogramm einzutragen.", "info")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, login=user.login, problems=problems)
