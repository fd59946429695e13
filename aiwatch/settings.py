"""aiwatch's settings: the only settings module.

Everything that differs between machines comes from the environment and is
parsed strictly (see aiwatch.env). AIWATCH_ENV selects the mode:

- development (default): DEBUG on, a per-checkout secret key generated into
  the git-ignored .data/ folder, the embedded PostgreSQL unless DATABASE_URL
  is set;
- production: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL are
  required and a missing one raises ImproperlyConfigured.

The test suite runs on aiwatch.settings_test, which imports this module and
overrides what tests need; this module does not know about tests.
"""

import copy
import datetime
import hashlib
import importlib.util
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from aiwatch.env import (
    env_base_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_rate,
    env_redis_url,
    env_required,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".data"

AIWATCH_ENV = env_choice("AIWATCH_ENV", "development", ("development", "production"))
PRODUCTION = AIWATCH_ENV == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must not be on in production.")


def _development_secret_key() -> str:
    # Generated once per checkout and kept out of git, so no secret is ever committed.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


if PRODUCTION:
    SECRET_KEY = env_required("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production.")
else:
    SECRET_KEY = _development_secret_key()
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "ninja",  # the API's OpenAPI schema and its docs' templates and static files
    "corsheaders",
    "reversion",
    "aiwatch.core.apps.SignInConfig",  # django-axes: sign-in throttling
    # aiwatch's layers, lowest first; each may import only those above it in this list.
    "aiwatch.core",
    "articles",
    "entities",
    "aiwatch.search",
    "aiwatch.site",
    "aiwatch.api.apps.ApiConfig",
]
# The synthetic corpus and the search benchmark (`make bench`) live in the
# checkout's bench/, which the wheel does not ship; a production server has no use for them.
if not PRODUCTION and importlib.util.find_spec("bench") is not None:
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CORS headers on every answer of the API and /data/, those from the page cache included.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Early, so that every query of a public request runs under the statement timeout.
    "aiwatch.core.middleware.StatementTimeoutMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # An ETag on every page, so a repeat visit or a crawler gets a 304.
    "django.middleware.http.ConditionalGetMiddleware",
    # Before anything reads a parameter: PostgreSQL refuses text holding NUL.
    "aiwatch.core.middleware.DropNulMiddleware",
    # Readers' pages from the cache (aiwatch.core.page_cache). After DropNul, so the key
    # holds the parameters the view would read; before CSRF, the user, messages and the
    # database, so a page served from the cache costs no query.
    "aiwatch.core.page_cache.PageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Every write made through a request is one revision in the history, with its author.
    "reversion.middleware.RevisionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "aiwatch.core.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a sign-in refused for a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aiwatch.urls"
WSGI_APPLICATION = "aiwatch.wsgi.application"
ASGI_APPLICATION = "aiwatch.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# Every form drops control characters from what is submitted before its fields see it.
FORM_RENDERER = "aiwatch.core.forms.PlainTextRenderer"

# Database: DATABASE_URL selects a server; without it, development and tests
# use the embedded PostgreSQL 18 (aiwatch.embedded_db).
_database_url = os.environ.get("DATABASE_URL", "").strip()
if PRODUCTION and not _database_url:
    raise ImproperlyConfigured("DATABASE_URL must be set in production.")
if not _database_url:
    from aiwatch.embedded_db import embedded_database_url

    # The benchmark sets AIWATCH_EMBEDDED_DATABASE to keep its corpus out of the dev database.
    _database_url = embedded_database_url(
        DATA_DIR, os.environ.get("AIWATCH_EMBEDDED_DATABASE", "").strip() or "aiwatch"
    )

DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=0)}
# A socket directory given as ?host=… (the embedded server's URL) belongs in HOST.
if "host" in DATABASES["default"].get("OPTIONS", {}):
    DATABASES["default"]["HOST"] = DATABASES["default"]["OPTIONS"].pop("host")
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("aiwatch runs on PostgreSQL only; DATABASE_URL must be postgres://…")
# aiwatch's backend: Django's, failing fast while the server is unreachable and
# recovering by itself when it returns (aiwatch.core.postgresql, aiwatch.core.circuit).
DATABASES["default"]["ENGINE"] = "aiwatch.core.postgresql"
# How long to wait for the server to accept a connection; libpq's minimum is 2 s.
# It bounds a connection attempt to a host that does not answer at all.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 2, minimum=2)
)
# A server cut off by a network partition sends no reset: without these, a query would
# wait on the dead socket until the kernel gives up, many minutes later. Keepalives probe
# a connection that has been quiet for `keepalives_idle` s and drop it after
# `keepalives_count` unanswered probes; tcp_user_timeout drops one whose sent data has gone
# unacknowledged this long (0: the kernel's default). A live server's kernel answers both
# however long a query runs. libpq applies them to TCP only, not to a Unix socket (the
# embedded server). A DATABASE_URL's own ?keepalives_idle=… wins; replicas inherit them.
for _option, _value in {
    "keepalives": 1,
    "keepalives_idle": env_int("DATABASE_KEEPALIVES_IDLE", 30, minimum=1, maximum=7200),
    "keepalives_interval": env_int("DATABASE_KEEPALIVES_INTERVAL", 10, minimum=1, maximum=600),
    # Linux's TCP_KEEPCNT takes at most 127.
    "keepalives_count": env_int("DATABASE_KEEPALIVES_COUNT", 3, minimum=1, maximum=127),
    "tcp_user_timeout": env_int(
        "DATABASE_TCP_USER_TIMEOUT_MS", 30_000, minimum=0, maximum=3_600_000
    ),
}.items():
    DATABASES["default"]["OPTIONS"].setdefault(_option, _value)
# After a connection attempt failed, refuse to try again for this long (a 503 at
# once), then let one request probe the server.
DATABASE_CIRCUIT_OPEN_MS = env_int("DATABASE_CIRCUIT_OPEN_MS", 1000, minimum=0, maximum=60_000)
if env_bool("DATABASE_POOL", default=True):
    from psycopg_pool import ConnectionPool

    _pool_max_size = env_int("DATABASE_POOL_MAX_SIZE", 8, minimum=1)
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": 1,
        "max_size": _pool_max_size,
        # A connection the server dropped is replaced instead of handed to a request.
        "check": ConnectionPool.check_connection,
        # How long a request waits for a connection when every one is busy, before
        # its 503: a crowd is told to come back instead of queueing without limit.
        "timeout": env_int("DATABASE_POOL_TIMEOUT", 2, minimum=1),
        # Beyond this many requests waiting, the next is refused at once (a 503).
        "max_waiting": env_int("DATABASE_POOL_MAX_WAITING", _pool_max_size, minimum=0),
    }

# Public (non-admin) requests: a statement running longer is cancelled and the
# reader gets a "took too long" page. 0 turns it off. The admin, management
# commands and migrations run without one (see aiwatch.core.middleware).
AIWATCH_STATEMENT_TIMEOUT_MS = env_int("AIWATCH_STATEMENT_TIMEOUT_MS", 3000, minimum=0)

# The cache (Django's cache framework): Redis when REDIS_URL is set, shared by every web
# node; otherwise files under .data/cache, shared by the gunicorn workers of this machine
# and by management commands, so an edit made by any process reaches every worker (an
# in-memory cache would be one per process, and a seed run beside the server would leave
# the server's copy stale). A cache that fails is skipped, never a 500 (aiwatch.core.page_cache).
REDIS_URL = env_redis_url("REDIS_URL")
if REDIS_URL:
    _redis_timeout = env_int("AIWATCH_REDIS_TIMEOUT_MS", 500, minimum=10, maximum=60_000) / 1000
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # An unreachable Redis costs a request half a second, not the OS's minutes.
            "OPTIONS": {
                "socket_connect_timeout": _redis_timeout,
                "socket_timeout": _redis_timeout,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("AIWATCH_CACHE_DIR", "").strip() or str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": env_int("AIWATCH_CACHE_MAX_ENTRIES", 5000, minimum=100)},
        }
    }
# Pages rendered from one database never answer for another (a changed DATABASE_URL, the
# benchmark's embedded database) sharing the same Redis or .data/cache.
_db = DATABASES["default"]
_db_identity = f"{_db.get('HOST')}:{_db.get('PORT')}/{_db.get('NAME')}".encode()
CACHES["default"]["KEY_PREFIX"] = os.environ.get("AIWATCH_CACHE_KEY_PREFIX", "").strip() or (
    "aiwatch-" + hashlib.sha1(_db_identity).hexdigest()[:8]
)

