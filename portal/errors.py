"""German error pages: not found, refused forms, server errors."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from bipro.core.errors import NotFound
from portal.input_guard import NulInRequest

# What each refusal looks like: title, German message, status. A core NotFound
# is the same page for an unknown and another broker's number and never
# echoes the number, so nothing tells the two apart.
PAGES = {
    NotFound: ("Nicht gefunden",
               "Der angeforderte Eintrag wurde nicht gefunden. Bitte prüfen Sie die Nummer.", 404),
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


def _page(title: str, message: str, status: int):
    def handler(_error):
        return render_template("errors/error.html", title=title, message=message), status

    return handler
