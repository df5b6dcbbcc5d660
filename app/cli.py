"""The ``checkin-bot`` command: run the bot and the operator's command-line tools."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from telegram.error import InvalidToken, NetworkError

from app.cli_tools import add_tool_commands
from app.logs import configure_logging
from app.settings import NoAlertRecipientsError, Settings, SettingsError, load_settings
from recovery import Protocol, ProtocolError

__all__ = ["main"]


def _cmd_run(args: argparse.Namespace) -> int:
    from app.runtime import run_until_signal

    overrides: dict[str, object] = {"webhook_url": args.webhook} if args.webhook else {}
    settings = _settings(args, **overrides)
    configure_logging(settings.log_level)
    mode = "worker" if args.worker else "webhook" if settings.webhook_url else "polling"
    try:
        asyncio.run(run_until_signal(settings, mode))
    except InvalidToken:
        print("checkin-bot: Telegram rejected TELEGRAM_BOT_TOKEN (ask @BotFather)", file=sys.stderr)
        return 2
    except NetworkError as exc:
        where, reason = settings.telegram_api_base_url, type(exc).__name__
        print(
            f"checkin-bot: cannot reach the Telegram Bot API at {where} ({reason})", file=sys.stderr
        )
        return 1
    return 0


def _cmd_db_upgrade(args: argparse.Namespace) -> int:
    from models import create_engine, create_session_factory
    from models.migrate import current_revision, upgrade
    from recovery import load_protocols
    from services.context import Services
    from services.risk_summary import refresh_aged

    settings = _settings(args, require_token=False)

    async def go() -> str | None:
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine)
            factory = create_session_factory(engine)
            await refresh_aged(Services(session_factory=factory, protocols=load_protocols()))
            return await current_revision(engine)
        finally:
            await engine.dispose()

    print(f"database at revision {asyncio.run(go())}")
    return 0


def _cmd_db_revision(args: argparse.Namespace) -> int:
    from models import create_engine
    from models.migrate import make_revision, upgrade

    settings = _settings(args, require_token=False)

    async def go() -> None:
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine)
            await make_revision(engine, args.message)
        finally:
            await engine.dispose()

    asyncio.run(go())
    return 0


def _cmd_protocol_check(args: argparse.Namespace) -> int:
    from recovery import ProtocolError, describe_protocol, describe_translations, load_protocols

    try:
        if args.file:  # one file: a protocol, or a translation of the protocol beside it
            print(describe_protocol(_load_one(Path(args.file))))
            return 0
        protocols = load_protocols()
    except ProtocolError as exc:
        print(f"invalid protocol: {exc}", file=sys.stderr)
        return 1
    for protocol in protocols.all():
        print(describe_protocol(protocol))
        print(describe_translations(protocols, protocol.family))
    return 0


def _load_one(path: Path) -> Protocol:
    """A protocol file, or an overlay (``fusion.es.yaml``) applied to the protocol beside it."""
    from recovery import load_protocol_file
    from recovery.overlay import is_overlay_file, load_overlay_file

    if is_overlay_file(path):
        base = path.with_name(path.name.split(".", 1)[0] + ".yaml")
        return load_overlay_file(path, load_protocol_file(base))
    return load_protocol_file(path)


def _cmd_protocol_approve(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from recovery.approval import approval_path, approve_file

    path = Path(args.file)
    try:
        _load_one(path)  # a translation is checked against the protocol beside it
    except ProtocolError as exc:
        print(f"not approved, the file is invalid: {exc}", file=sys.stderr)
        return 1
    try:
        approval = approve_file(path, args.reviewer, datetime.now(UTC).date())
    except ValueError as exc:
        print(f"not approved: {exc}", file=sys.stderr)
        return 2
    print(
        f"{path.name} approved by {approval.reviewer} on {approval.date.isoformat()} "
        f"(sha256 {approval.sha256}); record: {approval_path(path).name}. "
        "Any edit of the file makes it a draft again."
    )
    return 0


def _settings(
    args: argparse.Namespace, *, require_token: bool = True, **overrides: object
) -> Settings:
    if not require_token and "TELEGRAM_BOT_TOKEN" not in os.environ:
        overrides["telegram_bot_token"] = "0:not-needed-for-this-command"  # noqa: S105
    return load_settings(env_file=args.env_file, **overrides)


def build_parser() -> argparse.ArgumentParser:
    """The command line, one subcommand per tool."""
    parser = argparse.ArgumentParser(prog="checkin-bot", description=__doc__)
    parser.add_argument("--env-file", default=".env", help="settings file (default: .env)")
    commands = parser.add_subparsers(dest="command", required=True)

    def add(name: str, handler: Callable[[argparse.Namespace], int], help_: str, parent=commands):  # type: ignore[no-untyped-def]
        sub = parent.add_parser(name, help=help_)
        sub.set_defaults(handler=handler)
        return sub

    run = add("run", _cmd_run, "run the bot (long polling, or a webhook, or a worker)")
    run.add_argument("--webhook", metavar="URL", help="take updates at this public https URL")
    run.add_argument(
        "--worker", action="store_true", help="only sweeps and sending (beside one poller)"
    )
    db = commands.add_parser("db", help="database schema").add_subparsers(dest="db", required=True)
    add("upgrade", _cmd_db_upgrade, "apply migrations", parent=db)
    revision = add("revision", _cmd_db_revision, "autogenerate a migration (developers)", parent=db)
    revision.add_argument("-m", "--message", required=True)
    protocol = commands.add_parser("protocol", help="clinical protocol files")
    protocol_commands = protocol.add_subparsers(dest="protocol", required=True)
    check = add(
        "check", _cmd_protocol_check, "validate and list a protocol file", parent=protocol_commands
    )
    check.add_argument("file", nargs="?", help="a YAML file (default: the built-in protocols)")
    approve = add(
        "approve",
        _cmd_protocol_approve,
        "record a clinician's sign-off of a protocol file (FILE.approval.json)",
        parent=protocol_commands,
    )
    approve.add_argument("file", help="the YAML file that was reviewed")
    approve.add_argument("--reviewer", required=True, help="the reviewing clinician's name")
    add_tool_commands(commands, add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``checkin-bot``; configuration errors exit with status 2 and no traceback."""
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except NoAlertRecipientsError as exc:
        print(f"checkin-bot: {exc}", file=sys.stderr)
        return 2
    except SettingsError as exc:
        print(f"checkin-bot: configuration error\n{exc}", file=sys.stderr)
        return 2
    except ProtocolError as exc:
        print(f"checkin-bot: invalid protocol file\n{exc}", file=sys.stderr)
        return 2
    except InvalidToken:
        print("checkin-bot: Telegram rejected TELEGRAM_BOT_TOKEN (ask @BotFather)", file=sys.stderr)
        return 2
    except NetworkError as exc:
        where = os.environ.get("TELEGRAM_API_BASE_URL", "https://api.telegram.org")
        reason = type(exc).__name__
        print(
            f"checkin-bot: cannot reach the Telegram Bot API at {where} ({reason})", file=sys.stderr
        )
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
