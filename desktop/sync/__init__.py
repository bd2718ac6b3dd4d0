"""The device side of shared/SYNC.md: HTTP client, credentials, and the push/pull engine (no Qt)."""
