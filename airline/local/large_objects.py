"""Objects of many gigabytes in the local cloud's S3 (moto), without holding them in memory.

moto joins the parts of a multipart upload in one bytearray and answers every GET, ranged or not,
by reading the whole object into memory: the seed's 12.5 GB file would need 25 GB or more. These
patches (the local cloud only; the services never see them) keep a completed multipart object in a
file, serve a range by reading just that range, and stream a whole GET in chunks. Small objects and
everything else behave exactly as moto does.
"""

import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from typing import Any

_CHUNK = 1 << 20
_lock = threading.Lock()
_applied = False


class FileValue:
    """A read-only, bytes-like view of a file: `len()`, slices and iteration read only what they need."""

    def __init__(self, handle: Any, size: int) -> None:
        self.handle, self.size = handle, size

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, item: slice) -> bytes:
        start, stop, step = item.indices(self.size)
        if step != 1:
            raise ValueError("only contiguous slices of a file-backed S3 object")
        return os.pread(self.handle.fileno(), max(0, stop - start), start)

    def __iter__(self) -> Iterator[bytes]:
        for offset in range(0, self.size, _CHUNK):
            yield self[offset : offset + _CHUNK]


def _copy_part(part: Any, sink: Any) -> int:
    """Append one uploaded part (moto keeps it in a spooled temp file) to sink; its size."""
    with part.lock:
        part._value_buffer.seek(0)
        copied = 0
        while chunk := part._value_buffer.read(_CHUNK):
            sink.write(chunk)
            copied += len(chunk)
    return copied


def _complete_on_disk(self: Any, body: Any) -> tuple[Any, str, Any]:
    """FakeMultipart.complete, with the parts joined in a temp file instead of a bytearray."""
    import codecs

    from moto.s3.exceptions import EntityTooSmall, InvalidPart, MalformedXML
    from moto.s3.models import S3_UPLOAD_PART_MIN_SIZE, MultipartChecksumBuilder
    from moto.utilities.utils import md5_hash

    # Per-part (COMPOSITE) checksums are kept; a FULL_OBJECT checksum would need the whole body in
    # memory in moto's builder, so a large object completed here has none (nothing in the chain asks).
    algorithm = self.metadata.get("x-amz-checksum-algorithm")
    builder = MultipartChecksumBuilder(algorithm, self.metadata.get("x-amz-checksum-type"))
    per_part = bool(algorithm) and builder.checksum_type == "COMPOSITE"
    md5s, last, count, size = bytearray(), None, 0, 0
    sink = tempfile.TemporaryFile(prefix="local-cloud-s3-")  # noqa: SIM115 - it becomes the key's body
    for number, etag in body:
        part = self.parts.get(number)
        if part is None or part.etag.replace('"', "") != etag.replace('"', ""):
            raise InvalidPart()
        if last is not None and last.contentsize < S3_UPLOAD_PART_MIN_SIZE:
            raise EntityTooSmall()
        md5s.extend(codecs.decode(part.etag.replace('"', ""), "hex"))
        size += _copy_part(part, sink)
        if per_part:
            builder.addPart(part.value)
        last, count = part, count + 1
    if count == 0:
        raise MalformedXML
    sink.flush()
    full = md5_hash()
    full.update(bytes(md5s))
    return FileValue(sink, size), f"{full.hexdigest()}-{count}", builder.build() if per_part else None


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
                self._value_buffer.close()
                self._value_buffer, self._file_value = new_value.handle, new_value
                self.contentsize = new_value.size
                return
            self.__dict__.pop("_file_value", None)
            write_plain(self, new_value)

        FakeKey.value = property(get_value, set_value)  # type: ignore[assignment,method-assign]
        FakeMultipart.complete = _complete_on_disk  # type: ignore[method-assign]
        _applied = True
