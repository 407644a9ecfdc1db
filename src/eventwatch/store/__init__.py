"""Storage of articles and events behind the ``Store`` protocol; SQLite is the built-in backend.

``open_store(path)`` is what the CLI and the API call; backends register under the ``stores``
kind of the registry (``eventwatch.store.sqlite.v1``).
"""

from __future__ import annotations

from ..errors import StoreError
from .base import AddOutcome, EventFilter, Store, fold
from .sqlite import SQLiteStore, open_sqlite

__all__ = ["AddOutcome", "EventFilter", "SQLiteStore", "Store", "fold", "open_sqlite",
           "open_store"]

_SERVER_SCHEMES = ("postgres://", "postgresql://", "mysql://")


def open_store(path: str) -> Store:
    """Open the store at ``path``: a SQLite file (created with its parent directories if missing).

    Raises ``StoreError`` when the database cannot be opened or was written by a newer version.
    """
    if path.startswith(_SERVER_SCHEMES):
        raise StoreError(
            f"database servers are not supported yet ({path.split('://', 1)[0]}); pass a SQLite "
            "file path as --db"
        )
    return open_sqlite(path)
