"""Property: whatever happens, each stored risk summary equals a full recomputation.

Random sequences of the real use cases (days of dispatched check-ins, answers with red flags
and pain scores, missed sweeps, acknowledgements, /checkin again, pause and resume, messages
refused and patients writing again, days passing) on three patients; after every step the
stored rows equal the old bulk computation of /patients (:mod:`tests.support.risk_oracle`),
except rows the aging sweep is due to refresh; after the sweep, all of them. SQLite and
PostgreSQL (each example on an empty database).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from models import (
    Alert,
    AlertStatus,
    CheckIn,
    Patient,
    RiskSummary,
    create_engine,
    create_session_factory,
)
from recovery import load_protocols
from services.account import switches
from services.alerts.acknowledge import acknowledge_alert
from services.checkin import answering, asking, schedule
from services.context import ServiceConfig, Services
from services.delivery.outcomes import OutgoingMessage, mark_failed
from services.patients import patient_protocol
from services.risk import RiskTier
from services.risk_summary import refresh_aged
from tests.support.clock import FakeClock
from tests.support.databases import BACKENDS, fresh_postgres, sqlite_copy
from tests.support.factories import make_patient
from tests.support.risk_oracle import summary_mismatches
from views.callbacks import AckCb, AnswerCb

USERS = (701, 702, 703)  # Ann in London, an unnamed patient in UTC, Émile in New York
PROTOCOLS = load_protocols()
WHO = st.integers(0, len(USERS) - 1)
BENIGN = {
    "emergency": "none",
    "pain_worse": "no",
    "fever": "no",
    "numbness": "no",
    "pain_eased": "yes",
    "pain_med": "helped",
    "brace": "no_brace",
    "activity": "usual",
}
FINDINGS = {  # what a whole check-in reports besides the pain score
    "nothing": {},
    "fever": {"fever": "yes"},  # urgent
    "unsure": {"numbness": "unsure"},  # attention: an unclear answer to a warning sign
    "emergency": {"emergency": "chest"},
}
STEP = st.one_of(
    st.tuples(st.just("day")),  # to the next day's 09:00 UTC: check-ins are sent
    st.tuples(st.just("day")),
    st.tuples(st.just("skipped days"), st.integers(1, 3)),  # day after day nobody answers
    st.tuples(st.just("check-in"), WHO, st.integers(0, 10), st.sampled_from(sorted(FINDINGS))),
    st.tuples(st.just("check-in"), WHO, st.integers(0, 10), st.just("nothing")),
    st.tuples(st.just("check-in"), WHO, st.integers(0, 10), st.just("nothing")),
    st.tuples(st.just("answer"), WHO, st.integers(0, 10)),  # the current question, an option
    st.tuples(st.just("missed")),  # 7 hours on: the missed sweep
    st.tuples(st.just("ack"), st.integers(0, 3)),  # the n-th open alert
    st.tuples(st.just("checkin"), WHO),  # /checkin: today's again (reopens a done one)
    st.tuples(st.just("pause"), WHO),
    st.tuples(st.just("resume"), WHO),
    st.tuples(st.just("blocked"), WHO),  # Telegram refuses a message for good
    st.tuples(st.just("write"), WHO),  # /status: the patient writes, reachable again
    st.tuples(st.just("later"), st.integers(1, 9)),  # days pass (windows age)
)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=24))
def test_stored_summaries_equal_a_full_recomputation_after_any_sequence(
    backend: str,
    steps: list[tuple[object, ...]],
    sqlite_template_path: Path,
    postgres_migrated: bool,
    tmp_path: Path,
) -> None:
    asyncio.run(_scenario(backend, steps, sqlite_template_path, tmp_path))


async def _scenario(
    backend: str, steps: list[tuple[object, ...]], template: Path, tmp_path: Path
) -> None:
    if backend == "sqlite":
        url = sqlite_copy(template, tmp_path)
    else:
        url = await fresh_postgres()
    engine = create_engine(url)
    clock = FakeClock(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    services = Services(
        session_factory=create_session_factory(engine),
        protocols=PROTOCOLS,
        config=ServiceConfig(operator_ids=frozenset({900})),
        clock=clock,
    )
    try:
        for user, name, zone in zip(
            USERS, ("Ann", None, "Émile"), ("Europe/London", "UTC", "America/New_York"), strict=True
        ):
            await make_patient(
                services,
                user_id=user,
                display_name=name,
                timezone=zone,
                surgery_date=date(2026, 2, 20),
            )
        for number, step in enumerate(steps):
            await _apply(services, clock, step, number)
            await _check(services, skip_due=True, after=step)
        await refresh_aged(services)
        await _check(services, skip_due=False, after=("the aging sweep",))
    finally:
        await engine.dispose()


async def _apply(services: Services, clock: FakeClock, step: tuple[object, ...], n: int) -> None:
    kind = step[0]
    user = USERS[step[1]] if len(step) > 1 and kind not in ("ack", "later", "skipped days") else 0
    if kind in ("day", "skipped days"):
        for _ in range(int(step[1]) if kind == "skipped days" else 1):  # type: ignore[call-overload]
            now = clock.now()
            clock.set(
                datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), UTC)
                + timedelta(hours=9)
            )
            await schedule.dispatch_due(services)
            await refresh_aged(services)
            if kind == "skipped days":
                clock.advance(hours=7)
                await schedule.mark_missed(services)
    elif kind == "answer":
        await _answer(services, user, int(step[2]))  # type: ignore[call-overload]
    elif kind == "check-in":
        chosen = {**BENIGN, "pain": str(step[2]), **FINDINGS[str(step[3])]}
        for _ in range(len(BENIGN) + 1):
            if not await _answer(services, user, chosen):
                break
    elif kind == "missed":
        clock.advance(hours=7)
        await schedule.remind_due(services)
        await schedule.mark_missed(services)
    elif kind == "ack":
        async with services.session_factory() as session:
            ids = (
                await session.scalars(
                    select(Alert.id).where(Alert.status == AlertStatus.OPEN).order_by(Alert.id)
                )
            ).all()
        if ids:
            alert_id = ids[int(step[1]) % len(ids)]  # type: ignore[call-overload]
            await acknowledge_alert(services, 900, "Op", AckCb(alert_id), pressed=(900, 10_000 + n))
    elif kind == "checkin":
        await asking.start_checkin(services, user, user)
    elif kind == "pause":
        await switches.pause_checkins(services, user, user)
    elif kind == "resume":
        await switches.resume_checkins(services, user, user)
    elif kind == "blocked":
        message = OutgoingMessage(0, user, "send", {}, "question", 1, None, None, None)
        await mark_failed(services, message, error="forbidden", unreachable=True)
    elif kind == "write":
        await switches.show_status(services, user, user)
    elif kind == "later":
        clock.advance(days=int(step[1]))  # type: ignore[call-overload]
        await refresh_aged(services)
    clock.advance(minutes=1)


async def _answer(services: Services, user: int, option: int | dict[str, str]) -> bool:
    """Press option ``option`` (modulo the options, or the value given for the question) of
    the patient's current question; False when no question is waiting."""
    async with services.session_factory() as session:
        patient = await session.scalar(select(Patient).where(Patient.telegram_user_id == user))
        assert patient is not None
        checkin = await session.scalar(
            select(CheckIn)
            .where(CheckIn.patient_id == patient.id, CheckIn.current_question.is_not(None))
            .order_by(CheckIn.local_date.desc())
            .limit(1)
        )
        if checkin is None or checkin.current_question is None:
            return False
        protocol = patient_protocol(patient, services.protocols)
    question = protocol.question(checkin.current_question)
    assert question is not None
    position = checkin.question_keys.index(checkin.current_question)
    values = [o.value for o in question.options]
    chosen = values.index(option[question.key]) if isinstance(option, dict) else option
    data = AnswerCb(checkin.id, position, chosen % len(values))
    await answering.record_answer(services, user, user, 20_000, data)
    return True


async def _check(services: Services, *, skip_due: bool, after: tuple[object, ...]) -> None:
    async with services.session_factory() as session:
        wrong = await summary_mismatches(session, services.now(), skip_due=skip_due)
        tiers = set((await session.scalars(select(RiskSummary.tier))).all())
    assert not wrong, f"after {after}: {wrong}"
    for tier in tiers:  # what the examples reach (--hypothesis-show-statistics)
        event(f"tier {RiskTier(tier).name} reached")
