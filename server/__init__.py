"""Gõ Cửa central server: FastAPI over PostgreSQL (SQLite as the embedded default)."""
