"""The two secrets of an invitation, pure: a long token for the deep link and a short code to
type, how a typed code is read, and the sha256 hash that is all the database keeps."""

from __future__ import annotations

import hashlib
import secrets

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "MAX_SECRET",
    "hash_secret",
    "new_code",
    "new_token",
    "normalize_code",
    "readable_code",
]

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I look-alikes
CODE_LENGTH = 8
TOKEN_BYTES = 24  # 32 URL-safe characters, within the 64-character deep-link limit
MAX_SECRET = 64  # longer input is no secret of ours


def new_token() -> str:
    """A fresh deep-link token (URL-safe)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_code() -> str:
    """A fresh code of :data:`CODE_LENGTH` characters from :data:`CODE_ALPHABET`."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def readable_code(code: str) -> str:
    """A code as the patient reads it: ``ABCD-EFGH``."""
    return f"{code[:4]}-{code[4:]}"


def hash_secret(secret: str) -> str:
    """The stored form of a token or code (sha256, hex)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def normalize_code(text: str) -> str:
    """A typed code in its canonical form: upper case, without spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch not in " -")
