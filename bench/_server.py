"""The production setup on loopback, for the load benchmark and the fault tests.

``Server`` runs gunicorn with the production settings and uvicorn workers (ASGI), as README.md
tells an operator to, so what is measured or broken is what runs in production: WhiteNoise with the
collected, hashed static files, Argon2, persistent database connections with health checks,
HTTPS-only cookies. ``Client`` is a browser behind the TLS proxy that production expects: it
says ``X-Forwarded-Proto: https`` and keeps its cookies itself, whatever their secure flag.

    with Server(database_url) as server:
        client = Client(server.base_url)
        client.login("logger", "a long password")
        client.get("/")
"""

import atexit
import contextlib
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "crisisroom.settings.production"
LOGIN_PATH = "/accounts/login/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stat(pid: int | str) -> list[str] | None:
    """/proc/<pid>/stat from its third field (state) on; None when the process is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def child_pids(parent: int) -> list[int]:
    """Living (not zombie) children of ``parent``, from /proc."""
    stats = {int(e.name): _stat(e.name) for e in Path("/proc").iterdir() if e.name.isdigit()}
    return sorted(
        pid for pid, stat in stats.items() if stat and int(stat[1]) == parent and stat[0] != "Z"
    )


def process_cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time the process has used."""
    stat = _stat(pid)
    return None if stat is None else (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


def process_rss_mb(pid: int) -> float | None:
    """Resident memory in MB, from VmRSS in /proc/<pid>/status."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def production_env(database_url: str, secret_key: str, static_dir: str | None = None) -> dict:
    """The environment production refuses to start without, and nothing else of ours.

    Other DJANGO_* variables of the calling shell are dropped: a developer's
    DJANGO_SECURE_SSL_REDIRECT=false must not change what is measured.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
    )
    if static_dir is not None:
        env["DJANGO_STATIC_ROOT"] = static_dir
    return env


