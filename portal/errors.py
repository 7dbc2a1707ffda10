"""German error pages: the one place where a refusal of the core becomes an HTTP answer.

Views catch a refusal only where they show it inside their own page (a form
error beside its field, a notice above a list); everything else that the
core refuses reaches the handlers here, by the most specific class.
"""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from bipro.core import errors
from portal.input_guard import NulInRequest

# What each refusal looks like: title, German message (None: the refusal's
# own message), status. A core NotFound is the same page for an unknown and
# another broker's number and never echoes the number, so nothing tells the
# two apart.
PAGES = {
    errors.NotFound: ("Nicht gefunden",
                      "Der angeforderte Eintrag wurde nicht gefunden. Bitte prüfen Sie die Nummer.", 404),
    errors.ValidationFailed: ("Ungültige Eingabe", None, 400),
    errors.Forbidden: ("Nicht erlaubt", None, 403),
    errors.TooManyRequests: ("Zu viele Anfragen", None, 429),
    errors.Conflict: ("Zwischenzeitlich geändert", None, 409),
    errors.CoreError: ("Nicht möglich", None, 400),
    404: ("Nicht gefunden", "Die angeforderte Seite wurde nicht gefunden.", 404),
    405: ("Nicht erlaubt", "Diese Aktion ist auf dieser Seite nicht möglich.", 405),
    CSRFError: ("Formular abgelaufen",
                "Das Formular war abgelaufen oder unvollständig. Bitte laden Sie die Seite "
                "neu und senden Sie es erneut.", 400),
    NulInRequest: ("Ungültige Eingabe",
                   "Die Anfrage enthält ein Nullzeichen (NUL), das in keinem Feld erlaubt ist.", 400),
    413: ("Zu groß", "Die gesendeten Daten sind zu groß.", 413),
    500: ("Technischer Fehler",
          "Es ist ein technischer Fehler aufgetreten. Bitte versuchen Sie es später erneut.", 500),
}


def init_app(app: Flask) -> None:
    for error, (title, message, status) in PAGES.items():
        app.register_error_handler(error, _page(title, message, status))


def _page(title: str, message: str | None, status: int):
    def handler(error):
        shown = message if message is not None else (getattr(error, "message", "") or str(error))
        return render_template("errors/error.html", title=title, message=shown), status

    return handler
