"""The offline sync protocol between phone and server (SYNC.md): JSON API, schemas, delta tokens."""
