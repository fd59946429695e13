"""The admin's "Import article" form: one capture, pasted or uploaded, and where it came from."""

import base64
import binascii
import dataclasses
import pathlib
import tempfile

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat

from aiwatch.core.fields import WebURLFormField
from articles import intake
from articles.intake import CaptureError
from articles.intake.files import MAX_FILE_BYTES, SUFFIXES
from articles.models import Article, Source, content_hash
from articles.services import outlet_furniture

MAX_UPLOAD_BYTES = MAX_FILE_BYTES
EXTENSIONS = tuple(sorted({suffix.rsplit(".", 1)[-1] for suffix in SUFFIXES}))
_PASTE_NAME = "pasted.txt"
# Room in a request for the other fields of the form that carries a capture to the save step.
_POST_MARGIN = 16 * 1024


def encode_capture(data: bytes) -> str:
    """The capture file as the preview page carries it to the save step.

    Base64 of the file's bytes, so that the browser cannot rewrite it: a form
    post turns every line ending in a text field into CRLF, and an HTML parser
    drops the CR of CRLF from an attribute, either of which would change the
    content hash.
    """
    return base64.b64encode(data).decode("ascii")


def _fits_in_a_post(data: bytes) -> bool:
    """Whether the save step's request can carry the capture (Django refuses a bigger one)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit is None or len(encode_capture(data)) + _POST_MARGIN <= limit


def _too_long(data: bytes) -> str:
    return (
        f"This capture is {filesizeformat(len(data))}, more than a "
        "preview can carry on to the save step; import it with the import_articles command."
    )


def extract_upload(
    name: str, data: bytes, *, outlet_lines: frozenset[str] = frozenset()
) -> list[intake.Extracted]:
    """The articles in an uploaded or pasted capture, read as import_articles reads a file.

    A page a web archive holds twice is given once.
    """
    safe_name = pathlib.PurePath(name).name or _PASTE_NAME
    suffix = ".warc.gz" if safe_name.lower().endswith(".warc.gz") else pathlib.PurePath(name).suffix
    stem = safe_name[: len(safe_name) - len(suffix)] if suffix else safe_name
    # intake reads files: the upload is written to a private folder under a fixed name (an
    # uploaded name can be longer, in bytes, than a file system allows), and named back.
    with tempfile.TemporaryDirectory(prefix="aiwatch-intake-") as directory:
        path = pathlib.Path(directory) / f"capture{suffix.lower()}"
        path.write_bytes(data)
        try:
            files = intake.read(path)
            found, seen = [], set()
            for file in files:
                file = dataclasses.replace(
                    file,
                    label=file.label.replace(str(path), safe_name),
                    filename=file.filename.replace("capture", stem, 1)
                    if file.filename != path.name
                    else safe_name,
                )
                extracted = intake.extract(file, outlet_lines=outlet_lines)
                if content_hash(extracted.raw) not in seen:
                    seen.add(content_hash(extracted.raw))
                    found.append(extracted)
            return found
        except CaptureError as error:
            message = str(error).replace(f"{path}, ", "").replace(f"{path}: ", "")
            raise CaptureError(message.replace(str(path), safe_name)) from None


class ImportForm(forms.Form):
    """Exactly one capture (pasted text, an uploaded file, or the one a preview carries on).

    The outlet is either an existing Source or the name of a new one, which
    articles.services.source_named creates when the article is saved (or
    reuses, if a Source of that name, in any case, exists by then).

    cleaned_data gains "extracted", the articles intake finds in the capture
    (one, or one a page for a web archive), and "data" and "name", the file
    the preview carries on to the save step.
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
        validators=[FileExtensionValidator(EXTENSIONS)],
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUFFIXES)}),
        help_text=(
            f"A .txt capture, a saved .html page or a web archive (.warc, .warc.gz), at most "
            f"{filesizeformat(MAX_UPLOAD_BYTES)}, in any encoding. An HTML page is reduced to "
            "its main text; the page itself is kept beside the article."
        ),
    )
    capture = forms.CharField(required=False, widget=forms.HiddenInput)
    capture_name = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)
    original_url = WebURLFormField(
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
        capture = self._capture_file()
        if capture is not None and not _fits_in_a_post(capture[1]):
            self.add_error(None, _too_long(capture[1]))
        elif capture is not None:
            name, data = capture
            try:
                cleaned_data["extracted"] = extract_upload(
                    name, data, outlet_lines=self._outlet_furniture(cleaned_data)
                )
            except CaptureError as error:
                self.add_error(None, f"This capture cannot be imported: {error}.")
            else:
                cleaned_data["name"], cleaned_data["data"] = name, data
        return cleaned_data

    @staticmethod
    def _outlet_furniture(cleaned_data) -> frozenset[str]:
        """The lines the chosen outlet's earlier captures share: its page furniture."""
        outlet = cleaned_data.get("source")
        name = outlet.name if outlet else cleaned_data.get("new_source", "")
        return outlet_furniture(source_name=name, texts=[]) if name else frozenset()

    def _capture_file(self) -> tuple[str, bytes] | None:
        """The capture's file name and bytes, from whichever input holds it; None after an error."""
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
    def _pasted(text: str) -> tuple[str, bytes]:
        # The browser sends a text box's line breaks as CRLF whatever was pasted;
        # store the capture with the LF line endings it was written with.
        return _PASTE_NAME, text.replace("\r\n", "\n").encode("utf-8")

    @staticmethod
    def _uploaded(upload) -> tuple[str, bytes]:
        return pathlib.PurePath(upload.name).name, b"".join(upload.chunks())

    def _carried(self, encoded: str) -> tuple[str, bytes]:
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise CaptureError(
                "the previewed capture came back damaged; paste or upload it again"
            ) from None
        name = pathlib.PurePath(self.cleaned_data.get("capture_name") or _PASTE_NAME).name
        if not name.lower().endswith(SUFFIXES):
            raise CaptureError("the previewed capture came back damaged; paste or upload it again")
        return name, data
