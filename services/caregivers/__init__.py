"""caregivers"""
