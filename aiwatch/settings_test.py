"""The test suite's settings: aiwatch.settings with what tests need on top.

pytest selects this module (pyproject.toml's DJANGO_SETTINGS_MODULE); nothing
else does. Everything comes from aiwatch.settings, environment included, and
only these are overridden.
"""

import os

from aiwatch.settings import *  # noqa: F403
from aiwatch.settings import DATABASES, STORAGES

DEBUG = False

# Hashing is not what the tests check; MD5 makes every login and create_user fast.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests render templates without running collectstatic first.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A stable name, so `pytest --reuse-db` finds the database again; pytest-xdist's
# workers get their own copies (pytest-django appends _gw0, _gw1, …). Two runs at
# the same time on one server would drop each other's database: give one of them
# another name with AIWATCH_TEST_DATABASE, one with "test" in it, which
# generate_corpus requires (CI runs its two suites one after the other).
DATABASES["default"].setdefault("TEST", {})["NAME"] = (
    os.environ.get("AIWATCH_TEST_DATABASE", "").strip() or "test_aiwatch"
)
