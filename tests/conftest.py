import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def editor(db):
    """A staff user with every permission on aiwatch's content, as the admin expects."""
    return get_user_model().objects.create_superuser(
        username="editor", email="editor@aiwatch.test", password="correct horse battery"
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
