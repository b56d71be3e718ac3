"""align: pair Hebrew and English captions and sentences into a parallel corpus, offline."""

__version__ = "0.1.0"
