"""The local cloud's S3 keeps a completed multipart object in a file and serves ranges from it."""

import hashlib
import os
from pathlib import Path

import boto3
import pytest
from boto3.s3.transfer import TransferConfig
from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.models import s3_backends

from airline.local import large_objects
from airline.local.cloud import moto_server
from airline.local.large_objects import FileValue

PART = 5 * 1024 * 1024


def _multipart_etag(data: bytes, part: int) -> str:
    digests = b"".join(hashlib.md5(data[i : i + part]).digest() for i in range(0, len(data), part))
    return f'"{hashlib.md5(digests).hexdigest()}-{-(-len(data) // part)}"'


def test_a_multipart_object_is_stored_in_a_file_and_read_back_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a 12 MB file uploaded in 5 MB parts to the local cloud, where objects from 10 MB up count as large
    monkeypatch.setattr(large_objects, "LARGE_OBJECT_BYTES", 10 << 20)
    data = os.urandom(12 * 1024 * 1024 + 123)
    source = tmp_path / "big.bin"
    source.write_bytes(data)
    with moto_server():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="raw")
        config = TransferConfig(multipart_threshold=PART, multipart_chunksize=PART)
        s3.upload_file(str(source), "raw", "big.bin", Config=config)

        # When it is read whole, by ranges, and downloaded in parallel parts
        head = s3.head_object(Bucket="raw", Key="big.bin")
        whole = s3.get_object(Bucket="raw", Key="big.bin")["Body"].read()
        middle = s3.get_object(Bucket="raw", Key="big.bin", Range="bytes=6000000-6000999")["Body"].read()
        tail = s3.get_object(Bucket="raw", Key="big.bin", Range="bytes=-100")["Body"].read()
        s3.download_file("raw", "big.bin", str(tmp_path / "copy.bin"), Config=config)
        stored = s3_backends[DEFAULT_ACCOUNT_ID]["aws"].buckets["raw"].keys["big.bin"]

        # Then every read returns the uploaded bytes, with the ETag S3 gives a multipart object
        assert head["ContentLength"] == len(data)
        assert head["ETag"] == _multipart_etag(data, PART)
        assert whole == data
        assert middle == data[6_000_000:6_001_000]
        assert tail == data[-100:]
        assert (tmp_path / "copy.bin").read_bytes() == data
        # And the body lives in a file, not in a bytes object
        assert isinstance(stored.value, FileValue)


def test_small_objects_stay_plain_bytes(tmp_path: Path) -> None:
    # Given a small object and a 12 MB multipart object (below LARGE_OBJECT_BYTES)
    data = os.urandom(12 * 1024 * 1024)
    (tmp_path / "zip").write_bytes(data)
    with moto_server():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="raw")
        s3.put_object(Bucket="raw", Key="small.csv", Body=b"a,b\n1,2\n")
        config = TransferConfig(multipart_threshold=PART, multipart_chunksize=PART)
        s3.upload_file(str(tmp_path / "zip"), "raw", "code.zip", Config=config)
        keys = s3_backends[DEFAULT_ACCOUNT_ID]["aws"].buckets["raw"].keys
        # Then moto keeps both as bytes (its Lambda hashes a code zip's bytes, for one)
        assert keys["small.csv"].value == b"a,b\n1,2\n"
        assert keys["code.zip"].value == data
        assert s3.get_object(Bucket="raw", Key="small.csv")["Body"].read() == b"a,b\n1,2\n"
