"""The admin login cannot be guessed: failures lock an account and an address for a while.

Five wrong passwords for one username (from anywhere) or from one address (for any
usernames) lock sign-in for 15 minutes, the right password included. A chief editor
lifts a lockout in the admin; an administrator with `manage.py axes_reset_username`.
"""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db.models import F
from django.http import HttpRequest
from django.test import RequestFactory
from django.urls import reverse

from aiwatch.core.login_throttling import client_ip
from aiwatch.env import env_int

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
ATTEMPTS = reverse("admin:axes_accessattempt_changelist")
PASSWORD = "correct horse battery"  # the conftest fixtures' password
HOME = "203.0.113.5"
ELSEWHERE = "198.51.100.20"


def sign_in(client, username, password, ip=HOME):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip
    )


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def fail(client, username, times=5, ip=HOME):
    for _ in range(times):
        sign_in(client, username, "not the password", ip=ip)


def assert_locked_page(response):
    assert response.status_code == 429
    page = response.content.decode()
    assert "admin/aiwatch/locked_out.html" in [t.name for t in response.templates]
    assert "Too many failed sign-ins" in page
    assert "UTC" in page and "15 minutes" in page  # when it lifts
    assert "chief editor" in page  # whom to ask
    # No stray text from the login page's form media: there is no form on this one.
    assert not re.search(r"^\s*nonce=", page, re.MULTILINE)


def test_four_wrong_passwords_do_not_lock(client, editor_only):
    fail(client, "ed", times=4)
    assert sign_in(client, "ed", PASSWORD).status_code == 302
    assert signed_in(client)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, editor_only):
    for attempt in range(4):
        response = sign_in(client, "ed", "not the password")
        assert response.status_code == 200, attempt  # the login form, with its error
    assert_locked_page(sign_in(client, "ed", "not the password"))
    response = sign_in(client, "ed", PASSWORD)
    assert_locked_page(response)
    assert not signed_in(client)


def test_the_account_is_locked_from_another_address_too(client, editor_only):
    fail(client, "ed", ip=HOME)
    assert_locked_page(sign_in(client, "ed", PASSWORD, ip=ELSEWHERE))
    assert not signed_in(client)


def test_spreading_the_guesses_over_many_addresses_still_locks_the_account(client, editor_only):
    for n in range(5):
        sign_in(client, "ed", "not the password", ip=f"192.0.2.{n + 1}")
    assert_locked_page(sign_in(client, "ed", PASSWORD, ip=ELSEWHERE))


def test_one_address_trying_many_usernames_is_locked(client, editor_only):
    for name in ["alice", "bob", "carol", "dave", "erin"]:
        sign_in(client, name, "not the password", ip=HOME)
    assert_locked_page(sign_in(client, "ed", PASSWORD, ip=HOME))
    assert not signed_in(client)
    # The editor, from their own address, is not held up by the stranger's guesses.
    assert sign_in(client, "ed", PASSWORD, ip=ELSEWHERE).status_code == 302


def test_the_lockout_lifts_after_the_cool_off(client, editor_only):
    fail(client, "ed")
    assert_locked_page(sign_in(client, "ed", PASSWORD))
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=16))
    assert sign_in(client, "ed", PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_chief_editor_lifts_a_lockout_in_the_admin(client, editor_only, chief_editor):
    fail(client, "ed")
    client.force_login(chief_editor)
    listing = client.get(ATTEMPTS)
    assert listing.status_code == 200 and "ed" in listing.content.decode()
    ids = list(AccessAttempt.objects.values_list("pk", flat=True))
    response = client.post(ATTEMPTS, {"action": "lift_lockouts", "_selected_action": ids})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    client.logout()
    assert sign_in(client, "ed", PASSWORD).status_code == 302


def test_an_editor_cannot_lift_a_lockout(client, editor_only):
    from django.contrib.auth import get_user_model

    fail(client, "someone")
    other = get_user_model().objects.create_user("ed2", password=PASSWORD, is_staff=True)
    other.groups.add(*editor_only.groups.all())
    client.force_login(other)
    assert client.get(ATTEMPTS).status_code == 403
    ids = list(AccessAttempt.objects.values_list("pk", flat=True))
    refused = client.post(ATTEMPTS, {"action": "lift_lockouts", "_selected_action": ids})
    assert refused.status_code == 403
    delete = reverse("admin:axes_accessattempt_delete", args=[ids[0]])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AccessAttempt.objects.count() == len(ids)


def test_the_command_lifts_a_lockout(client, editor_only):
    fail(client, "ed")
    call_command("axes_reset_username", "ed")
    assert sign_in(client, "ed", PASSWORD).status_code == 302


def test_the_command_lifts_an_address_lockout(client, editor_only):
    for name in ["alice", "bob", "carol", "dave", "erin"]:
        sign_in(client, name, "not the password")
    call_command("axes_reset_ip", HOME)
    assert sign_in(client, "ed", PASSWORD).status_code == 302


# --- The client's address behind a reverse proxy --------------------------------------


def request_from(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post(LOGIN, **headers)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    # A client may write any X-Forwarded-For; it must not choose whose counter it bumps.
    assert client_ip(request_from("203.0.113.9", "192.0.2.1")) == "203.0.113.9"


def test_behind_one_proxy_the_address_it_saw_is_used(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The left entry is the client's own claim; the right one was appended by our proxy.
    request = request_from("10.0.0.2", "192.0.2.1, 198.51.100.7")
    assert client_ip(request) == "198.51.100.7"


def test_behind_two_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = request_from("10.0.0.2", "192.0.2.1, 198.51.100.7, 10.0.0.1")
    assert client_ip(request) == "198.51.100.7"


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", "192.0.2.1, ,"])
def test_a_missing_or_broken_forwarded_header_falls_back_to_the_socket(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from("10.0.0.2", forwarded)) == "10.0.0.2"


@pytest.mark.parametrize("raw", ["-1", "eleven", "11"])
def test_the_proxy_count_is_read_strictly(monkeypatch, raw):
    monkeypatch.setenv("AIWATCH_TEST_PROXIES", raw)
    with pytest.raises(ImproperlyConfigured, match="AIWATCH_TEST_PROXIES"):
        env_int("AIWATCH_TEST_PROXIES", 0, minimum=0, maximum=10)


def test_client_login_needs_a_request_as_every_sign_in_does(client, editor_only):
    """Axes refuses a sign-in it cannot trace to an address; tests use force_login,
    or hand Client.login a request."""
    with pytest.raises(ValueError, match="request"):
        client.login(username="ed", password=PASSWORD)
    assert client.login(request=HttpRequest(), username="ed", password=PASSWORD)
