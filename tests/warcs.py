"""Build WARC files for tests with warcio's own writer."""
from __future__ import annotations

from io import BytesIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def write_warc(path, records, gzip: bool = True) -> None:
    """``records``: ``(kind, url, content_type, body bytes)``; kind is ``response``,
    ``request`` or ``metadata``. Each record is its own gzip member, as crawlers write."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        for kind, url, ctype, body in records:
            http = None
            if kind == "response":
                http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, kind, payload=BytesIO(body), http_headers=http)
            writer.write_record(record)
