"""A seekable read-only file over ranged reads, so gzip/zipfile read only the bytes they need."""

import io
from collections.abc import Callable

#: fetch(start, stop) returns the bytes [start, stop) of the object.
RangeFetcher = Callable[[int, int], bytes]


class RangedReader(io.BufferedIOBase):
    """File-like view of a remote object of known `size`, fetched in blocks of `block_size` bytes.

    `bytes_fetched` and `fetches` tell how much was actually transferred (asserted in tests).
    """

    def __init__(self, fetch: RangeFetcher, size: int, block_size: int = 1024 * 1024) -> None:
        super().__init__()
        self._fetch = fetch
        self._size = size
        self._block_size = block_size
        self._pos = 0
        self._block_start = 0
        self._block = b""
        self.bytes_fetched = 0
        self.fetches = 0

    @property
    def size(self) -> int:
        return self._size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        position = base + offset
        if position < 0:
            raise OSError(f"negative seek position {position}")
        self._pos = position
        return position

    def read(self, size: int | None = -1, /) -> bytes:
        """Up to `size` bytes from the current position (to the end of the object when negative)."""
        wanted = self._size - self._pos if size is None or size < 0 else min(size, max(self._size - self._pos, 0))
        buffer = bytearray(wanted)
        return bytes(buffer[: self.readinto(buffer)])

    def read1(self, size: int = -1, /) -> bytes:
        return self.read(size)

    def readinto(self, buffer: bytearray | memoryview, /) -> int:  # type: ignore[override]
        """Fill `buffer` fully unless the end of the object comes first (zipfile relies on full reads)."""
        view = memoryview(buffer).cast("B")
        filled = 0
        while filled < len(view) and self._pos < self._size:
            if not self._block_start <= self._pos < self._block_start + len(self._block):
                self._load_block(wanted=len(view) - filled)
            offset = self._pos - self._block_start
            chunk = self._block[offset : offset + len(view) - filled]
            view[filled : filled + len(chunk)] = chunk
            filled += len(chunk)
            self._pos += len(chunk)
        return filled

    def _load_block(self, wanted: int) -> None:
        stop = min(self._size, self._pos + max(wanted, self._block_size))
        data = self._fetch(self._pos, stop)
        if not data:
            raise OSError(f"empty read at offset {self._pos} of a {self._size}-byte object")
        self._block_start, self._block = self._pos, data
        self.bytes_fetched += len(data)
        self.fetches += 1
