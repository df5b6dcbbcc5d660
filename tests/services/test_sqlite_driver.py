"""The SQLite engine: one pooled connection, one driver trip per statement, same results."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from models import create_engine


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'driver.sqlite'}"


async def test_statements_return_what_sqlite_returns(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)"))
            many = await conn.execute(
                text("INSERT INTO t (v) VALUES (:v)"), [{"v": "a"}, {"v": "b"}, {"v": "c"}]
            )
            assert many.rowcount == 3
            one = await conn.execute(text("INSERT INTO t (v) VALUES ('d')"))
            assert one.lastrowid == 4
            changed = await conn.execute(text("UPDATE t SET v = v || '!' WHERE id > 2"))
            assert changed.rowcount == 2
            rows = (await conn.execute(text("SELECT id, v FROM t ORDER BY id"))).all()
            assert [tuple(r) for r in rows] == [(1, "a"), (2, "b"), (3, "c!"), (4, "d!")]
            assert (await conn.execute(text("SELECT 1 WHERE 0"))).all() == []
        with pytest.raises(IntegrityError):
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO t (v) VALUES ('a')"))
        async with engine.connect() as conn:  # the failed transaction left nothing behind
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar() == 4
    finally:
        await engine.dispose()


async def test_a_burst_of_transactions_queues_for_one_connection_and_all_commit(
    sqlite_url: str,
) -> None:
    engine = create_engine(sqlite_url)
    try:
        assert engine.pool.size() == 1  # type: ignore[attr-defined]
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE counter (n INTEGER)"))
            await conn.execute(text("INSERT INTO counter VALUES (0)"))

        async def bump() -> None:  # read, yield to the others, write: a read-check-write
            async with engine.begin() as conn:
                n = (await conn.execute(text("SELECT n FROM counter"))).scalar_one()
                await asyncio.sleep(0)
                await conn.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})

        await asyncio.gather(*(bump() for _ in range(200)))
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT n FROM counter"))).scalar() == 200
    finally:
        await engine.dispose()


async def test_a_transaction_holds_the_write_lock_from_its_first_statement(
    sqlite_url: str, tmp_path: Path
) -> None:
    """A read-check-write transaction (a press) keeps other writers out from its first read,
    as ``BEGIN IMMEDIATE`` does, though the BEGIN travels with that read."""

    def write_from_another_process(n: int) -> None:
        with contextlib.closing(sqlite3.connect(tmp_path / "driver.sqlite", timeout=0.05)) as db:
            db.execute("INSERT INTO t VALUES (?)", (n,))
            db.commit()

    engine = create_engine(sqlite_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (n INTEGER)"))
        async with engine.begin() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar() == 0
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                await asyncio.to_thread(write_from_another_process, 1)
            await conn.execute(text("INSERT INTO t VALUES (2)"))
        await asyncio.to_thread(write_from_another_process, 3)  # released at commit
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT sum(n) FROM t"))).scalar() == 5
    finally:
        await engine.dispose()


async def test_a_transaction_that_fails_after_writing_is_rolled_back_and_frees_the_lock(
    sqlite_url: str, tmp_path: Path
) -> None:
    """The pool's rollback is skipped only when no transaction is open (after a commit):
    one abandoned midway is still undone, and other writers get the lock back."""
    engine = create_engine(sqlite_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (n INTEGER)"))
        conn = await engine.connect()  # no context-managed transaction: the pool must
        await conn.execute(text("INSERT INTO t VALUES (1)"))  # roll this back when it
        await conn.close()  # takes the connection back
        with contextlib.closing(sqlite3.connect(tmp_path / "driver.sqlite", timeout=0.05)) as db:
            db.execute("INSERT INTO t VALUES (2)")  # not "database is locked"
            db.commit()
            assert db.execute("SELECT n FROM t").fetchall() == [(2,)]
    finally:
        await engine.dispose()
