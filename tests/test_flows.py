"""Every path of both bundled Camden flows, through the CLI in JSON, against FLOWS.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from decision_trees.core.models import Action, Flow, Question
from decision_trees.data.loading import load_library

from .conftest import PROTOCOL_DIR, SHARED_PROTOCOL_DIR, Cli

PROTOCOL = PROTOCOL_DIR
TREATMENT = ["icas", "specialist-drug-service", "community-drug-service", "camden-recovery-service"]
CONTACT_SERVICE = ["contact-service"]

# (answers in question order, end, contacts in office hours). From FLOWS.md; checked against it below.
A4_TAIL = [
    ("yes", "A4-3"),
    ("no,no", "A4-4"),
    ("no,yes,low", "A4-4"),
    ("no,yes,medium", "A4-5"),
    ("no,yes,high", "A4-6"),
]
A4_CONTACTS = {
    "A4-1": ["uclh-midwife", "royal-free-midwife", "contact-service"],
    "A4-2": [],
    "A4-3": CONTACT_SERVICE,
    "A4-4": CONTACT_SERVICE,
    "A4-5": CONTACT_SERVICE,
    "A4-6": ["contact-service", "emergency-duty-team"],
}
A4_PATHS = (
    [("yes," + tail, end) for tail, end in A4_TAIL]
    + [("no,yes," + tail, end) for tail, end in A4_TAIL]
    + [("no,no,yes", "A4-1"), ("no,no,no", "A4-2")]
)
A3_PATHS = [("yes", "A3-1"), ("no,yes", "A3-2"), ("no,no,yes", "A3-3"), ("no,no,no", "A3-4")]
# A3-3 adds the Contact Service for section 7.2's escalation route (Early Help workers refer to CSSW through it).
# The treatment services publish no out-of-hours cover (section 10 names it for children's social care
# only), so the routes that list them also list the Emergency Duty Team, for an urgent concern.
EDT = "emergency-duty-team"
A3_CONTACTS = {
    "A3-1": [*TREATMENT, EDT],
    "A3-2": [*TREATMENT, EDT],
    "A3-3": [*TREATMENT, "contact-service", EDT],
    "A3-4": [],
}


def all_paths(flow: Flow) -> set[tuple[tuple[str, ...], str]]:
    """Every route from the start to an end, as (answers, end node id)."""
    found: set[tuple[tuple[str, ...], str]] = set()

    def visit(node_id: str, answers: tuple[str, ...]) -> None:
        node = flow.nodes[node_id]
        if isinstance(node, Question):
            for choice in node.choices:
                visit(choice.next, (*answers, choice.label.split()[0].lower()))
        elif isinstance(node, Action):
            visit(node.next, answers)
        else:
            found.add((answers, node.ref))

    visit(flow.start, ())
    return found


@pytest.mark.parametrize(("flow_id", "paths"), [("appendix-4", A4_PATHS), ("appendix-3", A3_PATHS)])
def test_the_table_is_every_path_of_the_flow(flow_id: str, paths: list[tuple[str, str]]) -> None:
    flow = load_library().find(flow_id)
    assert all_paths(flow) == {(tuple(a.split(",")), end) for a, end in paths}
    # FLOWS.md's note says Appendix 4 has 11 paths, but its own table (rows 1-5, row 6 standing for
    # five more, rows 7-8) gives 12, and so does the graph.
    assert len(paths) == {"appendix-4": 12, "appendix-3": 4}[flow_id]


@pytest.mark.parametrize(("answers", "end"), A4_PATHS)
def test_appendix_4_path(cli: Cli, answers: str, end: str) -> None:
    summary = cli.walk_json("appendix-4", answers)
    assert summary["outcome"]["ref"] == end
    assert [c["id"] for c in summary["contacts"]] == A4_CONTACTS[end]
    assert summary["flow"] == {
        "id": "camden-appendix-4",
        "version": "1.0.0",
        "title": "Referral to Children and Families Contact Service",
        "source": summary["flow"]["source"],
        "published": "undated; about 2018–19",
        "reviewed": "2026-11-23",
        "reading": summary["flow"]["reading"],
        "open_questions": summary["flow"]["open_questions"],
        "source_kind": None,  # a protocol
        "references": [],  # its sentences cite its own sections
    }
    # FLOWS.md, open question 6: the routes are this project's reading, not the printed arrows.
    assert "text extraction" in summary["flow"]["reading"] and "not the printed arrows" in summary["flow"]["reading"]
    assert len(summary["flow"]["open_questions"]) == 3  # FLOWS.md's 3 and 4, and 6 (both charts)
    given = answers.split(",")
    assert [a.split()[0].lower() for a in summary_answers(summary)] == given
    if end == "A4-6":
        assert summary["deadlines"] == [
            {
                "task": "Confirm in writing using the CAF",
                "within": "48h",
                "counted_from": "the phone referral, taken as the end of this walk",
                "counting": "48 hours of elapsed time from the phone referral, taken as the end of this walk, "
                "including nights, weekends and bank holidays (this tool’s reading of the protocol’s "
                "“within 48 hours”)",
                "due": "2026-11-25T14:30:00+00:00",
                "due_text": "2:30pm on Wednesday 25 November 2026 (GMT)",
                "send_to": "contact-service",
                "closed_when_due": False,
                "before_due": None,
                "send_to_name": "Children and Families Contact Service (MASH)",
                "send_to_email": "LBCMASHadmin@camden.gov.uk",
                "subject": "Confirmation of urgent referral by phone (CAF)",
                "include": summary["deadlines"][0]["include"],
                "status": "due",
                "late": None,
                "drafted": True,  # an email to the Contact Service, with what the CAF should hold
                "follow_up": "email",  # the flow declares no other channel
                "follow_up_address": None,
                "follow_up_what": None,
            }
        ]
    else:
        assert summary["deadlines"] == []
    if end == "A4-1":
        assert len(summary["conditions"]["items"]) == 6
    assert summary["immediate_danger"]["phones"] == ["999"]
    assert [c["id"] for c in summary["advice"]["contacts"]] == ["contact-service"]


def summary_answers(summary: dict[str, object]) -> list[str]:
    return [s["answer"] for s in summary["route"] if s["kind"] == "question"]  # type: ignore[index,union-attr]


@pytest.mark.parametrize(("answers", "end"), A3_PATHS)
def test_appendix_3_path(cli: Cli, answers: str, end: str) -> None:
    summary = cli.walk_json("appendix-3", answers)
    assert summary["outcome"]["ref"] == end
    assert [c["id"] for c in summary["contacts"]] == A3_CONTACTS[end]
    assert summary["deadlines"] == []
    # The screening tool comes first on every route, and is on the checklist.
    assert summary["route"][0] == {
        "node": "screening",
        "kind": "action",
        "text": "Undertake Drug Use Screening Tool with parent(s)",
        "answer": None,
        "section": "8.2, 11.2, 11.4",
        "noted": False,
    }
    # A scripted walk never says an action box was done: it is still to do.
    assert summary["actions"][0] == {
        "text": "Undertake Drug Use Screening Tool with parent(s)",
        "origin": "chart",
        "noted": False,
        "source": {"kind": "quote", "section": "8.2, 11.2, 11.4"},  # the box's own words
    }


def _flows_md() -> str:
    path = PROTOCOL / "FLOWS.md"
    return path.read_text(encoding="utf-8")


def test_appendix_4_table_matches_flows_md() -> None:
    rows = re.findall(r"^\| (\d) \| (.+?) \| (.+?) \|$", _flows_md(), re.MULTILINE)
    expected: set[tuple[str, str]] = set()
    for number, answers, end in rows:
        words = [part.split(":")[1].strip().split()[0].lower() for part in answers.split("·") if ":" in part]
        if number == "6":
            expected |= {(",".join(words) + "," + tail, e) for tail, e in A4_TAIL}
        else:
            expected.add((",".join(words), end.strip()))
    assert len(rows) == 8
    assert expected == set(A4_PATHS)


def test_appendix_3_ends_match_flows_md() -> None:
    text = _flows_md()
    section = text[text.index("## Appendix 3") : text.index("## Appendix 4")]
    assert re.findall(r"END (A3-\d)", section) == [end for _, end in A3_PATHS]


@pytest.mark.parametrize("flow_id", ["appendix-3", "appendix-4"])
def test_every_box_text_is_verbatim_from_the_protocol(flow_id: str) -> None:
    path = PROTOCOL / "camden-joint-working-protocol.txt"
    protocol = " ".join(path.read_text(encoding="utf-8").split())
    flow = load_library().find(flow_id)
    for node_id, node in flow.nodes.items():
        assert " ".join(node.text.split()) in protocol, node_id
        if isinstance(node, Question):
            for choice in node.choices:
                assert choice.label in protocol, (node_id, choice.label)
    assert flow.source.part in protocol


def test_flows_md_contacts_are_in_the_contacts_file() -> None:
    text = _flows_md()
    table = text[text.index("## Contacts published") : text.index("## Solihull")]
    directory = load_library().directory
    phones = {p for c in directory.contacts.values() for p in c.phones}
    for row in re.findall(r"^\| (.+?) \| (.+?) \| (.*?) \|$", table, re.MULTILINE)[2:]:
        for phone in row[1].split(","):
            if phone.strip() not in ("—", ""):
                assert phone.strip() in phones, row


def test_contacts_file_is_bundled_beside_the_flows() -> None:
    assert (Path(load_library().root) / "contacts.yaml").exists()


def test_protocol_copies_match_the_shared_originals() -> None:
    """The copies the tests read are the shared originals, byte for byte (where shared/ is beside us)."""
    originals = sorted(SHARED_PROTOCOL_DIR.glob("*")) if SHARED_PROTOCOL_DIR.is_dir() else []
    copies = {path.name for path in PROTOCOL_DIR.glob("*")} - {"SOURCE.md"}
    for original in originals:
        assert (PROTOCOL_DIR / original.name).read_bytes() == original.read_bytes(), original.name
    if originals:
        assert copies == {path.name for path in originals}
    assert {"camden-joint-working-protocol.txt", "FLOWS.md"} <= copies
