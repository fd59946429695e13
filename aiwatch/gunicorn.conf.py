"""gunicorn's configuration for aiwatch: `make serve` and docker-compose both start

    gunicorn -c aiwatch/gunicorn.conf.py aiwatch.wsgi

Every value is derived from the machine or read (strictly) from the environment:

- PORT (8000) and AIWATCH_HOST (127.0.0.1; docker-compose listens on 0.0.0.0);
- WEB_CONCURRENCY, gunicorn's own convention: the worker processes,
  2 x cores + 1 by default (cores this process may run on, as a container's CPU set says);
- GUNICORN_THREADS (2): threads per worker. Each thread holds at most one of its
  worker's pooled database connections (DATABASE_POOL_MAX_SIZE, 8), so a worker
  never waits for the pool, and the server needs workers x threads connections at most;
- GUNICORN_TIMEOUT (30 s): a worker silent for longer is killed and replaced.
"""

import os

from aiwatch.env import env_int


def cores() -> int:
    """The CPUs this process may use: a container's or a taskset's share, not the host's."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS has no sched_getaffinity
        return os.cpu_count() or 1


bind = [f"{os.environ.get('AIWATCH_HOST', '').strip() or '127.0.0.1'}:{env_int('PORT', 8000)}"]

workers = env_int("WEB_CONCURRENCY", 2 * cores() + 1, minimum=1, maximum=256)
# More than one thread makes gunicorn use its gthread worker: a thread waiting on
# PostgreSQL does not hold up the others, and idle keep-alive connections cost no worker.
threads = env_int("GUNICORN_THREADS", 2, minimum=1, maximum=64)
worker_class = "gthread"

timeout = env_int("GUNICORN_TIMEOUT", 30, minimum=1)
# On SIGTERM (docker stop, systemd, a deploy), requests in flight get this long to finish.
graceful_timeout = 30
# Behind a load balancer, which reuses its connections; more than its idle timeout is pointless.
keepalive = 5

# Replace each worker now and then, so a slow leak never grows; the jitter keeps the
# workers from all restarting at once. Not every thousand requests: at the page cache's
# 700 requests/s that replaced a worker every 1.4 s and cost half the throughput
# (`make loadtest`, README "Load"); twenty thousand is a worker a few minutes at peak.
max_requests = 20_000
max_requests_jitter = 2_000

# Access log and errors to stdout and stderr: the process manager keeps them.
accesslog = "-"
errorlog = "-"
loglevel = "info"

# gunicornc's control socket is one path per user ($HOME/.gunicorn/gunicorn.ctl): a
# second server on the machine (another port, a second node) would take it over.
# Signals (TERM, HUP, TTIN, TTOU) do the same work.
control_socket_disable = True

# The heartbeat file on a RAM disk: a container's overlay filesystem can stall it.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
