"""Covey's exceptions, all under one root.

::

    CoveyError
    ├── InputError              bad input; names the file, line and field where known
    │   └── UnknownFormatError  a file whose format Covey cannot read
    ├── MissingDependencyError  an optional extra is not installed; says the pip line
    ├── StoreError              the database cannot be opened or migrated
    └── SourceError             a platform or file source failed
        ├── TransientSourceError  worth retrying (timeouts, 429, 5xx)
        └── TerminalSourceError   retrying will not help (401, 403, bad request)
"""

from __future__ import annotations

from pathlib import Path


class CoveyError(Exception):
    """Root of every error Covey raises on purpose."""


class InputError(CoveyError):
    """Bad input, located as precisely as Covey can: file, line and field."""

    def __init__(
        self,
        reason: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.reason = reason
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field
        where = ""
        if self.path:
            where = self.path + (f":{line}" if line is not None else "")
        if field:
            where += f" [{field}]" if where else f"[{field}]"
        super().__init__(f"{where}: {reason}" if where else reason)


class UnknownFormatError(InputError):
    """A file whose format Covey does not recognise."""


class MissingDependencyError(CoveyError):
    """An optional feature needs an extra that is not installed."""

    def __init__(self, feature: str, extra: str, module: str) -> None:
        self.extra = extra
        self.module = module
        super().__init__(
            f"{feature} needs the optional module '{module}'. Install it with: pip install \"covey[{extra}]\""
        )


class StoreError(CoveyError):
    """The database cannot be opened, read or migrated."""


class SourceError(CoveyError):
    """A data source (platform API, export folder) failed."""


class TransientSourceError(SourceError):
    """A source failure that may go away if retried later."""


class TerminalSourceError(SourceError):
    """A source failure that retrying will not fix."""
