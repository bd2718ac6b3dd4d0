"""Errors the services raise, all subclasses of gocua's ValidationFailed so callers show one kind."""

from __future__ import annotations

from gocua.validation import FieldError, ValidationFailed


class NotFound(ValidationFailed):
    """A referenced row (household, person, area) does not exist or was deleted."""

    def __init__(self, field: str, what_en: str, what_vi: str):
        super().__init__(
            [FieldError(field, "not_found", f"{what_en} not found", f"Không tìm thấy {what_vi}")]
        )


class NotAllowed(ValidationFailed):
    """The signed-in user's role may not do this (a volunteer merging duplicates)."""

    def __init__(self, message_en: str, message_vi: str):
        super().__init__([FieldError("role", "forbidden", message_en, message_vi)])
