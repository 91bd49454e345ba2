"""The supervisor's console (issue 16)."""
