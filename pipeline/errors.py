"""Exceptions that carry a clear message naming the file and the problem."""

from __future__ import annotations

from .datamodel.base import ErrorCode


class NianbaoError(Exception):
    """Base class for errors nianbao reports to its user."""


class ConfigError(NianbaoError):
    """A config file is missing, unreadable or invalid."""


class InputError(NianbaoError):
    """An input file cannot be read as a report; `code` names the problem for the record."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


class OcrUnavailableError(NianbaoError):
    """The chosen OCR engine cannot run here: a package, binary, language or weight is missing.

    The message names what is missing and how to install it.
    """
