"""Keys and encryption at rest of the station's personal data (issue 12, item 5)."""
