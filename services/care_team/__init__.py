"""The care team in Telegram: operators, /alerts, /patients, /patient, paging, the digest;
and for the console, the programme's figures.

Other features use only the names below; the modules inside are this room's own.
"""

from services.care_team.alert_board import BoardAlert, alert_board, board_version
from services.care_team.alert_list import ALERTS_LIST_PURPOSE, alerts_page
from services.care_team.operators import check_operator, may_review_here, refuse_command
from services.care_team.programme import CACHE_FOR, programme_figures

__all__ = [
    "ALERTS_LIST_PURPOSE",
    "BoardAlert",
    "CACHE_FOR",
    "alert_board",
    "alerts_page",
    "board_version",
    "check_operator",
    "may_review_here",
    "programme_figures",
    "refuse_command",
]
