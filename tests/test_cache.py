"""Work kept between builds (readiness.store): a build after an edit reuses the pages MkDocs converted and the
Monte Carlo of the regions the edit did not touch, and publishes exactly what a build from nothing publishes;
what the store holds is never trusted beyond what it saves (unreadable entries are misses, a script in one is
refused by the scan, the project's own folder is never a store); old entries go; builds at once never read
half an entry."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import time
import zlib
from pathlib import Path

import pytest
import yaml

from readiness.project import load_project
from readiness.scoring import score_project
from readiness.store import KEEP_DAYS, SUFFIX, Store
from readiness.uncertainty import analyse
from tests.conftest import framework, observation, project_files, run, write_project
from tests.test_site import small_project


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch) -> Path:
    """Each test its own store (readiness.store.cache_root reads READINESS_CACHE)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("READINESS_CACHE", str(folder))
    return folder


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def build(root: Path, out: Path, *extra: str) -> dict[str, bytes]:
    result = run("build", "-p", str(root), "--out", str(out), *extra)
    assert result.exit_code == 0, result.output
    return site_files(out)


def set_value(root: Path, indicator_id: str, value: float) -> None:
    path = root / "assessments" / "r1" / "north.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["observations"][indicator_id]["value"] = value
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def entries(cache: Path, kind: str) -> set[str]:
    folder = cache / kind
    return {p.name for p in folder.iterdir() if p.name.endswith(SUFFIX)} if folder.is_dir() else set()


def rewrite_pages(cache: Path, change) -> int:
    """Every kept page's entry rewritten by `change` (its JSON as a dict, changed in place); the number done."""
    done = 0
    for path in (cache / "pages").glob(f"*{SUFFIX}"):
        data = json.loads(zlib.decompress(path.read_bytes()))
        change(data)
        path.write_bytes(zlib.compress(json.dumps(data).encode("utf-8")))
        done += 1
    return done


@pytest.mark.slow
def test_a_build_after_an_edit_reuses_what_it_can_and_publishes_what_a_build_from_nothing_does(tmp_path, cache):
    root = small_project(tmp_path)
    build(root, tmp_path / "first")
    pages, regions = entries(cache, "pages"), entries(cache, "uncertainty")
    assert len(pages) > 10 and len(regions) == 1  # every page, and the one region's Monte Carlo
    again = build(root, tmp_path / "again")
    assert entries(cache, "pages") == pages and entries(cache, "uncertainty") == regions  # all of it reused
    assert again == site_files(tmp_path / "first")

    set_value(root, "A1", 72)
    warm = build(root, tmp_path / "warm")
    cold = build(root, tmp_path / "cold", "--no-cache")
    assert warm == cold  # byte for byte
    assert warm != again  # the edit shows
    new = entries(cache, "pages") - pages
    assert 0 < len(new) < len(pages)  # only the pages the edit changed were converted again
    assert len(entries(cache, "uncertainty") - regions) == 1  # the edited region was sampled again


@pytest.mark.slow
def test_a_page_is_taken_from_the_store_and_still_goes_through_the_scan(tmp_path, cache):
    root = small_project(tmp_path)
    build(root, tmp_path / "site")

    def mark(data):
        data["content"] += '<p class="kept-marker">taken from the store</p>'

    assert rewrite_pages(cache, mark) > 10
    site = build(root, tmp_path / "site")
    assert b"kept-marker" in site["index.html"]  # the page was not converted again: it came from the store
    assert b"kept-marker" not in build(root, tmp_path / "fresh", "--no-cache")["index.html"]

    # an entry is never trusted beyond the time it saves: a script in it is found by the scan of every built page
    def script(data):
        data["content"] += "<script>alert(document.title)</script>"

    rewrite_pages(cache, script)
    before = site_files(tmp_path / "site")
    refused = run("build", "-p", str(root), "--out", str(tmp_path / "site"))
    assert refused.exit_code != 0
    assert "Traceback" not in refused.output and "script" in refused.output.lower()
    assert site_files(tmp_path / "site") == before  # the previous site is untouched


@pytest.mark.slow
def test_unreadable_entries_are_misses(tmp_path, cache):
    root = small_project(tmp_path)
    build(root, tmp_path / "site")

    def broken_contents(data):  # this version's shape, but a table of contents that is not one
        data["toc"] = [["Title", "id"]]

    rewrite_pages(cache, broken_contents)
    for kind in ("pages", "uncertainty"):
        for i, path in enumerate(sorted((cache / kind).glob(f"*{SUFFIX}"))):
            # cut short, not compressed, a well-formed entry of another shape, or (a page) the broken contents
            broken = [path.read_bytes()[:20], b"not an entry", zlib.compress(b'{"format": 99}'), None][i % 4]
            if broken is not None or kind == "uncertainty":
                path.write_bytes(broken or b"")
    assert build(root, tmp_path / "again") == build(root, tmp_path / "fresh", "--no-cache")


def test_no_cache_keeps_nothing(tmp_path, cache):
    root = small_project(tmp_path)
    build(root, tmp_path / "site", "--no-cache")
    assert not entries(cache, "pages") and not entries(cache, "uncertainty")