# The page cache: anonymous GETs of public pages, kept whole under a content version that
# every committed edit changes (aiwatch.core.page_cache). On unless DEBUG is: `make run`
# shows a template edited a second ago. AIWATCH_PAGE_CACHE=on|off decides either way.
AIWATCH_PAGE_CACHE = env_bool("AIWATCH_PAGE_CACHE", default=not DEBUG)
# How long the server keeps a page. An edit makes it unreachable at once; this only bounds
# what changes with no edit (the search's spelling vocabulary, a minute old at most).
AIWATCH_PAGE_CACHE_SECONDS = env_int("AIWATCH_PAGE_CACHE_SECONDS", 600, minimum=1)
# Larger responses (a big CSV export, an original file) are rendered every time.
AIWATCH_PAGE_CACHE_MAX_BYTES = env_int("AIWATCH_PAGE_CACHE_MAX_BYTES", 4 * 1024 * 1024, minimum=0)
# The apps whose every save, delete and many-to-many change is an edit of public content.
AIWATCH_PAGE_CACHE_APPS = ["aiwatch", "articles", "entities"]
# Paths never cached, by prefix: the admin, the health checks, static files.
AIWATCH_PAGE_CACHE_SKIP = ["/admin/", "/healthz", "/readyz", "/static/"]
# What a shared cache in front (a CDN) is told, in seconds: keep a page this long, serve it
# stale while fetching a new one, and serve it stale while aiwatch answers with errors.
# Browsers always revalidate (max-age=0), with the ETag, so a reader never keeps an old page.
AIWATCH_CACHE_S_MAXAGE = env_int("AIWATCH_CACHE_S_MAXAGE", 300, minimum=0)
AIWATCH_CACHE_STALE_WHILE_REVALIDATE = env_int(
    "AIWATCH_CACHE_STALE_WHILE_REVALIDATE", 60, minimum=0
)
AIWATCH_CACHE_STALE_IF_ERROR = env_int("AIWATCH_CACHE_STALE_IF_ERROR", 86400, minimum=0)
# Called on commit with the absolute URLs an edit changed, to purge a CDN: a dotted path
# to a callable taking a list of URLs. The default does nothing.
AIWATCH_PURGE_HOOK = (
    os.environ.get("AIWATCH_PURGE_HOOK", "").strip() or "aiwatch.core.page_cache.no_purge"
)
# The pages every edit may change (URL names), purged with the edited objects' own pages.
AIWATCH_PURGE_PAGES = [
    "home",
    "articles:article-list",
    "entities:entity-list",
    "entities:event-list",
    "entities:claim-list",
    "feeds:articles",
    "feeds:events",
    "sitemap",
]
# The origin the purged URLs are given on: the site's public address.
_first_host = next((h for h in ALLOWED_HOSTS if h != "*" and not h.startswith(".")), "localhost")
AIWATCH_PUBLIC_URL = env_base_url(
    "AIWATCH_PUBLIC_URL", f"{'https' if PRODUCTION else 'http'}://{_first_host}"
)

# Where export_snapshot writes the dataset's versions, and /data/ serves them from.
AIWATCH_SNAPSHOT_DIR = Path(
    os.environ.get("AIWATCH_SNAPSHOT_DIR", "").strip() or DATA_DIR / "snapshots"
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _replica(url: str, number: int) -> dict:
    """A read replica's DATABASES entry: its server from `url`, everything else as default's.

    The message of a refused URL names the replica by its position, never the URL,
    which may hold a password.
    """
    name = f"DATABASE_REPLICA_URLS (replica {number})"
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        raise ImproperlyConfigured(f"{name} must be a postgres:// URL.")
    try:
        parsed = dj_database_url.parse(url, conn_max_age=0)
    except ValueError:  # a port that is not a number, a broken [IPv6] host
        raise ImproperlyConfigured(f"{name} cannot be read as a URL.") from None
    options = parsed.get("OPTIONS", {})
    host = parsed.get("HOST") or options.pop("host", "")
    if not host or not parsed.get("NAME"):
        raise ImproperlyConfigured(f"{name} must name a host and a database.")
    default = DATABASES["default"]
    replica = copy.deepcopy(default)  # the engine, pool, timeouts and options of the primary
    replica.pop("TEST", None)
    replica.update({k: parsed.get(k) or "" for k in ("NAME", "USER", "PASSWORD", "PORT")})
    replica["HOST"] = host
    # Its own URL's options (sslmode, …) win over the primary's.
    replica["OPTIONS"] = {**replica.get("OPTIONS", {}), **options}
    # The test runner makes no database for it: in tests it is the default's test database.
    replica["TEST"] = {"MIRROR": "default"}
    return replica


# Read replicas (aiwatch.core.routers): comma-separated postgres:// URLs of streaming
# standbys of DATABASE_URL. Each is the alias replica_1, replica_2, … Readers' public
# GETs read from a healthy one; writes, the admin, signed-in editors, a client for a
# few seconds after it wrote, migrations and commands use the primary.
_replica_urls = env_list("DATABASE_REPLICA_URLS", [])
if len(set(_replica_urls)) != len(_replica_urls):
    raise ImproperlyConfigured("DATABASE_REPLICA_URLS names the same server twice.")
for _number, _url in enumerate(_replica_urls, start=1):
    DATABASES[f"replica_{_number}"] = _replica(_url, _number)
    _primary, _this = DATABASES["default"], DATABASES[f"replica_{_number}"]
    if all(_primary.get(k) == _this.get(k) for k in ("HOST", "PORT", "NAME")):
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URLS (replica {_number}) is DATABASE_URL itself."
        )
