"""Errors that end one document's run with a clear message (status ``failed``)."""


class InputError(Exception):
    """The file cannot be read as a report: corrupt, encrypted, empty, too large, unknown type."""
