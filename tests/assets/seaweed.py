"""Start a real SeaweedFS S3 server on 127.0.0.1 for the storage tests."""

from __future__ import annotations

import json
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import boto3
from botocore.config import Config

WEED = Path(sys.executable).parent / "weed"
PORT_FLAGS = (
    "master.port", "master.port.grpc", "volume.port", "volume.port.grpc",
    "volume.port.public", "filer.port", "filer.port.grpc", "filer.port.public", "s3.port",
    "s3.port.grpc", "s3.port.https", "s3.port.iceberg", "s3.port.lance", "webdav.port",
    "admin.port", "admin.port.grpc", "metricsPort", "debug.port", "s3.debug.port",
)


@dataclass
class SeaweedS3:
    """A running `weed mini` and the credentials it accepts."""

    endpoint: str
    access_key: str
    secret_key: str
    process: subprocess.Popen
    log: Path

    def client(self, secret: str | None = None):
        session = boto3.session.Session(
            aws_access_key_id=self.access_key,
            aws_secret_access_key=secret or self.secret_key,
        )
        return session.client(
            "s3", endpoint_url=self.endpoint, region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"},
                          request_checksum_calculation="when_required",
                          response_checksum_validation="when_required"),
        )


BUCKET = "prism-assets"


def free_ports(count: int) -> list[int]:
    """Pick `count` distinct free TCP ports on 127.0.0.1."""
    sockets, ports = [], []
    try:
        while len(ports) < count:
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
            # grpc listeners default to port + 10000: keep every port below that range
            if port < 55000 and port not in ports:
                ports.append(port)
            sockets.append(sock)
    finally:
        for sock in sockets:
            sock.close()
    return ports


def start_seaweed(workdir: Path) -> SeaweedS3:
    """Start `weed mini` on free ports with one identity; wait until S3 answers."""
    access, secret = "prism-test", secrets.token_hex(16)
    config = workdir / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "prism", "credentials": [{"accessKey": access, "secretKey": secret}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }]}))
    ports = dict(zip(PORT_FLAGS, free_ports(len(PORT_FLAGS)), strict=True))
    data = workdir / "data"
    data.mkdir()
    log = workdir / "weed.log"
    args = [
        str(WEED), "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        "-master.telemetry=false", "-admin.ui=false", "-webdav=false",
        f"-s3.config={config}", *(f"-{flag}={port}" for flag, port in ports.items()),
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, cwd=workdir)
    server = SeaweedS3(f"http://127.0.0.1:{ports['s3.port']}", access, secret, process, log)
    _wait_ready(server)
    return server


def _wait_ready(server: SeaweedS3, timeout: float = 30.0) -> None:
    client = server.client()
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            client.create_bucket(Bucket="prism-ready")
            client.put_object(Bucket="prism-ready", Key="probe", Body=b"ok")
            client.close()
            return
        except Exception as exc:  # noqa: BLE001  (not up yet)
            last = exc
            time.sleep(0.2)
    client.close()
    stop_seaweed(server)
    tail = server.log.read_text(errors="replace")[-2000:]
    raise RuntimeError(f"SeaweedFS did not come up ({last}); log tail:\n{tail}")


def stop_seaweed(server: SeaweedS3) -> None:
    """Stop the server and wait for it to exit."""
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
