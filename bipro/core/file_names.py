"""File names of documents: cleaned once, the same way wherever they are stored or sent.

A document is fine even when the name its sender gave it is not (a line
break from a mail client, a control character from a scanner, a folder
path), so the name is cleaned rather than the delivery refused. The rule
lives here alone: ``publish_shipment`` applies it to every stored name (the
intake over HTTP, ``publish-folder`` and ``publish``), and getShipment and
the portal's downloads apply it again to what they send, so names stored
before the rule existed cannot break an answer either.
"""

from __future__ import annotations

from bipro.core.text_rules import composed, visible_text

MAX_LENGTH = 200  # documents.file_name
_MAX_EXTENSION = 16  # a longer "extension" is part of the name, not a file type
_FOLDER_SEPARATORS = ("/", "\\")


def clean_file_name(name: str, fallback: str = "Dokument") -> str:
    """*name* as it is stored and sent; never refuses.

    * Control and invisible characters go (the characters bipro.core.text_rules
      refuses in typed text): line breaks and tabs become a blank, the rest
      (NUL, zero-width characters, direction overrides, U+FFFE ...) is dropped.
    * NFC, so a decomposed umlaut becomes the one character it is everywhere else.
    * Only the part after the last ``/`` or ``\\`` is kept: no folder part.
    * Blanks at either end go; a name with nothing left, or only dots, is *fallback*.
    * At most 200 characters, cut before the extension so the file type stays.

    The result is valid XML 1.0 text and, as UTF-8 percent-encoded per
    RFC 5987, safe in an HTTP header.
    """
    cleaned = composed(visible_text(name))
    for separator in _FOLDER_SEPARATORS:
        cleaned = cleaned.rpartition(separator)[2]
    cleaned = cleaned.strip()
    if not cleaned.strip("."):
        return fallback
    if len(cleaned) > MAX_LENGTH:
        stem, dot, extension = cleaned.rpartition(".")
        if dot and stem and len(extension) <= _MAX_EXTENSION:
            cleaned = stem[:MAX_LENGTH - len(extension) - 1].rstrip() + "." + extension
        else:
            cleaned = cleaned[:MAX_LENGTH].rstrip()
    return cleaned
