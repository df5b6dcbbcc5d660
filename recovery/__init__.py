"""The clinical domain: protocol data, triage and post-operative day arithmetic.

Pure Python: imports only the standard library, pydantic, PyYAML and its own modules, and never
reads the clock. Typical use::

    protocols = load_protocols()
    protocol = protocols.for_procedure(Procedure.KYPHOPLASTY)
    day = post_op_day(surgery_date, now, ZoneInfo("Europe/London"))
    if protocol.is_checkin_day(day):
        questions = protocol.questions_for(day)          # emergency screen first
    ...
    result = assess(protocol, day, answers, history, partial=True)   # after each answer
    result = assess(protocol, day, answers, history)                 # at the end
"""

from recovery.days import date_of_day, local_date, post_op_day
from recovery.describe import describe_protocol, describe_translations
from recovery.errors import ProtocolError
from recovery.freetext import WRITTEN_PREFIX, TextSign, screen_text, written_sign
from recovery.loader import load_protocol_file, load_protocols
from recovery.protocol import Protocol, ProtocolSet
from recovery.triage import assess, red_flag_values
from recovery.types import (
    Assessment,
    GuidanceItem,
    Level,
    Milestone,
    Option,
    PastCheckIn,
    Procedure,
    Question,
    QuestionKind,
    Reason,
    Rule,
    Source,
)
from recovery.unclear import UNCLEAR_PREFIX, UNCLEAR_RED_FLAG, unclear_red_flags, unclear_rule_keys

__all__ = [
    "UNCLEAR_PREFIX",
    "UNCLEAR_RED_FLAG",
    "Assessment",
    "GuidanceItem",
    "Level",
    "Milestone",
    "Option",
    "PastCheckIn",
    "Procedure",
    "Protocol",
    "ProtocolError",
    "ProtocolSet",
    "Question",
    "QuestionKind",
    "Reason",
    "Rule",
    "Source",
    "TextSign",
    "WRITTEN_PREFIX",
    "assess",
    "date_of_day",
    "describe_protocol",
    "describe_translations",
    "load_protocol_file",
    "load_protocols",
    "local_date",
    "post_op_day",
    "red_flag_values",
    "screen_text",
    "written_sign",
    "unclear_red_flags",
    "unclear_rule_keys",
]
