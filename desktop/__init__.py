"""Gõ Cửa desktop app: store, services, sync, reports and the Qt user interface."""
