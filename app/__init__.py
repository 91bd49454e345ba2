"""OneWindow core: domain and services. No Qt widgets may be imported here."""

__version__ = "0.1.0"
