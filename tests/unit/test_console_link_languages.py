"""/dashboard's sign-in link reads in the operator's language, its button fits Telegram."""

from __future__ import annotations

import pytest

from tests.support.languages import stray_english
from views.console import login_link, no_console
from views.i18n import translator

LINK = "https://care.example.org/login/abc123"


@pytest.mark.parametrize("language", ["es", "ru", "ar"])
def test_the_sign_in_link_and_its_warning_are_in_the_operators_language(language: str) -> None:
    tr = translator(language)
    message = login_link(LINK, tr)
    assert LINK in message.text
    assert stray_english(message.text.replace(LINK, ""), language) == []
    (button,) = [b for row in message.keyboard for b in row]
    assert button.label == tr.gettext("Open the console")
    assert len(button.label) <= 24
    assert "/dashboard" in message.text  # how to get a new one, in every language
    allowed = frozenset({"WEB", "PORT", "PUBLIC", "URL"})  # the settings, named as they are
    assert stray_english(no_console(tr).text, language, allowed=allowed) == []
