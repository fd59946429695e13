# Adds the kind and month lexemes (aiwatch.search.models.SliceLexemes) to the stored
# vector. Django cannot alter a generated column, so the column and its index
# are dropped and made again; PostgreSQL recomputes every row's vector.

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

import aiwatch.search.models


class Migration(migrations.Migration):
    dependencies = [
        ("aiwatch", "0003_editor_roles"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="searchentry", name="search_entry_vector_gin"),
        migrations.RemoveField(model_name="searchentry", name="vector"),
        migrations.AddField(
            model_name="searchentry",
            name="vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.CombinedSearchVector(
                                django.contrib.postgres.search.CombinedSearchVector(
                                    django.contrib.postgres.search.SearchVector(
                                        "title", config="english", weight="A"
                                    ),
                                    "||",
                                    django.contrib.postgres.search.SearchVector(
                                        "keywords", config="english", weight="B"
                                    ),
                                    django.contrib.postgres.search.SearchConfig("english"),
                                ),
                                "||",
                                django.contrib.postgres.search.SearchVector(
                                    "body", config="english", weight="C"
                                ),
                                django.contrib.postgres.search.SearchConfig("english"),
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                "cjk_title", config="simple", weight="A"
                            ),
                            django.contrib.postgres.search.SearchConfig("english"),
                        ),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            "cjk_body", config="simple", weight="C"
                        ),
                        django.contrib.postgres.search.SearchConfig("english"),
                    ),
                    "||",
                    aiwatch.search.models.SliceLexemes("kind", "date"),
                    django.contrib.postgres.search.SearchConfig("english"),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["vector"], name="search_entry_vector_gin"
            ),
        ),
    ]
