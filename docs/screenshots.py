"""The README's screenshots: what leadership sees on the first screen of the dashboard and of a region page, on a
laptop (1366x900) and on a phone (390x844), written to docs/screenshots/ under fixed names.

    .venv/bin/python docs/screenshots.py              # builds the example mission's internal site, then shoots it
    .venv/bin/python docs/screenshots.py --site DIR   # shoots a site already built by `readiness build`

Needs Debian's chromium (apt-get install chromium) and Playwright's Python package (never `playwright install`).
The pictures are the first screen only, with animations and the text cursor off, so the same site gives the same
pictures."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots"
#: name -> page of the site (from its root)
PAGES = {"dashboard": "index.html", "region-lowa": "regions/lowa.html"}
SIZES = [(1366, 900), (390, 844)]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars"]


def build(into: Path) -> Path:
    """The example mission's internal site, built by the real command line."""
    site = into / "site"
    subprocess.run(
        [sys.executable, "-m", "readiness", "build", "-p", str(REPO), "--out", str(site)], check=True, cwd=REPO
    )
    return site


def shoot(site: Path, out: Path = OUT) -> list[Path]:
    """Write one PNG per page and size: `<name>-<width>x<height>.png`."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for width, height in SIZES:
                page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
                for name, rel in PAGES.items():
                    page.goto((site / rel).resolve().as_uri(), wait_until="load")
                    page.evaluate("document.fonts.ready")
                    path = out / f"{name}-{width}x{height}.png"
                    page.screenshot(path=str(path), animations="disabled", caret="hide")
                    written.append(path)
                page.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a site built by `readiness build` (default: build the example)")
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNGs go (default: docs/screenshots/)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build(Path(tmp))
        for path in shoot(site, args.out):
            print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
