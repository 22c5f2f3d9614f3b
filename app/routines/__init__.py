"""Routines: the library staff read on the phone, versions, approval, search, read confirmations."""
