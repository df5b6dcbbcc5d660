"""/delete leaves nothing about the patient in any table, whatever was sent about them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import MetaData, select

from app.runtime import Runtime
from services.account.forget import ERASED_LINE
from tests.fakebot import FakeBotApi, SentMessage
from tests.support.answers import BENIGN
from tests.support.bot import CARE_TEAM_CHAT, OPERATOR_ID
from tests.support.checkin import PATIENT, answer_all, first_question
from tests.support.clock import FakeClock
from tests.support.factories import make_alert, make_care_link, make_patient
from tests.support.idle import settled

MARKER = "Qzmarkerwyn"
CAREGIVER = 601
OTHER = 777


async def command(api: FakeBotApi, user: int, text: str, chat: int | None = None) -> SentMessage:
    where = user if chat is None else chat
    after = len(api.messages(where))
    api.send_text(user, text, chat_id=chat)
    return await api.wait_for_message(where, after=after)


async def cells_with(runtime: Runtime, needle: str) -> list[tuple[str, str, Any]]:
    """Every (table, column, value) in the database whose text contains ``needle``."""
    engine = runtime.services.session_factory.kw["bind"]
    metadata = MetaData()
    async with engine.connect() as conn:
        await conn.run_sync(metadata.reflect)
        found = []
        for table in metadata.sorted_tables:
            for row in (await conn.execute(select(table))).mappings():
                for column, value in row.items():
                    if value is not None and needle.lower() in str(value).lower():
                        found.append((table.name, column, value))
    return found


async def test_delete_leaves_the_patients_name_in_no_column_of_any_table(
    api: FakeBotApi, runtime: Runtime, clock: FakeClock
) -> None:
    services = runtime.services
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))  # before the 09:00 check-in
    pid = await make_patient(
        services,
        user_id=PATIENT,
        display_name=MARKER,
        surgery_date=date(2026, 2, 28),
        checkin_time=time(9),
    )
    await make_care_link(services, pid, user_id=CAREGIVER, display_name="Bob")
    other = await make_patient(services, user_id=OTHER, display_name="Olga", schedule=False)
    await make_alert(services, other)
    await first_question(api, runtime, clock)
    await answer_all(api, {**BENIGN, "fever": "Yes"}, stop_after="fever")  # an urgent alert
    await api.wait_for_message(CARE_TEAM_CHAT, contains="URGENT")
    await api.wait_for_message(CAREGIVER, contains=MARKER)  # the caregiver's alert notice
    listing = await command(api, OPERATOR_ID, "/alerts", CARE_TEAM_CHAT)
    assert "P-0002" in listing.text  # a list about both patients
    await command(api, OPERATOR_ID, "/patients")
    await command(api, OPERATOR_ID, "/patient P-0001")
    await command(api, OPERATOR_ID, "/export")
    await command(api, PATIENT, "/mydata")
    await settled(api, runtime)
    assert await cells_with(runtime, MARKER)  # the scan sees the name before erasure

    question = await command(api, PATIENT, "/delete")
    after = len(api.messages(PATIENT))
    api.press_button(PATIENT, question, "Yes, erase everything")
    await api.wait_for_message(PATIENT, contains="has been erased", after=after)
    await settled(api, runtime)

    assert await cells_with(runtime, MARKER) == []
    assert [cell for cell in await cells_with(runtime, "P-0001") if cell[0] != "audit_events"] == []
    lists = [cell for cell in await cells_with(runtime, "P-0002") if cell[0] == "outbox"]
    assert lists, "rows about the other patient stay"
    assert any(ERASED_LINE in str(value) for _table, _column, value in lists)
