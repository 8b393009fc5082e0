"""Safe in-memory extraction of SageMaker's model.tar.gz: flat regular files only, bounded sizes."""

import io
import tarfile

import pytest
from trainer.logic.errors import InvalidBundleError, UnsafeArchiveError
from trainer.logic.verification import ExtractionLimits, extract_bundle_files
from trainer_support import bundle_files, tar_gz, tar_gz_with_member

LIMITS = ExtractionLimits(max_file_bytes=1_000_000, max_total_bytes=2_000_000)


def _member(name: str, kind: bytes = tarfile.REGTYPE, size: int = 0, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = size
    info.linkname = linkname
    return info


def test_flat_bundle_archive_yields_every_file_byte_for_byte() -> None:
    files = bundle_files()
    assert extract_bundle_files(tar_gz(files), LIMITS) == files


def test_dot_slash_prefixed_archive_with_root_entry_is_accepted() -> None:
    # Given an archive made with `tar -C model_dir -czf model.tar.gz .`
    files = bundle_files()
    # When extracted / Then names are flat
    assert extract_bundle_files(tar_gz(files, prefix="./"), LIMITS) == files


def test_parent_directory_traversal_is_rejected() -> None:
    archive = tar_gz_with_member(bundle_files(), _member("../../etc/cron.d/evil", size=3), b"bad")
    with pytest.raises(UnsafeArchiveError, match="path traversal"):
        extract_bundle_files(archive, LIMITS)


def test_absolute_path_is_rejected() -> None:
    archive = tar_gz_with_member(bundle_files(), _member("/tmp/evil", size=3), b"bad")
    with pytest.raises(UnsafeArchiveError, match="absolute"):
        extract_bundle_files(archive, LIMITS)


def test_symlink_member_is_rejected() -> None:
    archive = tar_gz_with_member(bundle_files(), _member("link", kind=tarfile.SYMTYPE, linkname="/etc/passwd"))
    with pytest.raises(UnsafeArchiveError, match="not a regular file"):
        extract_bundle_files(archive, LIMITS)


def test_hard_link_member_is_rejected() -> None:
    archive = tar_gz_with_member(bundle_files(), _member("hard", kind=tarfile.LNKTYPE, linkname="manifest.json"))
    with pytest.raises(UnsafeArchiveError, match="not a regular file"):
        extract_bundle_files(archive, LIMITS)


def test_nested_file_is_rejected() -> None:
    archive = tar_gz_with_member(bundle_files(), _member("code/extra.py", size=2), b"x=")
    with pytest.raises(UnsafeArchiveError, match="nested"):
        extract_bundle_files(archive, LIMITS)


def test_file_over_the_per_file_cap_is_rejected_before_reading() -> None:
    files = bundle_files()
    small = ExtractionLimits(max_file_bytes=100, max_total_bytes=10_000_000)
    with pytest.raises(UnsafeArchiveError, match="cap"):
        extract_bundle_files(tar_gz(files), small)


def test_archive_over_the_total_cap_is_rejected() -> None:
    files = {f"f{i}.bin": b"x" * 600 for i in range(4)}
    limits = ExtractionLimits(max_file_bytes=1000, max_total_bytes=2000)
    with pytest.raises(UnsafeArchiveError, match="exceeds 2000 bytes"):
        extract_bundle_files(tar_gz(files), limits)


def test_too_many_members_are_rejected() -> None:
    files = {f"f{i}.txt": b"" for i in range(10)}
    with pytest.raises(UnsafeArchiveError, match="more than 5 members"):
        extract_bundle_files(tar_gz(files), ExtractionLimits(1000, 1000, max_members=5))


def test_duplicate_member_is_rejected() -> None:
    archive = tar_gz_with_member({"manifest.json": b"{}"}, _member("./manifest.json", size=2), b"{}")
    with pytest.raises(UnsafeArchiveError, match="twice"):
        extract_bundle_files(archive, LIMITS)


def test_bytes_that_are_not_an_archive_are_an_invalid_bundle() -> None:
    with pytest.raises(InvalidBundleError, match=r"not a readable tar\.gz"):
        extract_bundle_files(b"this is not gzip", LIMITS)


def test_truncated_archive_is_an_invalid_bundle() -> None:
    archive = tar_gz(bundle_files())
    with pytest.raises(InvalidBundleError):
        extract_bundle_files(archive[: len(archive) // 2], LIMITS)


def test_empty_archive_is_an_invalid_bundle() -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz"):
        pass
    with pytest.raises(InvalidBundleError, match="no files"):
        extract_bundle_files(buf.getvalue(), LIMITS)
