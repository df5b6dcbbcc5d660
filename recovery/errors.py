"""The error raised for a protocol file that cannot be used."""

from __future__ import annotations

__all__ = ["ProtocolError"]


class ProtocolError(ValueError):
    """A protocol file is broken: unreadable YAML, a wrong field, or a failed cross-check.

    ``str(error)`` is ``"FILE: LOCATION: REASON"``. ``location`` is a field path such as
    ``rules[3].when.question`` or ``line 12`` for YAML syntax errors; when the line of a field is
    known, ``reason`` ends with ``(line N)``. ``problems`` lists every problem found (the first one
    is the one in ``location``/``reason``).
    """

    def __init__(
        self,
        file: str,
        location: str,
        reason: str,
        problems: tuple[tuple[str, str], ...] = (),
    ) -> None:
        """Create the error.

        Args:
            file: The file name (or path) of the protocol.
            location: Field path or ``line N``.
            reason: What is wrong, in plain words.
            problems: All (location, reason) pairs found; defaults to this one only.
        """
        self.file = file
        self.location = location
        self.reason = reason
        self.problems = problems or ((location, reason),)
        super().__init__(f"{file}: {location}: {reason}")

    def report(self) -> str:
        """Return every problem, one ``FILE: LOCATION: REASON`` line each."""
        return "\n".join(f"{self.file}: {loc}: {why}" for loc, why in self.problems)
