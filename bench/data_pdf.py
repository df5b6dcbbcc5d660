"""The /mydata PDF: time to build one (p50, p95) for 90 days of check-ins, in each language.

Pure: no database, no Bot API. The document comes from the real exporter over unsaved rows:
a fusion patient answering every question of every day for 90 days, with an alert a week.
The chart is drawn once beforehand and embedded in every PDF (its own cost: bench.chart).
Usage: python -m bench.data_pdf --pdfs 20
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from models import Alert, AlertStatus, Answer, CheckIn, CheckInStatus, Patient, PatientStatus
from recovery import Level, Procedure, QuestionKind, load_protocols
from services.account.data_copy import build_patient_export
from views.data_pdf import data_pdf
from views.i18n import SUPPORTED, translator
from views.pain_chart import DayPoint, pain_chart

DAYS = 90
T0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def document(language: str) -> dict[str, Any]:
    """A 90-day export of one patient speaking ``language``."""
    protocols = load_protocols()
    protocol = protocols.for_procedure(Procedure.FUSION, language)  # texts as the patient reads
    patient = Patient(
        id=1,
        telegram_user_id=501,
        chat_id=501,
        display_name="Layla Haddad",
        status=PatientStatus.ACTIVE,
        procedure=Procedure.FUSION,
        surgery_date=T0.date(),
        in_hospital=False,
        timezone="Asia/Amman",
        language=language,
        checkin_time=clock_time(9),
        consent_at=T0,
        created_at=T0,
        updated_at=T0,
    )
    checkins, answers, alerts = [], [], []
    for day in range(1, DAYS + 1):
        at = T0 + timedelta(days=day)
        questions = protocol.questions_for(day)
        checkins.append(
            CheckIn(
                id=day,
                patient_id=1,
                local_date=date.fromordinal(T0.date().toordinal() + day),
                post_op_day=day,
                status=CheckInStatus.COMPLETED,
                trigger="scheduled",
                question_keys=[q.key for q in questions],
                created_at=at,
            )
        )
        for n, question in enumerate(questions):
            value = str(max(0, 8 - day // 12)) if question.kind is QuestionKind.SCALE else "no"
            answers.append(
                Answer(
                    id=day * 100 + n,
                    checkin_id=day,
                    question_key=question.key,
                    value=value,
                    answered_by=501,
                    answered_at=at,
                )
            )
        if day % 7 == 0:
            rules = protocol.rules[:2]
            alerts.append(
                Alert(
                    id=day,
                    patient_id=1,
                    checkin_id=day,
                    level=Level.URGENT,
                    reasons=[r.key for r in rules],
                    reason_texts=[r.reason for r in rules],
                    status=AlertStatus.OPEN,
                    created_at=at,
                )
            )
    return build_patient_export(
        patient,
        checkins=checkins,
        answers=answers,
        alerts=alerts,
        care_links=[],
        invites=[],
        protocol=protocol,
        exported_at=T0 + timedelta(days=DAYS),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pdfs", type=int, default=20)
    parser.add_argument("--languages", nargs="*", default=list(SUPPORTED))
    args = parser.parse_args()
    points = [DayPoint(d, max(0, 8 - d // 12)) for d in range(1, DAYS + 1)]
    chart = pain_chart(points, [], today=DAYS, window=DAYS)
    for language in args.languages:
        doc, tr = document(language), translator(language)
        data_pdf(doc, tr, chart)  # warm up (fonts, imports)
        times, cpu, sizes = [], [], []
        for _ in range(args.pdfs):
            started, started_cpu = time.perf_counter(), time.process_time()
            pdf = data_pdf(doc, tr, chart)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            sizes.append(len(pdf))
        p50, p95 = statistics.median(times), statistics.quantiles(times, n=20)[-1]
        answered = sum(len(c["answers"]) for c in doc["checkins"])
        print(
            f"{language}: {DAYS} check-ins, {answered} answers, {len(doc['alerts'])} alerts:"
            f" build p50 {p50:.0f} ms, p95 {p95:.0f} ms (CPU p50 {statistics.median(cpu):.0f} ms),"
            f" PDF {max(sizes) / 1024:.0f} KiB"
        )


if __name__ == "__main__":
    main()
