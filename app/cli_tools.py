"""The operator's command-line tools: ``operator add/remove/list``, ``export``, ``audit``.

Each tool migrates the database (like ``run``), calls one service and prints plain lines.
Every change and every export is written to the audit trail with the login name as actor.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from app.settings import Settings, load_settings

__all__ = ["add_tool_commands"]

Handler = Callable[[argparse.Namespace], int]


def _settings(args: argparse.Namespace) -> Settings:
    """Settings from ``--env-file`` and the environment; the tools need no bot token."""
    overrides: dict[str, object] = {}
    if "TELEGRAM_BOT_TOKEN" not in os.environ:
        overrides["telegram_bot_token"] = "0:not-needed-for-this-command"  # noqa: S105
    return load_settings(env_file=args.env_file, **overrides)


def _actor() -> str:
    from services.audit import cli_actor

    try:
        login: str | None = getpass.getuser()
    except (OSError, KeyError):
        login = None
    return cli_actor(login)


@asynccontextmanager
async def _services(settings: Settings) -> AsyncIterator[Any]:
    from app.runtime import service_config
    from models import create_engine, create_session_factory
    from models.migrate import upgrade
    from recovery import load_protocols
    from services.context import Services
    from services.risk_summary import refresh_aged

    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        services = Services(
            session_factory=create_session_factory(engine),
            protocols=load_protocols(),
            config=service_config(settings),
        )
        await refresh_aged(services)  # rows a migration left due
        yield services
    finally:
        await engine.dispose()


def _run(args: argparse.Namespace, tool: Callable[[Any], Coroutine[Any, Any, int]]) -> int:
    settings = _settings(args)

    async def go() -> int:
        async with _services(settings) as services:
            return await tool(services)

    return asyncio.run(go())


def _out(text: str, stream: TextIO | None = None) -> None:
    (stream or sys.stdout).write(text + "\n")


def _cmd_operator_add(args: argparse.Namespace) -> int:
    from services.care_team.operators import add_operator

    async def tool(services: Any) -> int:
        added = await add_operator(services, args.user_id, display_name=args.name, actor=_actor())
        _out(f"operator {args.user_id} {'added' if added else 'already listed (name updated)'}")
        return 0

    return _run(args, tool)


def _cmd_operator_remove(args: argparse.Namespace) -> int:
    from services.care_team.operators import remove_operator

    async def tool(services: Any) -> int:
        if await remove_operator(services, args.user_id, actor=_actor()):
            _out(f"operator {args.user_id} removed")
            return 0
        where = (
            "is set in OPERATOR_IDS: remove it there"
            if args.user_id in services.config.operator_ids
            else "is not in the operators table"
        )
        _out(f"operator {args.user_id} {where}", sys.stderr)
        return 1

    return _run(args, tool)


def _cmd_operator_list(args: argparse.Namespace) -> int:
    from services.care_team.operators import list_operators

    async def tool(services: Any) -> int:
        for entry in await list_operators(services):
            added = f"  added {entry.added_at:%Y-%m-%d}" if entry.added_at else ""
            source = "OPERATOR_IDS" if entry.source == "settings" else "table"
            _out(f"{entry.telegram_user_id}  {entry.display_name or '-'}  {source}{added}")
        return 0

    return _run(args, tool)


def _cmd_export(args: argparse.Namespace) -> int:
    from services.export.write import ExportFormat, ExportQuery, UnknownPatientError, write_export

    query = ExportQuery(since=args.since, until=args.until, patient_ref=args.patient)

    def tool(out: TextIO) -> Callable[[Any], Coroutine[Any, Any, int]]:
        async def export(services: Any) -> int:
            try:
                summary = await write_export(
                    services, query, ExportFormat(args.format), out, actor=_actor()
                )
            except UnknownPatientError:
                _out(f"no patient with the reference {args.patient}", sys.stderr)
                return 1
            _out(
                f"exported {summary.checkins} check-ins, {summary.answers} answers, "
                f"{summary.alerts} alerts ({summary.format})",
                sys.stderr,
            )
            return 0

        return export

    if not args.out:
        return _run(args, tool(sys.stdout))
    path = Path(args.out)
    with path.open("w", encoding="utf-8", newline="") as out:
        status = _run(args, tool(out))
    if status != 0:
        path.unlink(missing_ok=True)
    return status


def _cmd_audit(args: argparse.Namespace) -> int:
    from services.audit import audit_events, format_entry

    async def tool(services: Any) -> int:
        for entry in await audit_events(services, args.since, args.until):
            _out(format_entry(entry))
        return 0

    return _run(args, tool)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def add_tool_commands(commands: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    """Register the tools on the ``checkin-bot`` subcommands.

    Args:
        commands: the subparsers action of the main parser.
        add: the main parser's ``add(name, handler, help, parent=...)`` helper.
    """
    operator = commands.add_parser("operator", help="clinic staff who may use operator commands")
    staff = operator.add_subparsers(dest="operator", required=True)
    added = add("add", _cmd_operator_add, "add an operator (audited)", parent=staff)
    added.add_argument("user_id", type=int, help="the Telegram user id")
    added.add_argument("--name", help="the name shown on acknowledged alerts")
    removed = add("remove", _cmd_operator_remove, "remove an operator (audited)", parent=staff)
    removed.add_argument("user_id", type=int, help="the Telegram user id")
    add("list", _cmd_operator_list, "list operators (OPERATOR_IDS and table)", parent=staff)

    export = add("export", _cmd_export, "export check-ins (csv, jsonl or a FHIR R4 Bundle)")
    export.add_argument("--format", choices=["csv", "jsonl", "fhir"], default="csv")
    export.add_argument("--since", type=_day, required=True, help="first day, YYYY-MM-DD")
    export.add_argument("--until", type=_day, help="last day, YYYY-MM-DD (default: today)")
    export.add_argument("--patient", metavar="REF", help="one patient, e.g. P-0042")
    export.add_argument("--out", metavar="FILE", help="write here instead of stdout")

    audit = add("audit", _cmd_audit, "print the audit trail, one line per event")
    audit.add_argument("--since", type=_day, required=True, help="first day, YYYY-MM-DD (UTC)")
    audit.add_argument("--until", type=_day, help="last day, YYYY-MM-DD (UTC)")
