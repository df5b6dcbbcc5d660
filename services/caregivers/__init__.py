"""Caregivers and family groups: invitations, links, answering for the patient, summaries."""
