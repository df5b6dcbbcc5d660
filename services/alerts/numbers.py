"""The numbers in an urgent message: where the patient lives, and the surgeon's office."""

from __future__ import annotations

from recovery import Level
from services.context import ServiceConfig
from views import alerts as views
from views.i18n import Translator

__all__ = ["with_numbers"]


def with_numbers(text: str, config: ServiceConfig, zone: str, level: Level, tr: Translator) -> str:
    """Fill ``{emergency_number}`` for a patient in ``zone`` and add CLINIC_PHONE, if set.

    Args:
        text: the protocol's action text for ``level``.
        config: the service configuration (EMERGENCY_NUMBER, CLINIC_PHONE).
        zone: the patient's IANA time zone (its country gives the emergency number).
        level: urgent or emergency (an emergency puts the office after the emergency call).
        tr: the reader's language (the text is already in it).

    Returns:
        The text to show the patient and their caregivers.
    """
    filled = text.replace("{emergency_number}", tr.isolate(config.emergency_number_for(zone)))
    if config.clinic_phone is None:
        return filled
    return f"{filled}\n{views.clinic_phone_line(config.clinic_phone, level, tr)}"
