"""Media: validation, metadata stripping and storage of photos (arrives with the report issue)."""
