# Written by hand: Django has no trigger operation. The raw capture is the
# evidence every claim's quote is checked against, so the database itself
# refuses to change it once stored, whatever code path tries.
from django.db import migrations

CREATE = """
CREATE FUNCTION articles_article_raw_immutable() RETURNS trigger AS $$
BEGIN
    IF NEW.raw IS DISTINCT FROM OLD.raw OR NEW.content_hash IS DISTINCT FROM OLD.content_hash THEN
        RAISE EXCEPTION 'the raw capture of article % cannot be changed', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER articles_article_raw_immutable
    BEFORE UPDATE OF raw, content_hash ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_raw_immutable();
"""

DROP = """
DROP TRIGGER IF EXISTS articles_article_raw_immutable ON articles_article;
DROP FUNCTION IF EXISTS articles_article_raw_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunSQL(CREATE, DROP)]
