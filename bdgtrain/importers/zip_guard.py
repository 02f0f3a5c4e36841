"""The zip-bomb guard of .xlsx uploads (issue 20): inflate every member, counting what actually comes out.

The sizes a zip declares in its central directory are the sender's word, and calamine believes them;
here each member's deflate stream is inflated a megabyte at a time with a running count, and the file
is refused at the first byte past what a member declares or past MAX_UNZIPPED_BYTES in all.
"""
from __future__ import annotations

import struct
import zipfile
import zlib

from bdgtrain.messages import Message

from .results import ReadError

MAX_UNZIPPED_BYTES = 400 * 1024 * 1024  # a 20 MB list unzips to far less; this stops zip bombs
_INFLATE_OUT = 1024 * 1024  # bytes inflated per step: memory stays at about this much per member
_INFLATE_IN = 64 * 1024


def unzips_too_large(filename: str) -> ReadError:
    return ReadError("file.too_large", Message("Tệp “%(file)s” khi giải nén quá lớn để đọc (quá %(limit)s MB). "
                                               "Hãy chia danh sách thành nhiều tệp.", file=filename,
                                               limit=MAX_UNZIPPED_BYTES // 1048576))


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # the 30 bytes before a member's name (zipfile's own layout)


def check_inflated(data: bytes, infos: list[zipfile.ZipInfo], filename: str, damaged: ReadError) -> None:
    """Inflate every member, counting what actually comes out; refuse past what it declares or the limit.

    Each member's deflate stream is read from its local header to the stream's own end (not to the
    size the directory gives), 64 KB in and at most 1 MB out at a time, so that a member lying about
    its size costs one megabyte of memory and stops at the first byte past its declared size; the
    whole file stops at MAX_UNZIPPED_BYTES. A member that gives more than it declares is refused:
    calamine would believe the declaration and build from the rest."""
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise damaged  # Excel writes nothing else; calamine's other decoders are not counted here
        try:
            fields = _LOCAL_HEADER.unpack_from(data, info.header_offset)
        except struct.error:
            raise damaged from None
        if fields[0] != b"PK\x03\x04":
            raise damaged
        start = info.header_offset + _LOCAL_HEADER.size + fields[10] + fields[11]
        declared = info.file_size
        if info.compress_type == zipfile.ZIP_STORED:
            produced = min(max(info.compress_size, declared), max(len(data) - start, 0))
            if produced > declared or total + produced > MAX_UNZIPPED_BYTES:
                raise unzips_too_large(filename) if total + produced > MAX_UNZIPPED_BYTES else damaged
            total += produced
            continue
        total = _inflate_counted(data, start, declared, total, filename, damaged)


def _inflate_counted(data: bytes, start: int, declared: int, total: int, filename: str,
                     damaged: ReadError) -> int:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced, position = 0, start
    pending = b""
    while not inflater.eof:
        if not pending:
            if position >= len(data):
                break  # a truncated stream: calamine decides (it will find the member damaged)
            pending = data[position:position + _INFLATE_IN]
            position += len(pending)
        try:
            out = inflater.decompress(pending, _INFLATE_OUT)
        except zlib.error:
            raise damaged from None
        pending = inflater.unconsumed_tail
        produced += len(out)
        if total + produced > MAX_UNZIPPED_BYTES:
            raise unzips_too_large(filename)
        if produced > declared:
            raise ReadError("file.too_large", Message(
                "Tệp “%(file)s” ghi sai kích thước khi giải nén (có thể là tệp được làm ra để làm treo máy chủ) "
                "nên không đọc. Hãy mở tệp bằng Excel, lưu lại rồi gửi lại.", file=filename))
    return total + produced
