"""Sniffing raw files by content: accepted layouts and wrappers, and every rejection reason."""

import io
import random
import zipfile

import pytest
from airline_shared.raw_formats import ASA_COLUMNS, Compression, RawFormat
from ingest.logic.errors import FileRejected
from ingest.logic.ranged_reader import RangedReader
from ingest.logic.sniff import sniff_file
from ingest.models.settings import SniffLimits
from ingest_samples import CountingSource, asa_csv, bts_csv, carriers_csv, gzipped, zipped

LIMITS = SniffLimits()
#: A budget the large test files exceed, so only their prefix (and a zip's directory) may be read.
SMALL_VERIFY = SniffLimits(max_verify_bytes=1024 * 1024)
LARGE_TAIL = b"2008,1,3\n" * 4_500_000


def sniff(data: bytes, limits: SniffLimits = LIMITS):
    return sniff_file(io.BytesIO(data), len(data), limits)


def rejection_code(data: bytes, limits: SniffLimits = LIMITS) -> str:
    with pytest.raises(FileRejected) as caught:
        sniff(data, limits)
    return caught.value.reason.code


# --- accepted ---------------------------------------------------------------------------------


def test_asa_file_with_alphabetical_header_is_accepted():
    # Given an ASA file whose header is in the real file's alphabetical order
    data = asa_csv(rows=5)
    # When it is sniffed
    sniffed = sniff(data)
    # Then it is ASA, uncompressed, with the 5 rows sampled
    assert (sniffed.format, sniffed.compression, sniffed.rows_sampled) == (RawFormat.ASA, Compression.NONE, 5)


def test_asa_file_in_documented_column_order_is_accepted():
    sniffed = sniff(asa_csv(rows=1, columns=ASA_COLUMNS))
    assert sniffed.format is RawFormat.ASA


def test_bts_monthly_csv_with_trailing_empty_column_is_accepted():
    sniffed = sniff(bts_csv(rows=4))
    assert (sniffed.format, sniffed.rows_sampled) == (RawFormat.BTS, 4)


def test_carriers_lookup_is_accepted():
    sniffed = sniff(carriers_csv())
    assert (sniffed.format, sniffed.rows_sampled) == (RawFormat.CARRIERS, 2)


def test_gzip_wrapped_asa_file_is_accepted_as_gzip():
    sniffed = sniff(gzipped(asa_csv(rows=2)))
    assert (sniffed.format, sniffed.compression) == (RawFormat.ASA, Compression.GZIP)


def test_zip_wrapped_bts_file_is_accepted_with_its_member_name():
    # Given a BTS monthly zip as the BTS site serves it (a readme next to the CSV)
    data = zipped({"readme.html": b"<html></html>", "On_Time_2024_1.csv": bts_csv(rows=3)})
    # When it is sniffed
    sniffed = sniff(data)
    # Then the CSV member is what was classified
    assert (sniffed.format, sniffed.compression, sniffed.member) == (
        RawFormat.BTS,
        Compression.ZIP,
        "On_Time_2024_1.csv",
    )


def test_zip_with_several_csvs_is_classified_by_the_first_csv():
    sniffed = sniff(zipped({"a.csv": carriers_csv(), "b.csv": asa_csv()}))
    assert (sniffed.format, sniffed.member) == (RawFormat.CARRIERS, "a.csv")


def test_file_name_plays_no_part_content_decides():
    # Given carriers content (names are not even known to the sniffer): still carriers
    assert sniff(carriers_csv()).format is RawFormat.CARRIERS


def test_latin1_text_is_accepted_as_latin1():
    data = '"Code","Description"\n"ZZZ","Líneas Aéreas Costarricenses"\n'.encode("latin-1")
    assert sniff(data).encoding == "latin-1"


def test_utf8_with_bom_is_accepted():
    assert sniff(b"\xef\xbb\xbf" + carriers_csv()).format is RawFormat.CARRIERS


def test_sample_stops_at_configured_row_count():
    sniffed = sniff(asa_csv(rows=50), SniffLimits(sample_rows=10))
    assert sniffed.rows_sampled == 10


# --- rejected ---------------------------------------------------------------------------------


def test_zero_byte_file_is_rejected_as_empty():
    assert rejection_code(b"") == "empty"


def test_whitespace_only_file_is_rejected_as_empty():
    assert rejection_code(b"\n\n  \r\n") == "empty"


def test_gzip_of_nothing_is_rejected_as_empty():
    assert rejection_code(gzipped(b"")) == "empty"


def test_header_without_rows_is_rejected_as_header_only():
    assert rejection_code(asa_csv(rows=0)) == "header_only"


def test_unknown_header_is_rejected_as_unknown_layout():
    assert rejection_code(b"name,age\nalice,30\n") == "unknown_layout"


def test_asa_header_missing_one_column_is_rejected_as_unknown_layout():
    columns = tuple(c for c in ASA_COLUMNS if c != "TailNum")
    assert rejection_code(asa_csv(rows=2, columns=columns)) == "unknown_layout"


