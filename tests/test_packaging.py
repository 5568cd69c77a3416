"""The installed package carries every file the code reads: a `pip install .` (as pre-commit does) that drops a
catalogue or a template fails on a user's machine, not in an editable checkout."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_data_file_of_the_package_is_in_its_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["readiness"]
    package = ROOT / "readiness"
    data = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and p.name != "README.md" and "__pycache__" not in p.parts
    ]
    assert data, "the package has data files (catalogues, templates, assets)"
    # setuptools' globs match one folder level per `*`, as fnmatch on the whole relative path with `/` does not
    missing = [f for f in data if not any(fnmatch(f, p) and f.count("/") == p.count("/") for p in patterns)]
    assert not missing, f"not installed by `pip install .`: {missing}; add them to [tool.setuptools.package-data]"
