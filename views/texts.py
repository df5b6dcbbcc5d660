"""Product copy that is not clinical content (clinical text lives in recovery/protocols)."""

from __future__ import annotations

from views.i18n import N_, Translator
from views.message import Message

__all__ = [
    "ALREADY_ANSWERED",
    "BEFORE_SURGERY",
    "COMMANDS",
    "IN_HOSPITAL",
    "NOT_YOURS",
    "SLOW_DOWN",
    "SLOW_DOWN_MESSAGE",
    "STALE_BUTTON",
    "USE_BUTTONS",
    "caregiver_use_answer",
    "emergency_line",
    "help_message",
    "not_enrolled",
    "say",
    "unknown",
]

# (command, description) as registered with Telegram's setMyCommands, once per supported
# language (bot.app.CommandMenus); /help shows the descriptions in the reader's language.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Start or resume enrollment")),
    ("checkin", N_("Do today's check-in now")),
    ("status", N_("Your recovery day, recent check-ins and next check-in")),
    ("settings", N_("Change language, time, time zone or surgery details")),
    ("pause", N_("Pause daily check-ins")),
    ("resume", N_("Resume daily check-ins")),
    ("invite", N_("Invite a caregiver")),
    ("caregivers", N_("See or remove caregivers")),
    ("join", N_("Caregivers: accept an invitation code")),
    ("answer", N_("Caregivers: answer a check-in for the patient")),
    ("mydata", N_("Get a copy of your stored data")),
    ("delete", N_("Erase your data")),
    ("stop", N_("Stop check-ins (your data is kept)")),
    ("help", N_("What this bot does")),
)


def help_message(tr: Translator) -> Message:
    """/help: every command with what it does, and that this is no emergency service."""
    lines = "\n".join(f"/{name} - {tr.gettext(text)}" for name, text in COMMANDS)
    return Message(
        tr.gettext("What I can do:")
        + f"\n{lines}\n\n"
        + tr.gettext(
            "I am not an emergency service. In an emergency, call your local emergency number."
        )
    )


def emergency_line(tr: Translator) -> str:
    """Where nobody's country is known: the emergency numbers most people dial."""
    return tr.gettext("In an emergency, call your local emergency number now (112, 999 or 911).")


def unknown(tr: Translator) -> Message:
    """Text or a command nobody expects: a pointer to /help."""
    return Message(
        tr.gettext("Sorry, I did not understand that. Send /help to see what I can do.")
        + "\n\n"
        + emergency_line(tr)
    )


def caregiver_use_answer(tr: Translator) -> Message:
    """A caregiver tried a patient's command."""
    return Message(
        tr.gettext(
            "You are helping someone with their recovery. To answer their check-in for them, "
            "send /answer (if they allowed it). To track your own recovery, send /start."
        )
    )


def not_enrolled(tr: Translator) -> Message:
    """A patient's command from someone who has not enrolled."""
    return Message(tr.gettext("You are not enrolled yet. Send /start to begin."))


IN_HOSPITAL = N_("Check-ins start once you are home from hospital. Send /home when you get home.")
BEFORE_SURGERY = N_("Check-ins start on the day of your surgery. See you then!")
USE_BUTTONS = N_("Please answer with the buttons under the question. Here it is again:")
SLOW_DOWN_MESSAGE = N_("You are sending messages very fast. Please wait a few seconds.")

# Callback notices (shown as a small alert; at most 200 characters): message ids, translated
# in the presser's language by bot.common.answers_callback.
STALE_BUTTON = N_("This button is no longer active.")
NOT_YOURS = N_("Only the patient, or a caregiver they allowed, can answer this check-in.")
ALREADY_ANSWERED = N_("That question is already answered.")
SLOW_DOWN = N_("Too many taps at once. Please wait a few seconds.")


def say(msgid: str, tr: Translator) -> Message:
    """One of this module's fixed replies (e.g. :data:`IN_HOSPITAL`) in the reader's language."""
    return Message(tr.gettext(msgid))
