"""Errors a user may see: each carries one plain Chinese sentence."""


class CreditDeskError(Exception):
    """Base of every error that is meant for the user; str() is the message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DatabaseUnavailable(CreditDeskError):
    """The database cannot be reached or opened."""


class SchemaNotReady(CreditDeskError):
    """The database exists but its schema is missing or older than this program."""


class NotFound(CreditDeskError):
    """A looked-up thing does not exist."""


class InvalidRequest(CreditDeskError):
    """A request breaks a rule of the policy (period, domains, ...)."""
