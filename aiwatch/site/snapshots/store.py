"""The snapshots on disk: each a folder v1, v2, … under AIWATCH_SNAPSHOT_DIR with its manifest.

A folder is a snapshot only once its manifest.json is in place: export writes
everything into a hidden folder and renames it, so a reader never lists a
snapshot half written.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

FOLDER = re.compile(r"v([1-9][0-9]{0,8})")
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Snapshot:
    version: int
    path: Path
    manifest: dict

    @property
    def name(self) -> str:
        return f"v{self.version}"

    def file(self, name: str) -> dict | None:
        """The manifest's entry for the file `name`; None for a file it does not list."""
        return next((f for f in self.manifest["files"] if f["name"] == name), None)


def root() -> Path:
    return Path(settings.AIWATCH_SNAPSHOT_DIR)


def _folders(directory: Path) -> list[tuple[int, Path]]:
    """The version folders in `directory`, newest first, without reading them."""
    try:
        entries = list(directory.iterdir())
    except OSError:  # missing, not a folder, or not ours to read: no snapshot to offer
        return []
    found = [(int(m[1]), p) for p in entries if (m := FOLDER.fullmatch(p.name))]
    return sorted(found, reverse=True)


def _read(version: int, folder: Path) -> Snapshot | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # damaged, or not a snapshot: not offered
    if not _well_formed(manifest):
        return None
    return Snapshot(version, folder, manifest)


def _well_formed(manifest) -> bool:
    """Whether a manifest has what the pages read: a damaged one is not offered."""
    return (
        isinstance(manifest, dict)
        and isinstance(manifest.get("counts"), dict)
        and isinstance(manifest.get("files"), list)
        and all(
            isinstance(f, dict) and {"name", "bytes", "sha256"} <= f.keys()
            for f in manifest["files"]
        )
        and isinstance(manifest.get("citation"), dict)
        and "date" in manifest
    )


def highest_number(directory: Path) -> int:
    """The highest version number in `directory`, complete or not: the next export's is above."""
    folders = _folders(directory)
    return folders[0][0] if folders else 0


def versions(directory: Path | None = None) -> list[Snapshot]:
    """Every complete snapshot in `directory` (the configured one by default), newest first."""
    read = (_read(v, p) for v, p in _folders(directory or root()))
    return [s for s in read if s is not None]


def get(version: int, directory: Path | None = None) -> Snapshot | None:
    return _read(version, (directory or root()) / f"v{version}")


def latest(directory: Path | None = None) -> Snapshot | None:
    """The newest complete snapshot; reads one manifest unless the newest is damaged."""
    read = (_read(v, p) for v, p in _folders(directory or root()))
    return next((s for s in read if s is not None), None)
