# Written by hand: the search index's model moved to the search app
# (aiwatch.search), which takes it over in its migration 0001. Only Django's
# idea of which app owns it changes; the table and its rows stay as they are.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("aiwatch", "0005_word_pairs"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SearchEntry")],
        ),
    ]
