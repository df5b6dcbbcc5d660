"""Provenance: rows keep the protocol file that judged them; the digest and the migration."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select, text

from models import CheckIn, Outbox, create_engine
from models.migrate import upgrade
from recovery import Level, Procedure
from services.care_team import digest
from services.checkin import asking
from services.context import Services
from tests.services.test_export import edited_protocols
from tests.support.clock import FakeClock
from tests.support.factories import make_checkin, make_patient

PAIN_NOT_EASING = {"emergency": "none", "pain": 6, "pain_eased": "no"}


async def digest_text(services: Services, clock: FakeClock) -> str:
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    assert await digest.send_daily_digest(services) == 1
    async with services.session_factory() as session:
        post = await session.scalar(select(Outbox).where(Outbox.purpose == "digest"))
    assert post is not None
    return str(post.payload["text"])


async def test_the_digest_explains_a_finding_with_the_file_that_judged_it(
    services: Services, clock: FakeClock
) -> None:
    pid = await make_patient(services, display_name="Ann")
    await make_checkin(
        services, pid, date(2026, 3, 1), 9, answers=PAIN_NOT_EASING, level=Level.ATTENTION
    )
    text = await digest_text(services, clock)
    assert "P-0001 (Ann) · day 9 · " in text
    assert "needs attention" not in text  # the reasons, recomputed with the same file
    assert "judged under" not in text


async def test_the_digest_names_the_stored_version_once_the_file_changed(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    pid = await make_patient(services, display_name="Ann")
    await make_checkin(
        services, pid, date(2026, 3, 1), 9, answers=PAIN_NOT_EASING, level=Level.ATTENTION
    )
    later = dataclasses.replace(services, protocols=edited_protocols(tmp_path, "0.2.0"))
    text = await digest_text(later, clock)
    assert (
        "P-0001 (Ann) · day 9 · needs attention · judged under protocol augmentation 0.1.0" in text
    )
    assert "0.2.0" not in text


async def test_migration_backfills_old_rows_with_the_family_and_an_unknown_version(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite'}")
    try:
        await upgrade(engine, "0002")
        now = "2026-03-01 09:00:00.000000"
        async with engine.begin() as connection:
            for pid, procedure in ((1, "kyphoplasty"), (2, "fusion")):
                await connection.execute(
                    text(
                        "INSERT INTO patients (id, telegram_user_id, chat_id, status, procedure,"
                        " in_hospital, timezone, created_at, updated_at) VALUES (:id, :id, :id,"
                        " 'active', :procedure, 0, 'UTC', :now, :now)"
                    ),
                    {"id": pid, "procedure": procedure, "now": now},
                )
                await connection.execute(
                    text(
                        "INSERT INTO checkins (id, patient_id, local_date, post_op_day, status,"
                        " trigger, question_keys, created_at, sent_at) VALUES (:id, :id,"
                        " '2026-03-01', 9, 'completed', 'scheduled', '[]', :now, :now)"
                    ),
                    {"id": pid, "now": now},
                )
            await connection.execute(
                text(
                    "INSERT INTO alerts (patient_id, checkin_id, level, reasons, reason_texts,"
                    " status, created_at, escalation_count) VALUES (2, 2, 'urgent', '[]', '[]',"
                    " 'open', :now, 0)"
                ),
                {"now": now},
            )
        await upgrade(engine)
        async with engine.connect() as connection:
            checkins = (
                await connection.execute(
                    text(
                        "SELECT protocol_family, protocol_version, protocol_hash FROM checkins"
                        " ORDER BY id"
                    )
                )
            ).all()
            alerts = (
                await connection.execute(
                    text("SELECT protocol_family, protocol_version, protocol_hash FROM alerts")
                )
            ).all()
    finally:
        await engine.dispose()
    assert [tuple(r) for r in checkins] == [
        ("augmentation", "unknown", None),
        ("fusion", "unknown", None),
    ]
    assert [tuple(r) for r in alerts] == [("fusion", "unknown", None)]


async def test_new_check_ins_store_the_loaded_protocol(services: Services) -> None:
    pid = await make_patient(services, procedure=Procedure.FUSION)
    await asking.start_checkin(services, 501, 501)
    protocol = services.protocols.for_procedure(Procedure.FUSION)
    async with services.session_factory() as session:
        checkin = await session.scalar(select(CheckIn).where(CheckIn.patient_id == pid))
    assert checkin is not None
    assert (checkin.protocol_family, checkin.protocol_version, checkin.protocol_hash) == (
        "fusion",
        protocol.version,
        protocol.content_hash,
    )
