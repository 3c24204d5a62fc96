"""A PostgreSQL server of the benchmark's own: ``pgserver`` (PostgreSQL 16, as the tests use)
started in the benchmark's temporary folder when a figure first needs it, stopped at the end.
"""

from __future__ import annotations

import uuid
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit


class Server:
    """The server, started on first use; ``why`` says why it could not be, if it could not."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._server: Any = None
        self.why: str | None = None

    def url(self) -> str | None:
        """The server's URL (its default database), or None if no server can be started."""
        if self._server is None and self.why is None:
            with warnings.catch_warnings():  # platformdirs on XDG_RUNTIME_DIR, not ours
                warnings.simplefilter("ignore")
                try:
                    import pgserver
                except ModuleNotFoundError:
                    self.why = "pgserver is not installed: pip install -e '.[bench]'"
                    return None
                self.folder.mkdir(parents=True, exist_ok=True)
                start = pgserver.get_server  # type: ignore[attr-defined]
                self._server = start(self.folder, cleanup_mode="stop")
        return None if self._server is None else str(self._server.get_uri())

    def database(self) -> str:
        """A new, empty database on the server, by URL."""
        import psycopg

        url = self.url()
        if url is None:
            raise RuntimeError(self.why)
        name = f"bench_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None
