"""A local S3 endpoint on loopback (moto in server mode) and the portal's media storage pointed at it.

`s3` (the fixture `s3_fixture`, imported where it is used) runs moto's threaded server in the test process and makes the default storage an
S3Storage on a fresh bucket, with the options portal/settings.py gives it. `MotoProcess` runs the
same server as a process of its own, for the processes of tests/test_topology.py.
"""

import logging
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass

import boto3
import pytest
from botocore.config import Config

REGION = "eu-north-1"
# moto takes any credentials; these are what a client signs with.
ACCESS_KEY, SECRET_KEY = "portal-test", "portal-test-secret"


def client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(retries={"max_attempts": 2}, connect_timeout=5, read_timeout=30),
    )


def make_bucket(endpoint, bucket):
    client(endpoint).create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})


def environment(endpoint, bucket):
    """The variables that put a process's media in `bucket` (see portal/settings.py)."""
    return {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
    }


def storage(endpoint, bucket):
    """The default storage portal/settings.py makes of `environment(endpoint, bucket)`."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": REGION,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "addressing_style": None,
            "location": "",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 60,
            "max_memory_size": 2 * 1024 * 1024,
        },
    }


@dataclass
class Bucket:
    endpoint: str
    name: str

    def keys(self):
        listing = client(self.endpoint).list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key):
        return client(self.endpoint).get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture(name="s3")
def s3_fixture(settings):
    """The default storage on a bucket of a moto server in this process, for one test."""
    from moto.server import ThreadedMotoServer  # noqa: PLC0415 - only the tests that use it pay for moto

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line for every request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        # moto keeps its buckets for the life of the process, across servers: a bucket of its own.
        bucket = Bucket(f"http://{host}:{port}", f"portal-media-{uuid.uuid4().hex[:12]}")
        make_bucket(bucket.endpoint, bucket.name)
        settings.STORAGES = {**settings.STORAGES, "default": storage(bucket.endpoint, bucket.name)}
        yield bucket
    finally:
        server.stop()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MotoProcess:
    """`python -m moto.server` on a free loopback port, in a process of its own."""

    def __init__(self, log_path):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._log = open(log_path, "ab")  # closed in stop()
        self.popen = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"moto.server exited with {self.popen.returncode}")
            try:
                client(self.endpoint).list_buckets()
                return
            except Exception:  # noqa: S110 - not listening yet
                time.sleep(0.1)
        raise TimeoutError(f"moto.server did not answer within {timeout} s")

    def stop(self):
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(10)
        self._log.close()
