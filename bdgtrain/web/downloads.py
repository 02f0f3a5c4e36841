"""Files sent while they are written (services/core/xlsx_stream.py): the request stays open (its
database session too) until the last chunk, so the rows are read as they are sent.

The request boundary's after-request hooks run before the body is sent: the access-log entry a view
noted is committed first, then the rows are read in a transaction of their own.
"""
from __future__ import annotations

from typing import Iterator

from flask import Response, stream_with_context

from .. import database
from ..extensions import db
from ..services.core.xlsx_stream import CSV_MIMETYPE, XLSX_MIMETYPE
from .common import content_disposition


def _reading(chunks: Iterator[bytes]) -> Iterator[bytes]:
    # A download of 100,000 rows may take seconds: it reads beside SQLite's writers (check-in goes on).
    database.read_first(db.session)
    yield from chunks


def streamed_file(chunks: Iterator[bytes], filename: str, mimetype: str = XLSX_MIMETYPE) -> Response:
    """An attachment named `filename` whose body is `chunks`, produced only as the client reads."""
    response = Response(stream_with_context(_reading(chunks)), mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response


def streamed_xlsx(chunks: Iterator[bytes], filename: str) -> Response:
    return streamed_file(chunks, filename, XLSX_MIMETYPE)


def streamed_csv(chunks: Iterator[bytes], filename: str) -> Response:
    return streamed_file(chunks, filename, CSV_MIMETYPE)
