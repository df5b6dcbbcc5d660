"""The first screen of enrollment (/start): the welcome and consent, in the reader's language,
with a button for each other language; what "More about your data" and Decline say."""

from __future__ import annotations

from views.callbacks import MoreCb, MoreTopic
from views.enrollment.questions import CONSENT, cb, language_buttons
from views.i18n import Translator
from views.keyboard import Button, grid
from views.message import Message

__all__ = ["consent", "data_details", "declined"]


def consent(emergency_number: str, tr: Translator, *, note: str | None = None) -> Message:
    """The welcome and consent question (Agree / Decline), in ``tr``'s language, with a
    button for each other language."""
    more = Button(tr.gettext("More about your data"), data=MoreCb(MoreTopic.DATA, 0).pack())
    text = tr.gettext(
        "Hello! I help you and your care team follow your recovery after spine surgery: a few "
        "short questions each day at a time you choose, and advice for that day.\n\n"
        "I keep your answers and what you tell me about your operation. Your care team and the "
        "caregivers you invite see them. /mydata gives you a copy, /delete erases it.\n\n"
        "I am not an emergency service: in an emergency, call {emergency_number}.\n\n"
        "Do you agree?",
        emergency_number=emergency_number,
    )
    agree = Button(tr.gettext("Agree"), cb(CONSENT, "yes"))
    decline = Button(tr.gettext("Decline"), cb(CONSENT, "no"))
    return Message(
        (f"{note}\n\n" if note else "") + text,
        ((agree, decline), (more,), *grid(language_buttons(tr.language), 3)),
    )


def data_details(tr: Translator) -> Message:
    """ "More about your data": what is stored, who sees it, and how to get or erase it."""
    return Message(
        tr.gettext(
            "About your data:\n"
            "- What I store: the name you give me (if any), your operation and its date, your "
            "time zone and check-in time, your answers with the time of each, and which "
            "protocol judged them.\n"
            "- Who sees it: your care team, and the caregivers you invite. Nobody else. Every "
            "view by the care team is recorded.\n"
            "- Messages I sent you are deleted from my records after 30 days.\n"
            "- /mydata sends you a copy of everything at any time; /delete erases everything.\n"
            "- I do not replace your care team: keep following their advice."
        )
    )


def declined(tr: Translator) -> Message:
    """After Decline: nothing was kept."""
    return Message(
        tr.gettext(
            "Understood. I have not kept anything about you. If you change your mind, send /start."
        )
    )
