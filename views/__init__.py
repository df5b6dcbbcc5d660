"""Presentation shared by services (outbox messages) and bot (replies): pure, no I/O."""
