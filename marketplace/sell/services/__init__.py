"""Writes of the vendor workspace: the vendor's weekly digest (digest.py)."""
