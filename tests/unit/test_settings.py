"""Configuration: clear one-line errors, no traceback, sane parsing."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from app.cli import main
from app.runtime import service_config
from app.settings import DEFAULT_DATABASE_URL, SettingsError, load_settings

TOKEN = "123456:ABCdef_ghi"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    names = ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "OPERATOR_IDS", "CARE_TEAM_CHAT_ID")
    for name in (
        *names,
        "DEFAULT_TIMEZONE",
        "CLINIC_TIMEZONE",
        "EMERGENCY_NUMBER",
        "CLINIC_PHONE",
        "WEBHOOK_SECRET",
    ):
        monkeypatch.delenv(name, raising=False)


def test_defaults_use_embedded_sqlite_and_telegram() -> None:
    settings = load_settings(env_file=None, telegram_bot_token=TOKEN)
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.telegram_api_base_url == "https://api.telegram.org"
    assert settings.operator_ids == ()


def test_operator_ids_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPERATOR_IDS", "11, 22,33")
    assert load_settings(env_file=None, telegram_bot_token=TOKEN).operator_ids == (11, 22, 33)


def test_env_file_is_read(tmp_path) -> None:
    env = tmp_path / ".env"
    env.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nDEFAULT_TIMEZONE=Europe/Berlin\n")
    settings = load_settings(env_file=env)
    assert settings.default_timezone == "Europe/Berlin"
    assert settings.telegram_bot_token.get_secret_value() == TOKEN
    assert TOKEN not in repr(settings)


def test_the_clinic_zone_is_its_own_setting_or_the_default_zone() -> None:
    plain = load_settings(env_file=None, telegram_bot_token=TOKEN, default_timezone="Europe/Rome")
    assert service_config(plain).clinic_zone == ZoneInfo("Europe/Rome")
    own = load_settings(env_file=None, telegram_bot_token=TOKEN, clinic_timezone="Asia/Tokyo")
    assert service_config(own).clinic_zone == ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({}, "TELEGRAM_BOT_TOKEN: is required"),
        ({"telegram_bot_token": "nonsense"}, "TELEGRAM_BOT_TOKEN: does not look like a bot token"),
        ({"telegram_bot_token": TOKEN, "default_timezone": "Mars/Base"}, "DEFAULT_TIMEZONE"),
        ({"telegram_bot_token": TOKEN, "clinic_timezone": "Mars/Base"}, "CLINIC_TIMEZONE"),
        ({"telegram_bot_token": TOKEN, "operator_ids": "12,abc"}, "OPERATOR_IDS"),
        ({"telegram_bot_token": TOKEN, "database_url": "mysql://x"}, "DATABASE_URL"),
        ({"telegram_bot_token": TOKEN, "quiet_hours": "late"}, "QUIET_HOURS"),
    ],
)
def test_bad_settings_name_the_setting(overrides: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(env_file=None, **overrides)
    assert named in str(caught.value)


def test_run_without_token_exits_with_one_clear_line(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "TELEGRAM_BOT_TOKEN: is required" in err
    assert "BotFather" in err
    assert "Traceback" not in err


def test_a_broken_protocol_stops_start_up_with_file_field_and_reason(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from recovery.loader import PROTOCOLS_DIR

    folder = tmp_path / "protocols"
    folder.mkdir()
    for source in PROTOCOLS_DIR.glob("*.yaml"):
        text = source.read_text()
        if source.name == "fusion.yaml":
            text = text.replace("when: {question: fever,", "when: {question: no_such_question,")
        (folder / source.name).write_text(text)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("PROTOCOL_DIR", str(folder))
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "invalid protocol file" in err
    assert "fusion.yaml" in err
    assert "no_such_question" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("token", "expected"), [(TOKEN, "cannot reach the Telegram Bot API at http://127.0.0.1:9")]
)
def test_an_unreachable_bot_api_stops_start_up_with_one_line(
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    token: str,
    expected: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("OPERATOR_IDS", "900")
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err
    assert token not in err


@pytest.fixture
def silent_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[socket.socket]:
    """A Bot API address that listens but never accepts: any connection attempt is recorded."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", f"http://127.0.0.1:{listener.getsockname()[1]}")
        yield listener


def _connections(listener: socket.socket) -> int:
    listener.setblocking(False)
    count = 0
    while True:
        try:
            listener.accept()[0].close()
        except BlockingIOError:
            return count
        count += 1


@pytest.mark.parametrize(
    "argv",
    [["run"], ["run", "--worker"], ["run", "--webhook", "https://bot.example.org/hook"]],
    ids=["polling", "worker", "webhook"],
)
def test_run_without_any_alert_recipient_refuses_in_one_line_before_calling_telegram(
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    silent_api: socket.socket,
    argv: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret-token-for-tests_0123456789")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "CARE_TEAM_CHAT_ID" in err
    assert "OPERATOR_IDS" in err
    assert "checkin-bot operator add" in err
    assert "Traceback" not in err
    assert _connections(silent_api) == 0


def test_an_operator_added_on_the_command_line_is_enough_to_start(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["operator", "add", "4242"]) == 0
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9")  # nothing listens there
    assert main(["run"]) == 1  # got past the check: it tried Telegram
    assert "cannot reach the Telegram Bot API" in capsys.readouterr().err


def test_clinic_phone_is_checked_and_emergency_number_is_unset_by_default() -> None:
    settings = load_settings(
        env_file=None, telegram_bot_token=TOKEN, clinic_phone="+44 20  7946 0000"
    )
    assert settings.clinic_phone == "+44 20 7946 0000"
    assert settings.emergency_number is None
    with pytest.raises(SettingsError, match="CLINIC_PHONE"):
        load_settings(env_file=None, telegram_bot_token=TOKEN, clinic_phone="call us")
