"""Objects of many gigabytes in the local cloud's S3 (moto), without holding them in memory.

moto joins the parts of a multipart upload in one bytearray and answers every GET, ranged or not,
by reading the whole object into memory: the seed's 12.5 GB file would need 25 GB or more. These
patches (the local cloud only; the services never see them) keep a completed multipart object in its
parts' files, serve a range by reading just that range, and stream a whole GET in chunks. Small objects and
everything else behave exactly as moto does.
"""

import bisect
import itertools
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

_CHUNK = 1 << 20
#: Multipart objects at least this large become file views; smaller ones stay bytes, exactly as moto keeps
#: them (moto's Lambda, for one, hashes a code zip's bytes).
LARGE_OBJECT_BYTES = 256 << 20
_lock = threading.Lock()
_applied = False
_moto_complete: Any = None  # moto's own FakeMultipart.complete, kept for small objects


class FileValue:
    """A read-only, bytes-like view of files laid end to end (a multipart object's parts): `len()`,
    slices and iteration read only what they need. It keeps its own descriptors of the parts' files:
    moto closes the parts when any copy of the key is disposed, the data stays readable here."""

    def __init__(self, parts: list[Any]) -> None:
        self.fds = [os.dup(part._value_buffer.fileno()) for part in parts]
        self.starts = list(itertools.accumulate((part.contentsize for part in parts), initial=0))
        self.size = self.starts[-1]

    def __del__(self) -> None:
        for fd in self.fds:
            os.close(fd)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, item: slice) -> bytes:
        start, stop, step = item.indices(self.size)
        if step != 1:
            raise ValueError("only contiguous slices of a file-backed S3 object")
        chunks = []
        index = max(0, bisect.bisect_right(self.starts, start) - 1)
        while start < stop and index < len(self.fds):
            offset = start - self.starts[index]
            length = min(stop, self.starts[index + 1]) - start
            chunks.append(os.pread(self.fds[index], length, offset))
            start += length
            index += 1
        return b"".join(chunks)

    def __iter__(self) -> Iterator[bytes]:
        for offset in range(0, self.size, _CHUNK):
            yield self[offset : offset + _CHUNK]


def _complete_on_disk(self: Any, body: Any) -> tuple[Any, str, Any]:
    """FakeMultipart.complete without joining the parts: the object is a view over the parts' files.

    Instant at any size (moto copies every part into one bytearray, which took minutes and 12+ GB).
    Objects under LARGE_OBJECT_BYTES are completed by moto itself.
    """
    import codecs

    from moto.s3.exceptions import EntityTooSmall, InvalidPart, MalformedXML
    from moto.s3.models import S3_UPLOAD_PART_MIN_SIZE, MultipartChecksumBuilder
    from moto.utilities.utils import md5_hash

    # Per-part (COMPOSITE) checksums are kept; a FULL_OBJECT checksum would need the whole body in
    # memory in moto's builder, so a large object completed here has none (nothing in the chain asks).
    algorithm = self.metadata.get("x-amz-checksum-algorithm")
    builder = MultipartChecksumBuilder(algorithm, self.metadata.get("x-amz-checksum-type"))
    per_part = bool(algorithm) and builder.checksum_type == "COMPOSITE"
    body = list(body)
    if sum(p.contentsize for n, _ in body if (p := self.parts.get(n)) is not None) < LARGE_OBJECT_BYTES:
        return _moto_complete(self, iter(body))
    md5s, parts = bytearray(), list[Any]()
    for number, etag in body:
        part = self.parts.get(number)
        if part is None or part.etag.replace('"', "") != etag.replace('"', ""):
            raise InvalidPart()
        if parts and parts[-1].contentsize < S3_UPLOAD_PART_MIN_SIZE:
            raise EntityTooSmall()
        md5s.extend(codecs.decode(part.etag.replace('"', ""), "hex"))
        part._value_buffer.rollover()  # a real file, so it can be shared and read with pread
        if per_part:
            builder.addPart(part.value)
        parts.append(part)
    if not parts:
        raise MalformedXML
    full = md5_hash()
    full.update(bytes(md5s))
    return FileValue(parts), f"{full.hexdigest()}-{len(parts)}", builder.build() if per_part else None


def allow_large_objects() -> None:
    """Patch moto's S3 models once per process (idempotent)."""
    global _applied
    with _lock:
        if _applied:
            return
        from moto.s3.models import FakeKey, FakeMultipart

        plain = FakeKey.__dict__["value"]
        read_plain: Callable[[Any], bytes] = plain.fget
        write_plain: Callable[[Any, Any], None] = plain.fset

        def get_value(self: Any) -> Any:
            stored = self.__dict__.get("_file_value")
            return stored if stored is not None else read_plain(self)

        def set_value(self: Any, new_value: Any) -> None:
            if isinstance(new_value, FileValue):
                self._file_value, self.contentsize = new_value, new_value.size
                return
            self.__dict__.pop("_file_value", None)
            write_plain(self, new_value)

        global _moto_complete
        _moto_complete = FakeMultipart.complete
        FakeKey.value = property(get_value, set_value)  # type: ignore[assignment,method-assign]
        FakeMultipart.complete = _complete_on_disk  # type: ignore[method-assign]
        _applied = True
