"""Drucken, Kopieren, Excel, CSV, PDF: every row of the current search, filters and order.

Memory stays constant however long the list: CSV, the clipboard text and the
print page stream (in a database session of their own, because the request's
session is closed once the response headers are out); Excel and PDF are
written to an anonymous temporary file that is sent and then disappears.
The PDF, the print page and the clipboard have a row cap (a browser or fpdf2
holds them whole); above it the broker is told to use Excel or CSV.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from flask import Response, current_app, flash, redirect, request, send_file, stream_template, url_for
from flask_wtf.csrf import generate_csrf

from bipro.core.clock import local_now
from bipro.core.exports import (
    PDF_MAX_ROWS,
    ExportMeta,
    ExportTooLarge,
    iter_csv,
    iter_tsv,
    pdf_limit_message,
    write_pdf,
    write_xlsx,
)
from bipro.core.search import ListQuery, ListQueryError, fetch_page, iter_values
from portal.database import db
from portal.downloads import set_attachment
from portal.list_screens import ListScreen
from portal.list_state import ListState, parse_state
from portal.login_session import current_caller

# The print page and the clipboard: beyond this a browser struggles; Excel/CSV have no cap.
# Both caps can be lowered in the app's config (LIST_PDF_MAX_ROWS, LIST_SCREEN_MAX_ROWS).
SCREEN_MAX_ROWS = PDF_MAX_ROWS
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _pdf_cap() -> int:
    return int(current_app.config.get("LIST_PDF_MAX_ROWS", PDF_MAX_ROWS))


def _screen_cap() -> int:
    return int(current_app.config.get("LIST_SCREEN_MAX_ROWS", SCREEN_MAX_ROWS))


def _limit_message(what: str, limit: int) -> str:
    shown = f"{limit:,}".replace(",", ".")
    return f"{what} ist auf {shown} Zeilen begrenzt; bitte Excel oder CSV verwenden."


class _Export:
    """The request's list state, checked by the core, with its row count."""

    def __init__(self, screen: ListScreen) -> None:
        self.screen = screen
        self.state: ListState = parse_state(request.args, screen.spec, screen.choices)
        self.caller = current_caller()
        self.query: ListQuery = self.state.export_query()
        # The count checks the query before a download starts (a refused search
        # must not end a half-sent file) and lets the capped formats refuse early.
        # Counted exactly up to the caps, past the list page's bound: a capped
        # format must know whether the rows exceed its cap.
        counted = fetch_page(db(), self.caller, screen.spec,
                             ListQuery(search=self.query.search, order=self.query.order,
                                       limit=0, filters=self.query.filters,
                                       count_limit=max(_pdf_cap(), _screen_cap())))
        # Past the bound, one more than it: enough to exceed any cap.
        self.count = counted.filtered + counted.more
        self.created = local_now()

    @property
    def meta(self) -> ExportMeta:
        return ExportMeta(self.screen.title, self.state.search, self.created,
                          self.screen.filter_text(self.state.filter_values))

    def file_name(self, extension: str) -> str:
        return f"{self.screen.file_stem}_{self.created:%Y-%m-%d}.{extension}"

    def rows(self) -> Iterator[list[object]]:
        """Export values of every row, from the request's session."""
        for values in iter_values(db(), self.caller, self.screen.spec, self.query):
            yield self.screen.export_values(values)

    def streamed_rows(self, convert=None) -> Iterator:
        """The rows from a session of their own, for a response body that outlives the view."""
        database = current_app.extensions["gateway"].db
        screen, caller, query = self.screen, self.caller, self.query
        convert = convert or screen.export_values

        def generate():
            with database.session() as session:
                for values in iter_values(session, caller, screen.spec, query):
                    yield convert(values)
        return generate()

    def back_to_list(self, message: str):
        flash(message, "error")
        return redirect(url_for(f"{request.blueprint}.index", **self.state.export_args()))


