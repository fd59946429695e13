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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The browser tests last, after pytest-django's own ordering by kind of test.

    Once Playwright has started, Django refuses ORM calls in that process, so no
    database test may come after them, whichever folder it sits in.
    """
    items.sort(key=lambda item: item.nodeid.startswith("tests/browser/"))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's --dist loadscope, keeping the order pytest-django relies on.

    pytest-django runs the tests in Django's order: TestCase-like tests, then the
    transactional ones (whose flush also empties what the migrations put in, the
    groups for one), then those without a database; and the browser tests last
    among the database tests, since once Playwright has started Django refuses ORM
    calls in that process. So the work is handed out in that order (not largest
    module first), each worker's share stays in that order, and a module whose
    tests fall in two of those groups is two units of work. The browser tests are
    one unit: they share one seed, one live server and one Chromium, and each
    worker would otherwise clear the other's screenshots.
    """
    if config.getoption("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class InDjangosOrder(LoadScopeScheduling):
        units = None

        def _split_scope(self, nodeid):
            if self.units is None:  # consecutive tests of one scope make one unit
                self.units, previous, run = {}, None, 0
                for test in self.collection:
                    scope = "tests/browser"
                    if not test.startswith("tests/browser/"):
                        scope = super()._split_scope(test)
                    run += scope != previous
                    previous = scope
                    self.units[test] = f"{scope} ({run})"
            return self.units[nodeid]

    config.option.loadscopereorder = False
    return InDjangosOrder(config, log)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no kept pages and nothing pending from another test's writes.

    The cache is on in tests (aiwatch.settings_test); a page kept by one test
    must not answer for another, whose database holds different rows.
    """
    from django.core.cache import caches

    from aiwatch.core import page_cache

    caches["default"].clear()
    page_cache.forget_pending()
    yield


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
