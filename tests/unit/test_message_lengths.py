"""Short by default: every rendered end-of-check-in message of both protocols, every day."""

from __future__ import annotations

import pytest

from recovery import Level, Procedure, ProtocolSet, Reason
from views.checkin import GUIDANCE_CHARS, MAX_BULLETS, completion_message, split_guidance
from views.enrollment.welcome import consent
from views.i18n import SUPPORTED, translator

FEVER = Reason("fever", Level.URGENT, "a fever", "seed_webmd")


@pytest.mark.parametrize("language", SUPPORTED)
@pytest.mark.parametrize("procedure", [Procedure.KYPHOPLASTY, Procedure.FUSION])
def test_the_days_guidance_is_at_most_three_bullets_and_400_characters(
    protocols: ProtocolSet, procedure: Procedure, language: str
) -> None:
    protocol = protocols.for_procedure(procedure, language)
    tr = translator(language)
    longest = 0
    for day in range(protocol.recovery_window_days + 1):
        guidance = protocol.guidance_for(day)
        shown, rest = split_guidance(day, guidance, tr)
        assert (*shown, *rest) == tuple(guidance)  # nothing lost: the rest is behind "More"
        assert len(shown) <= MAX_BULLETS
        message = completion_message(
            checkin_id=1,
            day=day,
            level=Level.OK,
            reasons=(),
            action=None,
            guidance=guidance,
            milestones=(),
            tr=tr,
        )
        block = message.text.split("\n\n", 1)[-1] if shown else ""
        assert len(block) <= GUIDANCE_CHARS, (day, len(block))
        longest = max(longest, len(block))
        assert bool(message.keyboard) == bool(rest)
    assert longest > 100  # the check measured real guidance


@pytest.mark.parametrize("procedure", [Procedure.KYPHOPLASTY, Procedure.FUSION])
def test_a_red_flag_day_names_the_finding_without_repeating_the_instruction(
    protocols: ProtocolSet, procedure: Procedure
) -> None:
    protocol = protocols.for_procedure(procedure)
    action = protocol.action_text(Level.URGENT)
    for day in range(protocol.recovery_window_days + 1):
        message = completion_message(
            checkin_id=1,
            day=day,
            level=Level.URGENT,
            reasons=(FEVER,),
            action=action,
            guidance=protocol.guidance_for(day),
            milestones=protocol.milestones_on(day),
            tr=translator("en"),
        )
        assert "acted on: a fever" in message.text
        assert action not in message.text
        assert "right away" not in message.text


@pytest.mark.parametrize("lang", SUPPORTED)
def test_consent_is_at_most_500_characters_with_the_details_one_press_away(lang: str) -> None:
    tr = translator(lang)
    message = consent("999", tr)
    assert len(message.text) <= 500
    assert "999" in message.text
    assert message.keyboard[1][0].label == tr.gettext("More about your data")
