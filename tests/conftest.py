"""Fixtures shared by every test folder. Keep folder-specific fixtures in that folder."""
