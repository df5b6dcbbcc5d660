"""Telegram Bot API wire format: JSON shapes of Bot API objects, request decoding, errors.

Everything here follows https://core.telegram.org/bots/api so that python-telegram-bot's
``de_json`` accepts it unchanged.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

JSONDict = dict[str, Any]

SUPERGROUP_ID_LIMIT = -1_000_000_000_000
"""Chat ids at or below this are supergroups (Telegram's ``-100…`` ids); other negatives are
basic groups."""

# Parameters that are plain strings on the wire and must never be JSON-decoded
# ("123" as a message text stays a string).
_STRING_PARAMS = frozenset(
    {
        "action",
        "business_connection_id",
        "callback_query_id",
        "caption",
        "description",
        "file_id",
        "inline_message_id",
        "ip_address",
        "language_code",
        "name",
        "parse_mode",
        "secret_token",
        "short_description",
        "text",
        "title",
        "url",
    }
)
_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{1,32})?")


class ApiError(Exception):
    """An unsuccessful Bot API answer: HTTP status, ``description`` and optional ``parameters``."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None) -> None:
        """Create the error; ``status`` doubles as the ``error_code`` field."""
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def to_json(self) -> JSONDict:
        """The response body Telegram sends for this error."""
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    """A 400 error with Telegram's ``Bad Request:`` prefix."""
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    """A 403 error with Telegram's ``Forbidden:`` prefix."""
    return ApiError(403, f"Forbidden: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    """A 429 flood-control error carrying ``parameters.retry_after``."""
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


def migrated(new_chat_id: int) -> ApiError:
    """The 400 error for a group that was upgraded to the supergroup ``new_chat_id``."""
    return ApiError(
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        {"migrate_to_chat_id": new_chat_id},
    )


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file part of a multipart/form-data request."""

    filename: str
    content: bytes
    content_type: str


def decode_param(name: str, value: object) -> object:
    """Decode one request parameter as Telegram does.

    PTB sends every parameter as a string: plain strings as-is, everything else (ints, bools,
    reply_markup, allowed_updates ...) JSON-encoded. Non-string values (from JSON bodies or
    file uploads) pass through unchanged.
    """
    if not isinstance(value, str) or name in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def user_json(
    user_id: int,
    first_name: str,
    username: str | None = None,
    *,
    is_bot: bool = False,
    language_code: str | None = None,
) -> JSONDict:
    """A ``User`` object (``language_code``: the language of the user's Telegram app)."""
    user: JSONDict = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


def get_me_json(bot_user: JSONDict) -> JSONDict:
    """The ``User`` that ``getMe`` returns: the bot's user plus its capabilities."""
    return bot_user | {
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def private_chat_json(user: JSONDict) -> JSONDict:
    """The private ``Chat`` between the bot and ``user``."""
    chat: JSONDict = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    if "username" in user:
        chat["username"] = user["username"]
    return chat


def group_chat_json(chat_id: int, title: str, chat_type: str | None = None) -> JSONDict:
    """A group ``Chat``; the type is inferred from the id unless given."""
    if chat_type is None:
        chat_type = "supergroup" if chat_id <= SUPERGROUP_ID_LIMIT else "group"
    return {"id": chat_id, "type": chat_type, "title": title}


def chat_full_info_json(chat: JSONDict) -> JSONDict:
    """The ``ChatFullInfo`` that ``getChat`` returns for ``chat``."""
    return chat | {
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


def command_entities(text: str) -> list[JSONDict]:
    """The ``bot_command`` entity Telegram attaches to a text starting with ``/command``."""
    match = _COMMAND_RE.match(text)
    if match is None:
        return []
    length = len(match.group().encode("utf-16-le")) // 2  # entity lengths are UTF-16 units
    return [{"type": "bot_command", "offset": 0, "length": length}]


def chat_member_json(status: str, user: JSONDict) -> JSONDict:
    """A ``ChatMember`` with the given status (``kicked`` members are banned forever)."""
    member: JSONDict = {"status": status, "user": user}
    if status == "kicked":
        member["until_date"] = 0
    return member


def chat_member_updated_json(
    chat: JSONDict, actor: JSONDict, member: JSONDict, old_status: str, new_status: str, date: int
) -> JSONDict:
    """A ``ChatMemberUpdated``: ``actor`` changed ``member``'s status from old to new."""
    return {
        "chat": chat,
        "from": actor,
        "date": date,
        "old_chat_member": chat_member_json(old_status, member),
        "new_chat_member": chat_member_json(new_status, member),
    }


def document_json(document: JSONDict) -> JSONDict:
    """The ``Document`` object for a stored document (its raw ``content`` left out)."""
    return {key: value for key, value in document.items() if key != "content"}


def photo_size_json(photo: JSONDict) -> JSONDict:
    """A ``PhotoSize`` object for a stored photo (the fake does not decode the image)."""
    return {
        "file_id": photo["file_id"],
        "file_unique_id": photo["file_unique_id"],
        "width": 640,
        "height": 360,
        "file_size": photo["file_size"],
    }