def test_rows_narrower_than_the_header_are_rejected_as_unknown_layout():
    data = b'"Code","Description"\n' + b"AA\n" * 10
    assert rejection_code(data) == "unknown_layout"


def test_semicolon_separated_file_is_rejected_as_unknown_layout():
    data = asa_csv(rows=2).replace(b",", b";")
    assert rejection_code(data) == "unknown_layout"


def test_binary_junk_is_rejected_as_binary():
    data = bytes(range(256)) * 40
    assert rejection_code(data) == "binary"


def test_png_image_is_rejected_as_binary():
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(500)
    assert rejection_code(data) == "binary"


def test_utf16_text_is_rejected_as_undecodable():
    assert rejection_code(carriers_csv().decode().encode("utf-16")) == "undecodable"


def test_windows_1252_smart_quotes_are_rejected_as_undecodable():
    data = '"Code","Description"\n"XX","Joe\u2019s Air"\n'.encode("cp1252")
    assert rejection_code(data) == "undecodable"


def test_zip_holding_no_csv_is_rejected_as_zip_without_csv():
    assert rejection_code(zipped({"report.pdf": b"%PDF-1.4", "notes.txt": b"hello"})) == "zip_without_csv"


def test_empty_zip_is_rejected_as_zip_without_csv():
    assert rejection_code(zipped({})) == "zip_without_csv"


def test_zip_bomb_is_rejected_as_archive_too_large():
    # Given a zip whose CSV expands far beyond the allowed compression ratio
    data = zipped({"bomb.csv": b"0" * 5_000_000})
    # Then it is rejected before anything is decompressed
    assert rejection_code(data) == "archive_too_large"


def test_zip_declaring_more_than_the_uncompressed_limit_is_rejected():
    data = zipped({"big.csv": asa_csv(rows=200)})
    assert rejection_code(data, SniffLimits(max_uncompressed_bytes=1000)) == "archive_too_large"


def test_plain_file_above_the_size_limit_is_rejected_as_too_large():
    assert rejection_code(asa_csv(rows=50), SniffLimits(max_uncompressed_bytes=1000)) == "too_large"


def test_truncated_zip_is_rejected_as_unreadable():
    assert rejection_code(zipped({"a.csv": asa_csv()})[:-30]) == "unreadable"


def test_corrupt_gzip_is_rejected_as_unreadable():
    data = bytearray(gzipped(asa_csv(rows=20)))
    data[20:40] = b"\xff" * 20
    assert rejection_code(bytes(data)) == "unreadable"


def test_encrypted_zip_member_is_rejected_as_unreadable():
    # Given a zip whose CSV entry has the "encrypted" flag set in both headers
    data = bytearray(zipped({"a.csv": asa_csv()}))
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature) + flag_offset
        data[at] |= 0x1
    assert rejection_code(bytes(data)) == "unreadable"


def test_line_longer_than_the_sample_budget_is_rejected_as_unknown_layout():
    data = b"x" * 10_000 + b"\n1\n"
    assert rejection_code(data, SniffLimits(max_sample_bytes=4096)) == "unknown_layout"


def test_rejection_message_names_what_was_expected():
    with pytest.raises(FileRejected) as caught:
        sniff(b"name,age\nalice,30\n")
    assert "ASA" in caught.value.reason.message and "name, age" in caught.value.reason.message


# --- bounded reads ----------------------------------------------------------------------------


def test_large_plain_file_is_sniffed_from_a_bounded_prefix():
    # Given a ~40 MB object (ASA rows, then a tail the sniffer must never need) behind a counting source
    source = CountingSource(asa_csv(rows=1500) + LARGE_TAIL)
    reader = RangedReader(source.fetch, len(source.data), block_size=256 * 1024)
    # When it is sniffed with the default 1000-row sample
    sniffed = sniff_file(reader, len(source.data), LIMITS)
    # Then only a small prefix was transferred
    assert sniffed.rows_sampled == 1000
    assert len(source.data) > 40_000_000
    assert source.bytes_served <= 512 * 1024


def test_zip_above_the_verify_budget_reads_directory_and_member_prefix_only():
    # Given a zip with a big stored (uncompressed) CSV member of ~40 MB
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("big.csv", asa_csv(rows=1500) + LARGE_TAIL)
    source = CountingSource(buffer.getvalue())
    reader = RangedReader(source.fetch, len(source.data), block_size=256 * 1024)
    # When it is sniffed with an integrity-check budget it exceeds
    sniffed = sniff_file(reader, len(source.data), SMALL_VERIFY)
    # Then the tail (central directory) and a prefix of the member were read, nothing more
    assert (sniffed.format, sniffed.integrity_checked) == (RawFormat.ASA, False)
    assert source.bytes_served <= 1024 * 1024


