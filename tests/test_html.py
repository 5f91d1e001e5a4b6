"""Issue 15: the self-contained HTML walk-through, driven in a real browser: Chromium from Debian's
packages (installed by .ci/run), through Playwright for Python pointed at it; no browser download."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Cli, edit

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.environ.get("CI"):
    raise RuntimeError("CI needs Chromium for the browser tests: .ci/run installs Debian's chromium package")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
MONDAY = dt.datetime(2026, 11, 23, 14, 30, tzinfo=dt.UTC)
SATURDAY = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield launched
        launched.close()


def export(cli: Cli, tmp_path: Path, *extra: str) -> Path:
    page = tmp_path / "appendix-4.html"
    result = cli("export", "appendix-4", "--format", "html", "-o", str(page), *extra)
    assert result.exit_code == 0, result.stderr
    return page


def open_page(browser: object, path: Path, when: dt.datetime) -> tuple[object, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: errors.append("dialog: " + dialog.message))
    page.clock.set_fixed_time(when)
    page.goto(path.as_uri())
    return page, requests, errors


def test_a_route_walked_by_clicking_ends_in_the_clis_summary(browser: object, cli: Cli, tmp_path: Path) -> None:
    page, requests, errors = open_page(browser, export(cli, tmp_path), MONDAY)
    assert page.inner_text("#danger") == "If a child is in immediate danger, phone 999 now."
    assert "Does the service user have a child/ care for a child?" in page.inner_text("h2")
    for label in ("1. Yes", "2. No", "1. Yes", "3. High level need"):
        page.get_by_role("button", name=label).click()
    step = page.locator("#step")
    assert step.get_attribute("data-outcome") == "A4-6"
    text = step.inner_text()
    assert text.index("If a child is in immediate danger, phone 999 now.") < text.index("Deadlines")
    assert "Confirm in writing using the CAF by 2:30pm on Wednesday 25 November 2026 (GMT)." in text
    assert "Phone the Children and Families Contact Service now on 020 7974 3317" in text
    assert "Not checked against a current directory. Check it before you rely on it." in text
    assert "This tool helps you follow the protocol. It does not replace your professional judgement" in text
    summary = cli.walk_json("appendix-4", "yes,no,yes,high")
    for action in summary["actions"]:
        assert action["text"] in text  # the same actions as the command line
    page.get_by_role("button", name="← Back").click()
    assert "low, medium or high" in page.inner_text("h2")
    assert page.locator("#route li").count() == 3
    assert requests == [page.url] and errors == []  # no request leaves the page


def test_a_route_walked_by_keyboard_and_back(browser: object, cli: Cli, tmp_path: Path) -> None:
    page, requests, errors = open_page(browser, export(cli, tmp_path), MONDAY)
    for key in ("2", "2", "1"):  # no own child, no other children, pregnant
        page.keyboard.press(key)
    assert page.locator("#step").get_attribute("data-outcome") == "A4-1"
    assert "specialist pre-birth assessment" in page.inner_text("#step")
    page.keyboard.press("Backspace")
    assert "Is service user or their partner pregnant?" in page.inner_text("h2")
    page.keyboard.press("2")
    assert page.locator("#step").get_attribute("data-outcome") == "A4-2"
    assert page.locator("#live").inner_text().startswith("If a child is in immediate danger, phone 999 now.")
    assert page.locator("[aria-live]").count() >= 1
    assert requests == [page.url] and errors == []


def test_out_of_hours_the_emergency_duty_team_comes_first(browser: object, cli: Cli, tmp_path: Path) -> None:
    page, _, errors = open_page(browser, export(cli, tmp_path), SATURDAY)
    for key in ("1", "2", "1", "3"):
        page.keyboard.press(key)
    text = page.inner_text("#step")
    assert "Walk ended at 10am on Saturday 28 November 2026 (GMT), outside office hours." in text
    assert "Phone the Emergency Duty Team now on 020 7974 4444" in text
    assert "Confirm in writing using the CAF by 10am on Monday 30 November 2026 (GMT)." in text
    contacts = page.locator("ul.contacts > li")
    assert contacts.first.inner_text().startswith("Emergency Duty Team (out of hours) – Open now")
    assert errors == []


def test_the_deadline_counts_across_the_clock_change(browser: object, cli: Cli, tmp_path: Path) -> None:
    page, _, _ = open_page(browser, export(cli, tmp_path), dt.datetime(2026, 10, 24, 9, 0, tzinfo=dt.UTC))
    for key in ("1", "2", "1", "3"):
        page.keyboard.press(key)
    assert "by 9am on Monday 26 October 2026 (GMT)." in page.inner_text("#step")  # 10am BST + 48h


def test_guidance_and_the_checklist_with_its_tally(browser: object, cli: Cli, tmp_path: Path) -> None:
    page, _, _ = open_page(browser, export(cli, tmp_path), MONDAY)
    for key in ("1", "2", "1"):
        page.keyboard.press(key)
    page.get_by_text("Tick the indicators that apply").click()
    assert page.get_by_role("heading", name="Section 10.1–10.3: High level need").count() == 1
    page.get_by_label("there are clear signs of neglect, poor supervision and poor school attendance;").check()
    assert "High level need 1 → they point to High level need" in page.inner_text(".tally")
    page.get_by_text("Guidance: Referring children to Early Help Services").click()
    assert "High level need (child protection, level 4)" in page.inner_text(".guidance")
    page.keyboard.press("2")  # the practitioner's choice stands: Medium
    assert page.locator("#step").get_attribute("data-outcome") == "A4-5"
    assert "You chose Medium level need." in page.inner_text("#step")


def test_a_hostile_box_text_stays_inert(browser: object, cli: Cli, flows: Path, tmp_path: Path) -> None:
    hostile = '<img src=x onerror="window.hacked=1"></script><script>window.hacked=2</script>'
    edit(flows / "appendix-4.yaml", "text: Does the service user have a child/ care for a child?", f"text: '{hostile}'")
    page, requests, errors = open_page(browser, export(cli, tmp_path, "--flows-dir", str(flows)), MONDAY)
    assert page.inner_text("h2") == hostile  # shown as text
    assert page.evaluate("window.hacked") is None
    assert page.locator("#step img").count() == 0
    assert requests == [page.url] and errors == []


def test_the_print_stylesheet_fits_a_summary_on_one_a4_page(browser: object, cli: Cli, tmp_path: Path) -> None:
    page, _, _ = open_page(browser, export(cli, tmp_path), MONDAY)
    for key in ("1", "2", "1", "3"):
        page.keyboard.press(key)
    page.emulate_media(media="print")
    assert page.locator(".diagram").is_hidden() and page.locator("#step button").first.is_hidden()
    pdf = page.pdf(format="A4")
    assert (
        pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page>") + pdf.count(b"/Type /Page/") <= 1
        or pdf.count(b"/Type/Page") <= 1
    )
