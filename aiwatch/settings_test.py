"""The test suite's settings: aiwatch.settings with what tests need on top.

pytest selects this module (pyproject.toml's DJANGO_SETTINGS_MODULE); nothing
else does. Everything comes from aiwatch.settings, environment included, and
only these are overridden.
"""

import hashlib
import os

from aiwatch.settings import *  # noqa: F403
from aiwatch.settings import BASE_DIR, DATABASES, STORAGES

DEBUG = False

# Hashing is not what the tests check; MD5 makes every login and create_user fast.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests render templates without running collectstatic first.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A name stable for a checkout, so `pytest --reuse-db` finds the database again,
# and different for two checkouts, so two runs on one server cannot drop each
# other's database. pytest-xdist's workers get their own copies (pytest-django
# appends _gw0, _gw1, …). AIWATCH_TEST_DATABASE overrides it; generate_corpus
# needs "test" in the name.
_checkout = hashlib.sha1(str(BASE_DIR).encode()).hexdigest()[:8]
DATABASES["default"].setdefault("TEST", {})["NAME"] = (
    os.environ.get("AIWATCH_TEST_DATABASE", "").strip() or f"test_aiwatch_{_checkout}"
)

# The page cache is on in every test, as in production, in memory and emptied before each
# test (tests/conftest.py): one process, so no test needs Redis or files. A test that
# fetches a page after a write sees it fresh because the write's commit dropped the kept
# pages; a test whose writes are never committed runs them under
# django_capture_on_commit_callbacks(execute=True), as for the search index.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "aiwatch-tests",
        "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"],  # noqa: F405
    }
}
AIWATCH_PAGE_CACHE = True

# Production cancels a reader's statement after 3 s. CI once saw two cheap searches in the
# fuzz tests answer 503 while the other worker loaded the 2-core machine; on a connection
# already open, that limit is the one thing time alone can trip. The suite allows 30 s: a
# runaway query still ends, and tests/core/test_statement_timeout.py sets short ones.
AIWATCH_STATEMENT_TIMEOUT_MS = 30_000
# Tests that export or serve snapshots point this at a tmp_path of their own.
AIWATCH_SNAPSHOT_DIR = BASE_DIR / ".data" / "no-snapshots-in-tests"
# schemathesis sends the API thousands of requests; tests/api/test_api.py tries the limit itself.
AIWATCH_API_RATE = "100000/m"
