"""Database access: engine setup, models and migrations."""

from selfcheck.db.engine import Database
from selfcheck.db.models import Base

__all__ = ["Base", "Database"]
