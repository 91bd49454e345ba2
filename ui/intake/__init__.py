"""The 受理 area: find the item, then take in the application."""
