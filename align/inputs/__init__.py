"""Inputs: what the user names becomes documents: files, folders, glob patterns, JSONL
records and WARC crawls (``sources``), plain text (``plain``) and HTML pages (``html``)."""
