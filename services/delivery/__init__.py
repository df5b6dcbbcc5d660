"""Delivering the outbox: claims, outcomes (sent, retried, failed) and retention."""
