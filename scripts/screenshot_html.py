"""Regenerate docs/images/html-walkthrough.png, the README's picture of the HTML walk-through.

    uv run python scripts/screenshot_html.py

Needs Debian's Chromium (apt-get install chromium); Playwright drives it, with no browser download."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    chromium = shutil.which("chromium") or sys.exit("needs Chromium: apt-get install chromium")
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "appendix-4.html"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "decision_trees",
                "export",
                "appendix-4",
                "--format",
                "html",
                "-o",
                str(page_file),
                "--from",
                "2026-11-01",
            ],
            check=True,
            cwd=ROOT,
        )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1100, "height": 1000})
            page.clock.set_fixed_time(dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC))  # a Saturday
            page.goto(page_file.as_uri())
            for key in ("1", "2", "1", "3"):
                page.keyboard.press(key)
            page.screenshot(path=str(ROOT / "docs" / "images" / "html-walkthrough.png"))
            browser.close()


if __name__ == "__main__":
    main()
