"""Product copy that is not clinical content (clinical text lives in recovery/protocols)."""

from __future__ import annotations

from views.message import Message

__all__ = [
    "ALREADY_ANSWERED",
    "BEFORE_SURGERY",
    "CAREGIVER_USE_ANSWER",
    "COMMANDS",
    "HELP",
    "IN_HOSPITAL",
    "NOT_ENROLLED",
    "NOT_YOURS",
    "SLOW_DOWN",
    "SLOW_DOWN_MESSAGE",
    "STALE_BUTTON",
    "UNKNOWN",
    "USE_BUTTONS",
]

# (command, description) as registered with Telegram's setMyCommands.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Start or resume enrollment"),
    ("checkin", "Do today's check-in now"),
    ("status", "Your recovery day, recent check-ins and next check-in"),
    ("settings", "Change time, time zone or surgery details"),
    ("pause", "Pause daily check-ins"),
    ("resume", "Resume daily check-ins"),
    ("invite", "Invite a caregiver"),
    ("caregivers", "See or remove caregivers"),
    ("join", "Caregivers: accept an invitation code"),
    ("answer", "Caregivers: answer a check-in for the patient"),
    ("mydata", "Get a copy of your stored data"),
    ("delete", "Erase your data"),
    ("stop", "Stop check-ins (your data is kept)"),
    ("help", "What this bot does"),
)

HELP = Message(
    "What I can do:\n"
    + "\n".join(f"/{name} - {description}" for name, description in COMMANDS)
    + "\n\nI am not an emergency service. In an emergency, call your local emergency number."
)

EMERGENCY_LINE = "In an emergency, call your local emergency number now (112, 999 or 911)."
UNKNOWN = Message(
    "Sorry, I did not understand that. Send /help to see what I can do.\n\n" + EMERGENCY_LINE
)

CAREGIVER_USE_ANSWER = Message(
    "You are helping someone with their recovery. To answer their check-in for them, send "
    "/answer (if they allowed it). To track your own recovery, send /start."
)
NOT_ENROLLED = Message("You are not enrolled yet. Send /start to begin.")
IN_HOSPITAL = Message(
    "Check-ins start once you are home from hospital. Send /home when you get home."
)
BEFORE_SURGERY = Message("Check-ins start on the day of your surgery. See you then!")
USE_BUTTONS = Message("Please answer with the buttons under the question. Here it is again:")

# Callback notices (shown as a small alert; at most 200 characters).
STALE_BUTTON = "This button is no longer active."
NOT_YOURS = "Only the patient, or a caregiver they allowed, can answer this check-in."
ALREADY_ANSWERED = "That question is already answered."
SLOW_DOWN = "Too many taps at once. Please wait a few seconds."
SLOW_DOWN_MESSAGE = Message("You are sending messages very fast. Please wait a few seconds.")
