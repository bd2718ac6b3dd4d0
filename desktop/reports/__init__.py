"""Reports, exports and imports over the local store (no Qt)."""
