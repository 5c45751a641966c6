"""Keys and identifiers: Ed25519 Multikey keys, did:key, resolving verification methods."""
