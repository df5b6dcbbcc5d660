"""The care team's web console: sign-in by a one-time link from the bot, and the sessions.

The pages themselves live in ``web/``; they read and act through the other rooms' services.
"""

from services.console.sessions import (
    IDLE_LIMIT,
    ConsoleUser,
    end_session,
    purge_sessions,
    resolve_session,
)
from services.console.signin import (
    LINK_VALIDITY,
    NewSession,
    link_language,
    redeem_link,
    send_login_link,
)

__all__ = [
    "IDLE_LIMIT",
    "LINK_VALIDITY",
    "ConsoleUser",
    "NewSession",
    "end_session",
    "link_language",
    "purge_sessions",
    "redeem_link",
    "resolve_session",
    "send_login_link",
]
