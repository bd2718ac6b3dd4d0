"""Passwords the server makes for a new account or a reset: read aloud once, typed by hand.

An official reads it to a volunteer over the phone or writes it on paper, so: lower case
only, no letter that Vietnamese does not use (``f``, ``j``, ``w``, ``z``: awkward to spell out
in Vietnamese), none that is mistaken for another (``i``, ``l``, ``o`` against ``1``, ``0``),
no digit ``0`` or ``1``, and groups of four joined by ``-``. Three groups: 12 symbols from 27,
about 57 bits, ample behind the login rate limit and argon2.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence

ALPHABET = "abcdeghkmnpqrstuvxy23456789"
GROUPS, GROUP_LENGTH = 3, 4


def generate(choice: Callable[[Sequence[str]], str] = secrets.choice) -> str:
    """A fresh password; ``choice`` is the random source (tests pass a seeded one)."""
    return "-".join("".join(choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))
