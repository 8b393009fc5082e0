"""Contracts shared by every service: declarative, no I/O, never imports from services/."""
