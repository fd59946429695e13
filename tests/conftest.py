import os

import pytest
from django.contrib.auth import get_user_model
from hypothesis import settings as hypothesis_settings

# Hypothesis profiles: how many examples each property test tries. "ci" (chosen
# when CI=true, as .ci/run is run) tries the full count, on top of Hypothesis's
# own CI profile (derandomized, no example database); "dev" fewer, for quick
# local runs. HYPOTHESIS_PROFILE=ci (or dev) picks one explicitly.
hypothesis_settings.register_profile("ci", hypothesis_settings.get_profile("ci"), max_examples=200)
hypothesis_settings.register_profile(
    "dev", hypothesis_settings.get_profile("default"), max_examples=50
)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev")
)


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


def _staff_in(group_name, username):
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username=username, password="correct horse battery", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor_only(db):
    """A member of the Editor group: edits content, cannot publish or manage users."""
    return _staff_in("Editor", "ed")


@pytest.fixture
def chief_editor(db):
    """A member of the Chief editor group: also publishes and withdraws."""
    return _staff_in("Chief editor", "chief")
