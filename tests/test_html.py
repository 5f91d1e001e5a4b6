"""Issue 15: the self-contained HTML walk-through, driven in a real browser: Chromium from Debian's
packages (installed by .ci/run), through Playwright for Python pointed at it; no browser download."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Cli, edit

DANGER = "If a child is in immediate danger, phone 999 now (national practice; this tool’s advice)."  # national practice, marked as the tool’s own (FLOWS.md)

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


def export(cli: Cli, tmp_path: Path, *extra: str, flow: str = "appendix-4", start: str = "2026-10-01") -> Path:
    page = tmp_path / f"{flow}.html"
    result = cli("export", flow, "--format", "html", "-o", str(page), "--from", start, *extra)
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
    assert page.inner_text("#danger") == DANGER
    assert "Does the service user have a child/ care for a child?" in page.inner_text("h2")
    for label in ("1. Yes", "2. No", "1. Yes", "3. High level need"):
        page.get_by_role("button", name=label).click()
    step = page.locator("#step")
    assert step.get_attribute("data-outcome") == "A4-6"
    text = step.inner_text()
    assert text.index(DANGER) < text.index("Deadlines")
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
    assert page.locator("#live").inner_text().startswith(DANGER)
    assert page.locator("[aria-live]").count() >= 1
    assert requests == [page.url] and errors == []


def test_out_of_hours_the_emergency_duty_team_comes_first(browser: object, cli: Cli, tmp_path: Path) -> None:
    page, _, errors = open_page(browser, export(cli, tmp_path), SATURDAY)
    for key in ("1", "2", "1", "3"):
        page.keyboard.press(key)
    text = page.inner_text("#step")
    assert (
        "Walk ended at 10am on Saturday 28 November 2026 (GMT), outside office hours (the hours are assumed)." in text
    )
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
    assert page.get_by_role("heading", name="Section 10.3: High level need").count() == 1
    page.get_by_label("there are clear signs of neglect, poor supervision and poor school attendance;").check()
    assert "High level need 1 → they point to High level need" in page.inner_text(".tally")
    page.get_by_text("Guidance: Referring children to Early Help Services").click()
    assert "High level need (child protection, level 4; this tool’s heading)" in page.inner_text(".guidance")
    page.keyboard.press("2")  # the practitioner's choice stands: Medium
    assert page.locator("#step").get_attribute("data-outcome") == "A4-5"
    assert "Answer chosen: Medium level need." in page.inner_text("#step")


def test_a_hostile_box_text_stays_inert(browser: object, cli: Cli, flows: Path, tmp_path: Path) -> None:
    hostile = '<img src=x onerror="window.hacked=1"></script><script>window.hacked=2</script>'
    edit(flows / "appendix-4.yaml", "text: Does the service user have a child/ care for a child?", f"text: '{hostile}'")
    page, requests, errors = open_page(browser, export(cli, tmp_path, "--flows-dir", str(flows)), MONDAY)
    assert page.inner_text("h2") == hostile  # shown as text
    page.wait_for_selector("#diagram svg")  # and in the chart, drawn by Graphviz from the escaped DOT
    assert hostile in page.inner_text("#diagram").replace("\n", " ")
    assert page.evaluate("window.hacked") is None
    assert page.locator("#step img, #diagram img, #diagram script").count() == 0
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


# Issue 20: the page decides nothing; every fact it shows is the core's, for any instant it holds.
def _instants() -> list[str]:
    from decision_trees import load

    calendar = load().calendar()
    london = calendar.tz
    local = [
        (2026, 11, 23, 14, 30), (2026, 11, 24, 10, 0), (2026, 11, 25, 9, 0), (2026, 11, 26, 8, 59),  # office hours
        (2026, 11, 27, 16, 29), (2026, 11, 27, 16, 30), (2026, 11, 27, 16, 45), (2026, 11, 27, 16, 59),  # Friday
        (2026, 11, 27, 17, 0), (2026, 11, 27, 17, 1), (2026, 11, 24, 20, 0), (2026, 11, 25, 2, 0),  # and nights
        (2026, 11, 28, 0, 0), (2026, 11, 28, 10, 0), (2026, 11, 29, 23, 59), (2026, 12, 24, 16, 45),  # weekends
        (2026, 12, 31, 16, 59), (2026, 10, 24, 10, 0), (2026, 10, 23, 16, 59), (2026, 10, 25, 0, 30),  # clocks back
        (2027, 3, 25, 16, 45), (2027, 3, 27, 10, 0), (2027, 3, 28, 0, 30), (2027, 3, 28, 3, 0),  # clocks forward
        (2027, 3, 29, 10, 0), (2027, 3, 30, 9, 0), (2027, 10, 29, 16, 59), (2027, 10, 30, 10, 0),
        (2027, 10, 31, 3, 0), (2027, 11, 1, 9, 30), (2033, 6, 1, 12, 0), (2033, 12, 23, 16, 59),  # 2033
        (2033, 12, 26, 10, 0), (2033, 12, 27, 10, 0), (2033, 12, 28, 8, 59), (2033, 12, 31, 23, 59),
    ]  # fmt: skip
    found = [dt.datetime(*t, tzinfo=london) for t in local]
    holidays = [d for d in calendar._holidays[calendar.division] if d.year == 2027]  # every bank holiday of a year
    assert len(holidays) >= 8
    for day in sorted(holidays):
        found += [dt.datetime.combine(day, dt.time(10, 0), tzinfo=london)]
        found += [dt.datetime.combine(day - dt.timedelta(days=1), dt.time(16, 59), tzinfo=london)]
    return [when.astimezone(dt.UTC).isoformat() for when in found]


@pytest.mark.parametrize("flow_name", ["appendix-3", "appendix-4", "solihull-threshold"])
def test_the_page_gives_the_command_lines_summary_for_every_route_at_every_kind_of_hour(
    browser: object, cli: Cli, tmp_path: Path, flow_name: str
) -> None:
    import msgspec

    from decision_trees import Session, load
    from decision_trees.core.models import Question

    instants = _instants()
    assert len(instants) >= 50
    path = export(cli, tmp_path, "--until", "2034-01-02", flow=flow_name)
    page, requests, errors = open_page(browser, path, MONDAY)
    library = load()
    flow = library.find(flow_name)
    from decision_trees.core.routing import all_routes

    for route in all_routes(flow):
        answers = iter(route.answers)
        steps = [
            {"node": n, "answer": next(answers) if isinstance(flow.nodes[n], Question) else None, "noted": False}
            for n in route.nodes[:-1]
        ]
        shown = page.evaluate(  # type: ignore[attr-defined]
            "([steps, end, instants]) => instants.map(i => summaryFor(steps, end, new Date(i)))",
            [steps, route.end, instants],
        )
        for when, on_page in zip(instants, shown, strict=True):
            walked = Session(library, flow, answers=route.answers, now=dt.datetime.fromisoformat(when)).run()
            expected = msgspec.json.decode(msgspec.json.encode(walked.summary))
            assert on_page == expected, (route.answers, when)
    assert requests == [page.url] and errors == []


def test_outside_the_times_it_holds_the_page_says_so_and_advises_nothing(
    browser: object, cli: Cli, tmp_path: Path
) -> None:
    page, _, errors = open_page(
        browser, export(cli, tmp_path, "--until", "2027-01-01"), dt.datetime(2027, 6, 1, 12, 0, tzinfo=dt.UTC)
    )
    for key in ("1", "2", "1", "3"):
        page.keyboard.press(key)
    text = page.inner_text("#step")
    assert DANGER in text
    assert "This page holds the advice for walks that end from midnight at the start of Thursday 1 October 2026" in text
    assert "export the page again" in text and "Deadlines" not in text and "Contacts" not in text
    assert errors == []


# The boxes of the chart as the browser lays them out: each node's shape and its text, and each
# edge's label, in screen pixels.
CHART_BOXES = """() => {
  const box = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  const around = es => { const bs = es.map(box);
    return [Math.min(...bs.map(b => b[0])), Math.min(...bs.map(b => b[1])),
            Math.max(...bs.map(b => b[2])), Math.max(...bs.map(b => b[3]))]; };
  const nodes = [...document.querySelectorAll("#diagram g.node")].map(g =>
    ({ id: g.id, shape: box(g.querySelector("polygon, path")), text: around([...g.querySelectorAll("text")]) }));
  const labels = [...document.querySelectorAll("#diagram g.edge")].filter(g => g.querySelector("text"))
    .map(g => ({ id: g.id, text: around([...g.querySelectorAll("text")]) }));
  return { nodes, labels, width: document.querySelector("#diagram svg").getAttribute("width") };
}"""


def overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize(("flow", "nodes"), [("appendix-3", 11), ("appendix-4", 13), ("solihull", 12)])
def test_the_chart_is_laid_out_by_graphviz_with_every_label_clear(
    browser: object, cli: Cli, tmp_path: Path, flow: str, nodes: int
) -> None:
    """Issue 22, item 1: no two labels' boxes overlap ("Yes" and "No" once printed as "Nes"), no
    edge label sits under a box, and the chart stays within about 2,000 pixels wide."""
    page, requests, errors = open_page(browser, export(cli, tmp_path, flow=flow), MONDAY)
    page.wait_for_selector("#diagram svg")
    chart = page.evaluate(CHART_BOXES)
    assert len(chart["nodes"]) == nodes
    texts = [(label["id"], label["text"]) for label in chart["labels"]]
    texts += [(node["id"], node["text"]) for node in chart["nodes"]]
    for index, (one, first) in enumerate(texts):
        for other, second in texts[index + 1 :]:
            assert not overlap(first, second), (one, other)
    for label in chart["labels"]:
        for node in chart["nodes"]:
            assert not overlap(label["text"], node["shape"]), (label["id"], node["id"])
    assert float(chart["width"].removesuffix("pt")) * 4 / 3 <= 2000
    assert requests == [page.url] and errors == []


def test_the_chart_marks_the_route_and_the_current_question(browser: object, cli: Cli, tmp_path: Path) -> None:
    page, _, errors = open_page(browser, export(cli, tmp_path), MONDAY)
    page.wait_for_selector("#diagram svg")
    marked = "() => [...document.querySelectorAll('#diagram .walked, #diagram .current')].map(g => g.id + ' ' + g.getAttribute('class'))"
    assert page.evaluate(marked) == ["node:has-child node walked current"]
    page.get_by_role("button", name="Yes").click()  # has a child: on to "Are CSSW currently involved?"
    assert page.evaluate(marked) == [
        "node:has-child node walked",
        "node:cssw-involved node walked current",
        "edge:0 edge walked",
    ]
    assert errors == []


def test_the_vendored_layout_engine_is_the_one_its_readme_names() -> None:
    import hashlib

    from decision_trees.output.htmlpage import LAYOUT_ENGINE

    engine = LAYOUT_ENGINE.read_bytes()
    assert hashlib.sha256(engine).hexdigest() == "c9e0b310f9883910e01c66054b48b7ff4be3d8695141116635e72b0af152692e"
    assert (
        engine.startswith(b"/*!\nViz.js 3.31.0")
        and b"Viz.js 3.31.0" in (LAYOUT_ENGINE.parent / "README.md").read_bytes()
    )
    assert b"</script" not in engine.lower() and b"<!--" not in engine  # safe to inline in the page
    assert b"MIT" in (LAYOUT_ENGINE.parent / "README.md").read_bytes()


def test_the_dot_export_wraps_its_labels(cli: Cli) -> None:
    import re

    dot = cli("export", "solihull", "--format", "dot").stdout
    labels = re.findall(r'label="((?:[^"\\]|\\.)*)"', dot)
    assert labels and all(len(line) <= 40 for label in labels for line in label.split("\\n"))
    assert any("\\n" in label for label in labels)


def walk_to_a4_6(page: object) -> None:
    for answer in ("Yes", "No", "Yes", "High level need"):
        page.click(f'#step button[data-label="{answer}"]')  # type: ignore[attr-defined]


def test_the_clock_shows_any_hour_and_says_it_is_not_now(browser: object, cli: Cli, tmp_path: Path) -> None:
    """Issue 22, item 2: a trainer at 2:30pm on a Monday shows what a Saturday morning gives."""
    page, requests, errors = open_page(browser, export(cli, tmp_path), MONDAY)
    assert page.input_value("#clock") == "2026-11-23T14:30"  # now, in UK time
    walk_to_a4_6(page)
    assert "in office hours" in page.inner_text("#step") and page.locator("#chosen-time").count() == 0
    page.fill("#clock", "2026-11-28T10:00")
    page.dispatch_event("#clock", "change")
    shown = page.inner_text("#step")
    assert "Shown for 10am on Saturday 28 November 2026 (GMT), a time chosen on this page" in shown
    facts = cli.walk_json("appendix-4", "yes,no,yes,high", now="2026-11-28T10:00")
    assert facts["contacts"][0]["id"] == "emergency-duty-team"
    contacts = shown.split("\nContacts\n", 1)[1]  # an open number first, as the command line gives it
    assert contacts.index("Emergency Duty Team") < contacts.index("Children and Families Contact Service")
    assert facts["deadlines"][0]["due_text"] in shown  # the core's deadline for that instant
    page.fill("#clock", "2027-03-28T01:30")  # the clocks go forward: no such time
    page.dispatch_event("#clock", "change")
    assert "does not exist in UK time" in page.inner_text("#clock-problem")
    for far in ("0001-01-01T00:00", "275760-09-12T23:59"):  # issue 32: refused for the right reason
        page.evaluate("v => { const c = document.getElementById('clock'); c.type = 'text'; c.value = v; }", far)
        page.dispatch_event("#clock", "change")
        said = page.inner_text("#clock-problem")
        assert "is outside the days this page covers" in said and "clocks go forward" not in said, said
    page.evaluate("() => { document.getElementById('clock').type = 'datetime-local'; }")
    page.fill("#clock", "2026-10-25T01:30")  # happens twice: the first, in BST
    page.dispatch_event("#clock", "change")
    assert "1:30am on Sunday 25 October 2026 (BST)" in page.inner_text("#step")
    page.click("#clock-now")
    assert page.locator("#chosen-time").count() == 0 and "Monday 23 November 2026" in page.inner_text("#step")
    assert requests == [page.url] and errors == []


@pytest.mark.parametrize(("flow", "count"), [("appendix-3", 4), ("appendix-4", 12), ("solihull", 7)])
def test_the_routes_view_lists_every_route_and_plays_one(
    browser: object, cli: Cli, tmp_path: Path, flow: str, count: int
) -> None:
    """Issue 22, item 3: every route with its answers and outcome; choosing one plays it to its end."""
    page, _, errors = open_page(browser, export(cli, tmp_path, flow=flow), MONDAY)
    page.click("#show-routes")
    items = page.locator("#routes ol.routes button")
    assert items.count() == count
    paths = json.loads(cli("paths", flow, "--format", "json").stdout)["routes"]
    last = paths[-1]
    assert items.nth(count - 1).inner_text().startswith(last["outcome"]["ref"])
    items.nth(count - 1).click()
    assert page.locator("#routes").is_hidden()
    assert page.get_attribute("#step", "data-outcome") == last["outcome"]["ref"]
    route = page.evaluate("[...document.querySelectorAll('#route li')].map(li => li.textContent)")
    assert len(route) == len(last["nodes"]) - 1  # every step of the route, up to its end
    assert errors == []


def test_the_projector_view_is_large_high_contrast_and_keyboard_reachable(
    browser: object, cli: Cli, tmp_path: Path
) -> None:
    """Issue 22, item 4: larger type, strong contrast, the diagram beside the question, and every
    control reachable by Tab and worked by Enter."""
    page, _, errors = open_page(browser, export(cli, tmp_path), MONDAY)
    before = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.focus("#projector")
    page.keyboard.press("Enter")
    assert page.get_attribute("#projector", "aria-pressed") == "true"
    after = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert after >= 1.3 * before
    colours = page.evaluate("[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]")
    assert colours == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"]
    page.wait_for_selector("#diagram svg")
    step, chart = page.locator("#step").bounding_box(), page.locator(".diagram").bounding_box()
    assert chart["x"] >= step["x"] + step["width"] - 1  # beside the question, not below it
    reached = set()
    for _ in range(30):  # round the page and back to the top
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.id || document.activeElement.textContent"))
    assert {"clock", "clock-now", "show-routes"} <= reached  # and the projector button, pressed by Enter above
    assert any(label.startswith("1. Yes") for label in reached)
    assert errors == []


def test_practice_on_the_page_gives_the_command_lines_feedback(browser: object, cli: Cli, tmp_path: Path) -> None:
    """Issue 22, item 5, and issue 28, 1.6: the "Practise" button offers the same cases by neutral
    names, with the same feedback, a "Next case" button, and no command for a trainee to run."""
    page, requests, errors = open_page(browser, export(cli, tmp_path), MONDAY)
    page.click("#practise")
    cases = json.loads(cli("practise", "a4", "--list", "--format", "json").stdout)["vignettes"]
    assert page.locator("#practice-list button").count() == len(cases)
    assert "a4-high-need" not in page.inner_text("#practice-list")  # nothing gives the answer away
    number = next(c["number"] for c in cases if c["id"] == "a4-high-need")
    page.click(f"#practice-list button:text-is('Case {number}')")
    assert "Heavy poly-use" not in page.inner_text("#vignette") and "10.3" not in page.inner_text("#vignette")
    for answer in ("Yes", "No", "Yes", "Medium level need"):
        page.click(f'#step button[data-label="{answer}"]')
    feedback = page.inner_text("#feedback")
    assert "Heavy poly-use and an open house" in feedback and "decision-trees" not in feedback
    shown = [line.strip() for line in feedback.splitlines() if line.strip()]
    scripted = ["practise", "a4", "--vignette", "a4-high-need", "--answers", "yes,no,yes,medium"]
    expected = [line.strip().split(": decision-trees guidance")[0] for line in cli(*scripted).stdout.splitlines()]
    assert shown == [*[line for line in expected if line], "Next case"]  # the same words, score included
    page.click("#back")
    page.click('#step button[data-label="High level need"]')
    assert "Score: 0 of 1 reached the case's answer" in page.inner_text("#feedback")
    page.click("#next-case")  # the next case in the list, from its first question
    assert f"Case {number + 1}" in page.inner_text("#vignette")
    page.click("#practise")
    last = next(c["number"] for c in cases if c["id"] == "a4-no-children")
    page.click(f"#practice-list button:text-is('Case {last}')")
    for answer in ("No", "No", "No"):
        page.click(f'#step button[data-label="{answer}"]')
    assert "Matches: your route reached A4-2" in page.inner_text("#feedback")
    assert "Score: 1 of 2" in page.inner_text("#feedback")
    assert requests == [page.url] and errors == []


# Issue 29: the page and the print-out lead with the action card; a training room can read it.
def _every_route(cli: Cli) -> list[tuple[str, dict[str, object]]]:
    found = []
    for flow in ("appendix-3", "appendix-4", "solihull"):
        found += [(flow, route) for route in json.loads(cli("paths", flow, "--format", "json").stdout)["routes"]]
    return found


def _play(page: object, route: dict[str, object]) -> None:
    page.evaluate(  # type: ignore[attr-defined]
        "r => playRoute(DATA.routes.find(x => x.nodes.join('>') === r.join('>')))", route["nodes"]
    )


@pytest.mark.parametrize(
    ("when", "size"),
    [
        (MONDAY, (1366, 768)),
        (SATURDAY, (1366, 768)),
        (dt.datetime(2026, 11, 27, 16, 45, tzinfo=dt.UTC), (1366, 768)),
        (SATURDAY, (1920, 1080)),
        (MONDAY, (1280, 720)),
        (SATURDAY, (390, 844)),  # a phone
    ],
)
def test_the_first_screen_of_every_summary_leads_with_999_and_what_to_do_now(
    browser: object, cli: Cli, tmp_path: Path, when: dt.datetime, size: tuple[int, int]
) -> None:
    """At 1366×768 (and other windows), the end's title, 999 and the card's Now line with its number
    are on the first screen; only 999 is a red banner; the route is one list, not two."""
    pages = {flow: export(cli, tmp_path, flow=flow) for flow in ("appendix-3", "appendix-4", "solihull")}
    width, height = size
    for flow, route in _every_route(cli):
        page, _, errors = open_page(browser, pages[flow], when)
        page.set_viewport_size({"width": width, "height": height})  # type: ignore[attr-defined]
        _play(page, route)
        first = ["#question", "#summary-danger", "#card dd"]
        for selector in first:
            box = page.locator(selector).first.bounding_box()  # type: ignore[attr-defined]
            assert box is not None and box["y"] >= -1 and box["y"] + box["height"] <= height, (
                flow, route["answers"], selector, box,
            )  # fmt: skip
        facts = page.evaluate("() => summaryFor(state.route, state.at, state.clock || new Date()).card")  # type: ignore[attr-defined]
        if facts["call"]:
            number = page.locator("#card dd .phone").first
            assert number.inner_text() == " or ".join(facts["call"]["phones"])
            box = number.bounding_box()
            assert box["y"] + box["height"] <= height
        red = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.offsetParent !== null && "
            "getComputedStyle(e).backgroundColor === 'rgb(212, 53, 28)').map(e => e.textContent)"
        )
        assert red == [DANGER], red
        assert page.locator("text=Route taken").count() == 1 and page.locator("text=The route so far").count() == 0
        assert errors == []
        page.close()


def test_every_summary_prints_on_one_a4_page(browser: object, cli: Cli, tmp_path: Path) -> None:
    """The print stylesheet fits every route's summary on one A4 page in Chromium, says in one line
    that the details stay on screen, and hides the controls."""
    pages = {flow: export(cli, tmp_path, flow=flow) for flow in ("appendix-3", "appendix-4", "solihull")}
    for when in (MONDAY, SATURDAY):
        for flow, route in _every_route(cli):
            page, _, _ = open_page(browser, pages[flow], when)
            _play(page, route)
            page.emulate_media(media="print")
            assert page.locator("#print").is_hidden() and page.locator("#details").first.is_hidden()
            assert page.locator(".print-note").is_visible() and page.locator("#card").is_visible()
            pdf = page.pdf(format="A4")
            pages_in_pdf = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
            assert pages_in_pdf == 1, (flow, route["answers"], when, pages_in_pdf)
            page.close()


def test_print_and_copy_buttons(browser: object, cli: Cli, tmp_path: Path) -> None:
    page, _, errors = open_page(browser, export(cli, tmp_path), MONDAY)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    walk_to_a4_6(page)
    assert page.locator("#print").is_visible()
    page.click("#copy")
    page.wait_for_function("document.getElementById('live').textContent.includes('copied')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.index("A4-6") < copied.index("phone 999") < copied.index("Now") < copied.index("020 7974 3317")
    assert copied.index("020 7974 3317") < copied.index("Details") and "Print" not in copied  # the buttons are not
    buttons = page.locator("#print").bounding_box()["y"]  # under the card, before the details
    assert page.locator("#card").bounding_box()["y"] < buttons < page.locator("#details").bounding_box()["y"]
    assert errors == []


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_projector_view_reads_from_the_back_of_a_room(
    browser: object, cli: Cli, tmp_path: Path, size: tuple[int, int]
) -> None:
    """No text under 24px; the chart beside the question, scaled to the window's height, with the
    current box in view; the header compact."""
    page, _, errors = open_page(browser, export(cli, tmp_path), MONDAY)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.click("#projector")
    page.wait_for_selector("#diagram svg")
    for answer in ("Yes", "No"):
        page.click(f'#step button[data-label="{answer}"]')
    smallest = page.evaluate(
        "Math.min(...[...document.querySelectorAll('body *')].filter(e => e.offsetParent !== null && "
        "!e.closest('svg') && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))"
        ".map(e => parseFloat(getComputedStyle(e).fontSize)))"
    )
    assert smallest >= 24, smallest
    header = page.locator("header").bounding_box()
    assert header["height"] <= size[1] * 0.25
    step, chart = page.locator("#step").bounding_box(), page.locator("#diagram svg").bounding_box()
    assert chart["x"] >= step["x"] + step["width"] - 1 and chart["height"] <= size[1]
    current = page.locator("#diagram g.node.current").bounding_box()
    assert current["y"] >= 0 and current["y"] + current["height"] <= size[1]
    assert current["x"] >= 0 and current["x"] + current["width"] <= size[0]
    assert errors == []


def test_the_clock_says_the_chosen_time_in_words_and_covers_past_days(
    browser: object, cli: Cli, tmp_path: Path
) -> None:
    result = cli("export", "appendix-4", "--format", "html", "-o", str(tmp_path / "a4.html"))
    assert result.exit_code == 0, result.stderr
    page, _, errors = open_page(browser, tmp_path / "a4.html", dt.datetime.now(dt.UTC))
    last_week = (dt.datetime.now(dt.UTC) - dt.timedelta(days=7)).strftime("%Y-%m-%dT10:30")
    page.fill("#clock", last_week)
    page.dispatch_event("#clock", "change")
    assert page.locator("#clock-problem").is_hidden()  # a trainer replays last week's case
    assert "10:30am on" in page.inner_text("#clock-words")
    walk_to_a4_6(page)
    assert "a time chosen on this page" in page.inner_text("#chosen-time")
    page.fill("#clock", (dt.datetime.now(dt.UTC) - dt.timedelta(days=200)).strftime("%Y-%m-%dT10:30"))
    page.dispatch_event("#clock", "change")
    assert "is outside the days this page covers" in page.inner_text("#clock-problem")
    assert errors == []
