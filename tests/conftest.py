"""Fixtures shared by every test layer."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy.ext.asyncio import AsyncEngine

from models import create_engine, create_session_factory
from recovery import ProtocolSet, load_protocols
from services.context import ServiceConfig, Services
from tests.support.clock import FakeClock
from tests.support.databases import (
    BACKENDS,
    PG_URL,
    fresh_postgres,
    migrate,
    sqlite_copy,
    sqlite_template,
)

# Property tests check what holds, not how fast: a busy CI machine must not fail them on time.
settings.register_profile("no_deadline", deadline=None)
settings.load_profile("no_deadline")

os.environ["PTB_TIMEDELTA"] = "true"


def pytest_configure(config: pytest.Config) -> None:
    """CI must exercise PostgreSQL: refuse to run there without it."""
    if os.environ.get("CI") == "true" and not PG_URL:
        raise pytest.UsageError(
            "CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests would not run"
        )


@pytest.fixture(scope="session")
def sqlite_template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate SQLite once per session."""
    return sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgres_migrated() -> bool:
    """Migrate PostgreSQL once per session; fail loudly when it is unreachable."""
    if not PG_URL:
        return False
    try:
        asyncio.run(migrate(PG_URL))
    except OSError as exc:
        pytest.fail(f"TEST_DATABASE_URL is set but PostgreSQL is unreachable: {exc}")
    return True


@pytest.fixture(params=BACKENDS)
async def database_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template_path: Path,
    postgres_migrated: bool,
) -> str:
    """A migrated, empty database of each configured backend."""
    if request.param == "sqlite":
        return sqlite_copy(sqlite_template_path, tmp_path)
    return await fresh_postgres()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the test database, disposed after the test."""
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def protocols() -> ProtocolSet:
    """The built-in clinical protocols."""
    return load_protocols()


@pytest.fixture
def clock() -> FakeClock:
    """A fixed clock: Monday 2 March 2026, 09:00 UTC."""
    return FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def service_config() -> ServiceConfig:
    """Service settings for tests (care team chat -100, operator 900)."""
    return ServiceConfig(operator_ids=frozenset({900}), care_team_chat_id=-100)


@pytest.fixture
def services(
    engine: AsyncEngine, protocols: ProtocolSet, clock: FakeClock, service_config: ServiceConfig
) -> Services:
    """The use-case context on the test database with the fake clock."""
    return Services(
        session_factory=create_session_factory(engine),
        protocols=protocols,
        config=service_config,
        clock=clock,
        bot_username="recovery_test_bot",
    )
