"""The error hierarchy: every failure the user can fix is an ``AlignError``."""


class AlignError(Exception):
    """Base class for errors reported to the user as one clear line."""


class InputError(AlignError):
    """An input could not be read: missing, a directory, binary or not UTF-8."""


class OutputError(AlignError):
    """An output could not be written, or would overwrite a file without ``--force``."""


class ModelError(AlignError):
    """A model is missing, broken or unusable."""


class CalibrationError(AlignError):
    """Labels cannot be learnt from, or a calibration file cannot be used."""


def unforeseen(where: str, exc: BaseException) -> str:
    """The message of one document (or row) that failed in an unforeseen way: its name
    and the exception, and with ``--debug`` (``ALIGN_DEBUG``) the whole traceback. The
    run goes on with the others."""
    import os
    import traceback

    if os.environ.get("ALIGN_DEBUG"):
        return f"{where}: could not be processed:\n" + "".join(traceback.format_exception(exc)).rstrip()
    return (f"{where}: could not be processed ({type(exc).__name__}: {exc}); run with --debug for the "
            "traceback, and please report it")
