"""A check-in that closed without a clear answer about warning signs names those signs in the
patient's own language (the stored reason is English: it is read back into the rules)."""

from __future__ import annotations

from recovery import UNCLEAR_PREFIX, Procedure, load_protocols
from views.alerts import unclear_signs
from views.checkin import unclear_at_close
from views.i18n import translator

PROTOCOLS = load_protocols()
ENGLISH = PROTOCOLS.for_procedure(Procedure.FUSION)
RUSSIAN = PROTOCOLS.for_procedure(Procedure.FUSION, "ru")
SIGNS = [r for r in ENGLISH.rules if r.condition.kind == "answer"][:2]
STORED = UNCLEAR_PREFIX + ", ".join(r.reason for r in SIGNS)


def test_the_signs_are_named_in_the_patients_language() -> None:
    tr = translator("ru")
    russian = {r.key: r.reason for r in RUSSIAN.rules}
    signs = unclear_signs(ENGLISH, RUSSIAN, STORED, tr)
    assert signs is not None
    for rule in SIGNS:
        assert russian[rule.key] in signs
        assert rule.reason not in signs
    text = unclear_at_close(signs, tr).text
    assert signs in text
    assert "check-in" not in text


def test_an_english_reader_reads_the_stored_text_and_an_unreadable_one_is_kept() -> None:
    assert unclear_signs(ENGLISH, ENGLISH, STORED, translator("en")) is None
    edited = UNCLEAR_PREFIX + "a sign this protocol no longer has"
    assert unclear_signs(ENGLISH, RUSSIAN, edited, translator("ru")) is None
