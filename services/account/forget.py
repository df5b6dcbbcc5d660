"""Erasure of the messages about a patient that are not tied to them by ``patient_id``.

The outbox keeps delivered messages for ``OUTBOX_RETENTION_DAYS`` (acknowledgement edits and
list refreshes find them by message id). Rows written with the patient's id go with the
patient row (ON DELETE CASCADE); this module finds the others before the patient is deleted:

- rows in the patient's private chat, rows delivering their alerts and rows sent over their
  caregiver links: deleted;
- rows naming the patient (their reference ``P-0042`` or display name) anywhere else, such as
  operator pages, /alerts and /patients lists, digests and exports: deleted when no other
  patient is named in them, otherwise each line (CSV row) naming the patient is replaced with
  :data:`ERASED_LINE` and buttons naming them are dropped, so the row still works for the
  sender, paging and acknowledgement edits while the other patients' lines stay.

Rows tied to another patient (``patient_id`` set) are never touched.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, CareLink, Outbox, Patient

__all__ = ["ERASED_LINE", "forget_messages"]

ERASED_LINE = "(erased at the patient's request)"
_ANY_REF = re.compile(r"\bP-\d{4,}\b")
_TEXT_KEYS = ("text", "caption", "content")


def _markers(patient: Patient) -> re.Pattern[str]:
    words = [re.escape(patient.ref)]
    if patient.display_name:
        words.append(re.escape(patient.display_name))
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)")


def _others_named(payload: dict[str, Any], ref: str) -> bool:
    texts = (str(payload.get(key) or "") for key in _TEXT_KEYS)
    return any(found != ref for text in texts for found in _ANY_REF.findall(text))


def _buttons_naming(payload: dict[str, Any], marker: re.Pattern[str]) -> bool:
    rows = payload.get("keyboard") or []
    return any(marker.search(str(button.get("text", ""))) for row in rows for button in row)


def _redact(payload: dict[str, Any], marker: re.Pattern[str]) -> dict[str, Any]:
    redacted = dict(payload)
    if payload.get("keyboard"):  # e.g. the ✔ buttons of an /alerts list: theirs go
        rows = [
            [button for button in row if not marker.search(str(button.get("text", "")))]
            for row in payload["keyboard"]
        ]
        redacted["keyboard"] = [row for row in rows if row]
    for key in _TEXT_KEYS:
        value = payload.get(key)
        if isinstance(value, str) and marker.search(value):
            lines = value.split("\n")
            redacted[key] = "\n".join(ERASED_LINE if marker.search(ln) else ln for ln in lines)
    return redacted


def _names(payload: dict[str, Any], marker: re.Pattern[str]) -> bool:
    return _buttons_naming(payload, marker) or any(
        isinstance(payload.get(key), str) and marker.search(payload[key]) for key in _TEXT_KEYS
    )


async def forget_messages(session: AsyncSession, patient: Patient) -> int:
    """Delete or redact every outbox row about ``patient`` that is not tied to them.

    Args:
        session: the erasure's transaction (call before deleting the patient row).
        patient: the patient being erased.

    Returns:
        How many rows were deleted or redacted.
    """
    alerts = select(Alert.id).where(Alert.patient_id == patient.id)
    links = select(CareLink.id).where(CareLink.patient_id == patient.id)
    untied = Outbox.patient_id.is_(None)
    direct = await session.execute(
        delete(Outbox).where(
            untied,
            or_(
                Outbox.chat_id.in_({patient.chat_id, patient.telegram_user_id}),
                Outbox.alert_id.in_(alerts),
                Outbox.care_link_id.in_(links),
            ),
        )
    )
    changed: int = getattr(direct, "rowcount", 0) or 0
    marker = _markers(patient)
    for row in (await session.scalars(select(Outbox).where(untied))).all():
        if not _names(row.payload, marker):
            continue
        if _others_named(row.payload, patient.ref):
            row.payload = _redact(row.payload, marker)
        else:
            await session.delete(row)
        changed += 1
    return changed
