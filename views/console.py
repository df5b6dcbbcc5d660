"""What the bot says about the care team's web console (``/dashboard``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from views.i18n import Translator
from views.keyboard import Button
from views.message import Message

__all__ = ["login_link", "no_console"]


def no_console(tr: Translator) -> Message:
    """/dashboard where no console is served."""
    return Message(
        tr.gettext(
            "The web console is not switched on for this bot (WEB_PORT is 0). Ask whoever runs "
            "the bot to set WEB_PORT and WEB_PUBLIC_URL."
        )
    )


def login_link(link: str, tr: Translator) -> Message:
    """The sign-in link: in the text always; as a button too when Telegram accepts its host.

    Telegram refuses URL buttons for hosts it cannot reach (``localhost``, bare addresses,
    plain http), so the link is always in the text and a button is added only for an https
    address with a dotted host name.
    """
    text = (
        tr.gettext("Your sign-in link to the care team's console (works once, for 10 minutes):")
        + f"\n{link}\n\n"
        + tr.gettext(
            "Open it on your own device. Do not forward it: anyone who opens it first is signed "
            "in as you. Send /dashboard again for a new one."
        )
    )
    parts = urlsplit(link)
    host = parts.hostname or ""
    if parts.scheme == "https" and "." in host and not host.replace(".", "").isdigit():
        return Message(text, keyboard=((Button(tr.gettext("Open the console"), url=link),),))
    return Message(text)