def manage(env: dict, *args: str) -> None:
    """Run a management command; its output is only shown when it fails."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


@cache
def static_root() -> str:
    """Collect the static files once per process: the manifest storage serves nothing without.

    Also compiles the Dutch translations when they were never compiled, since the production
    pages are Dutch. The directory goes when the process ends. Neither command connects to
    the database, but the production settings want its URL.
    """
    mo = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.mo"
    env = production_env("postgres://unused@127.0.0.1/unused", secrets.token_urlsafe(50))
    if not mo.exists():
        manage(env, "compilemessages", "--ignore=.venv", "-v", "0")
    root = tempfile.mkdtemp(prefix="crisisroom-static-")
    atexit.register(shutil.rmtree, root, True)
    manage({**env, "DJANGO_STATIC_ROOT": root}, "collectstatic", "--noinput", "-v", "0")
    return root


class Server:
    """gunicorn with the production settings on 127.0.0.1, started and stopped as a context.

    ``kind="asgi"`` (the default) is production: gunicorn.conf.py's uvicorn workers, where each
    meeting screen holds a stream. ``kind="wsgi"`` is the setup before push (gthread workers,
    ``threads`` each), where screens poll: the benchmarks measure both in one run. Pass the same
    ``secret_key`` to two servers to make them two nodes of one site.
    """

    def __init__(
        self,
        database_url: str,
        *,
        workers: int = 2,
        kind: str = "asgi",
        threads: int = 2,  # the gthread setup before push
        secret_key: str | None = None,
        start_timeout: float = 30,
        env: dict | None = None,
    ):
        assert kind in ("asgi", "wsgi"), kind  # nosec B101
        self.kind = kind
        self.extra_env = env or {}
        self.database_url = database_url
        self.workers, self.threads = workers, threads
        self.secret_key = secret_key or secrets.token_urlsafe(50)
        self.start_timeout = start_timeout
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.base_url = f"http://{self.host}"
        self.process: subprocess.Popen | None = None
        handle, name = tempfile.mkstemp(prefix="crisisroom-gunicorn-", suffix=".log")
        os.close(handle)
        self.log_path = Path(name)

    def __enter__(self) -> "Server":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        env = production_env(self.database_url, self.secret_key, static_root())
        env.update(self.extra_env)
        if self.kind == "asgi":
            # gunicorn.conf.py as it is: its app, worker class and timeouts.
            served = ("--config", str(ROOT / "gunicorn.conf.py"))
        else:
            gthread = ("--worker-class", "gthread", "--threads", str(self.threads))
            served = ("crisisroom.wsgi", *gthread)
        command = [
            *(sys.executable, "-m", "gunicorn", *served),
            *("--bind", self.host),
            *("--workers", str(self.workers)),
            # The TLS proxy in front keeps its upstream connections open; so do the clients.
            *("--keep-alive", "30"),
            *("--graceful-timeout", "5"),
            # Two servers side by side would otherwise fight over ~/.gunicorn/gunicorn.ctl.
            "--no-control-socket",
        ]
        with self.log_path.open("wb") as log:  # the server keeps its own copy of the file
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        self.wait_ready()

    def wait_ready(self) -> None:
        """Until the login page answers 200; a server that died says why."""
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            probe = Client(self.base_url, timeout=2)
            try:
                if probe.get(LOGIN_PATH).status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            finally:
                probe.close()
            time.sleep(0.1)
        log = self.log()
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {self.start_timeout} s:\n{log}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    @property
    def master_pid(self) -> int:
        return self.process.pid

    def worker_pids(self) -> list[int]:
        """The master's living children: gunicorn keeps no list we can ask."""
        return child_pids(self.master_pid)

    def wait_workers(self, count: int | None = None, timeout: float = 15) -> list[int]:
        """Until ``count`` workers (default: all) are alive, e.g. after one was killed."""
        count = count or self.workers
        deadline = time.monotonic() + timeout
        while len(pids := self.worker_pids()) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(pids)} of {count} workers after {timeout} s")
            time.sleep(0.05)
        return pids

    def kill_worker(self, pid: int | None = None) -> int:
        """SIGKILL one worker (the first, unless named): no clean-up, as in an OOM kill.

        Returns once it is dead, so that ``wait_workers`` then waits for its replacement.
        """
        pid = pid or self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while pid in self.worker_pids():
            if time.monotonic() > deadline:
                raise TimeoutError(f"worker {pid} still alive 5 s after SIGKILL")
            time.sleep(0.01)
        return pid

    def worker_rss_mb(self) -> dict[int, float]:
        """Resident memory per worker in MB."""
        rss = {pid: process_rss_mb(pid) for pid in self.worker_pids()}
        return {pid: mb for pid, mb in rss.items() if mb is not None}

    def worker_cpu_seconds(self) -> dict[int, float]:
        """CPU time (user + system) each living worker has used so far."""
        cpu = {pid: process_cpu_seconds(pid) for pid in self.worker_pids()}
        return {pid: seconds for pid, seconds in cpu.items() if seconds is not None}

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM, then SIGKILL for whatever is left after ``timeout`` seconds.

        Returns only when the master and its workers are gone, so their database connections
        are closed before a test database is flushed or dropped.
        """
        if self.process is None:
            return
        workers = self.worker_pids()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process = None
        self.log_path.unlink(missing_ok=True)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name, default)


class LoginFailed(Exception):
    pass


class Client:
    """One browser tab's connection: keep-alive, its own cookie jar, Django's CSRF rules.

    Pass another client's ``cookies`` to share a login between two connections of one browser.
    A GET on a kept-alive connection that the server closed meanwhile is sent once more, as
    browsers do; a POST never is: retrying a post is the caller's decision.
    """

    def __init__(self, base_url: str, *, timeout: float = 30, cookies: dict | None = None):
        self.host = urlsplit(base_url).netloc
        # https: a TLS proxy in front (its certificate is not checked: a throw-away one).
        self.tls = urlsplit(base_url).scheme == "https"
        self.timeout = timeout
        self.cookies = cookies if cookies is not None else {}
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def get(self, path: str, headers: dict | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: dict, headers: dict | None = None) -> Response:
        body = urlencode(data, doseq=True).encode()
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, body=body, headers={**form, **(headers or {})})

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> Response:
        all_headers = {**self.headers(method), **(headers or {})}
        reused = self._conn is not None
        try:
            return self._send(method, path, body, all_headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.close()
            if not (reused and method == "GET"):
                raise
            return self._send(method, path, body, all_headers)
        except BaseException:
            self.close()  # a half-read response must not poison the next request
            raise

    def headers(self, method: str) -> dict:
        """What this browser sends with every request of ``method``, before its own headers."""
        headers = {"X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method not in ("GET", "HEAD", "OPTIONS"):
            # Over "https" Django wants a same-origin Referer as well as the token.
            headers["Referer"] = f"https://{self.host}/"
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        return headers

    def _send(self, method, path, body, headers) -> Response:
        if self._conn is None:
            self._conn = self._connect()
        start = time.perf_counter()
        self._conn.request(method, path, body=body, headers=headers)
        raw = self._conn.getresponse()
        data = raw.read()
        seconds = time.perf_counter() - start
        self._keep_cookies(raw.headers.get_all("Set-Cookie") or [])
        if raw.will_close:
            self.close()
        return Response(raw.status, raw.headers, data, seconds)

    def events(self, path: str, last_event_id: str = "", until: float | None = None):
        """Hold a Server-Sent Events stream on a connection of its own, as EventSource does:
        yields ("open", None) once, then (event name, (id, data as JSON)) per event; comments
        (heartbeats) are skipped. Ends when the server ends the stream, or quietly at ``until``
        (time.monotonic()); raises on a timeout before."""
        headers = {**self.headers("GET"), "Accept": "text/event-stream"}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        conn = self._connect()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            if response.status != 200:
                raise http.client.HTTPException(f"stream answered {response.status}")
            yield "open", None
            fields: dict[str, str] = {}
            while True:
                if until is not None:
                    left = until - time.monotonic()
                    if left <= 0:
                        return
                    conn.sock.settimeout(min(left, self.timeout))
                try:
                    line = response.readline()
                except TimeoutError:
                    if until is not None and time.monotonic() >= until:
                        return
                    raise
                if not line:
                    return
                line = line.decode().rstrip("\r\n")
                if line:
                    if not line.startswith(":"):
                        name, _sep, value = line.partition(":")
                        fields[name] = value.removeprefix(" ")
                    continue
                if "event" in fields:
                    data = json.loads(fields.get("data") or "{}")
                    yield fields["event"], (int(fields.get("id") or -1), data)
                fields = {}
        finally:
            conn.close()

    def _connect(self) -> http.client.HTTPConnection:
        if self.tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            return http.client.HTTPSConnection(self.host, timeout=self.timeout, context=context)
        return http.client.HTTPConnection(self.host, timeout=self.timeout)

    def _keep_cookies(self, lines: list[str]) -> None:
        for line in lines:
            for name, morsel in SimpleCookie(line).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def login(self, username: str, password: str) -> None:
        """Log in through the login form, as a person would; users here have no second step."""
        self.get(LOGIN_PATH)  # sets the CSRF cookie
        response = self.post(LOGIN_PATH, {"username": username, "password": password})
        if response.status != 302:
            raise LoginFailed(f"{username}: login answered {response.status}, not a redirect")
        target = urlsplit(response.header("Location")).path
        if target != "/":
            # A second factor would redirect to its own step instead of the crisis list.
            raise LoginFailed(f"{username}: login wants a further step ({target})")
