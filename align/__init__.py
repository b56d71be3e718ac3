"""align: pair Hebrew and English captions and sentences into a parallel corpus, offline.

The stable Python surface is ``__all__``: ``pair_captions``, ``align_documents``,
``check_pairs``, ``detect``, ``write`` (a corpus in any format, with its signature)
and ``signature`` (see ``align.api``), the records they return (``Pair``,
``Bead``, ``Checked``, ``Segment``; each has ``to_dict``) and the errors (``AlignError``
and its kinds ``InputError``, ``OutputError``, ``ModelError``, ``CalibrationError``). Everything
else is internal. Nothing heavy is imported until it is used.
"""

__version__ = "0.12.0"

__all__ = ["pair_captions", "align_documents", "check_pairs", "detect", "write", "signature", "Pair", "Bead", "Checked",
           "Segment", "AlignError", "InputError", "OutputError", "ModelError", "CalibrationError",
           "__version__"]

_HOMES = {"pair_captions": "api", "align_documents": "api", "check_pairs": "api", "detect": "api",
          "write": "api", "signature": "api",
          "Bead": "records", "Pair": "records", "Checked": "review.check", "Segment": "records",
          "AlignError": "errors", "InputError": "errors", "OutputError": "errors", "ModelError": "errors",
          "CalibrationError": "errors"}


def __getattr__(name: str):
    """The public names, imported on first use (``import align`` stays light)."""
    if name in _HOMES:
        import importlib

        module = importlib.import_module(f".{_HOMES[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'align' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
