"""Every URL field takes only http(s): on the form, in full_clean(), and in the database."""

import pytest
import reversion
from django.apps import apps as django_apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, migrations, transaction
from django.db.migrations.loader import MigrationLoader
from django.test import RequestFactory
from reversion.models import Version

from articles.forms import ImportForm
from articles.models import Article, Source
from entities.models import Entity
from tests.factories import ArticleFactory, EntityFactory, SourceFactory

pytestmark = pytest.mark.django_db

# Every model field holding an address a reader can follow.
URL_FIELDS = [
    (Source, "homepage", SourceFactory),
    (Article, "original_url", ArticleFactory),
    (Entity, "website", EntityFactory),
]
HOSTILE = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "ftp://files.test/a.txt",
]
SAFE = ["http://example.test/", "https://example.test/a?b=c#d", "HTTPS://EXAMPLE.TEST/"]
ids = [f"{model.__name__}.{field}" for model, field, _ in URL_FIELDS]


@pytest.mark.parametrize(("model", "field", "factory"), URL_FIELDS, ids=ids)
@pytest.mark.parametrize("url", HOSTILE)
def test_full_clean_refuses_other_schemes(model, field, factory, url):
    obj = factory.build(**{field: url})
    with pytest.raises(ValidationError) as error:
        obj.full_clean(exclude=[f.name for f in model._meta.fields if f.name != field])
    assert field in error.value.message_dict


@pytest.mark.parametrize(("model", "field", "factory"), URL_FIELDS, ids=ids)
@pytest.mark.parametrize("url", HOSTILE)
def test_the_database_refuses_other_schemes_from_update_and_save(model, field, factory, url):
    obj = factory()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=obj.pk).update(**{field: url})
    setattr(obj, field, url)
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


@pytest.mark.parametrize(("model", "field", "factory"), URL_FIELDS, ids=ids)
@pytest.mark.parametrize("url", HOSTILE)
def test_the_database_refuses_other_schemes_from_bulk_create(model, field, factory, url):
    with pytest.raises(IntegrityError), transaction.atomic():
        # An article's outlet must be saved for bulk_create to take the article.
        saved = {"source": SourceFactory()} if model is Article else {}
        model.objects.bulk_create([factory.build(**{field: url}, **saved)])


@pytest.mark.parametrize(("model", "field", "factory"), URL_FIELDS, ids=ids)
@pytest.mark.parametrize("url", [*SAFE, ""])
def test_http_and_https_and_blank_are_accepted(model, field, factory, url):
    obj = factory()
    model.objects.filter(pk=obj.pk).update(**{field: url})
    obj.refresh_from_db()
    obj.full_clean(exclude=[f.name for f in model._meta.fields if f.name != field])
    assert getattr(obj, field) == url


@pytest.mark.parametrize(("model", "field", "factory"), URL_FIELDS, ids=ids)
@pytest.mark.parametrize("url", HOSTILE)
def test_the_admin_form_refuses_other_schemes_with_a_message(editor, model, field, factory, url):
    obj = factory()
    request = RequestFactory().get("/admin/")
    request.user = editor
    form_class = admin.site.get_model_admin(model).get_form(request, obj, fields=[field])
    form = form_class(data={field: url}, instance=obj)
    assert not form.is_valid()
    assert "http:// or https://" in " ".join(form.errors[field])


@pytest.mark.parametrize("url", HOSTILE)
def test_the_import_form_refuses_other_schemes(url):
    form = ImportForm(data={"text": "Title\n\nA body of words.", "original_url": url})
    assert not form.is_valid()
    assert "original_url" in form.errors


# --- The migration: an existing database with such addresses still migrates ---------


def _data_step(app_label):
    """The http_urls_only migration's data step, found by name (the number may change)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    [migration] = [
        m
        for (app, name), m in loader.disk_migrations.items()
        if app == app_label and name.endswith("_http_urls_only")
    ]
    [step] = [op for op in migration.operations if isinstance(op, migrations.RunPython)]
    return step.code


def _migrate(model, constraint):
    """The data step, then the constraint, as the migration runs them."""
    _data_step(model._meta.app_label)(django_apps, None)
    with connection.cursor() as cursor:
        # Rows made in this transaction leave foreign-key checks pending, even on an update
        # that keeps the keys; rows a migrated database had before it began do not.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.schema_editor(atomic=False) as editor:
        editor.add_constraint(model, constraint)


@pytest.mark.parametrize(("model", "field", "factory"), URL_FIELDS, ids=ids)
def test_the_migration_trims_or_clears_what_the_constraint_would_refuse(model, field, factory):
    name = next(c.name for c in model._meta.constraints if c.name.endswith(f"{field}_http"))
    constraint = next(c for c in model._meta.constraints if c.name == name)
    with connection.schema_editor(atomic=False) as editor:
        editor.remove_constraint(model, constraint)  # as before the migration; rolled back
    kept, trimmed, cleared = factory(), factory(), factory()
    model.objects.filter(pk=kept.pk).update(**{field: "HTTPS://kept.test/"})
    model.objects.filter(pk=trimmed.pk).update(**{field: "  https://trimmed.test/\t"})
    model.objects.filter(pk=cleared.pk).update(**{field: "javascript:alert(1)"})
    with reversion.create_revision():
        cleared.refresh_from_db()
        cleared.save()
    _migrate(model, constraint)
    values = dict(model.objects.values_list("pk", field))
    assert values[kept.pk] == "HTTPS://kept.test/"
    assert values[trimmed.pk] == "https://trimmed.test/"
    assert values[cleared.pk] == ""
    # The history keeps a version that can still be reverted to.
    [version] = Version.objects.get_for_object(cleared)
    assert version.field_dict[field] == ""
    version.revert()


def test_the_migration_clears_a_trimmed_article_url_another_article_has():
    constraint = next(
        c for c in Article._meta.constraints if c.name == "articles_article_original_url_http"
    )
    with connection.schema_editor(atomic=False) as editor:
        editor.remove_constraint(Article, constraint)
    ArticleFactory(original_url="https://news.test/same")
    twin = ArticleFactory()
    Article.objects.filter(pk=twin.pk).update(original_url=" https://news.test/same")
    _migrate(Article, constraint)
    twin.refresh_from_db()
    assert twin.original_url == ""
