"""Random tokens for links and cookies, and the hashes the database keeps of them."""

from __future__ import annotations

import hashlib
import secrets

__all__ = ["digest", "new_token"]

TOKEN_BYTES = 32


def new_token() -> str:
    """A fresh URL-safe random token (256 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(token: str) -> str:
    """The hex sha256 the database keeps instead of the token itself."""
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()
