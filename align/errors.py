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
