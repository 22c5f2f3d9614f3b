"""Tests of the findings of the attack on a running copy (SECURITY.md)."""
