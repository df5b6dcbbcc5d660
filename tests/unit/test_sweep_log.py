"""The sweeps' scheduler keeps the log for what an operator must see."""

from __future__ import annotations

import logging

import pytest

from scheduler.jobs import build_scheduler
from services.context import Services


def test_a_skipped_overlapping_run_is_not_logged_but_other_scheduler_warnings_are(
    caplog: pytest.LogCaptureFixture,
) -> None:
    build_scheduler(Services(session_factory=None, protocols=None), [], interval_seconds=1)  # type: ignore[arg-type]
    scheduler_log = logging.getLogger("apscheduler.scheduler")
    with caplog.at_level(logging.WARNING):
        scheduler_log.warning(
            'Execution of job "%s" skipped: maximum number of running instances reached (%d)',
            "run_sweeps",
            1,
        )
        scheduler_log.warning('Run time of job "%s" was missed by %s', "run_sweeps", "0:00:02")
    assert [r.getMessage() for r in caplog.records] == [
        'Run time of job "run_sweeps" was missed by 0:00:02'
    ]
