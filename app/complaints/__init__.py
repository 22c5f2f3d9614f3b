"""Synpunkter och klagomål: the public page, complaints registered by staff, the answer and its mail."""
