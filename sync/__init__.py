"""The offline sync protocol between phone and server (docs/SYNC.md): JSON API, schemas, delta tokens."""
