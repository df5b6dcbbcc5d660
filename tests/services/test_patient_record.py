"""A patient's record for the web console: who may read it, what it holds, that it is audited,
and that it takes a fixed number of queries whatever the history.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from models import (
    Alert,
    AlertStatus,
    Answer,
    AuditEvent,
    CareLinkKind,
    CheckIn,
    CheckInStatus,
    Operator,
)
from recovery import Level, Procedure
from services.alerts import acknowledge, outcomes
from services.audit import operator_actor, record_event
from services.care_team import PatientRecord, patient_record
from services.care_team.record_checkins import HISTORY_SHOWN
from services.context import Services
from tests.support.factories import (
    make_alert,
    make_answer,
    make_care_link,
    make_checkin,
    make_patient,
)
from views.callbacks import AckCb, AlertOutcome, OutcomeCb

OPERATOR = 900  # in OPERATOR_IDS (tests/conftest.py)
TABLE_OPERATOR = 902  # added to the operators table by the test that needs it
STRANGER = 777
PATIENT = 501
CARER = 601
TEAM = -100


async def record(services: Services, ref: str = "P-0001", viewer: int = OPERATOR) -> PatientRecord:
    found = await patient_record(services, viewer, ref, services.now())
    assert found is not None
    return found


async def audit_rows(services: Services) -> list[AuditEvent]:
    async with services.session_factory() as session:
        return list((await session.scalars(select(AuditEvent).order_by(AuditEvent.id))).all())


async def test_a_reference_that_names_no_patient_gives_none_and_is_not_audited(
    services: Services,
) -> None:
    await make_patient(services, user_id=PATIENT)
    for ref in ("P-0002", "nobody", ""):
        assert await patient_record(services, OPERATOR, ref, services.now()) is None
    assert await audit_rows(services) == []


async def test_a_non_operator_is_refused_and_nothing_is_audited(services: Services) -> None:
    await make_patient(services, user_id=PATIENT)
    for viewer in (STRANGER, PATIENT):
        assert await patient_record(services, viewer, "P-0001", services.now()) is None
    assert await audit_rows(services) == []


async def test_the_view_is_audited_with_channel_web_and_shown_first_in_the_trail(
    services: Services,
) -> None:
    await make_patient(services, user_id=PATIENT)
    async with services.transaction() as session:
        session.add(
            Operator(
                telegram_user_id=TABLE_OPERATOR, display_name="Dr Lee", added_at=services.now()
            )
        )
        record_event(
            session,
            at=services.now() - timedelta(days=1),
            actor="cli:ana",
            action="export",
            patient_ref="P-0001",
        )
    await record(services, "p1", viewer=TABLE_OPERATOR)  # an operator from the table
    found = await record(services)  # one from OPERATOR_IDS
    events = await audit_rows(services)
    views = [e for e in events if e.action == "patient_viewed"]
    assert [(e.actor, e.patient_ref, e.detail) for e in views] == [
        (operator_actor(TABLE_OPERATOR), "P-0001", {"channel": "web"}),
        (operator_actor(OPERATOR), "P-0001", {"channel": "web"}),
    ]
    assert [(v.viewer, v.action, v.channel) for v in found.trail] == [
        ("operator 900", "patient_viewed", "web"),  # this view
        ("Dr Lee", "patient_viewed", "web"),
        ("cli:ana", "export", None),
    ]
    assert found.trail[0].at == services.now()


async def test_profile_caregivers_and_the_protocol_that_follows_the_patient(
    services: Services,
) -> None:
    await make_patient(
        services,
        user_id=PATIENT,
        procedure=Procedure.FUSION,
        in_hospital=True,
        checkin_time=time(8, 30),
        display_name="Ann",
    )  # surgery 20 Feb; the clock says 2 March
    await make_care_link(services, 1, user_id=CARER, display_name="Bob", may_answer=True)
    await make_care_link(
        services,
        1,
        user_id=None,
        chat_id=-5,
        kind=CareLinkKind.GROUP,
        display_name=None,
        may_answer=False,
    )
    found = await record(services)
    profile = found.profile
    fusion = services.protocols.for_procedure(Procedure.FUSION)
    assert (profile.ref, profile.name, profile.procedure, profile.day) == (
        "P-0001",
        "Ann",
        "fusion",
        10,
    )
    assert (profile.in_hospital, profile.checkin_time, profile.timezone) == (
        True,
        time(8, 30),
        "Europe/London",
    )
    assert (profile.protocol_family, profile.protocol_version, profile.protocol_sha256) == (
        fusion.family,
        fusion.version,
        fusion.content_hash,
    )
    assert profile.protocol_approved is False
    assert [(c.name, c.relation, c.may_answer, c.until) for c in found.caregivers] == [
        ("Bob", "caregiver", True, None),
        ("family group", "family group", False, None),
    ]
    assert found.caregivers[0].since == services.now()
    assert found.pain is None
    assert found.checkins == ()
    assert found.older_checkins == 0


async def test_hospital_status_only_where_it_is_asked(services: Services) -> None:
    await make_patient(services, user_id=PATIENT, procedure=Procedure.KYPHOPLASTY)
    assert (await record(services)).profile.in_hospital is None


async def test_a_caregivers_answer_is_attributed_and_a_changed_answer_keeps_the_earlier_one(
    services: Services,
) -> None:
    await make_patient(services, user_id=PATIENT)  # kyphoplasty
    await make_care_link(services, 1, user_id=CARER, display_name="Bob")
    at = services.now() - timedelta(hours=1)
    checkin = await make_checkin(
        services, 1, date(2026, 3, 2), 10, answers={"pain": 4, "fever": "no"}, at=at
    )
    await make_answer(
        services, checkin, "fever", "yes", answered_by=CARER, at=at + timedelta(minutes=5)
    )
    (shown,) = (await record(services)).checkins
    assert [(a.question, a.label, a.by, a.changed) for a in shown.answers] == [
        ("pain", "4", None, False),
        ("fever", "Yes", "Bob (caregiver)", True),
    ]
    (earlier,) = shown.answers[1].earlier
    assert (earlier.value, earlier.label, earlier.by) == ("no", "No", None)
    assert earlier.answered_at == at + timedelta(seconds=1)
    assert earlier.changed_at == at + timedelta(minutes=5)
    assert shown.answers[1].answered_at == at + timedelta(minutes=5)


async def test_history_is_newest_first_and_counts_the_check_ins_left_out(
    services: Services,
) -> None:
    await make_patient(services, user_id=PATIENT, surgery_date=date(2025, 12, 1))
    await seed_history(services, 1, days=HISTORY_SHOWN + 3, start=date(2025, 12, 1))
    found = await record(services)
    assert len(found.checkins) == HISTORY_SHOWN
    assert found.older_checkins == 3
    last = HISTORY_SHOWN + 2
    assert found.checkins[0].local_date == date(2025, 12, 1) + timedelta(days=last)
    assert [c.day for c in found.checkins[:3]] == [last, last - 1, last - 2]
    assert found.checkins[0].status == "completed"
    assert found.checkins[0].protocol_version == "0.1.0"
    assert found.pain is not None
    assert len(found.pain.points) == HISTORY_SHOWN + 3  # the chart: the whole course


async def test_older_check_ins_come_a_page_at_a_time_before_a_day(services: Services) -> None:
    await make_patient(services, user_id=PATIENT, surgery_date=date(2025, 12, 1))
    days = 2 * HISTORY_SHOWN + 10
    await seed_history(services, 1, days=days, start=date(2025, 12, 1))
    latest = await record(services)
    last_shown = latest.checkins[-1].local_date
    found = await patient_record(services, OPERATOR, "P-0001", services.now(), before=last_shown)
    assert found is not None
    assert found.checkins_before == last_shown
    next_day = days - 1 - HISTORY_SHOWN  # right after the first page
    assert [c.day for c in found.checkins[:2]] == [next_day, next_day - 1]
    assert len(found.checkins) == HISTORY_SHOWN
    assert found.older_checkins == 10
    assert all(len(c.answers) == 8 for c in found.checkins)
    oldest = await patient_record(
        services, OPERATOR, "P-0001", services.now(), before=found.checkins[-1].local_date
    )
    assert oldest is not None
    assert [c.day for c in oldest.checkins] == list(range(9, -1, -1))
    assert oldest.older_checkins == 0


async def test_alerts_open_and_handled_with_who_acknowledged_and_the_outcome(
    services: Services,
) -> None:
    await make_patient(services, user_id=PATIENT)
    checkin = await make_checkin(services, 1, date(2026, 3, 1), 9, answers={"fever": "yes"})
    handled = await make_alert(services, 1, checkin_id=checkin, reason_texts=("a fever",))
    await acknowledge.acknowledge_alert(
        services, OPERATOR, "Dr Lee", AckCb(handled), pressed=(TEAM, 11)
    )
    await outcomes.record_outcome(
        services, OPERATOR, "Dr Lee", OutcomeCb(handled, AlertOutcome.CALLED)
    )
    opened = await make_alert(services, 1, level=Level.EMERGENCY, reason_texts=("chest pain",))
    found = await record(services)
    (still,) = found.open_alerts
    assert (still.line.alert_id, still.line.level, still.line.reasons) == (
        opened,
        Level.EMERGENCY,
        ("chest pain",),
    )
    assert (still.status, still.acknowledged_by, still.outcome) == ("open", None, None)
    (done,) = found.past_alerts
    assert (done.line.alert_id, done.status) == (handled, "acknowledged")
    assert done.acknowledged_by == "Dr Lee at 09:00 UTC"  # as every post names them
    assert done.acknowledged_at == services.now()
    assert (done.outcome, done.outcome_label, done.outcome_by) == (
        "called",
        "called the patient",
        "Dr Lee",
    )
    assert done.outcome_at == services.now()
    assert found.older_alerts == 0
    assert {v.action for v in found.trail} >= {"alert_acknowledged", "alert_outcome"}


async def test_an_alert_acknowledged_without_an_audit_label_names_the_operator(
    services: Services,
) -> None:
    await make_patient(services, user_id=PATIENT)
    alert = await make_alert(services, 1, status=AlertStatus.ACKNOWLEDGED)
    async with services.transaction() as session:
        session.add(
            Operator(
                telegram_user_id=TABLE_OPERATOR, display_name="Dr Kim", added_at=services.now()
            )
        )
        row = await session.get_one(Alert, alert)
        row.acknowledged_by, row.acknowledged_at = TABLE_OPERATOR, services.now()
        row.outcome, row.outcome_by, row.outcome_at = "visit", OPERATOR, services.now()
    (done,) = (await record(services)).past_alerts
    assert done.acknowledged_by == "Dr Kim at 09:00 UTC"
    assert (done.outcome_label, done.outcome_by) == ("arranged a visit", "operator 900")


async def test_a_year_of_history_takes_as_many_queries_as_a_week(
    services: Services, engine: AsyncEngine
) -> None:
    await make_patient(services, user_id=PATIENT, surgery_date=date(2025, 3, 2))
    await make_patient(services, user_id=PATIENT + 1, surgery_date=date(2025, 3, 2))
    await make_care_link(services, 1, user_id=CARER)
    await make_care_link(services, 2, user_id=CARER + 1)
    await seed_history(services, 1, days=7, start=date(2026, 2, 23))
    await seed_history(services, 2, days=365, start=date(2025, 3, 2))
    with counted(engine) as week:
        small = await record(services, "P-0001")
    with counted(engine) as year:
        large = await record(services, "P-0002")
    assert len(small.checkins) == 7
    assert large.older_checkins == 365 - HISTORY_SHOWN
    assert len(large.past_alerts) == 50
    assert large.older_alerts == len(range(0, 365, 7)) - 50
    assert len(large.trail) == 50
    assert any(a.changed for c in large.checkins for a in c.answers)
    assert len(year) == len(week) <= 20, year


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements run on ``engine`` inside the block."""
    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", note)


