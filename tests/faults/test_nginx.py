"""The nginx configuration README.md gives (deploy/nginx-crisisroom.conf) in front of the
production server, as it is but for the ports, the server's address and a throw-away
certificate: pages and saves work over TLS, plain HTTP is sent to HTTPS, and a meeting screen's
stream comes through event by event (a buffering proxy would hold the event back, and the read
below would time out)."""

import contextlib
import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from bench._server import ROOT, Client, free_port
from tests.faults.test_faults import save_until_acknowledged

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SITE = ROOT / "deploy" / "nginx-crisisroom.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _site(upstream_port: int, http_port: int, https_port: int, cert: Path, key: Path) -> str:
    """The file as README.md gives it, with only these lines replaced (each must be there)."""
    text = SITE.read_text()
    for old, new in (
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("/etc/ssl/certs/crisis.example.nl.pem", str(cert)),
        ("/etc/ssl/private/crisis.example.nl.key", str(key)),
    ):
        assert text.count(old) == 1, f"{SITE.name} no longer has {old!r} once"
        text = text.replace(old, new)
    return text


@contextlib.contextmanager
def nginx_in_front(upstream_port: int, workdir: Path):
    """nginx in the foreground with the site file, everything it writes under ``workdir``."""
    cert, key = workdir / "cert.pem", workdir / "key.pem"
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            *("openssl", "req", "-x509", "-newkey", "ec"),
            *("-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"),
            *("-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    http_port, https_port = free_port(), free_port()
    (workdir / "site.conf").write_text(_site(upstream_port, http_port, https_port, cert, key))
    temp = {name: workdir / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    main = "\n".join(
        [
            # As root nginx would hand its workers to "nobody", who may not write here.
            "user root;" if os.geteuid() == 0 else "",
            f"pid {workdir / 'nginx.pid'};",
            f"error_log {workdir / 'error.log'} warn;",
            "events {}",
            "http {",
            "  access_log off;",
            *(f"  {name}_temp_path {path};" for name, path in temp.items()),
            f"  include {workdir / 'site.conf'};",
            "}",
        ]
    )
    (workdir / "nginx.conf").write_text(main.replace("body_temp_path", "client_body_temp_path"))
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [NGINX, "-p", str(workdir), "-c", str(workdir / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"nginx stopped: {process.stderr.read().decode()}")
            with contextlib.suppress(OSError):
                Client(f"https://127.0.0.1:{https_port}", timeout=2).get("/accounts/login/")
                break
            if time.monotonic() > deadline:
                raise RuntimeError("nginx did not answer within 10 s")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{http_port}", f"https://127.0.0.1:{https_port}"
    finally:
        process.terminate()
        process.wait(10)


def test_the_readme_s_nginx_passes_pages_saves_and_each_event_of_a_stream(
    room, start_server, tmp_path
):
    server = start_server(workers=2)
    with nginx_in_front(server.port, tmp_path) as (plain, tls):
        assert Client(plain).get("/accounts/login/").status == 301  # to HTTPS

        watcher = Client(tls, timeout=10)
        watcher.login(room.watcher, room.password)
        page = watcher.get(room.meeting_path)
        assert page.status == 200
        stream_path = page.text.split('data-stream="', 1)[1].split('"', 1)[0]

        logger = Client(tls, timeout=10)
        logger.login(room.loggers[0], room.password)
        # Nothing in the stream's buffers can push an event out early: the read would time out.
        events = Client(tls, timeout=10, cookies=watcher.cookies).events(
            stream_path, until=time.monotonic() + 30
        )
        assert next(events) == ("open", None)
        assert next(events)[0] == "ready"
        kind, (first, _data) = next(events)
        assert kind == "changed"
        for n in range(1, 3):
            text = f"Door nginx heen {n} {uuid.uuid4().hex[:6]}"
            save_until_acknowledged(logger, room, text)
            kind, (revision, data) = next(events)
            assert kind == "changed" and revision > first
            assert data.get("regions") is None or "log" in data["regions"]
            first = revision
            log = watcher.get(f"{room.meeting_path}?region=log", headers={"HX-Request": "true"})
            assert text in log.text
        events.close()
