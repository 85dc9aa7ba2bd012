"""A live installation in production shape, for tests/production.

Its own PostgreSQL database (the test database's name + `_live`, dropped and
created afresh each session), migrated and seeded by `manage.py` in
subprocesses; static files collected into a temporary STATIC_ROOT; two
gunicorn servers (two workers each) and two `db_worker` processes, all with
DEBUG off and one Redis database of their own. Each process runs in its own
process group, so stopping it stops its workers too, and writes its output to
a log file that a failing test shows.

Only 127.0.0.1 is ever contacted.
"""

import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import httpx

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GUNICORN = BIN / "gunicorn"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# A Redis database no other test touches (13 is the rate-limit tests', 1 the benchmark's).
REDIS_DB = 12
STARTUP_SECONDS = 30


def unavailable():
    """Why the tier cannot run here, or None when it can."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return "the production-shape tests need PostgreSQL: set DATABASE_URL to postgres://…"
    try:
        socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1).close()
    except OSError as exc:
        return f"the production-shape tests need Redis at {REDIS_HOST}:{REDIS_PORT} ({exc})"
    if not GUNICORN.exists():
        return f"the production-shape tests need gunicorn ({GUNICORN} is missing: make install)"
    return None


def _die_with_parent():
    """In the child, before exec: SIGTERM when the test run dies, however it dies
    (SIGKILL too), so no server or worker outlives it on its own."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def live_database():
    """(URL, name) of the live servers' database, the test run's database name
    + `_live`, and the URL of the server's maintenance database."""
    url = urlsplit(os.environ["DATABASE_URL"])
    name = dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"] + "_live"
    maintenance = urlunsplit(url._replace(path="/postgres"))
    return urlunsplit(url._replace(path=f"/{name}")), name, maintenance


