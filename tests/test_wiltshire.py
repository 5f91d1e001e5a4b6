"""Issue 31's proof: a third real protocol, Wiltshire's front-door steps, added as files only
(flows/wiltshire-front-door.yaml, its contacts, guidance, scenarios and vignettes, and the kept text
of the pages it reads). Every path against the reading kept beside these tests; every route at every
kind of hour; and no output of it says a word of another area's."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from decision_trees import load
from decision_trees.core.invariants import instants, own_hours
from decision_trees.core.routing import all_routes

from .conftest import Cli

DATA = Path(__file__).parent / "data" / "wiltshire"
FLOW = "wiltshire-front-door"
# The other bundled areas' own words: their names, their services' names, numbers and emails.
OTHERS = ("appendix-3", "appendix-4", "solihull-threshold")
TODAY = dt.date(2026, 12, 7)


def reading_paths() -> list[tuple[str, str]]:
    table = (DATA / "READING.md").read_text(encoding="utf-8").split("## Paths", 1)[1].split("##", 1)[0]
    rows = re.findall(r"^\| ([a-z, ]+) \| (W-\d) \|$", table, re.MULTILINE)
    return [(answers.replace(" ", ""), end) for answers, end in rows]


def foreign_words() -> set[str]:
    """Every name, number and email of the other bundled areas' flows and services."""
    library = load()
    words: set[str] = set()
    for name in OTHERS:
        flow = library.find(name)
        if flow.source.area:
            words.add(flow.source.area)
        for end in (flow.nodes[n].end() for n in flow.nodes):
            for contact_id in end.contacts if end else []:
                if contact_id == library.directory.immediate_danger.contact:
                    continue  # 999, the same for every area
                contact = library.directory.contacts[contact_id]
                words |= {contact.name, *contact.digits, *([contact.email] if contact.email else [])}
    return {w for w in words if w != "999"}


def test_every_path_is_the_readings() -> None:
    flow = load().find(FLOW)
    found = sorted((",".join(a.lower() for a in route.answers), route.ref) for route in all_routes(flow))
    assert found == sorted(reading_paths()) and len(found) == 4


def test_the_kept_text_is_the_test_copy() -> None:
    kept = Path(load().root) / "reference" / "wiltshire-council-pages.txt"
    assert kept.read_bytes() == (DATA / "wiltshire-council-pages.txt").read_bytes()


@pytest.mark.parametrize(("answers", "end"), reading_paths())
def test_every_route_at_every_kind_of_hour_says_only_wiltshires_words(cli: Cli, answers: str, end: str) -> None:
    library = load()
    calendar = library.calendar()
    moments = instants(calendar, TODAY) + own_hours(library.directory.contacts.values(), calendar, TODAY)
    foreign = foreign_words()
    for at in moments[:: max(1, len(moments) // 40)]:
        out = cli("walk", FLOW, "--answers", answers, "--now", at.isoformat(), "--format", "json")
        assert out.exit_code == 0, out.stderr
        summary = json.loads(out.stdout)
        assert summary["outcome"]["ref"] == end
        said = out.stdout + out.stderr
        assert [w for w in foreign if w in said] == [], at
        first = summary["card"]["call"]
        if first is not None:  # an open number first, whatever the hour
            assert any(c["id"] == first["id"] and c["open_now"] for c in summary["contacts"])
    for fmt in ("text", "markdown"):
        out = cli("walk", FLOW, "--answers", answers, "--format", fmt, "--details")
        assert [w for w in foreign if w in out.stdout] == []


def test_the_mash_closes_at_4pm_on_a_friday_and_the_out_of_hours_service_takes_over(cli: Cli) -> None:
    friday = cli.walk_json(FLOW, "no,yes", now="2026-12-11T15:50")
    assert friday["card"]["call"]["id"] == "wiltshire-mash"
    assert "closes at 4pm" in friday["card"]["call"]["state"]
    later = cli.walk_json(FLOW, "no,yes", now="2026-12-11T16:05")
    assert later["card"]["call"]["id"] == "wiltshire-out-of-hours"
    assert later["office_hours"] is False and later["office_hours_assumed"] is False
    thursday = cli.walk_json(FLOW, "no,yes", now="2026-12-10T16:45")
    assert thursday["card"]["call"]["id"] == "wiltshire-mash"  # open until 5pm, Monday to Thursday
    mash = next(c for c in thursday["contacts"] if c["id"] == "wiltshire-mash")
    assert "Monday to Thursday 8:45am to 5pm; Friday 8:45am to 4pm" in mash["availability"]
    assert "not published" not in mash["availability"] and mash["hours_assumed"] is False


def test_the_fallback_number_says_when_to_use_it_wherever_it_is_shown(cli: Cli) -> None:
    night = cli.walk_json(FLOW, "no,yes", now="2026-12-12T03:00")
    when = "07796 994101 (only in an emergency, if you cannot get through on 0300 456 0100)"
    assert when in night["card"]["call"]["phones"]
    text = " ".join(cli("walk", FLOW, "--answers", "no,yes", "--now", "2026-12-12T03:00", "--details").stdout.split())
    assert when in text
    assert "From midnight to 9am calls go to the Social Work Standby Service" in text  # the contact's note


def test_box_texts_are_paraphrase_and_never_quoted(cli: Cli) -> None:
    summary = cli.walk_json(FLOW, "no,no,yes")
    assert summary["outcome"]["verbatim"] is False
    text = cli("walk", FLOW, "--answers", "no,no,yes", "--details").stdout
    assert "“No safeguarding risk" not in text and "No safeguarding risk" in " ".join(text.split())


def test_sentences_cite_the_pages_they_come_from(cli: Cli) -> None:
    summary = cli.walk_json(FLOW, "no,yes")
    sources = [a["source"] for a in summary["actions"]]
    assert sources[0] == {"kind": "paraphrase", "section": "Contact children's services page"}
    assert [r["cite"] for r in summary["flow"]["references"]][:2] == [
        "Contact children's services page",
        "Out of hours page",
    ]


def test_its_scenarios_cover_every_edge_and_its_vignettes_fit(cli: Cli) -> None:
    scenarios = Path(load().root) / "scenarios" / f"{FLOW}.yaml"
    result = cli("test", str(scenarios), "--require-coverage")
    assert result.exit_code == 0, result.stdout
    listed = json.loads(cli("practise", FLOW, "--list", "--format", "json").stdout)
    assert len(listed["vignettes"]) == 4  # one for every route


def test_its_page_and_print_out_say_only_wiltshires_words(cli: Cli, tmp_path: Path) -> None:
    page = tmp_path / "w.html"
    assert cli("export", FLOW, "--format", "html", "-o", str(page), "--from", "2026-12-01").exit_code == 0
    data = page.read_text(encoding="utf-8").split('<script type="application/json"', 1)[1]
    assert [w for w in foreign_words() if w in data] == []
    assert "0300 456 0108" in data and "Monday to Thursday 8:45am to 5pm; Friday 8:45am to 4pm" in data
