"""GDV VU-Vermittler export (fixed-width 256-character records)."""
from .layout import GdvFormatError
from .model import GdvContract, GdvHeader, GdvPerson, GdvSummary
from .records import BROKER_NUMBER_WIDTH, render_record
from .writer import GdvWriter, write_portfolio

__all__ = [
    "BROKER_NUMBER_WIDTH", "GdvContract", "GdvFormatError", "GdvHeader", "GdvPerson", "GdvSummary",
    "GdvWriter", "render_record", "write_portfolio",
]
