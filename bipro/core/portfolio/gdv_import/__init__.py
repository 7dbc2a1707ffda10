"""Import the insurer's portfolio from GDV VU-Vermittler files.

Brokers, customers and contracts are keyed by the insurer's numbers
(Vermittlernummer, Kundennummer des Versicherers = Partnernummer,
Versicherungsscheinnummer), so importing the same file twice changes
nothing and a later file changes only what differs:

* a broker unknown so far is created (named after the 0001's addressee when
  the file is addressed to it, otherwise "Vermittler <Nummer>");
* a customer or contract is created, or updated where a field differs;
  contracts absent from a file are left alone (never deleted); status 4
  cancels;
* a contract under another broker moves there with its claims and its
  holder, audited; the old broker no longer sees it.

A file is applied in the caller's transaction, whole or not at all, in one
pass and in batches of ``BATCH`` contracts, so memory stays flat for any
file size (no ORM objects, nothing kept between batches but the broker
ids). At the first problem writing stops, reading goes on so the report
names every problem with line and field, and the transaction is rolled back.

A file too large for one transaction goes in resumable batches
(``resumable=True``, ``import-gdv --in-batches``): the whole file is checked
first (a problem anywhere writes nothing), then every batch of whole
contracts is committed together with how far the file got
(``gdv_import_runs``, keyed by the file's SHA-256), so a run that stopped
half-way (a crash, a lost connection) continues after its last committed
batch when started again with the same file.

Each batch costs a handful of statements whatever its size: one lookup of
the customers and one of the contracts it names (by the insurer's numbers),
the new rows in one go (PostgreSQL ``COPY``, SQLite ``executemany`` of
plain tuples, customer ids drawn beforehand), the changed rows in one
``executemany``; the next batch is read from the file by a thread of its
own meanwhile (``reading.read_ahead``). Search text, sort keys and the birthday
column are written with every row, as the portal's lists need them; the
text index follows row by row, or, for a large first load in one
transaction, is built once at the end together with the lists' sort
indexes (``bulk_load``).

Gross premiums: from the file's 0200 part 2 where it has one, otherwise net
plus the Sparte's Versicherungsteuer (``bipro.core.gdv.insurance_tax``);
when the file has none and the net premium and Sparte are unchanged, the
stored gross premium stays.
"""

from bipro.core.portfolio.gdv_import.applier import CONTRACT_MOVED
from bipro.core.portfolio.gdv_import.importer import PORTFOLIO_IMPORTED, file_digest, import_gdv_file
from bipro.core.portfolio.gdv_import.report import ImportReport

__all__ = ["CONTRACT_MOVED", "PORTFOLIO_IMPORTED", "ImportReport", "file_digest", "import_gdv_file"]
