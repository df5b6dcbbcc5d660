"""The daily check-in: scheduling it, asking its questions, recording the answers.

Other features use only the names below; the modules inside are this room's own.
"""

from services.checkin.answers import may_answer

__all__ = ["may_answer"]
