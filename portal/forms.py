"""The portal's forms (Flask-WTF adds the CSRF token to each)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, RadioField, StringField, TelField
from wtforms.validators import DataRequired, Length

REQUIRED = "Bitte füllen Sie dieses Feld aus."


class LoginForm(FlaskForm):
    login = StringField("Login-Name", validators=[DataRequired(REQUIRED), Length(max=60)])
    password = PasswordField("Passwort", validators=[DataRequired(REQUIRED), Length(max=200)])
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    login = StringField("Login-Name", validators=[DataRequired(REQUIRED), Length(max=60)])


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


class LogoutForm(FlaskForm):
    """Only the CSRF token: logging out is a POST."""


class CustomerContactForm(FlaskForm):
    """Address and contact data of a customer; the rules live in the core (contact_rules)."""

    title = StringField("Titel", render_kw={"maxlength": 40, "autocomplete": "off"})
    street = StringField("Straße und Hausnummer",
                         render_kw={"maxlength": 80, "autocomplete": "off"})
    postcode = StringField("PLZ", render_kw={"maxlength": 5, "inputmode": "numeric",
                                             "autocomplete": "off"})
    town = StringField("Ort", render_kw={"maxlength": 60, "autocomplete": "off"})
    email = EmailField("E-Mail", render_kw={"maxlength": 120, "autocomplete": "off"})
    phone = TelField("Telefon", render_kw={"maxlength": 40, "autocomplete": "off"})
    version = HiddenField()
