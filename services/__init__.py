"""Use cases: one function, one transaction; they return frozen dataclasses."""
