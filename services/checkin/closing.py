"""A check-in ends (finished, emergency, missed): triage what was answered, nothing is lost.

Urgent findings were acted on as each answer came; at the end, whatever is urgent and on no
alert yet, and any unclear answer to a warning-sign question, reaches the care team the same
day (never only in tomorrow's digest).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from models import CheckIn, Patient
from recovery import Assessment, Level, Protocol, Reason, unclear_red_flags
from services.alerts import note_findings
from services.context import Services

__all__ = ["triage_at_close"]


async def triage_at_close(
    session: AsyncSession,
    services: Services,
    patient: Patient,
    checkin: CheckIn,
    protocol: Protocol,
    answers: dict[str, str],
    assessment: Assessment,
    now: datetime,
) -> Reason | None:
    """Send the care team what the end of a check-in shows and no alert holds yet.

    Args:
        session: the caller's session (the transaction that closes the check-in).
        services: the service context.
        patient: whose check-in.
        checkin: the check-in closing.
        protocol: its protocol.
        answers: the current answers given (question key -> value).
        assessment: triage of those answers at the close.
        now: the current time.

    Returns:
        The unclear-warning-signs reason when there was one (for the caller's patient message).
    """
    findings = [r for r in assessment.reasons if r.level >= Level.URGENT]
    unclear = None
    if assessment.level is not Level.EMERGENCY:  # after an emergency the rest is skipped
        unclear = unclear_red_flags(protocol, checkin.post_op_day, answers, closed=True)
    if unclear is not None:
        findings.append(unclear)
    if findings:
        await note_findings(session, services, patient, checkin, findings, now)
    return unclear
