"""The check-in history of a patient's record: newest first, every answer with who gave it.

Two queries whatever the history, read as plain rows: the latest check-ins (before a day, for
the older pages; with the count of all of them, by a window function) and every answer they
hold, changed ones included (a join would repeat and decode each check-in's question list on
every answer). Used by :mod:`services.care_team.patient_record`, inside its transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Answer, CheckIn, Patient
from recovery import Level, Protocol
from services.care_team.patient_detail import answer_label, answerer
from views.care_team.patient_record import RecordAnswer, RecordCheckIn, RecordEarlierAnswer
from views.i18n import Translator

__all__ = ["HISTORY_SHOWN", "record_checkins"]

HISTORY_SHOWN = 30  # check-ins on a page; the count of older ones is given with them


async def record_checkins(
    session: AsyncSession,
    patient: Patient,
    protocol: Protocol | None,
    names: Mapping[int, str],
    tr: Translator | None = None,
    *,
    before: date | None = None,
    limit: int = HISTORY_SHOWN,
) -> tuple[tuple[RecordCheckIn, ...], int]:
    """The patient's latest check-ins (before ``before``), newest first, and how many older
    ones are not shown.

    Args:
        session: the caller's session.
        patient: the patient.
        protocol: the patient's protocol in the reader's language (short labels and option
            labels), None if unknown.
        names: caregivers' names by Telegram user id (see ``caregiver_names``).
        tr: the reader's translator (names an unknown answerer; default: English).
        before: only check-ins of local days before this one (the next page); None: the latest.
        limit: at most this many check-ins.

    Returns:
        The check-ins (answers in the order asked, changed answers with what they replaced)
        and the number of older check-ins left out.
    """
    where = [CheckIn.patient_id == patient.id]
    if before is not None:
        where.append(CheckIn.local_date < before)
    checkins = (
        await session.execute(
            select(
                CheckIn.id,
                CheckIn.local_date,
                CheckIn.post_op_day,
                CheckIn.status,
                CheckIn.level,
                CheckIn.protocol_version,
                CheckIn.question_keys,
                func.count().over().label("total"),
            )
            .where(*where)
            .order_by(CheckIn.local_date.desc())
            .limit(limit)
        )
    ).all()
    answers: dict[int, list[Row[Any]]] = defaultdict(list)
    if checkins:
        for row in await session.execute(
            select(
                Answer.id,
                Answer.checkin_id,
                Answer.question_key,
                Answer.value,
                Answer.answered_by,
                Answer.answered_at,
                Answer.superseded_at,
            )
            .where(Answer.checkin_id.in_([c.id for c in checkins]))
            .order_by(Answer.id)
        ):
            answers[row.checkin_id].append(row)
    shown = tuple(
        RecordCheckIn(
            checkin_id=checkin.id,
            local_date=checkin.local_date,
            day=checkin.post_op_day,
            status=str(checkin.status),
            level=None if checkin.level is None else Level(checkin.level),
            protocol_version=checkin.protocol_version,
            answers=_answers(
                answers[checkin.id], checkin.question_keys, patient, protocol, names, tr
            ),
        )
        for checkin in checkins
    )
    total = int(checkins[0].total) if checkins else 0
    return shown, total - len(shown)


def _answers(
    rows: Sequence[Row[Any]],
    question_keys: Sequence[str] | None,
    patient: Patient,
    protocol: Protocol | None,
    names: Mapping[int, str],
    tr: Translator | None,
) -> tuple[RecordAnswer, ...]:
    """One line per question: the current answer and, oldest first, the ones it replaced."""
    chains: dict[str, list[Row[Any]]] = defaultdict(list)
    for row in rows:  # by id: the order given
        chains[row.question_key].append(row)
    asked = {key: n for n, key in enumerate(question_keys or ())}
    keys = sorted(chains, key=lambda key: (asked.get(key, len(asked)), chains[key][0].id))
    lines = []
    for key in keys:
        chain = chains[key]
        current = next((a for a in reversed(chain) if a.superseded_at is None), chain[-1])
        question = protocol.question(key) if protocol else None
        lines.append(
            RecordAnswer(
                question_key=key,
                question=question.title if question else key.replace("_", " "),
                value=current.value,
                label=answer_label(protocol, key, current.value),
                by=answerer(current.answered_by, patient, names, tr),
                answered_at=current.answered_at,
                earlier=tuple(
                    RecordEarlierAnswer(
                        value=a.value,
                        label=answer_label(protocol, key, a.value),
                        by=answerer(a.answered_by, patient, names, tr),
                        answered_at=a.answered_at,
                        changed_at=a.superseded_at,
                    )
                    for a in chain
                    if a is not current and a.superseded_at is not None
                ),
            )
        )
    return tuple(lines)
