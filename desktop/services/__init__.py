"""Use cases the UI and the command line call. Each is one transaction with its outbox entries."""

from desktop.services.errors import NotAllowed, NotFound
from desktop.services.merge import MergeResult
from desktop.services.usecases import ItemChange, Services
from gocua.validation import FieldError, ValidationFailed

__all__ = [
    "FieldError",
    "ItemChange",
    "MergeResult",
    "NotAllowed",
    "NotFound",
    "Services",
    "ValidationFailed",
]
