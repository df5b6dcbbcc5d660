"""A patient's full record for the care team's web console (the Patient page).

Profile, pain course, check-in history with who answered and what changed, caregivers, alerts
with what was done, and who looked at the record. One transaction and a fixed number of
queries whatever the history (about a dozen; ``tests/services/test_patient_record.py`` counts
them), and the view is audited in it exactly as Telegram's ``/patient`` is, with
``channel="web"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Alert, AlertStatus, CareLink, CareLinkKind, Patient
from recovery import Procedure, Protocol
from services.audit import (
    ACK_ACTION,
    OUTCOME_ACTION,
    AuditEntry,
    alert_deciders,
    operator_id_of,
    patient_trail,
    record_operator_event,
)
from services.care_team.alert_list import shown_line
from services.care_team.operators import check_operator, operator_label, operator_names
from services.care_team.patient_detail import VIEW_ACTION, caregiver_names
from services.care_team.record_checkins import HISTORY_SHOWN, record_checkins
from services.context import Services
from services.pain_course import PainCourse, read_pain_course
from services.patients import patient_day, patient_protocol, patient_texts
from views.alerts import outcome_label
from views.care_team.common import acknowledged_label, parse_ref
from views.care_team.patient_record import (
    RecordAlert,
    RecordCaregiver,
    RecordCheckIn,
    RecordProfile,
    RecordView,
)
from views.i18n import Translator, translator

__all__ = [
    "ALERTS_SHOWN",
    "HISTORY_SHOWN",
    "TRAIL_SHOWN",
    "WEB_CHANNEL",
    "PatientRecord",
    "patient_record",
]

ALERTS_SHOWN = 50  # handled alerts on the page (open ones are always all shown)
TRAIL_SHOWN = 50  # audit events on the page
WEB_CHANNEL = "web"
NAME = "acknowledged_by_name"  # deciders' key for the name an acknowledgement was made under


@dataclass(frozen=True)
class PatientRecord:
    """Everything the Patient page shows, read in one transaction; lists are newest first.

    ``pain`` is what the pain chart draws (None before the first check-in); ``older_*`` count
    the check-ins and handled alerts left out of the lists; ``checkins_before`` is the day the
    check-ins shown end before (an older page), None for the latest ones.
    """

    profile: RecordProfile
    pain: PainCourse | None
    checkins: tuple[RecordCheckIn, ...]
    older_checkins: int
    checkins_before: date | None
    caregivers: tuple[RecordCaregiver, ...]
    open_alerts: tuple[RecordAlert, ...]
    past_alerts: tuple[RecordAlert, ...]
    older_alerts: int
    trail: tuple[RecordView, ...]


async def patient_record(
    services: Services,
    viewer_id: int,
    ref: str,
    now: datetime,
    *,
    before: date | None = None,
    tr: Translator | None = None,
) -> PatientRecord | None:
    """One patient's record for an operator, audited as viewed on the web.

    Args:
        services: the service context.
        viewer_id: the Telegram user id of the operator signed in to the console.
        ref: the patient's reference (``P-0042``; ``p42`` and ``42`` work too).
        now: the current time (the post-operative day, the audit event).
        before: show the :data:`HISTORY_SHOWN` check-ins before this local day (the older
            pages of a long history); None: the latest ones.
        tr: the reader's translator: questions, answers and findings from the protocol's
            overlay in that language, the other words in it too (default: English).

    Returns:
        The record; None for a viewer who is not an operator (nothing is audited) or a
        reference that names no patient.
    """
    tr = tr or translator(None)
    async with services.transaction() as session:
        if not await check_operator(session, services, viewer_id):
            return None
        patient_id = parse_ref(ref)
        patient = await session.get(Patient, patient_id) if patient_id is not None else None
        if patient is None:
            return None
        record_operator_event(
            session, viewer_id, VIEW_ACTION, patient.ref, at=now, channel=WEB_CHANNEL
        )
        protocol = patient_protocol(patient, services.protocols) if patient.procedure else None
        links = (
            await session.scalars(
                select(CareLink).where(CareLink.patient_id == patient.id).order_by(CareLink.id)
            )
        ).all()
        shown = patient_texts(patient, services.protocols, tr.language) if protocol else None
        checkins, older_checkins = await record_checkins(
            session, patient, shown, caregiver_names(links, tr), tr, before=before
        )
        pain = await read_pain_course(session, services, patient, now)
        opened, handled, older_alerts = await _alerts(session, patient.id)
        trail = await patient_trail(session, patient.ref, TRAIL_SHOWN)  # this view included
        deciders = await alert_deciders(session, patient.ref, (ACK_ACTION, OUTCOME_ACTION))
        pressed = await alert_deciders(session, patient.ref, (ACK_ACTION,), field="name")
        deciders = {**deciders, **{(NAME, alert_id): n for (_, alert_id), n in pressed.items()}}
        names = await operator_names(session, _operator_ids([*opened, *handled], trail))
        return PatientRecord(
            profile=_profile(patient, protocol, now),
            pain=pain,
            checkins=checkins,
            older_checkins=older_checkins,
            checkins_before=before,
            caregivers=tuple(_caregiver(link, tr) for link in links),
            open_alerts=tuple(_alert(a, patient, services, deciders, names, tr) for a in opened),
            past_alerts=tuple(_alert(a, patient, services, deciders, names, tr) for a in handled),
            older_alerts=older_alerts,
            trail=tuple(_view(entry, names) for entry in trail),
        )


def _profile(patient: Patient, protocol: Protocol | None, now: datetime) -> RecordProfile:
    fusion = patient.procedure == Procedure.FUSION
    return RecordProfile(
        ref=patient.ref,
        name=patient.display_name,
        procedure=None if patient.procedure is None else str(patient.procedure),
        surgery_date=patient.surgery_date,
        day=patient_day(patient, now) if patient.surgery_date else None,
        status=str(patient.status),
        timezone=patient.timezone,
        checkin_time=patient.checkin_time,
        in_hospital=patient.in_hospital if fusion or patient.in_hospital else None,
        discharge_date=patient.discharge_date,
        protocol_family=protocol.family if protocol else None,
        protocol_version=protocol.version if protocol else None,
        protocol_sha256=protocol.content_hash if protocol else None,
        protocol_approved=protocol.approved if protocol else None,
    )


def _caregiver(link: CareLink, tr: Translator) -> RecordCaregiver:
    group = link.kind == CareLinkKind.GROUP
    relation = tr.gettext("family group") if group else tr.gettext("caregiver")
    return RecordCaregiver(
        name=link.display_name or relation,
        relation=relation,
        may_answer=link.may_answer,
        since=link.created_at,
        until=link.revoked_at,
    )


async def _alerts(session: AsyncSession, patient_id: int) -> tuple[list[Alert], list[Alert], int]:
    """Every open alert (oldest first), the latest handled ones, and how many more there are."""
    opened = (
        await session.scalars(
            select(Alert)
            .where(Alert.patient_id == patient_id, Alert.status == AlertStatus.OPEN)
            .order_by(Alert.created_at, Alert.id)
        )
    ).all()
    rows = (
        await session.execute(
            select(Alert, func.count().over().label("total"))
            .where(Alert.patient_id == patient_id, Alert.status != AlertStatus.OPEN)
            .order_by(Alert.created_at.desc(), Alert.id.desc())
            .limit(ALERTS_SHOWN)
        )
    ).all()
    handled = [row[0] for row in rows]
    total = int(rows[0].total) if rows else 0
    return list(opened), handled, total - len(handled)


def _operator_ids(alerts: Iterable[Alert], trail: Iterable[AuditEntry]) -> set[int]:
    ids = {a.acknowledged_by for a in alerts} | {a.outcome_by for a in alerts}
    ids |= {operator_id_of(entry.actor) for entry in trail}
    return {i for i in ids if i is not None}


def _alert(
    alert: Alert,
    patient: Patient,
    services: Services,
    deciders: Mapping[tuple[str, int], str],
    names: Mapping[int, str],
    tr: Translator,
) -> RecordAlert:
    """An alert with who acknowledged it and what was done, named as its posts name them."""
    acknowledged = alert.status == AlertStatus.ACKNOWLEDGED
    acknowledged_by = None
    if acknowledged:
        by = alert.acknowledged_by or 0
        at, zone = alert.acknowledged_at or alert.created_at, services.config.clinic_zone
        if name := deciders.get((NAME, alert.id)):  # as pressed, in the reader's language
            acknowledged_by = acknowledged_label(name, at, zone, tr)
        else:  # an event before names were kept: its label, in the clinic's language
            by_label = deciders.get((ACK_ACTION, alert.id))
            acknowledged_by = by_label or acknowledged_label(
                operator_label(by, names.get(by)), at, zone, tr
            )
    outcome_by = None
    if alert.outcome is not None:
        by = alert.outcome_by or 0
        outcome_by = deciders.get((OUTCOME_ACTION, alert.id)) or operator_label(by, names.get(by))
    return RecordAlert(
        line=shown_line(services, alert, patient, tr),
        status=str(alert.status),
        reports=alert.report_count,
        acknowledged_by=acknowledged_by,
        acknowledged_at=alert.acknowledged_at if acknowledged else None,
        outcome=alert.outcome,
        outcome_label=None if alert.outcome is None else outcome_label(alert.outcome, tr),
        outcome_by=outcome_by,
        outcome_at=alert.outcome_at,
        outcome_note=alert.outcome_note,
    )


def _view(entry: AuditEntry, names: Mapping[int, str]) -> RecordView:
    user_id = operator_id_of(entry.actor)
    viewer = entry.actor if user_id is None else operator_label(user_id, names.get(user_id))
    channel = entry.detail.get("channel")
    return RecordView(
        at=entry.at,
        actor=entry.actor,
        viewer=viewer,
        action=entry.action,
        channel=channel if isinstance(channel, str) else None,
    )