def test_gzip_above_the_verify_budget_is_sniffed_from_a_bounded_prefix():
    # Given a gzip whose first rows are ASA and whose ~8 MB tail is incompressible (never to be read)
    source = CountingSource(gzipped(asa_csv(rows=2000) + random.Random(1).randbytes(4_000_000).hex().encode()))
    reader = RangedReader(source.fetch, len(source.data), block_size=256 * 1024)
    # When it is sniffed with an integrity-check budget it exceeds
    sniffed = sniff_file(reader, len(source.data), SMALL_VERIFY)
    # Then only the first blocks of the compressed stream were fetched
    assert (sniffed.compression, sniffed.integrity_checked) == (Compression.GZIP, False)
    assert source.bytes_served <= 512 * 1024 < len(source.data)


# --- every zip member, whole-stream integrity (issue 15) -----------------------------------------


def rejection(data: bytes, limits: SniffLimits = LIMITS) -> FileRejected:
    with pytest.raises(FileRejected) as caught:
        sniff(data, limits)
    return caught.value


def test_second_oversized_zip_member_is_rejected_naming_it():
    # Given a small good CSV first and a second member that expands far beyond the ratio limit
    data = zipped({"good.csv": asa_csv(rows=3), "huge.csv": b"0" * 20_000_000})
    # When it is sniffed, Then the archive is refused from its directory, naming the member
    refused = rejection(data)
    assert refused.reason.code == "archive_too_large"
    assert "huge.csv" in refused.reason.message


def test_oversized_non_csv_member_is_rejected_too():
    data = zipped({"good.csv": asa_csv(rows=3), "padding.bin": b"\0" * 20_000_000})
    assert "padding.bin" in rejection(data).reason.message


def test_members_together_above_the_archive_limit_are_rejected():
    # Given two members each under the limit but not together
    data = zipped({"a.csv": asa_csv(rows=100), "b.csv": asa_csv(rows=100)})
    size = len(asa_csv(rows=100))
    # When the archive limit sits between one member and both
    refused = rejection(data, SniffLimits(max_archive_bytes=size + 10))
    # Then the total is refused
    assert refused.reason.code == "archive_too_large" and f"{2 * size} uncompressed bytes in 2 files" in (
        refused.reason.message
    )


def test_archive_limit_defaults_far_below_the_plain_file_limit():
    assert LIMITS.max_archive_bytes * 3 <= LIMITS.max_uncompressed_bytes


def test_zip_with_too_many_members_is_rejected():
    data = zipped({f"part{i}.csv": asa_csv(rows=1) for i in range(6)})
    assert rejection(data, SniffLimits(max_zip_members=5)).reason.code == "archive_too_large"


@pytest.mark.parametrize("name", ["../../etc/cron.d/x.csv", "/abs/x.csv", "a/../../x.csv"])
def test_member_escaping_its_folder_is_rejected(name: str):
    data = zipped({"good.csv": asa_csv(rows=3), name: asa_csv(rows=1)})
    refused = rejection(data)
    assert refused.reason.code == "unreadable" and name in refused.reason.message


def test_corrupt_second_csv_member_is_rejected_naming_it():
    # Given a zip whose second CSV has damaged compressed bytes (its directory entry is intact)
    second = asa_csv(rows=3000)
    data = bytearray(zipped({"a.csv": asa_csv(rows=3), "b.csv": second}))
    start = data.find(b"b.csv") + len("b.csv") + 100  # inside b.csv's deflate data
    data[start : start + 16] = bytes(16)
    # When it is sniffed, Then the integrity check names the member
    refused = rejection(bytes(data))
    assert refused.reason.code == "unreadable" and "b.csv" in refused.reason.message


def test_good_zip_is_read_to_its_end_and_marked_verified():
    sniffed = sniff(zipped({"readme.html": b"<html></html>", "a.csv": asa_csv(rows=2000)}))
    assert (sniffed.format, sniffed.integrity_checked) == (RawFormat.ASA, True)


def test_truncated_gzip_is_rejected_even_when_the_sample_is_fine():
    # Given a gzip cut short after the sampled rows (an interrupted upload)
    data = gzipped(asa_csv(rows=5000))[:-20]
    # When it is sniffed
    refused = rejection(data)
    # Then it is refused as truncated
    assert refused.reason.code == "unreadable" and "truncated" in refused.reason.message


def test_gzip_with_junk_after_its_stream_is_rejected():
    refused = rejection(gzipped(asa_csv(rows=5000)) + b"this is not gzip data")
    assert refused.reason.code == "unreadable" and "corrupt" in refused.reason.message


def test_gzip_with_a_wrong_checksum_is_rejected():
    data = bytearray(gzipped(asa_csv(rows=5000)))
    data[-8] ^= 0xFF  # first byte of the CRC-32 in the trailer
    assert rejection(bytes(data)).reason.code == "unreadable"


def test_gzip_expanding_like_a_bomb_after_the_sample_is_rejected():
    data = gzipped(asa_csv(rows=1500) + b"0" * 30_000_000)
    assert rejection(data).reason.code == "archive_too_large"


def test_good_gzip_is_read_to_its_end_and_marked_verified():
    sniffed = sniff(gzipped(asa_csv(rows=5000)))
    assert (sniffed.compression, sniffed.integrity_checked) == (Compression.GZIP, True)
