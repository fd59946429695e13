"""Settings come from the environment, strictly; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from aiwatch.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("False", False),
        ("false", False),
        ("0", False),
        ("no", False),
        ("True", True),
        ("1", True),
        ("on", True),
        ("", True),
    ],
)
def test_booleans_are_parsed_strictly(monkeypatch, raw, expected):
    monkeypatch.setenv("AIWATCH_TEST_FLAG", raw)
    assert env_bool("AIWATCH_TEST_FLAG", default=True) is expected


@pytest.mark.parametrize("raw", ["Fasle", "2", "maybe"])
def test_an_unreadable_boolean_fails_loudly(monkeypatch, raw):
    monkeypatch.setenv("AIWATCH_TEST_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="AIWATCH_TEST_FLAG"):
        env_bool("AIWATCH_TEST_FLAG", default=False)


def test_integers_and_lists(monkeypatch):
    monkeypatch.setenv("AIWATCH_TEST_INT", "12x")
    with pytest.raises(ImproperlyConfigured):
        env_int("AIWATCH_TEST_INT", 3)
    monkeypatch.setenv("AIWATCH_TEST_LIST", " a.example , b.example,, ")
    assert env_list("AIWATCH_TEST_LIST", []) == ["a.example", "b.example"]


def _manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AIWATCH_"))}
    base.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "AIWATCH_ENV": "production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x7Q2v9Lm" * 6,
    "DJANGO_ALLOWED_HOSTS": "aiwatch.example",
    "DATABASE_URL": "postgres://aiwatch@127.0.0.1:1/aiwatch",
}


def _this_database_url() -> str:
    """The server this test run uses, as a URL: some checks (GeneratedField's) connect."""
    db = connection.settings_dict
    if db["HOST"].startswith("/"):
        return f"postgres://{db['USER']}@/{db['NAME']}?host={db['HOST']}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.mark.django_db
def test_check_deploy_is_clean_under_production_settings():
    env = {**PRODUCTION, "DATABASE_URL": _this_database_url()}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_without_a_required_variable_refuses_to_start(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr


def test_production_refuses_debug():
    result = _manage("check", DJANGO_DEBUG="True", **PRODUCTION)
    assert result.returncode != 0 and "DJANGO_DEBUG" in result.stderr


def test_a_mistyped_debug_flag_fails_instead_of_turning_debug_on():
    result = _manage("check", DJANGO_DEBUG="Flase", **PRODUCTION)
    assert result.returncode != 0 and "DJANGO_DEBUG" in result.stderr


def test_only_postgresql_is_accepted():
    result = _manage("check", **{**PRODUCTION, "DATABASE_URL": "sqlite:///db.sqlite3"})
    assert result.returncode != 0 and "PostgreSQL only" in result.stderr


def test_only_the_test_settings_know_about_tests(settings):
    """The suite runs on aiwatch.settings_test; aiwatch.settings itself has no test mode."""
    assert settings.SETTINGS_MODULE == "aiwatch.settings_test"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.DATABASES["default"]["TEST"]["NAME"].startswith("test_")
    show = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.PASSWORD_HASHERS[0], s.STORAGES['staticfiles']['BACKEND'])"
    )
    # aiwatch.settings under pytest (this test's environment, DJANGO_* left out) is development.
    result = _manage("shell", "--no-imports", "-c", show, DATABASE_URL=PRODUCTION["DATABASE_URL"])
    assert result.returncode == 0, result.stderr
    debug, hasher, storage = result.stdout.split()
    assert debug == "True"
    assert "MD5" not in hasher
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"
