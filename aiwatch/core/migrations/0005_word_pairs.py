# The word_pairs column and its index. Written partly by hand: Django has no
# operation for the SQL function the generated column calls.

import aiwatch.search.models
import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('aiwatch', '0004_slice_lexemes'),
        ('articles', '0003_alter_article_options_and_more'),
    ]

    operations = [
        migrations.RunSQL(
            sql="""
                CREATE FUNCTION aiwatch_word_pairs(words tsvector) RETURNS tsvector
                IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$
                    SELECT coalesce(array_to_tsvector(
                               array_agg(DISTINCT first.lexeme || ' ' || second.lexeme)), '')
                    FROM (SELECT w.lexeme, p FROM unnest(words) AS w, unnest(w.positions) AS p)
                         AS first
                    JOIN (SELECT w.lexeme, p FROM unnest(words) AS w, unnest(w.positions) AS p)
                         AS second ON second.p = first.p + 1
                $$
            """,
            reverse_sql="DROP FUNCTION aiwatch_word_pairs(tsvector)",
        ),
        migrations.AddField(
            model_name='searchentry',
            name='word_pairs',
            field=models.GeneratedField(db_persist=True, expression=aiwatch.search.models.WordPairs(django.contrib.postgres.search.SearchVector('title', 'keywords', 'body', config='english')), output_field=django.contrib.postgres.search.SearchVectorField()),
        ),
        migrations.AddIndex(
            model_name='searchentry',
            index=django.contrib.postgres.indexes.GinIndex(fields=['word_pairs'], name='search_entry_word_pairs_gin'),
        ),
    ]
