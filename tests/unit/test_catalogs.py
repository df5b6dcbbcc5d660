"""The gettext catalogs are whole: extracted now, translated in every language, placeholders
(``{name}`` in code, ``%(name)s`` in the console's templates) kept, and compiled (issue #16).
Fix a failure with the README's pybabel commands."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from views.i18n import DEFAULT_LANGUAGE, LOCALES, SUPPORTED, translator

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = [lang for lang in SUPPORTED if lang != DEFAULT_LANGUAGE]
FIELD = re.compile(r"\{(\w*)[^{}]*\}")
NAMED = re.compile(r"%\((\w+)\)s")  # the console's templates (Jinja2's i18n): "%(name)s"
PLURAL_COUNTS = {"n", "count"}  # a form for exactly one may spell the number out


def read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def ids(catalog: Catalog) -> set[object]:
    return {message.id for message in catalog if message.id}


def fields(text: str) -> set[str]:
    return set(FIELD.findall(text)) | {f"%{name}" for name in NAMED.findall(text)}


def po(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / "messages.po"


def test_the_template_holds_what_the_code_marks_now(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "N_"]
        + ["--no-location", "--sort-output", "--omit-header", "-o", str(fresh), str(ROOT)]
    )
    assert ids(read(fresh)) == ids(read(LOCALES / "messages.pot"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_has_exactly_the_template_messages(lang: str) -> None:
    assert ids(read(po(lang))) == ids(read(LOCALES / "messages.pot"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated_in_every_form(lang: str) -> None:
    catalog = read(po(lang))
    missing = []
    for message in catalog:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if (
            message.fuzzy
            or len(forms) < (catalog.num_plurals if message.pluralizable else 1)
            or not all(forms)
        ):
            missing.append(message.id)
    assert missing == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(lang: str) -> None:
    wrong = []
    for message in read(po(lang)):
        if not message.id:
            continue
        if message.pluralizable:
            allowed = fields(message.id[0]) | fields(message.id[1])
            needed = allowed - PLURAL_COUNTS - {f"%{name}" for name in PLURAL_COUNTS}
            forms = message.string
            if any(not needed <= fields(form) <= allowed for form in forms):
                wrong.append(message.id)
        elif fields(message.id) != fields(message.string):
            wrong.append(message.id)
    assert wrong == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_compiled_catalog_is_the_po_file_compiled_now(lang: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, read(po(lang)))
    mo = po(lang).with_suffix(".mo")
    assert mo.is_file()
    assert mo.read_bytes() == compiled.getvalue()


@pytest.mark.parametrize("lang", SUPPORTED)
def test_every_language_loads(lang: str) -> None:
    tr = translator(lang)
    assert tr.language == lang
    assert tr.gettext("Agree") != "Agree" or lang == DEFAULT_LANGUAGE
