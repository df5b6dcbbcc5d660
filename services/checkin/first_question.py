"""The first question of many check-ins: rendered once per question and day, filled per check-in.

A morning peak sends thousands of first questions that differ only in the check-in id inside
their buttons' callback data. :class:`QuestionTemplate` renders the message and its outbox
payload once (through :func:`views.checkin.question_message`, so the text and the keyboard are
the ones every other question gets) and writes each check-in's id into the packed data.
"""

from __future__ import annotations

from dataclasses import dataclass

from recovery import Question
from services.outbox import payload_of
from views import checkin as views
from views.callbacks import INT_MAX
from views.i18n import Translator

__all__ = ["QuestionTemplate"]

_MARK = str(INT_MAX)  # the check-in id rendered into the template: its 10 digits are unique


@dataclass(frozen=True)
class QuestionTemplate:
    """One question's outbox payload with the check-in id left open.

    Attributes:
        text: the message text (the same for every check-in).
        rows: the keyboard's rows; each button is (label, data before the id, data after it).
    """

    text: str
    rows: tuple[tuple[tuple[str, str, str], ...], ...]

    @classmethod
    def render(
        cls, position: int, total: int, question: Question, *, day: int, tr: Translator
    ) -> QuestionTemplate:
        """Render the question once (as :func:`views.checkin.question_message` does)."""
        message = views.question_message(int(_MARK), position, total, question, day=day, tr=tr)
        payload = payload_of(message)
        rows = []
        for row in payload.get("keyboard", ()):  # type: ignore[attr-defined]
            buttons = []
            for button in row:
                before, mark, after = button["callback_data"].partition(_MARK)
                if not mark or _MARK in after:
                    raise ValueError("the check-in id must appear once in each button's data")
                buttons.append((button["text"], before, after))
            rows.append(tuple(buttons))
        return cls(str(payload["text"]), tuple(rows))

    def payload(self, checkin_id: int) -> dict[str, object]:
        """The outbox payload of this question in one check-in (as :func:`payload_of`)."""
        if not 0 < checkin_id <= INT_MAX:
            raise ValueError("a check-in id is a positive int32")
        ident = str(checkin_id)
        payload: dict[str, object] = {"text": self.text}
        if self.rows:
            payload["keyboard"] = [
                [
                    {"text": label, "callback_data": before + ident + after}
                    for label, before, after in row
                ]
                for row in self.rows
            ]
        return payload
