"""Enrollment and its settings: /start, the step table, /settings, /home."""
