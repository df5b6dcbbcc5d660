"""Enrollment screens: questions, the summary, and parsing what patients type."""
