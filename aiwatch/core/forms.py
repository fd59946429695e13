"""Every form in the project reads its fields without control characters.

settings.FORM_RENDERER names PlainTextRenderer, whose bound fields hand each
field the submitted value with aiwatch.core.text's control characters
dropped, before the field cleans, validates or shows it again: the admin's
forms, inlines and change-list rows, the import form, the search and list
filters, and any form added later, with nothing to remember.
"""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates

from aiwatch.core.text import without_control_characters


class PlainTextBoundField(BoundField):
    @property
    def data(self):
        value = super().data
        # A password is compared, never shown: what was typed is what is checked.
        if isinstance(self.field.widget, forms.PasswordInput):
            return value
        return _plain(value)


def _plain(value):
    if isinstance(value, str):
        return without_control_characters(value)
    if isinstance(value, list | tuple):
        return type(value)(_plain(item) for item in value)
    return value  # an uploaded file, a value a widget made itself


class PlainTextRenderer(DjangoTemplates):
    bound_field_class = PlainTextBoundField
