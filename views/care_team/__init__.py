"""Care-team screens: the alert and patient lists, one patient, the daily digest."""
