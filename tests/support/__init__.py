"""Reusable test fixtures: a throwaway PostgreSQL cluster and the real server as a process.

``postgres.py`` and ``server_process.py`` are plain helpers with no pytest dependency beyond
what their docstrings name, so the server tests, the desktop sync client tests and the
benchmarks can all use them.
"""
