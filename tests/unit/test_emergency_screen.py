"""The emergency screen as the patient's phone shows it: short, one full-row button per sign."""

from __future__ import annotations

import pytest

from recovery import Procedure, Protocol, assess, load_protocols
from views.checkin import question_message
from views.i18n import translator

PROTOCOLS = load_protocols()
ALL = pytest.mark.parametrize("protocol", PROTOCOLS.all(), ids=lambda p: p.family)
LABELS = [
    "Chest pain or breathless",
    "Fainted or coughed blood",
    "No bladder/bowel control",
    "Can't move or feel a leg",
    "Very drowsy, slow breath",
    "Not sure",
    "None of these",
]

EN = translator("en")


@ALL
def test_emergency_screen_is_short_with_each_sign_on_its_own_row(protocol: Protocol) -> None:
    for day in range(protocol.recovery_window_days + 1):
        questions = protocol.questions_for(day)
        message = question_message(4242, 0, len(questions), questions[0], day=day, tr=EN)
        assert len(message.text) <= 150, (day, len(message.text))
        assert "earlier today" in message.text
        assert [len(row) for row in message.keyboard] == [1] * len(LABELS)
        labels = [row[0].label for row in message.keyboard]
        assert labels == LABELS
        assert max(len(label) for label in labels) <= 24


def test_other_questions_keep_their_button_layout() -> None:
    protocol = PROTOCOLS.for_procedure(Procedure.KYPHOPLASTY)
    rows = {
        q.key: [len(row) for row in question_message(1, i, 8, q, day=2, tr=EN).keyboard]
        for i, q in enumerate(protocol.questions_for(2))
    }
    assert rows["pain"] == [6, 5]  # the 0-10 scale
    assert rows["fever"] == [3]  # Yes / No / Not sure side by side
    assert rows["pain_med"] == [1, 1, 1]


@ALL
def test_a_button_sent_before_the_reorder_never_lands_on_a_milder_answer(
    protocol: Protocol,
) -> None:
    # Buttons carry the option's position; check-ins open during a deploy keep the old screen.
    before = ["none", "chest", "bladder", "legs", "drowsy", "unsure"]
    screen = protocol.emergency_screen
    for position, old in enumerate(before):
        new = screen.options[position].value
        old_level = assess(protocol, 4, {"emergency": old}, partial=True).level
        new_level = assess(protocol, 4, {"emergency": new}, partial=True).level
        assert new_level >= old_level, (position, old, new)
