"""Engine and session factory; nothing is created at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from .sqlite_driver import OneTripDbapi

__all__ = [
    "SQLITE_WAIT_SECONDS",
    "create_engine",
    "create_session_factory",
    "upsert",
]

SQLITE_WAIT_SECONDS = 30  # for the write lock: in the pool, or behind another process


def create_engine(url: str, *, pool_size: int = 5) -> AsyncEngine:
    """Build an async engine; SQLite files get their folder, WAL mode and foreign keys.

    An SQLite file gets one pooled connection: every transaction there takes the database's
    one write lock at BEGIN (see :func:`_sqlite_begin_immediate`), so more connections add no
    concurrency; they only wait in SQLite's busy handler, which polls the lock with sleeps
    of up to 100 ms and takes no turns. With one connection the waiting transactions queue
    in the pool instead, first come first served, and each starts the moment the previous
    one ends. Another process on the same file still waits in the busy handler.

    Args:
        url: a ``sqlite+aiosqlite://`` or ``postgresql+asyncpg://`` URL.
        pool_size: connections kept open (PostgreSQL).

    Returns:
        The engine.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        single = {"pool_size": 1, "max_overflow": 0, "pool_timeout": SQLITE_WAIT_SECONDS}
        engine = create_async_engine(
            url,
            module=OneTripDbapi(),
            connect_args={"timeout": SQLITE_WAIT_SECONDS},
            **(single if database and database != ":memory:" else {}),
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin_immediate)
        return engine
    return create_async_engine(url, pool_size=pool_size, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # Take transaction control from the driver so that "begin" below decides how to begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives a crash of
    # the process (the bot's failure), and only a power cut may lose the last ones.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_WAIT_SECONDS * 1000}")
    cursor.close()


def _sqlite_begin_immediate(connection) -> None:  # type: ignore[no-untyped-def]
    # SQLite ignores SELECT ... FOR UPDATE; taking the write lock at BEGIN serializes
    # read-check-write use cases (two presses on one check-in) as row locks do on PostgreSQL.
    # The BEGIN goes to the driver's thread with the first statement (models/sqlite_driver.py).
    connection.connection.dbapi_connection.begin_with_next_statement("BEGIN IMMEDIATE")


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded values after commit (services return plain dataclasses)."""
    return async_sessionmaker(engine, expire_on_commit=False)


def upsert(bind: AsyncSession | AsyncConnection, table: Any) -> Any:
    """``INSERT`` for the session's (or connection's) database with its ``ON CONFLICT``
    clauses (both dialects spell them the same way: ``on_conflict_do_nothing`` /
    ``on_conflict_do_update``)."""
    name = bind.dialect.name if isinstance(bind, AsyncConnection) else bind.get_bind().dialect.name
    if name == "postgresql":  # imported here: the PostgreSQL dialect costs ~50 ms to import
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table)