async def seed_history(services: Services, patient_id: int, *, days: int, start: date) -> None:
    """``days`` daily check-ins from ``start`` with 8 answers each (one changed every 5th day),
    an acknowledged alert with an outcome every 7th day, and two audit events a day."""
    keys = ["emergency", "pain", "pain_worse", "fever", "numbness", "pain_med", "brace", "activity"]
    values = {"emergency": "none", "pain": "4", "pain_med": "helped", "activity": "some"}
    ref = f"P-{patient_id:04d}"
    async with services.transaction() as session:
        for n in range(days):
            local = start + timedelta(days=n)
            at = datetime.combine(local, time(9), services.now().tzinfo)
            checkin = CheckIn(
                patient_id=patient_id,
                local_date=local,
                post_op_day=(local - start).days,
                status=CheckInStatus.COMPLETED,
                trigger="scheduled",
                question_keys=keys,
                current_question=None,
                level=None,
                created_at=at,
                sent_at=at,
                completed_at=at,
                protocol_family="augmentation",
                protocol_version="0.1.0",
                protocol_hash=None,
            )
            session.add(checkin)
            await session.flush()
            for key in keys:
                value = values.get(key, "no")
                session.add(
                    Answer(
                        checkin_id=checkin.id,
                        question_key=key,
                        value=value,
                        answered_by=PATIENT + patient_id - 1,
                        answered_at=at,
                    )
                )
            if n % 5 == 0:
                session.add(
                    Answer(
                        checkin_id=checkin.id,
                        question_key="pain",
                        value="6",
                        answered_by=CARER,
                        answered_at=at - timedelta(minutes=1),
                        superseded_at=at,
                    )
                )
            if n % 7 == 0:
                session.add(
                    Alert(
                        patient_id=patient_id,
                        checkin_id=checkin.id,
                        level=Level.URGENT,
                        reasons=["fever"],
                        reason_texts=["a fever"],
                        status=AlertStatus.ACKNOWLEDGED,
                        created_at=at,
                        acknowledged_by=OPERATOR,
                        acknowledged_at=at + timedelta(minutes=3),
                        outcome="called",
                        outcome_by=OPERATOR,
                        outcome_at=at + timedelta(minutes=9),
                        escalation_count=0,
                        protocol_family="augmentation",
                        protocol_version="0.1.0",
                    )
                )
            for action in ("patient_viewed", "export"):
                record_event(
                    session, at=at, actor=operator_actor(OPERATOR), action=action, patient_ref=ref
                )
