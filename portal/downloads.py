"""``Content-Disposition: attachment`` with a name every browser reads, whatever its characters."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from flask import Response
from werkzeug.http import quote_header_value

from bipro.core.file_names import clean_file_name

# RFC 5987 attr-char besides letters and digits: what may stay unencoded in filename*.
_ATTR_CHARS = "!#$&+-.^_`|~"
# Kept out of the plain filename: a quote or backslash needs escaping that some
# clients read literally, and some decode percent signs; filename* carries them.
_NOT_PLAIN = '"\\%'


def set_attachment(response: Response, file_name: str) -> Response:
    """Mark *response* as a download saved as *file_name*.

    The name is first cleaned (bipro.core.file_names), so a stored name with
    a line break or control character cannot break the header. A name of
    printable ASCII travels as ``filename="..."``. Any other name travels as
    flask.send_file sends a ``download_name``: RFC 6266 ``filename*=UTF-8''...``
    (percent-encoded, RFC 5987), which every current browser prefers, after
    an ASCII ``filename`` for clients that read only that (accents dropped,
    other characters ``_``: ``Łódź 10€.pdf`` becomes ``_odz 10_.pdf``).
    send_file itself needs a file object, and the documents stream from the
    database, so its rule is applied here to every download of the portal.
    """
    name = clean_file_name(file_name)
    plain = _ascii_fallback(name)
    value = f"attachment; filename={quote_header_value(plain, allow_token=False)}"
    if plain != name:
        value += f"; filename*=UTF-8''{quote(name, safe=_ATTR_CHARS)}"
    response.headers["Content-Disposition"] = value
    return response


def _ascii_fallback(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join("_" if not character.isascii() or character in _NOT_PLAIN else character
                   for character in decomposed if not unicodedata.combining(character))
