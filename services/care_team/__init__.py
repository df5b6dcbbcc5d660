"""The care team in Telegram: operators, /alerts, /patients, /patient, paging, the digest.

Other features use only the names below; the modules inside are this room's own.
"""

from services.care_team.alert_list import ALERTS_LIST_PURPOSE, alerts_page
from services.care_team.operators import (
    check_operator,
    may_review_here,
    operator_label,
    operator_names,
    refuse_command,
)

__all__ = [
    "ALERTS_LIST_PURPOSE",
    "alerts_page",
    "check_operator",
    "may_review_here",
    "operator_label",
    "operator_names",
    "refuse_command",
]
