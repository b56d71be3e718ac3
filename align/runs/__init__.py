"""Corpus-scale runs: a scorer per process (``registry``), chunks of documents done here,
in worker processes or on Dask (``engine``), and the journal that makes a run resumable,
its lock, deduplication and progress (``journal``)."""
