"""The benchmark stays out of what ships: not in the wheel, not installed in production."""

import tomllib
from fnmatch import fnmatch

from django.conf import settings

from tests.core.test_settings import PRODUCTION, ROOT, _manage


def test_the_wheel_ships_the_layers_and_not_the_benchmark():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    # What setuptools' packages.find does: every package whose dotted name matches.
    packages = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ROOT.iterdir()
        if (top / "__init__.py").is_file()
        for init in top.glob("**/__init__.py")
    }
    shipped = {name for name in packages if any(fnmatch(name, p) for p in include)}
    assert {"aiwatch.core", "aiwatch.search", "aiwatch.site", "articles", "entities"} <= shipped
    assert not any(name == "bench" or name.startswith("bench.") for name in shipped)


def test_development_installs_the_benchmark_commands():
    assert "bench" in settings.INSTALLED_APPS


def test_production_does_not_know_the_benchmark_commands():
    result = _manage("help", "generate_corpus", **PRODUCTION)
    assert result.returncode != 0
    assert "Unknown command: 'generate_corpus'" in result.stderr
