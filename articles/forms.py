"""The admin's "Import article" form: one capture, pasted or uploaded, and where it came from."""

import base64
import binascii
import pathlib

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat

from articles.cleaning import clean_capture
from articles.intake import decode_capture, html_to_text
from articles.models import Article, Source
from articles.services import CaptureError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
TEXT_EXTENSIONS = ("txt",)
HTML_EXTENSIONS = ("html", "htm")
# Room in a request for the other fields of the form that carries a capture to the save step.
_POST_MARGIN = 16 * 1024


def encode_capture(raw: str) -> str:
    """The capture as the preview page carries it to the save step.

    Base64, so that the browser cannot rewrite it: a form post turns every
    line ending in a text field into CRLF, and an HTML parser drops the CR of
    CRLF from an attribute, either of which would change the content hash.
    """
    return base64.b64encode(raw.encode("utf-8")).decode("ascii")


def _fits_in_a_post(raw: str) -> bool:
    """Whether the save step's request can carry the capture (Django refuses a bigger one)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit is None or len(encode_capture(raw)) + _POST_MARGIN <= limit


def _too_long(raw: str) -> str:
    return (
        f"This capture is {filesizeformat(len(raw.encode('utf-8')))} of text, more than a "
        "preview can carry on to the save step; import it with the import_articles command."
    )


class ImportForm(forms.Form):
    """Exactly one capture (pasted text, an uploaded file, or the one a preview carries on).

    The outlet is either an existing Source or the name of a new one, which
    articles.services.source_named creates when the article is saved (or
    reuses, if a Source of that name, in any case, exists by then).

    cleaned_data gains "raw", the capture text that import_capture is given,
    and "cleaned", what articles.cleaning makes of it.
    """

    text = forms.CharField(
        label="Paste the capture",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 80, "class": "vLargeTextField"}),
        help_text="The text of the web page, one paragraph a line, as copied from the browser.",
    )
    upload = forms.FileField(
        label="or upload a file",
        required=False,
        validators=[FileExtensionValidator(TEXT_EXTENSIONS + HTML_EXTENSIONS)],
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.html,.htm"}),
        help_text=(
            f"A UTF-8 .txt capture or a saved .html page, at most "
            f"{filesizeformat(MAX_UPLOAD_BYTES)}. An HTML page is reduced to its text: "
            "scripts, menus, the site's header and footer, sidebars and forms are left out."
        ),
    )
    capture = forms.CharField(required=False, widget=forms.HiddenInput)
    original_url = forms.URLField(
        label="Original URL",
        required=False,
        max_length=Article._meta.get_field("original_url").max_length,
        help_text="Where the page was published, if known.",
    )
    source = forms.ModelChoiceField(
        label="Outlet",
        queryset=Source.objects.all(),
        required=False,
        help_text="The outlet that published the article, if it is already known…",
    )
    new_source = forms.CharField(
        label="or a new outlet",
        required=False,
        max_length=Source._meta.get_field("name").max_length,
        help_text=(
            "…or the name of an outlet to add. Leave both empty when the capture does not say."
        ),
    )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; "
                f"the limit is {filesizeformat(MAX_UPLOAD_BYTES)}."
            )
        return upload

    def clean_new_source(self):
        return " ".join(self.cleaned_data.get("new_source", "").split())

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("source") and cleaned_data.get("new_source"):
            self.add_error("new_source", "Choose an existing outlet or name a new one, not both.")
        raw = self._raw_capture()
        if raw is not None and not _fits_in_a_post(raw):
            self.add_error(None, _too_long(raw))
        elif raw is not None:
            try:
                cleaned_data["cleaned"] = clean_capture(raw)
            except ValueError as error:
                self.add_error(None, f"This capture cannot be imported: {error}.")
            else:
                cleaned_data["raw"] = raw
        return cleaned_data

    def _raw_capture(self) -> str | None:
        """The capture's text, from whichever input holds it; None after an error."""
        given = [
            name
            for name, present in (
                ("text", self.data.get("text", "").strip()),
                ("upload", self.files.get("upload")),
                ("capture", self.data.get("capture", "")),
            )
            if present
        ]
        if len(given) != 1:
            self.add_error(
                None,
                "Paste the capture or upload a file, not both."
                if given
                else "Paste the capture or upload a file.",
            )
            return None
        if given[0] not in self.cleaned_data:
            return None  # the field's own error says what is wrong
        try:
            match given[0]:
                case "text":
                    return self._pasted(self.cleaned_data["text"])
                case "upload":
                    return self._uploaded(self.cleaned_data["upload"])
                case "capture":
                    return self._carried(self.cleaned_data["capture"])
        except CaptureError as error:
            self.add_error(given[0] if given[0] != "capture" else None, f"{error}.")
        return None

    @staticmethod
    def _pasted(text: str) -> str:
        # The browser sends a text box's line breaks as CRLF whatever was pasted;
        # store the capture with the LF line endings it was written with.
        text = text.replace("\r\n", "\n")
        return decode_capture(text.encode("utf-8"))

    @staticmethod
    def _uploaded(upload) -> str:
        data = b"".join(upload.chunks())
        text = decode_capture(data)
        if pathlib.PurePath(upload.name).suffix.lower().lstrip(".") in HTML_EXTENSIONS:
            text = html_to_text(text)
            if not text:
                raise CaptureError(
                    "this HTML page has no text once scripts, menus, the site's header "
                    "and footer, sidebars and forms are left out"
                )
        return text

    @staticmethod
    def _carried(encoded: str) -> str:
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise CaptureError(
                "the previewed capture came back damaged; paste or upload it again"
            ) from None
        return decode_capture(data)
