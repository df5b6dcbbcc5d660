"""One enrollment use case's working state: the session, the clock and the replies it queues.

The use cases in :mod:`.enroll` and :mod:`.settings` open their one transaction with
:func:`open_turn`; the :class:`Turn` moves a patient from step to step.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Outbox, Patient, PatientStatus
from recovery import Procedure
from services.context import Services
from services.enrollment import steps
from services.outbox import enqueue, enqueue_clear_buttons, enqueue_edit
from services.patients import find_patient, reschedule
from services.replies import reader_in
from services.risk_summary import note_change
from views import texts
from views.enrollment import notices as en
from views.enrollment import questions as ev
from views.enrollment import summary as es
from views.message import Message

__all__ = ["ENROLLED", "PURPOSE", "Turn", "is_complete", "open_turn"]

PURPOSE = "enroll"
ASK_PURPOSE = "enroll_ask"  # a step's question: its buttons go once the step moves on
ENROLLED = (PatientStatus.ACTIVE, PatientStatus.PAUSED)


def is_complete(patient: Patient) -> bool:
    """Whether everything Confirm needs is there."""
    return None not in (
        patient.consent_at,
        patient.procedure,
        patient.surgery_date,
        patient.checkin_time,
    )


class Turn:
    """A patient's enrollment moves inside the caller's session, with the replies they cause."""

    def __init__(self, services: Services, session: AsyncSession, chat_id: int) -> None:
        """Work in ``session`` for a message from ``chat_id``."""
        self.services = services
        self.session = session
        self.chat_id = chat_id
        self.now = services.now()
        self.ctx = steps.StepContext(now=self.now, default_zone=services.config.default_timezone)

    async def patient(self, user_id: int) -> Patient | None:
        """The user's patient row, locked, with the chat id of this update."""
        patient = await find_patient(self.session, user_id, now=self.now, for_update=True)
        if patient is not None:
            patient.chat_id = self.chat_id
        return patient

    async def known_patient(self, user_id: int, language_code: str | None) -> Patient | None:
        """The user's patient row, as :meth:`patient`; a user without one is sent to /start
        (in the language they chose here, else their Telegram app's ``language_code``)."""
        patient = await self.patient(user_id)
        if patient is None:
            tr = await reader_in(self.session, user_id, language_code)
            self.send(texts.not_enrolled(tr), None)
        return patient

    def send(self, message: Message, patient: Patient | None, purpose: str = PURPOSE) -> None:
        """Queue a reply (kept with the patient's data when there is a patient)."""
        enqueue(
            self.session,
            patient.chat_id if patient is not None else self.chat_id,
            message,
            now=self.now,
            purpose=purpose,
            patient_id=patient.id if patient is not None else None,
        )

    async def reprompt(self, patient: Patient, note: str | None = None) -> None:
        """Ask the patient's current step (again), after ``note`` (in the patient's language:
        see :meth:`said`); earlier questions lose their buttons, so only the question being
        asked can be answered."""
        await self._clear_earlier_questions(patient)
        emergency = self.services.config.emergency_number_for(patient.timezone)
        self.send(steps.prompt(patient, self.ctx, emergency, note), patient, ASK_PURPOSE)
        if steps.current(patient)[1] == ev.ZONE:  # the location button is a second message
            self.send(en.location_offer(steps.tr_of(patient)), patient)

    @staticmethod
    def said(patient: Patient, msgid: str) -> str:
        """A note or notice (a message id of :mod:`views.enrollment.notices`) in the
        patient's language as it is stored now."""
        return steps.tr_of(patient).gettext(msgid)

    def clear_buttons(self, patient: Patient, message_id: int) -> None:
        """Remove the buttons of a pressed message (answered, or an earlier question)."""
        enqueue_clear_buttons(
            self.session,
            patient.chat_id,
            message_id,
            now=self.now,
            purpose=PURPOSE,
            patient_id=patient.id,
        )

    async def _clear_earlier_questions(self, patient: Patient) -> None:
        """Edit delivered step questions that still show buttons to show none."""
        asked = await self.session.scalars(
            select(Outbox).where(
                Outbox.chat_id == patient.chat_id,
                Outbox.purpose == ASK_PURPOSE,
                Outbox.message_id.is_not(None),
            )
        )
        for row in asked:
            if row.message_id is None or not row.payload.get("keyboard"):
                continue
            text = str(row.payload.get("text", ""))
            enqueue_edit(
                self.session,
                row.chat_id,
                row.message_id,
                Message(text),
                now=self.now,
                purpose=PURPOSE,
                patient_id=patient.id,
            )
            row.payload = {**row.payload, "keyboard": []}

    def touch(self, patient: Patient, step: str | None) -> None:
        """Store the step and the change time (status, name and procedure change with a step,
        so the patient's risk summary is refreshed at commit)."""
        patient.enrollment_step = step
        patient.updated_at = self.now
        note_change(self.session, patient.id, self.now)

    def reschedule(self, patient: Patient) -> None:
        """Recompute ``next_checkin_at``."""
        reschedule(patient, self.services.protocols, self.now)

    async def advance(
        self, patient: Patient, mode: str | None, key: str, before: Procedure | None
    ) -> None:
        """After an accepted answer: the next question, the summary, or the saved change.

        Args:
            patient: the patient who answered.
            mode: None (enrolling), ``steps.FIX`` or ``steps.EDIT``.
            key: the step answered.
            before: the procedure before the answer (a change to fusion asks about hospital).
        """
        new_fusion = patient.procedure is Procedure.FUSION and before is not Procedure.FUSION
        if mode is None:
            self.touch(patient, steps.next_step(patient, key))
            await self.reprompt(patient)
        elif key == ev.PROCEDURE and new_fusion:
            self.touch(patient, f"{mode}:{ev.HOSPITAL}")
            self.reschedule(patient)
            await self.reprompt(
                patient, self.said(patient, en.SAVED) if mode == steps.EDIT else None
            )
        elif mode == steps.FIX:
            self.touch(patient, ev.CONFIRM)
            await self.reprompt(patient)
        else:
            self.touch(patient, None)
            self.reschedule(patient)
            profile, upcoming = steps.profile_of(patient), steps.next_checkin(patient)
            self.send(es.saved(profile, upcoming, steps.tr_of(patient)), patient)

    async def confirm(self, patient: Patient) -> None:
        """Confirm pressed: the patient becomes active and learns when check-ins come."""
        if not is_complete(patient):  # not reachable through the buttons; ask what is missing
            self.touch(patient, steps.first_missing(patient))
            await self.reprompt(patient)
            return
        patient.status = PatientStatus.ACTIVE
        self.touch(patient, None)
        self.reschedule(patient)
        emergency = self.services.config.emergency_number_for(patient.timezone)
        self.send(
            es.enrolled(steps.next_checkin(patient), emergency, steps.tr_of(patient)), patient
        )

    async def go_home(self, patient: Patient) -> bool:
        """Record that a fusion patient left hospital today; False when they were not in."""
        if not (patient.procedure is Procedure.FUSION and patient.in_hospital):
            return False
        patient.in_hospital = False
        patient.discharge_date = self.ctx.today(patient)
        self.touch(patient, patient.enrollment_step)
        if patient.status == PatientStatus.ENROLLING:
            await self.reprompt(patient, self.said(patient, en.HOME_NOTED))
        else:
            self.reschedule(patient)
            self.send(es.home_noted(steps.next_checkin(patient), steps.tr_of(patient)), patient)
        return True


@asynccontextmanager
async def open_turn(services: Services, chat_id: int) -> AsyncIterator[Turn]:
    """One use case's transaction with a :class:`Turn` for ``chat_id`` working in it.

    Args:
        services: the service context.
        chat_id: the chat of the update (replies go there).

    Yields:
        The turn; the transaction commits when the block ends, or rolls back on an error.
    """
    async with services.transaction() as session:
        yield Turn(services, session, chat_id)
