"""A web node keeps nothing of its own, so two gunicorn nodes on one database serve one site.

Sessions, messages, sign-in lockouts and imported files all live in the
database or in the client's cookies, never on the node's disk or in its memory.
"""

from django.apps import apps
from django.conf import settings
from django.db import models


def test_sessions_are_in_the_database():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_messages_ride_in_cookies_or_the_session():
    assert settings.MESSAGE_STORAGE == "django.contrib.messages.storage.fallback.FallbackStorage"


def test_sign_in_lockouts_are_counted_in_the_database():
    handler = getattr(settings, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler")
    assert handler == "axes.handlers.database.AxesDatabaseHandler"


def test_no_model_keeps_a_file_on_the_nodes_disk():
    """An import's upload is read within its request and stored in a row (Original.content)."""
    on_disk = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    assert on_disk == []
