"""Caregiver screens: the /caregivers list, invitations, answering for the patient, summaries."""
