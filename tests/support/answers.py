"""Which button to press for each check-in question on an ordinary day (by text fragment)."""

from __future__ import annotations

__all__ = ["BENIGN", "FUSION_BENIGN"]

BENIGN = {  # vertebroplasty and kyphoplasty
    "Do you have any of these now": "None of these",
    "How bad is your back": "3",
    "really bad, or getting worse": "No",
    "fever": "No",
    "numbness": "No",
    "started to ease": "Yes",
    "pain medicine": "Yes, and it helped",
    "brace": "I have no brace",
    "up and about": "About as usual",
}

FUSION_BENIGN = {
    "Do you have any of these now": "None of these",
    "How bad is your back": "3",
    "very bad, or getting worse": "No",
    "fever, or chills": "No",
    "Look at your wound": "No, it looks fine",
    "Is either leg": "No",
    "pain medicine": "Yes, and it helped",
    "brace or cast": "I have no brace",
    "up and about": "About as usual",
}
