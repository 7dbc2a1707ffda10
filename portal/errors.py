"""German error pages: not found, refused forms, server errors."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from bipro.core.errors import NotFound


def init_app(app: Flask) -> None:
    @app.errorhandler(NotFound)
    def core_not_found(_error):
        # The same page for an unknown and another broker's number, and no
        # echo of the number: nothing tells the two apart.
        return render_template("errors/error.html", title="Nicht gefunden",
                               message="Der angeforderte Eintrag wurde nicht gefunden. "
                                       "Bitte prüfen Sie die Nummer."), 404

    @app.errorhandler(404)
    def not_found(_error):
        return render_template("errors/error.html", title="Nicht gefunden",
                               message="Die angeforderte Seite wurde nicht gefunden."), 404

    @app.errorhandler(405)
    def not_allowed(_error):
        return render_template("errors/error.html", title="Nicht erlaubt",
                               message="Diese Aktion ist auf dieser Seite nicht möglich."), 405

    @app.errorhandler(CSRFError)
    def csrf_refused(_error):
        return render_template(
            "errors/error.html", title="Formular abgelaufen",
            message="Das Formular war abgelaufen oder unvollständig. Bitte laden Sie die Seite "
                    "neu und senden Sie es erneut."), 400

    @app.errorhandler(413)
    def too_large(_error):
        return render_template("errors/error.html", title="Zu groß",
                               message="Die gesendeten Daten sind zu groß."), 413

    @app.errorhandler(500)
    def server_error(_error):
        return render_template("errors/error.html", title="Technischer Fehler",
                               message="Es ist ein technischer Fehler aufgetreten. Bitte versuchen "
                                       "Sie es später erneut."), 500
