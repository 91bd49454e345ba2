"""Supervisors' daily, weekly and monthly summaries (统计)."""
