"""Who hears about a patient: live caregiver links and the care team."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CareLink, Operator
from services.context import Services

__all__ = ["care_team_chats", "caregiver_links", "operator_ids"]


async def caregiver_links(session: AsyncSession, patient_id: int) -> list[CareLink]:
    """Caregivers and family groups that are linked, not revoked and still reachable."""
    rows = await session.scalars(
        select(CareLink)
        .where(
            CareLink.patient_id == patient_id,
            CareLink.revoked_at.is_(None),
            CareLink.undeliverable_at.is_(None),
        )
        .order_by(CareLink.id)
    )
    return list(rows.all())


async def operator_ids(session: AsyncSession, services: Services) -> list[int]:
    """Operators from OPERATOR_IDS and from the operators table."""
    stored = await session.scalars(select(Operator.telegram_user_id))
    return sorted(set(services.config.operator_ids) | set(stored.all()))


async def care_team_chats(session: AsyncSession, services: Services) -> list[int]:
    """Where alerts go: the care-team chat, or every operator privately when none is set."""
    if services.config.care_team_chat_id is not None:
        return [services.config.care_team_chat_id]
    return await operator_ids(session, services)
