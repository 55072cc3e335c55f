"""Exceptions a caller can act on. Every message says what to do."""


class CalfnlpError(Exception):
    """Base class for errors raised by calfnlp."""


class InputError(CalfnlpError, ValueError):
    """The text handed to calfnlp cannot be classified (empty, too long, not text)."""


class RulesError(CalfnlpError, ValueError):
    """A packaged lexicon or rule file is malformed; the message names the file and line."""


class ModelError(CalfnlpError, RuntimeError):
    """The cause model is missing, altered or cannot be applied."""
