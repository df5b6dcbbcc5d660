"""The care team: operators, /alerts, /patients, /patient, paging, the digest, and the data
behind the web console's Patient page.

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
from services.care_team.patient_record import PatientRecord, patient_record
from views.care_team.patient_record import (
    RecordAlert,
    RecordAnswer,
    RecordCaregiver,
    RecordCheckIn,
    RecordEarlierAnswer,
    RecordProfile,
    RecordView,
)

__all__ = [
    "ALERTS_LIST_PURPOSE",
    "PatientRecord",
    "RecordAlert",
    "RecordAnswer",
    "RecordCaregiver",
    "RecordCheckIn",
    "RecordEarlierAnswer",
    "RecordProfile",
    "RecordView",
    "alerts_page",
    "check_operator",
    "may_review_here",
    "operator_label",
    "operator_names",
    "patient_record",
    "refuse_command",
]
