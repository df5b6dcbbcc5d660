"""The care team: operators, /alerts, /patients, /patient, paging, the digest, and the data
behind the web console's pages (alert board, programme figures, patient record, protocol).

Other features use only the names below; the modules inside are this room's own.
"""

from services.care_team.alert_board import BoardAlert, alert_board, board_version
from services.care_team.alert_list import ALERTS_LIST_PURPOSE, alerts_page
from services.care_team.operators import (
    check_operator,
    console_language,
    may_review_here,
    notice_translator,
    operator_label,
    operator_language,
    operator_names,
    refuse_command,
    reviewer_translator,
)
from services.care_team.patient_record import PatientRecord, patient_record
from services.care_team.patient_rows import PatientRow, PatientRows, patient_rows
from services.care_team.programme import CACHE_FOR, programme_figures
from services.care_team.protocol_summary import (
    FloorSummary,
    ProtocolSummary,
    QuestionSummary,
    RuleSummary,
    protocol_summaries,
    summarize_protocol,
)
from services.risk import RiskTier
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
    "CACHE_FOR",
    "BoardAlert",
    "FloorSummary",
    "PatientRecord",
    "PatientRow",
    "PatientRows",
    "ProtocolSummary",
    "QuestionSummary",
    "RecordAlert",
    "RecordAnswer",
    "RecordCaregiver",
    "RecordCheckIn",
    "RecordEarlierAnswer",
    "RecordProfile",
    "RecordView",
    "RiskTier",
    "RuleSummary",
    "alert_board",
    "alerts_page",
    "board_version",
    "check_operator",
    "console_language",
    "may_review_here",
    "notice_translator",
    "operator_label",
    "operator_language",
    "operator_names",
    "patient_record",
    "patient_rows",
    "programme_figures",
    "protocol_summaries",
    "refuse_command",
    "reviewer_translator",
    "summarize_protocol",
]
