"""Alerts: raising them, the emergency follow-up, escalation, acknowledgement.

Other features use only the names below; the modules inside are this room's own.
"""

from services.alerts.raising import patient_unreachable, raise_alert

__all__ = ["patient_unreachable", "raise_alert"]
