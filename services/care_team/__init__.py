"""The care team in Telegram: operators, /alerts, /patients, /patient, paging, the digest.

Other features use only the names below; the modules inside are this room's own.
"""

from services.care_team.alert_list import ALERTS_LIST_PURPOSE, alerts_page
from services.care_team.operators import check_operator, may_review_here, refuse_command
from services.care_team.patient_rows import PatientRow, PatientRows, patient_rows
from services.risk import RiskTier

__all__ = [
    "ALERTS_LIST_PURPOSE",
    "PatientRow",
    "PatientRows",
    "RiskTier",
    "alerts_page",
    "check_operator",
    "may_review_here",
    "patient_rows",
    "refuse_command",
]
