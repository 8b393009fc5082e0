"""Builders of small raw files (bytes) for the ingest tests (imported by test modules in this dir)."""

import gzip
import io
import zipfile

from airline_shared.raw_formats import ASA_COLUMNS, BTS_SIGNATURE

ASA_ROW = {
    "Year": "2008", "Month": "1", "DayofMonth": "3", "DayOfWeek": "4", "DepTime": "2003", "CRSDepTime": "1955",
    "ArrTime": "2211", "CRSArrTime": "2225", "UniqueCarrier": "WN", "FlightNum": "335", "TailNum": "N712SW",
    "ActualElapsedTime": "128", "CRSElapsedTime": "150", "AirTime": "116", "ArrDelay": "-14", "DepDelay": "8",
    "Origin": "IAD", "Dest": "TPA", "Distance": "810", "TaxiIn": "4", "TaxiOut": "8", "Cancelled": "0",
    "CancellationCode": "NA", "Diverted": "0", "CarrierDelay": "NA", "WeatherDelay": "NA", "NASDelay": "NA",
    "SecurityDelay": "NA", "LateAircraftDelay": "NA",
}  # fmt: skip


def asa_csv(rows: int = 3, columns: tuple[str, ...] = tuple(sorted(ASA_COLUMNS))) -> bytes:
    """An ASA file with the real file's alphabetical header order."""
    lines = [",".join(columns)] + [",".join(ASA_ROW[c] for c in columns) for _ in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def bts_csv(rows: int = 3) -> bytes:
    """A BTS monthly file: signature columns among others, and the trailing empty column."""
    header = ["Year", "Month", "FlightDate", *sorted(BTS_SIGNATURE - {"FlightDate"}), "Origin", "Dest", ""]
    row = ["2024", "1", "2024-01-05", "AA", "1234", "N101AA", "JFK", "LAX", ""]
    return ("\n".join([",".join(f'"{h}"' if h else "" for h in header)] + [",".join(row)] * rows) + "\n").encode()


def carriers_csv() -> bytes:
    return b'"Code","Description"\n"02Q","Titan Airways"\n"04Q","Tradewind Aviation"\n'


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data)


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


class CountingSource:
    """An S3-like object: serves byte ranges of `data` and counts what was fetched."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.bytes_served = 0
        self.requests = 0

    def fetch(self, start: int, stop: int) -> bytes:
        self.requests += 1
        chunk = self.data[start:stop]
        self.bytes_served += len(chunk)
        return chunk
