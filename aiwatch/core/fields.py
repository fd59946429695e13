"""Web addresses a reader can follow: http and https only, on every write path.

A page renders a stored URL as a link, so `javascript:`, `data:` or
`vbscript:` would be a script one click away (the CSP blocks the click, but
a copied link or a feed reader has no CSP). The validator covers forms and
full_clean(); web_url_constraint() covers save(), update(), bulk_create and
raw SQL, which run no validator.
"""

from django import forms
from django.core.validators import URLValidator
from django.db import models

WEB_SCHEMES = ("http", "https")
# The database's version of the validator's scheme test, case-insensitive as schemes are.
_WEB_URL_PATTERN = r"^https?://"

_MESSAGE = "Enter a web address that starts with http:// or https://."
validate_web_url = URLValidator(schemes=WEB_SCHEMES, message=_MESSAGE)


class WebURLFormField(forms.URLField):
    default_validators = [validate_web_url]
    # A form field words its validators' errors itself, by their code.
    default_error_messages = {"invalid": _MESSAGE}


class WebURLField(models.URLField):
    """A URLField that takes http(s) addresses only. Pair it with web_url_constraint()."""

    default_validators = [validate_web_url]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebURLFormField, **kwargs})


def web_url_constraint(field: str, *, name: str) -> models.CheckConstraint:
    """The database refuses a non-blank `field` that is not an http(s) address."""
    return models.CheckConstraint(
        condition=models.Q(**{field: ""}) | models.Q(**{f"{field}__iregex": _WEB_URL_PATTERN}),
        name=name,
    )