def _refused(screen: ListScreen, refused: ListQueryError):
    flash(str(refused), "error")
    state = parse_state(request.args, screen.spec, screen.choices)
    return redirect(url_for(f"{request.blueprint}.index", **state.args(search="")))


def csv_download(screen: ListScreen):
    try:
        export = _Export(screen)
    except ListQueryError as refused:
        return _refused(screen, refused)
    body = iter_csv(screen.export_columns, export.streamed_rows())
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    return _attachment(response, export.file_name("csv"))


def xlsx_download(screen: ListScreen):
    try:
        export = _Export(screen)
    except ListQueryError as refused:
        return _refused(screen, refused)
    target = tempfile.TemporaryFile()  # no name: gone when closed after sending
    try:
        write_xlsx(target, screen.export_columns, export.rows(), export.meta)
        target.seek(0)
    except BaseException:
        target.close()
        raise
    return _send(target, XLSX_TYPE, export.file_name("xlsx"))


def pdf_download(screen: ListScreen):
    try:
        export = _Export(screen)
    except ListQueryError as refused:
        return _refused(screen, refused)
    cap = _pdf_cap()
    if export.count > cap:
        return export.back_to_list(pdf_limit_message(cap))
    target = tempfile.TemporaryFile()
    try:
        write_pdf(target, screen.export_columns, export.rows(), export.meta, max_rows=cap)
        target.seek(0)
    except ExportTooLarge as refused:  # the list grew since it was counted
        target.close()
        return export.back_to_list(refused.message)
    except BaseException:
        target.close()
        raise
    return _send(target, "application/pdf", export.file_name("pdf"))


def print_page(screen: ListScreen):
    """The whole table in a print layout; print.js opens the print dialog."""
    try:
        export = _Export(screen)
    except ListQueryError as refused:
        return _refused(screen, refused)
    if export.count > _screen_cap():
        return export.back_to_list(_limit_message("Drucken", _screen_cap()))
    generate_csrf()  # the layout's logout form needs it before the body streams
    rows = export.streamed_rows(screen.spec.display_values)
    return Response(stream_template(
        "lists/print.html", screen=screen, state=export.state, meta=export.meta,
        count=export.count, rows=rows, endpoint=request.blueprint))


def copy_text(screen: ListScreen):
    """Tab-separated text with a header line: plain text for lists.js, else a page to copy from."""
    try:
        export = _Export(screen)
    except ListQueryError as refused:
        return _refused_text(screen, refused) if _wants_text() else _refused(screen, refused)
    if export.count > _screen_cap():
        message = _limit_message("Kopieren", _screen_cap())
        if _wants_text():
            return _text_response([message], 413)
        return export.back_to_list(message)
    text = iter_tsv(screen.export_columns, export.streamed_rows())
    if _wants_text():
        response = _text_response(text, 200)
        response.headers["X-Zeilen"] = str(export.count)
        return response
    generate_csrf()
    return Response(stream_template(
        "lists/copy.html", screen=screen, state=export.state, count=export.count, text=text,
        endpoint=request.blueprint), headers={"Vary": "Accept"})


def _wants_text() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "text/plain"])
    return best == "text/plain"


def _refused_text(_screen: ListScreen, refused: ListQueryError):
    return _text_response([str(refused)], 400)


def _text_response(body, status: int) -> Response:
    response = Response(body, status=status, mimetype="text/plain")
    response.headers["Content-Type"] = "text/plain; charset=utf-8"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Vary"] = "Accept"
    return response


def _send(target, mimetype: str, file_name: str):
    response = send_file(target, mimetype=mimetype, as_attachment=True, download_name=file_name,
                         conditional=False, etag=False, max_age=0)
    return _attachment(response, file_name)


def _attachment(response: Response, file_name: str) -> Response:
    set_attachment(response, file_name)
    response.headers["Cache-Control"] = "no-store"
    return response
