"""Periodic sweeps and the outbox sender."""

from collections.abc import Sequence

from .jobs import Sweep

__all__ = ["SWEEPS"]

# The sweeps run on every tick, in this order.
SWEEPS: Sequence[Sweep] = ()
