"""The portal's forms (Flask-WTF adds the CSRF token to each)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, RadioField, StringField, TelField
from wtforms.validators import DataRequired, Length

from bipro.core.errors import ValidationFailed
from bipro.core.identity.auth import normalize_login
from bipro.core.portfolio.contact_rules import MAX_LENGTH as CONTACT_MAX

REQUIRED = "Bitte füllen Sie dieses Feld aus."
# The login name is trimmed by the core's rule before its length is checked,
# the same at the portal and at the STS.
LOGIN_FILTERS = [lambda value: normalize_login(value) if isinstance(value, str) else value]


class LoginForm(FlaskForm):
    login = StringField("Login-Name", validators=[DataRequired(REQUIRED), Length(max=60)],
                        filters=LOGIN_FILTERS)
    password = PasswordField("Passwort", validators=[DataRequired(REQUIRED), Length(max=200)])
    next = HiddenField()


class SecondFactorForm(FlaskForm):
    """The code of the authenticator app (or a recovery code) after the password."""

    code = StringField("Sicherheitscode", validators=[DataRequired(REQUIRED), Length(max=64)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                                  "maxlength": 64, "spellcheck": "false"})


class SetupSecondFactorForm(FlaskForm):
    code = StringField("Sicherheitscode aus der App", validators=[DataRequired(REQUIRED), Length(max=64)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 64})


class DisableSecondFactorForm(FlaskForm):
    password = PasswordField("Passwort", validators=[DataRequired(REQUIRED), Length(max=200)])
    code = StringField("Sicherheitscode aus der App", validators=[DataRequired(REQUIRED), Length(max=64)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 64})


class ForgotPasswordForm(FlaskForm):
    login = StringField("Login-Name", validators=[DataRequired(REQUIRED), Length(max=60)],
                        filters=LOGIN_FILTERS)


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField("Neues Passwort", validators=[DataRequired(REQUIRED)])
    repeat_password = PasswordField("Neues Passwort wiederholen",
                                    validators=[DataRequired(REQUIRED)])


class ChangePasswordForm(FlaskForm):
    old_password = PasswordField("Bisheriges Passwort", validators=[DataRequired(REQUIRED)])
    new_password = PasswordField("Neues Passwort", validators=[DataRequired(REQUIRED)])
    repeat_password = PasswordField("Neues Passwort wiederholen",
                                    validators=[DataRequired(REQUIRED)])


class TransferFormatForm(FlaskForm):
    """Dokumentabruf über BiPRO; the core checks the choice (German message)."""

    transfer_format = RadioField("Dokumentabruf über BiPRO", validate_choice=False)


class BiproAccessForm(FlaskForm):
    """A new BiPRO-Zugang: its name and scope; the core checks both (German messages)."""

    name = StringField("Bezeichnung", render_kw={"maxlength": 120, "autocomplete": "off"})
    scope = RadioField("Umfang", validate_choice=False)


class AccessActionForm(FlaskForm):
    """Renew or revoke one BiPRO-Zugang, named by a hidden field."""

    access_id = HiddenField()


class BiproOnlyForm(FlaskForm):
    """"Nur über BiPRO-Zugänge" on ("1") or off ("0")."""

    bipro_only = HiddenField()


class LogoutForm(FlaskForm):
    """Only the CSRF token: logging out is a POST."""


class CustomerContactForm(FlaskForm):
    """Address and contact data of a customer; the rules live in the core (contact_rules)."""

    title = StringField("Titel", render_kw={"maxlength": CONTACT_MAX["title"], "autocomplete": "off"})
    street = StringField("Straße und Hausnummer",
                         render_kw={"maxlength": CONTACT_MAX["street"], "autocomplete": "off"})
    postcode = StringField("PLZ", render_kw={"maxlength": CONTACT_MAX["postcode"], "inputmode": "numeric",
                                             "autocomplete": "off"})
    town = StringField("Ort", render_kw={"maxlength": CONTACT_MAX["town"], "autocomplete": "off"})
    # No maxlength: a browser cuts a pasted address at it without a word, and a
    # cut address is a wrong one; the core refuses a long one with a message.
    email = EmailField("E-Mail", render_kw={"autocomplete": "off"})
    phone = TelField("Telefon", render_kw={"maxlength": CONTACT_MAX["phone"], "autocomplete": "off"})
    version = HiddenField()


def apply_problems(form, failure: ValidationFailed, general: list[str]) -> None:
    """Attach core problems to the matching form fields; the rest become general errors."""
    for problem in failure.problems:
        field = getattr(form, problem.field, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + [problem.message]
        else:
            general.append(problem.message)
