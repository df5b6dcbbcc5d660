"""The export file formats, pure: check-in and alert records in, CSV, JSON Lines or FHIR out.

A writer takes records one at a time and writes them as they come, so a long export never
sits in memory at once; it counts what it wrote. Patients appear by reference (``P-0042``)
only, and who answered as ``patient`` or ``caregiver``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, ClassVar, TextIO

from recovery import Protocol
from services.export.records import AlertRecord, CheckInRecord

__all__ = [
    "CSV_HEADER",
    "CsvWriter",
    "ExportFormat",
    "ExportWriter",
    "FhirWriter",
    "JsonlWriter",
    "csv_rows",
    "jsonl_line",
    "open_writer",
]


class ExportFormat(StrEnum):
    """The export file formats."""

    CSV = "csv"
    JSONL = "jsonl"
    FHIR = "fhir"


CSV_HEADER = (
    "patient_ref",
    "procedure",
    "protocol_family",
    "protocol_version",
    "protocol_hash",
    "local_date",
    "post_op_day",
    "checkin_status",
    "level",
    "question_key",
    "value",
    "label",
    "answered_by",
    "answered_at",
    "superseded_at",
    "alert_outcome",
)


def _iso(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def csv_rows(record: CheckInRecord) -> Iterator[tuple[str, ...]]:
    """The CSV rows of one check-in: one per answer (matching :data:`CSV_HEADER`); the last
    column holds what was done about the check-in's alerts (``;``-separated outcomes)."""
    outcomes = ";".join(alert.outcome for alert in record.alerts if alert.outcome)
    for a in record.answers:
        yield (
            record.patient_ref,
            record.procedure,
            record.protocol_family,
            record.protocol_version,
            record.protocol_hash or "",
            record.local_date.isoformat(),
            str(record.post_op_day),
            record.status,
            record.level or "",
            a.question_key,
            a.value,
            a.label,
            a.answered_by,
            _iso(a.answered_at),
            _iso(a.superseded_at),
            outcomes,
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def jsonl_line(record: CheckInRecord) -> str:
    """One check-in with its answers and alerts as one line of JSON (no newline)."""
    return json.dumps(_jsonable(asdict(record)), ensure_ascii=False, separators=(",", ":"))


class ExportWriter:
    """Writes check-ins to ``out`` in one format and counts check-ins, answers and alerts.

    ``reads_alerts`` says whether the format also takes the alerts of the range on their own
    (:meth:`add_alert`); the others carry alerts inside their check-ins, or none.
    """

    reads_alerts: ClassVar[bool] = False

    def __init__(self, out: TextIO) -> None:
        """Start writing on ``out`` (the caller opens and closes it)."""
        self.out = out
        self.checkins = self.answers = self.alerts = 0

    def add(self, record: CheckInRecord) -> None:
        """Write one check-in with its answers."""
        self._write(record)
        self.checkins, self.answers = self.checkins + 1, self.answers + len(record.answers)

    def add_alert(self, alert: AlertRecord) -> None:
        """Write one alert (only formats with ``reads_alerts``)."""
        raise NotImplementedError

    def close(self) -> None:
        """Finish the file (nothing to do for line-based formats)."""

    def _write(self, record: CheckInRecord) -> None:
        raise NotImplementedError


class CsvWriter(ExportWriter):
    """CSV: the header, then one row per answer; alerts are not part of it."""

    def __init__(self, out: TextIO) -> None:
        """Write the header on ``out``."""
        super().__init__(out)
        self._rows = csv.writer(out, lineterminator="\n")
        self._rows.writerow(CSV_HEADER)

    def _write(self, record: CheckInRecord) -> None:
        self._rows.writerows(csv_rows(record))


class JsonlWriter(ExportWriter):
    """JSON Lines: one check-in with its answers and alerts per line."""

    def _write(self, record: CheckInRecord) -> None:
        self.out.write(jsonl_line(record) + "\n")
        self.alerts += len(record.alerts)


class FhirWriter(ExportWriter):
    """A FHIR Bundle: a Questionnaire per loaded protocol that judged a check-in, a response per
    check-in, a Flag per alert of the range."""

    reads_alerts = True

    def __init__(self, out: TextIO, now: datetime, protocols: Iterable[Protocol]) -> None:
        """Start the Bundle on ``out``, stamped ``now``."""
        super().__init__(out)
        from services.export import fhir  # fhir.resources' models take ~60 ms to import

        self._fhir = fhir
        self._bundle = fhir.BundleWriter(out, now)
        self._described: set[str] = set()
        self._protocols = {p.family: p for p in protocols}

    def _write(self, record: CheckInRecord) -> None:
        protocol = self._protocols.get(record.protocol_family)
        if protocol is None or protocol.content_hash != record.protocol_hash:
            protocol = None  # judged by another file than the one loaded now
        elif record.protocol_family not in self._described:
            self._described.add(record.protocol_family)
            self._bundle.add(self._fhir.questionnaire(protocol))
        self._bundle.add(self._fhir.questionnaire_response(record, protocol))

    def add_alert(self, alert: AlertRecord) -> None:
        """Write one alert as a Flag, and what was done about it as a Task on that Flag."""
        self._bundle.add(self._fhir.flag(alert))
        if alert.outcome is not None:
            self._bundle.add(self._fhir.outcome_task(alert))
        self.alerts += 1

    def close(self) -> None:
        """Finish the Bundle."""
        self._bundle.close()


def open_writer(
    fmt: ExportFormat, out: TextIO, *, now: datetime, protocols: Iterable[Protocol]
) -> ExportWriter:
    """The writer of one format, already started on ``out``.

    Args:
        fmt: the file format.
        out: where to write (text; the caller opens and closes it).
        now: the export time (the FHIR Bundle's timestamp).
        protocols: every protocol (the FHIR Questionnaires).

    Returns:
        A writer to :meth:`~ExportWriter.add` records to, then :meth:`~ExportWriter.close`.
    """
    if fmt is ExportFormat.CSV:
        return CsvWriter(out)
    if fmt is ExportFormat.JSONL:
        return JsonlWriter(out)
    return FhirWriter(out, now, protocols)
