"""The migrations build exactly the schema the models describe, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from models.migrate import current_revision, schema_drift, upgrade


async def test_migrated_schema_matches_the_models(engine: AsyncEngine) -> None:
    assert await current_revision(engine) is not None
    assert await schema_drift(engine) == []


async def test_upgrade_is_idempotent(engine: AsyncEngine) -> None:
    before = await current_revision(engine)
    await upgrade(engine)
    assert await current_revision(engine) == before


async def test_ids_are_never_reused_after_a_delete(engine: AsyncEngine) -> None:
    """Ids travel in buttons and in-flight sends: a deleted row's id must not come back."""
    from sqlalchemy import delete

    from models import AuditEvent, create_session_factory

    factory = create_session_factory(engine)
    now = datetime(2026, 3, 2, tzinfo=UTC)
    async with factory.begin() as session:
        first = AuditEvent(at=now, actor="test", action="a", detail={})
        session.add(first)
    async with factory.begin() as session:
        await session.execute(delete(AuditEvent))
    async with factory.begin() as session:
        second = AuditEvent(at=now, actor="test", action="b", detail={})
        session.add(second)
    assert second.id > first.id


async def test_0010_builds_a_risk_summary_for_every_existing_patient(engine: AsyncEngine) -> None:
    """Rows for existing data come due from the migration; the refresh computes them."""
    from alembic import command
    from sqlalchemy import insert, select

    from models import (
        Alert,
        AlertStatus,
        CheckIn,
        CheckInStatus,
        Patient,
        PatientStatus,
        RiskSummary,
        create_session_factory,
    )
    from models.migrate import _config
    from recovery import Level, load_protocols
    from services.context import Services
    from services.risk import RiskTier
    from services.risk_summary import refresh_aged
    from tests.support.clock import FakeClock
    from tests.support.risk_oracle import assert_summaries_current

    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(_config(sync), "0009"))
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    patient = {"chat_id": 1, "timezone": "UTC", "created_at": now, "updated_at": now}
    async with engine.begin() as connection:
        await connection.execute(
            insert(Patient),
            [
                {**patient, "telegram_user_id": 10 + n, "display_name": name, "status": status}
                for n, (name, status) in enumerate(
                    [
                        ("Ann", PatientStatus.ACTIVE),
                        (None, PatientStatus.FINISHED),
                        ("Bo", PatientStatus.ACTIVE),
                    ]
                )
            ],
        )
        checkin = {"post_op_day": 1, "trigger": "scheduled", "question_keys": []}
        await connection.execute(
            insert(CheckIn),
            [
                {**checkin, "patient_id": 3, "local_date": day, "status": CheckInStatus.MISSED}
                | {"created_at": now, "sent_at": now}
                for day in (now.date(), now.date().replace(day=1))
            ],
        )
        await connection.execute(
            insert(Alert),
            [
                {"patient_id": 2, "level": Level.URGENT, "reasons": [], "reason_texts": []}
                | {"status": AlertStatus.OPEN, "created_at": now, "escalation_count": 0}
            ],
        )
    await upgrade(engine)
    factory = create_session_factory(engine)
    async with factory() as session:
        due = (await session.scalars(select(RiskSummary.refresh_at))).all()
    assert len(due) == 3
    assert all(at is not None and at < now for at in due)
    services = Services(factory, load_protocols(), clock=FakeClock(now))
    assert await refresh_aged(services) == 3
    async with factory() as session:
        rows = (await session.scalars(select(RiskSummary).order_by(RiskSummary.patient_id))).all()
    assert [(r.tier, r.listed) for r in rows] == [
        (RiskTier.OTHER, True),
        (RiskTier.URGENT, True),  # finished, but an alert is open
        (RiskTier.MISSED, True),
    ]
    await assert_summaries_current(services, skip_due=False)


async def test_0012_indexes_the_record_lookups_and_goes_back_cleanly(engine: AsyncEngine) -> None:
    """A patient's trail, caregivers and the board's last day are read through an index."""
    from alembic import command
    from sqlalchemy import inspect

    from models.migrate import _config

    wanted = {
        ("audit_events", "ix_audit_events_patient_ref_at"),
        ("care_links", "ix_care_links_patient_id"),
        ("alerts", "ix_alerts_acknowledged_at"),
    }

    async def present() -> set[tuple[str, str]]:
        def names(sync: Any) -> set[tuple[str, str]]:
            found = inspect(sync)
            return {(t, i["name"]) for t, _ in wanted for i in found.get_indexes(t)}

        async with engine.connect() as connection:
            return await connection.run_sync(names) & wanted

    assert await present() == wanted
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(_config(sync), "0011"))
    assert await present() == set()
    await upgrade(engine)
    assert await present() == wanted


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    """Start-up skips Alembic when the database is at this head: it must be Alembic's own."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from models.migrate import _MIGRATIONS, head_revision

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_heads() == [head_revision()]


def test_a_start_on_a_current_database_does_not_import_alembic(tmp_path) -> None:
    """The usual start (nothing to migrate) costs one query, not Alembic's ~90 ms import;
    the first start on an empty database still migrates it."""
    import subprocess
    import sys

    script = (
        "import asyncio, sys\n"
        "from models import create_engine\n"
        "from models.migrate import upgrade\n"
        "async def go():\n"
        f"    engine = create_engine('sqlite+aiosqlite:///{tmp_path}/db.sqlite')\n"
        "    await upgrade(engine)\n"
        "    await engine.dispose()\n"
        "asyncio.run(go())\n"
        "print('alembic' in sys.modules)\n"
    )
    runs = [
        subprocess.run(  # noqa: S603 (our own interpreter and script)
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        )
        for _ in range(2)
    ]
    assert [run.stdout.strip() for run in runs] == ["True", "False"]
