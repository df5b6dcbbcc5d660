"""The first question from a template: the same message a patient gets rendered one at a time."""

from __future__ import annotations

import pytest

from recovery import ProtocolSet
from services.checkin.first_question import QuestionTemplate
from services.outbox import payload_of
from views.callbacks import INT_MAX, AnswerCb, unpack_any
from views.checkin import question_message
from views.i18n import SUPPORTED, translator

EN = translator("en")


@pytest.mark.parametrize("checkin_id", [1, 7, 2147, 99_999, INT_MAX])
@pytest.mark.parametrize("language", SUPPORTED)
def test_every_first_question_is_the_message_rendered_for_that_checkin(
    protocols: ProtocolSet, checkin_id: int, language: str
) -> None:
    tr = translator(language)
    for english in protocols.protocols:
        protocol = protocols.for_procedure(english.procedures[0], language)
        for day in protocol.checkin_days():
            questions = protocol.questions_for(day)
            template = QuestionTemplate.render(0, len(questions), questions[0], day=day, tr=tr)
            expected = payload_of(
                question_message(checkin_id, 0, len(questions), questions[0], day=day, tr=tr)
            )
            assert template.payload(checkin_id) == expected


def test_the_buttons_answer_the_checkin_they_were_filled_with(protocols: ProtocolSet) -> None:
    protocol = protocols.protocols[0]
    questions = protocol.questions_for(1)
    payload = QuestionTemplate.render(0, len(questions), questions[0], day=1, tr=EN).payload(4242)
    pressed = [unpack_any(b["callback_data"]) for row in payload["keyboard"] for b in row]  # type: ignore[attr-defined]
    assert pressed == [AnswerCb(4242, 0, i) for i in range(len(questions[0].options))]


@pytest.mark.parametrize("checkin_id", [0, -1, INT_MAX + 1])
def test_an_id_outside_the_column_range_is_refused(protocols: ProtocolSet, checkin_id: int) -> None:
    questions = protocols.protocols[0].questions_for(1)
    with pytest.raises(ValueError, match="int32"):
        QuestionTemplate.render(0, len(questions), questions[0], day=1, tr=EN).payload(checkin_id)
