"""/data/: the dataset's versions, each with its files, checksums, citation and changes.

The files are read from AIWATCH_SNAPSHOT_DIR and never from the database, so the
data stays downloadable while the database is away. Only files a manifest
lists are served: a name is looked up, never joined to a path.
"""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from aiwatch.core.markup import render_markdown
from aiwatch.site.snapshots import store
from aiwatch.site.snapshots.export import MEDIA_TYPES

# The files of a version never change: a browser or a CDN may keep them for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
# Shown first on a version's page: what most researchers download.
HEADLINE_FILES = ("aiwatch.sqlite", "README.md", "datapackage.json")
TEXT_TYPES = ("text/", "application/json", "application/jsonl", "application/x-bibtex")


def _summary(snapshot: store.Snapshot, request) -> dict:
    manifest = snapshot.manifest
    return {
        "version": snapshot.version,
        "date": manifest["date"],
        "url": request.build_absolute_uri(snapshot_path(snapshot)),
        "counts": manifest["counts"],
        "manifest": request.build_absolute_uri(file_path(snapshot, store.MANIFEST)),
    }


def snapshot_path(snapshot) -> str:
    return reverse("data:snapshot-detail", kwargs={"version": snapshot.version})


def file_path(snapshot, name: str) -> str:
    return reverse("data:snapshot-file", kwargs={"version": snapshot.version, "name": name})


def snapshot_list(request):
    """Every version, newest first; ?format=json lists them for a script."""
    snapshots = store.versions()
    if request.GET.get("format") == "json":
        return JsonResponse(
            {"snapshots": [_summary(s, request) for s in snapshots]},
            json_dumps_params={"ensure_ascii": False},
        )
    return render(request, "site/snapshot_list.html", {"snapshots": snapshots})


def snapshot_detail(request, version: int):
    snapshot = store.get(version)
    if snapshot is None:
        raise Http404(f"There is no snapshot v{version}.")
    try:
        changes = _changes_html(snapshot.path / "CHANGELOG.md")
    except (OSError, ValueError):  # lost or damaged: the files are still listed
        changes = ""
    files = snapshot.manifest["files"]
    return render(
        request,
        "site/snapshot_detail.html",
        {
            "snapshot": snapshot,
            "manifest": snapshot.manifest,
            "headline_files": [f for f in files if f["name"] in HEADLINE_FILES],
            "files": files,
            "changes": changes,
            "is_latest": (latest := store.latest()) is not None and latest.version == version,
        },
    )


def snapshot_file(request, version: int, name: str):
    snapshot = store.get(version)
    listed = snapshot and (snapshot.file(name) or name in (store.MANIFEST, "SHA256SUMS"))
    if not listed:
        raise Http404(f"v{version} has no file {name}.")
    media_type = "text/plain" if name == "SHA256SUMS" else _media_type(name)
    if media_type.startswith(TEXT_TYPES):
        media_type += "; charset=utf-8"
    try:
        handle = open(snapshot.path / name, "rb")  # noqa: SIM115 — FileResponse closes it
    except OSError:
        raise Http404(f"v{version} has lost its file {name}.") from None
    response = FileResponse(
        handle,
        content_type=media_type,
        as_attachment=name.endswith((".sqlite", ".csv", ".jsonl")),
        filename=f"aiwatch-v{version}-{name}",
    )
    response["Cache-Control"] = IMMUTABLE
    entry = snapshot.file(name)
    if entry:
        response["ETag"] = f'"{entry["sha256"]}"'
    return response


def latest(request, name: str = ""):
    """/data/latest/ and /data/latest/<file>: the newest version's, by a temporary redirect."""
    snapshot = store.latest()
    if snapshot is None:
        raise Http404("No snapshot has been published yet.")
    response = redirect(file_path(snapshot, name) if name else snapshot_path(snapshot))
    # Which version is newest changes with the next export: never keep the answer.
    response["Cache-Control"] = "no-cache"
    return response


def _changes_html(path) -> str:
    """CHANGELOG.md under the page's own "Changes" heading: its title dropped, its sections h3."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return render_markdown(
        "\n".join("#" + line if line.startswith("## ") else line for line in lines)
    )


def _media_type(name: str) -> str:
    suffix = name[name.rfind(".") :] if "." in name else ""
    return MEDIA_TYPES.get(suffix, "application/octet-stream")
