# Written by hand: Django has no trigger operation, and existing articles need
# their MinHash computed once. The original file is evidence, like the raw
# capture (0002): the database refuses to change it once stored.
from django.db import migrations

CREATE = """
CREATE FUNCTION articles_original_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the original file of article % cannot be changed', OLD.article_id
        USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER articles_original_immutable
    BEFORE UPDATE ON articles_original
    FOR EACH ROW EXECUTE FUNCTION articles_original_immutable();
"""

DROP = """
DROP TRIGGER IF EXISTS articles_original_immutable ON articles_original;
DROP FUNCTION IF EXISTS articles_original_immutable();
"""


def sign_existing_articles(apps, schema_editor):
    from articles.shingles import signature

    Article = apps.get_model("articles", "Article")
    for article in Article.objects.only("pk", "body").iterator():
        minhash, bands = signature(article.body)
        Article.objects.filter(pk=article.pk).update(minhash=minhash, minhash_bands=bands)


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_intake_originals_roles_republications")]

    operations = [
        migrations.RunSQL(CREATE, DROP),
        migrations.RunPython(sign_existing_articles, migrations.RunPython.noop),
    ]
