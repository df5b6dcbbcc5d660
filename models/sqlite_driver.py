"""SQLAlchemy's aiosqlite adapter with one trip to the driver's thread per statement.

aiosqlite runs each sqlite3 call on its own thread and hands the result back to the event
loop. SQLAlchemy's adapter makes four such trips for one statement (open a cursor, execute,
fetch the rows, close the cursor); each costs a thread wake-up, an event-loop turn and a
greenlet switch, and on SQLite the write lock is held across all of them. Here the four run
as one function on that thread, so a statement is one trip. Results, errors and the
transaction handling are the stock adapter's: only where the sqlite3 calls run changes.

Relies on two private names of aiosqlite (``Connection._execute``, which queues a function
for its thread, and ``Connection._conn``, the sqlite3 connection), the same ones SQLAlchemy's
own adapter uses; ``tests/services/test_sqlite_driver.py`` fails if they change.

A transaction's ``BEGIN IMMEDIATE`` (see ``models.db``) rides along with its first statement,
in the same trip: one trip a transaction fewer, and the write lock is held no longer than the
statements need it. The pool's rollback of a connection it takes back is made only when a
transaction is open (aiosqlite's ``in_transaction``, read without a trip): after a commit it
was a trip that did nothing, one a transaction.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)

__all__ = ["OneTripDbapi"]

_Outcome = tuple[Any, list[Any] | None, int | None, int]


def _begin(connection: sqlite3.Connection, begin: str | None) -> None:
    if begin is not None:
        connection.execute(begin).close()


def _run(
    connection: sqlite3.Connection, operation: str, parameters: Any, begin: str | None = None
) -> _Outcome:
    """On aiosqlite's thread: the whole of one statement, as the stock adapter does it (after
    the transaction's ``begin``, when it is the first statement)."""
    _begin(connection, begin)
    cursor = connection.cursor()
    try:
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else None
        return description, rows, cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()


def _run_many(
    connection: sqlite3.Connection, operation: str, parameters: Sequence[Any], begin: str | None
) -> tuple[int | None, int]:
    _begin(connection, begin)
    cursor = connection.cursor()
    try:
        cursor.executemany(operation, parameters)
        return cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()


class _OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def _take_begin(self) -> str | None:
        return cast("_OneTripConnection", self._adapt_connection).take_begin()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        driver, begin = self._connection, self._take_begin()
        try:
            description, rows, lastrowid, rowcount = self.await_(
                driver._execute(lambda: _run(driver._conn, operation, parameters, begin))
            )
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        if description:
            self.description = description
            self.lastrowid = self.rowcount = -1
            self._rows = deque(rows or ())
        else:
            self.description = None
            self.lastrowid = lastrowid
            self.rowcount = rowcount

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        driver, begin = self._connection, self._take_begin()
        try:
            self.lastrowid, self.rowcount = self.await_(
                driver._execute(
                    lambda: _run_many(driver._conn, operation, seq_of_parameters, begin)
                )
            )
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self.description = None


class _OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("_pending_begin",)

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self._pending_begin: str | None = None

    def begin_with_next_statement(self, begin: str) -> None:
        """Start the transaction with ``begin`` in the trip of its first statement."""
        self._pending_begin = begin

    def take_begin(self) -> str | None:
        """The transaction's ``begin``, if no statement has sent it yet (then forgotten)."""
        begin, self._pending_begin = self._pending_begin, None
        return begin

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if server_side:  # streamed results keep the stock cursor: begin first, on its own
            if (begin := self.take_begin()) is not None:
                driver = self._connection
                self.await_(driver._execute(lambda: _begin(driver._conn, begin)))
            return super().cursor(server_side=True)
        return _OneTripCursor(self)

    def commit(self) -> None:
        """Commit (nothing to do when no statement began the transaction)."""
        if self.take_begin() is None:  # else no statement ran: no transaction to end
            super().commit()

    def rollback(self) -> None:
        """Roll back, when a transaction is open: not after a commit (the pool rolls back
        every connection it takes back), nor when no statement began one."""
        if self.take_begin() is None and self._connection.in_transaction:
            super().rollback()


class OneTripDbapi(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module to pass as ``create_async_engine(..., module=OneTripDbapi())``."""

    def __init__(self) -> None:
        import aiosqlite

        super().__init__(aiosqlite, sqlite3)

    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        """A connection whose cursors make one trip per statement."""
        stock = super().connect(*arg, **kw)
        return _OneTripConnection(self, stock._connection)