DATABASE_ROUTERS = ["aiwatch.core.routers.ReplicaRouter"] if _replica_urls else []
if _replica_urls:
    # After the user is known and after DatabaseUnavailableMiddleware, so that a read
    # failing on a replica reaches this middleware first and is retried on the primary.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("axes.middleware.AxesMiddleware"),
        "aiwatch.core.routers.ReplicaRoutingMiddleware",
    )
# For this long after a request that wrote, that client's reads go to the primary
# (a signed cookie), so an edit is never followed by a page from before it.
AIWATCH_READ_YOUR_WRITES_SECONDS = env_int(
    "AIWATCH_READ_YOUR_WRITES_SECONDS", 10, minimum=0, maximum=3600
)
# A replica further behind the primary than this is skipped until it catches up.
AIWATCH_REPLICA_MAX_LAG_SECONDS = env_int(
    "AIWATCH_REPLICA_MAX_LAG_SECONDS", 30, minimum=1, maximum=86400
)
# How often each process checks its replicas (reachable, a standby, lag), at most.
AIWATCH_REPLICA_CHECK_SECONDS = env_int("AIWATCH_REPLICA_CHECK_SECONDS", 5, minimum=1, maximum=300)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic writes and whitenoise serves from.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", "").strip() or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "admin:login"

# Sign-in throttling (django-axes). Five failures lock a username, whatever the
# addresses they come from, and an address, whatever the usernames it tries; the
# right password is refused too until the lockout lifts, 15 minutes after the last
# failure (each failure during a lockout starts the 15 minutes again). A chief
# editor lifts one sooner in the admin; an administrator with
# `manage.py axes_reset_username NAME` or `axes_reset_ip ADDRESS`.
AUTHENTICATION_BACKENDS = [
    # First: it refuses a locked-out sign-in before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "aiwatch.core.login_throttling.lockout_response"
AXES_CLIENT_IP_CALLABLE = "aiwatch.core.login_throttling.client_ip"
# How many reverse proxies of ours stand in front of the app, each appending the
# address it saw to X-Forwarded-For. 0 (the default) reads only REMOTE_ADDR: a
# client can write any X-Forwarded-For, and trusting it would let an attacker pick
# a fresh address for every guess.
TRUSTED_PROXY_COUNT = env_int("AIWATCH_TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=10)
# The API's rate limit reads the client's address the same way; ninja's default (None)
# would believe any X-Forwarded-For.
NINJA_NUM_PROXIES = TRUSTED_PROXY_COUNT

# The read API (/api/v1/) and the data files (/data/): anyone's page may fetch them with
# GET, without cookies. A client address may make AIWATCH_API_RATE API requests.
CORS_URLS_REGEX = r"^/(api/v1|data)/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After", "Content-Disposition"]
AIWATCH_API_RATE = env_rate("AIWATCH_API_RATE", "120/m")

# Content-Security-Policy: no inline scripts or styles anywhere, admin included.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The admin's import preview carries the capture (up to 20 MB, base64: a third more) on to
# its save step in the form; Django's 2.5 MB default would refuse anything over 1.9 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", 28 * 1024 * 1024)

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # A load balancer probes its nodes over plain HTTP, behind the TLS it terminates.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", True)
    if env_bool("DJANGO_BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "aiwatch": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# How many rows a list page shows.
PAGE_SIZE = 25
