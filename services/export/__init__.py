"""Exports for the care team: CSV, JSON Lines and FHIR, read in batches."""