def test_without_a_store_to_be_had_a_build_does_all_its_work(tmp_path, monkeypatch):
    root = small_project(tmp_path)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("READINESS_CACHE", str(blocked / "cache"))  # cannot be made
    assert build(root, tmp_path / "site") == build(root, tmp_path / "fresh", "--no-cache")


def test_entries_planted_in_the_project_are_never_read(tmp_path, cache):
    """The store is the user's, never the project's: a pull request that commits entries (here: a copy of the
    real ones with a changed page) or a link where the tool would write changes nothing."""
    import shutil

    root = small_project(tmp_path)
    site = build(root, tmp_path / "site")
    rewrite_pages(cache, lambda data: data.__setitem__("content", data["content"] + "<p>planted</p>"))
    shutil.copytree(cache, root / "build" / "cache")
    shutil.rmtree(cache)
    assert build(root, tmp_path / "again") == site
    assert not any((root / "build" / "cache").rglob("*.tmp"))


def two_regions(tmp_path: Path, north_a1: float) -> Path:
    fw = framework(uncertainty={"samples": 400})
    regions = [
        {"id": "north", "name": "North", "tier": "urban", "population": 1000},
        {"id": "south", "name": "South", "tier": "urban", "population": 900},
    ]
    values = {
        "r1/north": {"A1": observation(north_a1), "B1": observation(62)},
        "r1/south": {"A1": observation(71), "B1": observation(49)},
    }
    return write_project(tmp_path, project_files(values, fw=fw, regions=regions))


def analysed(root: Path, store: Store | None):
    project, problems = load_project(root)
    assert not [d for d in problems if d.severity.value == "error"]
    return dataclasses.asdict(analyse(project, score_project(project), store=store))


def test_a_region_whose_inputs_did_not_change_is_not_sampled_again(tmp_path):
    store = Store(tmp_path / "store")
    first = analysed(two_regions(tmp_path / "a", 85), store)
    assert (store.written, store.found) == (2, 0)
    store = Store(tmp_path / "store")
    assert analysed(two_regions(tmp_path / "a", 85), store) == first  # to the last digit
    assert (store.written, store.found) == (0, 2)

    store = Store(tmp_path / "store")
    edited = analysed(two_regions(tmp_path / "b", 64), store)
    assert (store.written, store.found) == (1, 1)  # north sampled again, south taken as it was
    assert edited == analysed(two_regions(tmp_path / "c", 64), None)
    south, before = dict(edited["regions"]["south"]), dict(first["regions"]["south"])
    assert south.pop("rank_interval") is not None and before.pop("rank_interval") is not None  # ranks: all regions
    assert south == before
    assert edited["regions"]["north"] != first["regions"]["north"]


def test_a_change_of_settings_samples_every_region_again(tmp_path):
    store = Store(tmp_path / "store")
    analysed(two_regions(tmp_path / "a", 85), store)
    root = two_regions(tmp_path / "b", 85)
    settings = root / "indicators" / "framework.yaml"
    data = yaml.safe_load(settings.read_text(encoding="utf-8"))
    data["uncertainty"]["seed"] = 12345
    settings.write_text(yaml.safe_dump(data), encoding="utf-8")
    store = Store(tmp_path / "store")
    analysed(root, store)
    assert (store.written, store.found) == (2, 0)


def test_prune_removes_only_what_nobody_used_for_days(tmp_path):
    store = Store(tmp_path)
    for key in ("old", "fresh", "used"):
        store.put(key, key.encode())
    (tmp_path / ".killed.123.tmp").write_bytes(b"half")
    long_ago = time.time() - (KEEP_DAYS + 1) * 86400
    for name in (f"old{SUFFIX}", f"used{SUFFIX}", ".killed.123.tmp"):
        os.utime(tmp_path / name, (long_ago, long_ago))
    later = Store(tmp_path)
    assert later.get("used") == b"used"
    assert later.prune() == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"fresh{SUFFIX}", f"used{SUFFIX}"]


def _keep_writing(folder: str, rounds: int) -> None:
    store = Store(Path(folder))
    for i in range(rounds):
        store.put("shared", (b"A" if i % 2 else b"B") * 400_000)


def test_runs_at_once_never_read_half_an_entry(tmp_path):
    """Two writers replace one entry over and over while this process reads it: every read is one whole entry."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: safe beside a test's threads
    writers = [context.Process(target=_keep_writing, args=(str(tmp_path), 150)) for _ in range(2)]
    for writer in writers:
        writer.start()
    reader, seen = Store(tmp_path), set()
    while any(writer.is_alive() for writer in writers):
        data = reader.get("shared")
        if data is not None:
            seen.add(data)
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    assert seen <= {b"A" * 400_000, b"B" * 400_000}
    assert reader.get("shared") in {b"A" * 400_000, b"B" * 400_000}
    assert [p.name for p in tmp_path.iterdir()] == [f"shared{SUFFIX}"]  # no work file left behind
