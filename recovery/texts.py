"""Safety checks of the patient-facing texts of a protocol file.

No text may state a dose or amount of medicine, or name a specific medicine (the patient asks
their doctor which pain reliever is right for them). Braces are only allowed for the
``{emergency_number}`` placeholder of the emergency and urgent action texts, which both must name
the number (an urgent sign can turn into an emergency).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

from recovery.schema import ProtocolModel

__all__ = ["DOSE", "DRUG_NAMES", "Loc", "Problem", "check_texts"]

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]

# English, Spanish, Russian and Arabic units and forms (the overlays are checked too); digits
# may be Arabic-Indic (\d matches them).
DOSE = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|ug|ml|g|milligrams?|micrograms?|grams?|millilit(?:er|re)s?"
    r"|tablets?|pills?|capsules?|drops?|units?|puffs?"
    r"|miligramos?|microgramos?|gramos?|mililitros?|tabletas?|pastillas?|comprimidos?|cápsulas?"
    r"|gotas?|unidades?"
    r"|мг|мкг|мл|г|миллиграмм\w*|грамм\w*|таблет\w*|капсул\w*|капл\w*|единиц\w*"
    r"|ملغ|مغ|مل|ملليغرام|غرام|حب\w*|أقراص|قرص|كبسول\w*|نقط\w*)(?!\w)",
    re.IGNORECASE,
)
DRUG_NAMES = re.compile(
    r"\b(?:acetaminophen|paracetamol|ibuprofen|naproxen|aspirin|diclofenac|codeine|tramadol"
    r"|oxycodone|hydrocodone|morphine|fentanyl|gabapentin|pregabalin|tylenol|advil|motrin"
    r"|aleve|naloxone"
    r"|acetaminofén|ibuprofeno|naproxeno|aspirina|diclofenaco|codeína|oxicodona|hidrocodona"
    r"|morfina|fentanilo|gabapentina|pregabalina|naloxona"
    r"|парацетамол\w*|ибупрофен\w*|напроксен\w*|аспирин\w*|диклофенак\w*|кодеин\w*"
    r"|трамадол\w*|оксикодон\w*|морфин\w*|фентанил\w*|габапентин\w*|прегабалин\w*"
    r"|налоксон\w*"
    r"|باراسيتامول|اسيتامينوفين|أسيتامينوفين|ايبوبروفين|إيبوبروفين|نابروكسين|أسبرين|اسبرين"
    r"|ديكلوفيناك|كودايين|كودين|ترامادول|أوكسيكودون|مورفين|فنتانيل|جابابنتين|بريجابالين"
    r"|نالوكسون)\b",
    re.IGNORECASE,
)


def check_texts(model: ProtocolModel) -> Iterator[Problem]:
    """Check every patient-facing text: no dose, no medicine name, only allowed placeholders.

    Args:
        model: A protocol whose fields already passed the schema.

    Yields:
        ``(location, reason)`` for each text that breaks a rule.
    """
    for loc, text, placeholders in _all_texts(model):
        if DOSE.search(text):
            yield loc, "texts must not state a dose or amount of medicine"
        if DRUG_NAMES.search(text):
            yield loc, "texts must not name a specific medicine"
        try:
            fields = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError:
            fields = {"?"}
        if not fields <= placeholders:
            allowed = ", ".join(f"{{{p}}}" for p in placeholders) or "no placeholders"
            yield loc, f"braces are only allowed for: {allowed}"
    for level in ("emergency", "urgent"):
        if "{emergency_number}" not in getattr(model.action_text, level):
            yield ("action_text", level), "must contain {emergency_number}"


def _all_texts(model: ProtocolModel) -> Iterator[tuple[Loc, str, frozenset[str]]]:
    none: frozenset[str] = frozenset()
    number = frozenset({"emergency_number"})
    yield ("action_text", "emergency"), model.action_text.emergency, number
    yield ("action_text", "urgent"), model.action_text.urgent, number
    yield ("action_text", "attention"), model.action_text.attention, none
    for i, q in enumerate(model.questions):
        yield ("questions", i, "text"), q.text, none
        for j, option in enumerate(q.options or ()):
            yield ("questions", i, "options", j, "label"), option.label, none
    for i, r in enumerate(model.rules):
        yield ("rules", i, "reason"), r.reason, none
    for i, g in enumerate(model.guidance):
        yield ("guidance", i, "text"), g.text, none
    for i, m in enumerate(model.milestones):
        yield ("milestones", i, "text"), m.text, none
