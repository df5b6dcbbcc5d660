"""The free-text screen in Spanish, Russian and Arabic: found however it is typed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from recovery import ProtocolError, screen_text
from recovery.freetext import PHRASES_FILE, load_phrases, load_translations
from views.i18n import DEFAULT_LANGUAGE, SUPPORTED


def keys(text: str, language: str | None = None) -> list[str]:
    languages = None if language is None else [language]
    return [sign.key for sign in screen_text(text, languages=languages)]


@pytest.mark.parametrize(
    ("language", "text", "first"),
    [
        ("es", "Me duele el pecho y no puedo respirar", "chest"),
        ("es", "ME DUELE EL PÉCHO", "chest"),  # capitals and a stray accent
        ("es", "mi madre se desmayo en la cocina", "faint"),  # accent left out
        ("es", "No siento las piernas!!", "legs"),
        ("es", "tengo fiebre desde anoche", "fever"),
        ("es", "la herida esta roja", "wound"),
        ("ru", "Не могу дышать, болит грудь", "chest"),
        ("ru", "Потерял сознание утром", "faint"),
        ("ru", "из раны течет", "wound"),  # е for ё
        ("ru", "ОНЕМЕЛ ПАХ", "bladder"),
        ("ru", "боль всё сильнее", "pain"),
        ("ar", "لا أستطيع التنفس", "chest"),
        ("ar", "لا استطيع التنفس", "chest"),  # alef without hamza
        ("ar", "أُغْمِيَ عَلَيّ", "faint"),  # with short vowels
        ("ar", "عندي حمى", "fever"),
        ("ar", "عندي حمي", "fever"),  # ya for alef maqsura
        ("ar", "الجـــرح متورم", "wound"),  # tatweel
    ],
)
def test_written_signs_are_found_in_the_patients_language(
    language: str, text: str, first: str
) -> None:
    assert keys(text, language)[0] == first
    assert keys(text)[0] == first  # the default screen reads every language


@pytest.mark.parametrize("language", ["es", "ru", "ar"])
def test_english_is_read_whatever_the_language(language: str) -> None:
    assert keys("I can't breathe", language) == ["chest"]


def test_another_language_is_read_only_when_asked() -> None:
    assert keys("не могу дышать", "es") == []
    assert keys("не могу дышать", "ru") == ["chest"]


@pytest.mark.parametrize("text", ["Hoy estoy bien, gracias", "Всё хорошо", "أنا بخير اليوم"])
def test_an_ordinary_message_matches_nothing(text: str) -> None:
    assert keys(text) == []


@pytest.mark.parametrize(
    ("language", "words"),
    [("es", "dolor de pecho"), ("ru", "боль в груди"), ("ar", "ألم في الصدر")],
)
def test_the_sign_is_named_in_the_readers_language(language: str, words: str) -> None:
    [sign] = screen_text("chest pain")
    assert sign.sign_in(language).startswith(words)
    assert sign.sign_in(DEFAULT_LANGUAGE) == sign.sign


def test_every_supported_language_has_a_list_with_every_sign() -> None:
    english = load_phrases()
    lists = load_translations(english)
    assert set(lists) == set(SUPPORTED) - {DEFAULT_LANGUAGE}
    for by_key in lists.values():
        assert set(by_key) == {sign.key for sign in english}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for path in PHRASES_FILE.parent.glob("phrases*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_a_list_missing_a_sign_is_refused(folder: Path) -> None:
    path = folder / "phrases.ru.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  fever:", "  fevers:"), encoding="utf-8")
    with pytest.raises(ProtocolError, match=r"phrases\.ru\.yaml: signs\.fever: missing"):
        load_translations(load_phrases(folder / "phrases.yaml"), folder)


def test_a_phrase_with_capitals_is_refused(folder: Path) -> None:
    path = folder / "phrases.es.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[fiebre,", "[Fiebre,"), encoding="utf-8")
    with pytest.raises(ProtocolError, match=r"phrases\.es\.yaml: signs\.fever\.phrases"):
        load_translations(load_phrases(folder / "phrases.yaml"), folder)
