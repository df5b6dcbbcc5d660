"""Runtime configuration from the environment or ``.env`` (pydantic-settings)."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from views.i18n import DEFAULT_LANGUAGE, SUPPORTED

__all__ = [
    "DEFAULT_DATABASE_URL",
    "NO_ALERT_RECIPIENTS",
    "NoAlertRecipientsError",
    "Settings",
    "SettingsError",
    "load_settings",
]

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/checkin.db"
_QUIET_HOURS = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")

_HINTS = {
    "TELEGRAM_BOT_TOKEN": "ask @BotFather for a token and put TELEGRAM_BOT_TOKEN=... in .env",
    "OPERATOR_IDS": "a comma-separated list of numeric Telegram user ids, e.g. 1234,5678",
    "DEFAULT_TIMEZONE": "an IANA time zone name such as Europe/London",
    "CLINIC_TIMEZONE": "an IANA time zone name such as Europe/London, or leave it unset",
    "DATABASE_URL": "sqlite+aiosqlite:///./data/checkin.db or postgresql+asyncpg://user@host/db",
    "QUIET_HOURS": "a local time range such as 21:30-08:00",
    "DIGEST_TIME": "a time of day such as 08:00 (in CLINIC_TIMEZONE)",
    "PROTOCOL_DIR": "a folder with one YAML protocol per procedure family, or leave it unset",
    "CLINIC_PHONE": "the surgeon's office in international form, e.g. +44 20 7946 0000",
    "WEB_PUBLIC_URL": "the console's address as operators open it, e.g. https://care.example.org",
    "WEBHOOK_SECRET": "e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(32))'",
}


class SettingsError(Exception):
    """Configuration is missing or invalid; the message has one line per bad setting."""


NO_ALERT_RECIPIENTS = (
    "alerts would reach no one: set CARE_TEAM_CHAT_ID or OPERATOR_IDS "
    "(or add an operator with `checkin-bot operator add ID`)"
)


class NoAlertRecipientsError(SettingsError):
    """Neither a care-team chat nor any operator (settings or table): alerts would go nowhere."""

    def __init__(self) -> None:
        super().__init__(NO_ALERT_RECIPIENTS)


class Settings(BaseSettings):
    """Every setting of the bot; see ``.env.example`` for documentation."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    telegram_bot_token: SecretStr
    telegram_api_base_url: str = "https://api.telegram.org"
    database_url: str = DEFAULT_DATABASE_URL
    operator_ids: Annotated[tuple[int, ...], NoDecode] = ()
    care_team_chat_id: int | None = None
    default_timezone: str = "UTC"
    clinic_timezone: str | None = None  # care-team posts and the digest; empty: DEFAULT_TIMEZONE
    emergency_number: str | None = Field(default=None, pattern=r"^[0-9+ ]{2,15}$")
    clinic_phone: str | None = None
    clinic_language: str = DEFAULT_LANGUAGE  # care-team posts; each person keeps their own
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    sweep_interval_seconds: float = Field(default=30.0, gt=0, le=600)
    reminder_after_minutes: int = Field(default=120, ge=5, le=24 * 60)
    missed_after_minutes: int = Field(default=360, ge=10, le=24 * 60)
    alert_escalation_minutes: int = Field(default=30, ge=1, le=24 * 60)
    emergency_followup_minutes: int = Field(default=10, ge=1, le=120)
    quiet_hours: str = "21:30-08:00"
    digest_time: time = time(8, 0)  # the care team's daily digest, in the clinic's time zone
    invite_ttl_hours: int = Field(default=48, ge=1, le=24 * 14)
    send_rate_per_second: float = Field(default=29.0, gt=0, le=30)
    outbox_lease_seconds: int = Field(default=60, ge=5, le=3600)
    outbox_retention_days: int = Field(default=30, ge=1, le=3650)
    protocol_dir: Path | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    web_listen: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=0, le=65535)  # 0: serve nothing over HTTP
    web_public_url: str | None = None  # default http://WEB_LISTEN:WEB_PORT

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not re.fullmatch(r"\d+:[A-Za-z0-9_-]{5,}", value.get_secret_value()):
            raise ValueError("does not look like a bot token (digits:letters)")
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be an http(s) URL such as https://api.telegram.org")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("operator_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        if isinstance(value, int):
            return (value,)
        return value

    @field_validator("default_timezone", "clinic_timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("clinic_language")
    @classmethod
    def _clinic_language(cls, value: str) -> str:
        if value not in SUPPORTED:
            raise ValueError(f"must be one of {', '.join(SUPPORTED)}")
        return value

    @field_validator("clinic_phone")
    @classmethod
    def _clinic_phone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        phone = " ".join(value.split())
        digits = re.sub(r"[ ()-]", "", phone)
        if not re.fullmatch(r"\+?[0-9]{6,15}", digits):
            raise ValueError("must be a phone number of 6-15 digits, e.g. +44 20 7946 0000")
        return phone

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, value: str) -> str:
        match = _QUIET_HOURS.match(value.strip())
        if not match or int(match[1]) > 23 or int(match[3]) > 23:
            raise ValueError("must look like 21:30-08:00")
        return value.strip()

    @field_validator("protocol_dir")
    @classmethod
    def _protocol_dir(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"{value} is not a directory")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value and not value.startswith("https://"):
            raise ValueError("must be a public https:// URL (Telegram only posts to HTTPS)")
        return value or None

    @field_validator("web_public_url")
    @classmethod
    def _web_public_url(cls, value: str | None) -> str | None:
        if value and not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be an http(s) URL such as https://console.example.org")
        return value.rstrip("/") if value else None

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{16,256}", value.get_secret_value()
        ):
            raise ValueError("must be 16-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @model_validator(mode="after")
    def _cross_checks(self) -> Settings:
        if self.missed_after_minutes <= self.reminder_after_minutes:
            raise ValueError("MISSED_AFTER_MINUTES must be larger than REMINDER_AFTER_MINUTES")
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError("WEBHOOK_SECRET is required when WEBHOOK_URL is set (webhook mode)")
        return self

    @property
    def console_url(self) -> str | None:
        """Where operators' sign-in links point (None when no HTTP server is served)."""
        if not self.web_port:
            return None
        return self.web_public_url or f"http://{self.web_listen}:{self.web_port}"

    @property
    def quiet_window(self) -> tuple[time, time]:
        """Quiet hours as (start, end) local times."""
        start, end = self.quiet_hours.split("-")
        return time.fromisoformat(start.zfill(5)), time.fromisoformat(end.zfill(5))


def load_settings(env_file: str | Path | None = ".env", **overrides: object) -> Settings:
    """Read settings, turning validation errors into one line per bad setting.

    Args:
        env_file: the dotenv file to read (None: environment only).
        **overrides: values that win over the environment (used by tests).

    Returns:
        The validated settings.

    Raises:
        SettingsError: a setting is missing or invalid.
    """
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = str(error["loc"][0]).upper() if error["loc"] else "settings"
            problem = "is required" if error["type"] == "missing" else error["msg"]
            problem = problem.removeprefix("Value error, ")
            hint = _HINTS.get(name)
            lines.append(f"{name}: {problem}" + (f" ({hint})" if hint else ""))
        raise SettingsError("\n".join(lines)) from None