@dataclass
class LiveSite:
    workdir: Path
    database_url: str = ""
    redis_url: str = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
    servers: list = field(default_factory=list)  # base URLs of server A and B
    metrics: list = field(default_factory=list)  # their metrics listeners
    replica_server: str = ""  # server R: anonymous reads from the replica
    replica_url: str = ""
    seed: dict = field(default_factory=dict)
    processes: list = field(default_factory=list)  # (name, Popen, log path)

    @property
    def a(self):
        return self.servers[0]

    @property
    def b(self):
        return self.servers[1]

    def environment(self):
        # Nothing inherited but the basics: the suite's own DEBUG=True and
        # DJANGO_* settings must not leak into the production processes.
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", str(self.workdir)),
            "LANG": "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "registry.settings",
            "DEBUG": "False",
            "HTTPS": "False",
            "SECRET_KEY": "test",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "RESPONSE_CACHE_SECONDS": "300",
            "DB_CONN_MAX_AGE": "60",
            "WEBHOOK_ALLOW_PRIVATE": "True",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": str(self.workdir / "static"),
        }

    # --- start-up -----------------------------------------------------------

    def start(self):
        self.fresh_database()
        self.flush_redis()
        # Migrating and collecting static files do not depend on each other.
        migrate = self.spawn(
            "migrate", [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"]
        )
        collect = self.spawn(
            "collectstatic",
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        )
        self.finish(migrate)
        self.finish(collect)
        seeding = self.spawn(
            "seed",
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from tests.production.seed import main; main()",
            ],
        )
        self.finish(seeding)
        self.seed = json.loads(seeding[2].read_text().strip().splitlines()[-1])

        for name in ("A", "B"):
            port, metrics_port = free_port(), free_port()
            self.servers.append(f"http://127.0.0.1:{port}")
            self.metrics.append(f"http://127.0.0.1:{metrics_port}")
            # As the image runs it: gunicorn with registry/gunicorn_conf.py, the
            # metrics on a listener of their own, summed over the workers.
            self.spawn(
                f"gunicorn {name}",
                [str(GUNICORN), "--config", "python:registry.gunicorn_conf", "registry.wsgi"],
                HOST="127.0.0.1",
                PORT=str(port),
                METRICS_PORT=str(metrics_port),
                GUNICORN_WORKERS="2",
                GUNICORN_GRACEFUL_TIMEOUT="5",
                PROMETHEUS_MULTIPROC_DIR=str(self.workdir / f"metrics-{name}"),
            )
        # Server R reads anonymous requests from a replica: a copy of the
        # database (another name on the same server) holding one organisation
        # more, so a test can tell which database answered.
        self.replica_url = self.replica_database()
        port = free_port()
        self.replica_server = f"http://127.0.0.1:{port}"
        self.spawn(
            "gunicorn R",
            [str(GUNICORN), "--config", "python:registry.gunicorn_conf", "registry.wsgi"],
            HOST="127.0.0.1",
            PORT=str(port),
            GUNICORN_WORKERS="1",
            DATABASE_REPLICA_URL=self.replica_url,
            # Its own answers only: the shared response cache would hide which
            # database answered.
            RESPONSE_CACHE_SECONDS="0",
        )
        for name in ("1", "2"):
            self.spawn(
                f"db_worker {name}",
                [sys.executable, "manage.py", "db_worker", "--no-startup-delay"],
            )
        for server in [*self.servers, self.replica_server]:
            self.wait_for_health(server)

    def fresh_database(self):
        import psycopg

        self.database_url, name, maintenance = live_database()
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')

    def replica_database(self):
        import psycopg

        _url, name, maintenance = live_database()
        replica = f"{name}_replica"
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{replica}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{replica}" TEMPLATE "{name}"')
        url = urlunsplit(urlsplit(self.database_url)._replace(path=f"/{replica}"))
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(
                "INSERT INTO accounts_organisation (name, slug, kind, oin, cbs_code, tooi_uri,"
                " website, description, aliases, verified, kvk_number, contact_email, status,"
                " created_at, updated_at) VALUES"
                " ('Alleen in de replica', 'alleen-in-de-replica', 'other-public', '', '', '',"
                " '', '', '[]', false, '', '', 'active', now(), now())"
            )
        return url

    def flush_redis(self):
        import redis

        client = redis.Redis.from_url(self.redis_url)
        client.flushdb()
        client.close()

    def spawn(self, name, command, **environment):
        log = self.workdir / f"{name.replace(' ', '-')}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**self.environment(), **environment},
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        entry = (name, process, log)
        self.processes.append(entry)
        return entry

    def finish(self, entry, timeout=120):
        name, process, _log = entry
        if process.wait(timeout=timeout) != 0:
            raise RuntimeError(f"`{name}` failed (exit {process.returncode})\n{self.logs()}")

    def wait_for_health(self, server):
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            for name, process, _log in self.processes:
                if process.poll() not in (None, 0):
                    raise RuntimeError(f"{name} exited with {process.returncode}\n{self.logs()}")
            try:
                if httpx.get(f"{server}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{server}/health did not answer in {STARTUP_SECONDS} s\n{self.logs()}")

    # --- shutdown and diagnosis ---------------------------------------------

    def stop(self):
        running = [process for _name, process, _log in self.processes if process.poll() is None]
        for process in running:
            self._signal(process, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        # The whole group, so gunicorn's workers go too; only while the leader is
        # unreaped, so its id cannot yet belong to anyone else's group.
        for process in running:
            if process.poll() is None:
                self._signal(process, signal.SIGKILL)
                process.wait()

    @staticmethod
    def _signal(process, sig):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)

    def logs(self, lines=60):
        """The last lines of every process's output."""
        parts = []
        for name, process, log in self.processes:
            text = log.read_text(errors="replace") if log.exists() else ""
            tail = "\n".join(text.splitlines()[-lines:]) or "(no output)"
            state = "running" if process.poll() is None else f"exit {process.returncode}"
            parts.append(f"----- {name} ({state}, {log}) -----\n{tail}")
        return "\n".join(parts)
