"""A plain-text listing of a protocol, for ``checkin-bot protocol check FILE`` and reviewers."""

from __future__ import annotations

from recovery.protocol import Protocol, ProtocolSet
from recovery.types import Condition, DayRange, Level

__all__ = ["describe_condition", "describe_protocol", "describe_translations"]


def describe_condition(cond: Condition) -> str:
    """Return a rule condition in words.

    Args:
        cond: The condition of a rule.

    Returns:
        A short description such as ``fever in [yes]`` or ``pain >= 8``.
    """
    if cond.kind == "answer":
        if cond.values:
            text = f"{cond.question} in [{', '.join(sorted(cond.values))}]"
        else:
            parts = [
                f">= {cond.gte}" if cond.gte is not None else "",
                f"<= {cond.lte}" if cond.lte is not None else "",
            ]
            text = f"{cond.question} {' and '.join(p for p in parts if p)}"
    elif cond.kind == "pain_trend":
        text = (
            f"{cond.question} >= {cond.gte} and {cond.points}+ points above the lowest of the "
            f"last {cond.checkins} check-ins, rising {cond.min_slope}+ points per check-in "
            "(least squares)"
        )
    elif cond.kind == "pain_jump":
        text = f"{cond.question} up {cond.points}+ points since the previous check-in"
    elif cond.kind == "pain_not_easing":
        text = f"{cond.question} >= {cond.gte} after day {cond.day}"
    else:
        text = "a rule-bearing question of the day is unsure, unclear, or missing at the end"
    if cond.after_day is not None:
        text += f" (only after day {cond.after_day})"
    return text


def _days(days: DayRange) -> str:
    return f"days {days.start}-{'end' if days.end is None else days.end}"


def _header(protocol: Protocol) -> list[str]:
    """Who wrote and who signed off the texts shown: the file's, or its translation's."""
    head = f"{protocol.file}: family '{protocol.family}', version {protocol.version}"
    overlay = protocol.overlay
    if overlay is None:
        return [
            head,
            f"status: {protocol.status}; reviewed by: {protocol.reviewed_by or 'nobody yet'}",
            f"sign-off: {protocol.sign_off}; sha256 {protocol.content_hash}",
        ]
    return [
        f"{overlay.file}: the '{overlay.language}' translation of {head}",
        f"translated by: {overlay.translator}; status: {overlay.status}; "
        f"reviewed by: {overlay.reviewed_by or 'nobody yet'}",
        f"sign-off: {overlay.sign_off}; sha256 {overlay.content_hash}",
    ]


def describe_translations(protocols: ProtocolSet, family: str) -> str:
    """One line per translation of a family: its file, translator and clinician sign-off."""
    lines = [f"Translations of '{family}':"]
    for (owner, language), protocol in sorted(protocols.translations.items()):
        overlay = protocol.overlay
        if owner == family and overlay is not None:
            lines.append(
                f"  {language}: {overlay.file}, translated by {overlay.translator}; "
                f"sign-off: {overlay.sign_off}"
            )
    return "\n".join(lines) if len(lines) > 1 else f"{lines[0]} none"


def describe_protocol(protocol: Protocol) -> str:
    """Return a human-readable listing of a protocol's questions, rules, guidance and milestones.

    Args:
        protocol: A loaded protocol.

    Returns:
        Multi-line text: header, counts per procedure, then every item with its source.
    """
    levels = {lvl: sum(1 for r in protocol.rules if r.level is lvl) for lvl in reversed(Level)}
    del levels[Level.OK]
    per_level = ", ".join(f"{count} {lvl}" for lvl, count in levels.items())
    window = protocol.recovery_window_days
    busiest = max(range(window + 1), key=lambda d: len(protocol.questions_for(d)))
    blocks = "; ".join(
        f"days {b.start}-{b.end} " + ("daily" if b.every == 1 else f"every {b.every} days")
        for b in protocol.schedule
    )
    lines = [
        *_header(protocol),
        f"recovery window: {window} days; check-ins: {blocks} "
        f"({len(protocol.checkin_days())} check-ins)",
        f"most questions on one day: {len(protocol.questions_for(busiest))} (day {busiest})",
    ]
    for procedure in protocol.procedures:
        lines.append(
            f"{procedure}: {len(protocol.questions)} questions, {len(protocol.rules)} rules "
            f"({per_level}), {len(protocol.guidance)} guidance items, "
            f"{len(protocol.milestones)} milestones, {len(protocol.sources)} sources"
        )
    lines += ["", f"Questions ({len(protocol.questions)}):"]
    for q in protocol.questions:
        screen = " EMERGENCY SCREEN" if q.emergency_screen else ""
        lines.append(f"  {q.key} [{q.kind}] {_days(q.days)} source={q.source}{screen}")
        lines.append(f"    {q.text}")
        if q.kind != "scale":
            lines.append("    options: " + "; ".join(f"{o.value}={o.label}" for o in q.options))
    lines += ["", f"Rules ({len(protocol.rules)}):"]
    for r in protocol.rules:
        lines.append(f"  {r.key} {r.level.upper()} when {describe_condition(r.condition)}")
        lines.append(f"    reason: {r.reason} (source={r.source})")
    lines += ["", f"Guidance ({len(protocol.guidance)}):"]
    lines += [f"  {g.key} {_days(g.days)} source={g.source}: {g.text}" for g in protocol.guidance]
    lines += ["", f"Milestones ({len(protocol.milestones)}):"]
    lines += [f"  {m.key} day {m.day} source={m.source}: {m.text}" for m in protocol.milestones]
    lines += ["", f"Sources ({len(protocol.sources)}):"]
    for s in protocol.sources.values():
        lines.append(f"  {s.id}: {s.title} <{s.url or s.citation}>")
    return "\n".join(lines)
