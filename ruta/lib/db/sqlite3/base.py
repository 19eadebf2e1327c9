"""Django's SQLite backend, with a health check that means something for a kept connection.

Connections are kept between requests (``CONN_MAX_AGE``): opening one and running its
PRAGMAs costs more than a small page's queries. But a kept SQLite connection holds the
file it opened, not the path: after a restore that puts another file at the path (or a
move that takes it away) it would go on reading, and writing, the old one. Django's own
``is_usable`` is always true for SQLite; here it is true only while the path still names
the file the connection opened, so the next request reconnects (or fails plainly).
"""

from __future__ import annotations

import os
import stat
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    file_identity: tuple[int, int] | None = None

    def get_new_connection(self, conn_params: Any) -> Any:
        connection = super().get_new_connection(conn_params)
        self.file_identity = self._identity()
        return connection

    def _identity(self) -> tuple[int, int] | None:
        """The device and inode of the regular file at the database's path, if any."""
        if self.is_in_memory_db():
            return None
        try:
            found = os.stat(self.settings_dict["NAME"])
        except (OSError, TypeError, ValueError):
            return None
        return (found.st_dev, found.st_ino) if stat.S_ISREG(found.st_mode) else None

    def is_usable(self) -> bool:
        """Checked before a kept connection serves a request (``CONN_HEALTH_CHECKS``)."""
        if self.is_in_memory_db():
            return True
        return self.file_identity is not None and self._identity() == self.file_identity
