"""What the commands print besides summaries, as plain data and text: lists of flows, contacts,
routes and indicators, validation findings, scenario results. Beside `formats` (the summaries), so
that each can be tested without the command line."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import msgspec

from decision_trees.core.decision import check_status
from decision_trees.core.guidance import asked, indicators_for
from decision_trees.core.phrasebook import sentence
from decision_trees.core.summary import provenance, section_words
from decision_trees.core.text import count_words
from decision_trees.data.validation import RULES
from decision_trees.output import shapes
from decision_trees.words import REPORTS

if TYPE_CHECKING:
    from decision_trees.core.contract import ContactCheck
    from decision_trees.core.flowdiff import Change, FlowDiff
    from decision_trees.core.guidance import Indicator
    from decision_trees.core.invariants import Breach
    from decision_trees.core.models import Directory, Flow
    from decision_trees.core.practice import Feedback, Score, Vignette
    from decision_trees.core.routing import Route
    from decision_trees.data.library import Library
    from decision_trees.data.validation import Finding
    from decision_trees.runs.scenarios import Coverage
    from decision_trees.runs.scenarios import Result as ScenarioResult


def to_json(data: Any) -> str:
    """Indented JSON, UTF-8 text, non-ASCII kept."""
    return msgspec.json.format(msgspec.json.encode(data).decode("utf-8"), indent=2) + "\n"


def flows_json(flows: list[Flow]) -> shapes.FlowList:
    return shapes.FlowList(
        flows=[
            shapes.FlowEntry(
                id=f.id,
                aliases=list(f.aliases),
                title=f.title,
                audience=f.audience,
                source=f.source,
                version=f.version,
                reviewed=f.reviewed,
                reviewed_means=REPORTS["flow_was_compared_with_protocol"],
            )
            for f in flows
        ]
    )


def contacts_json(directory: Directory, today: dt.date, origins: dict[str, str] | None = None) -> shapes.ContactList:
    """Every contact as in its contacts file, with the file it comes from (`listed_in`), and whether
    and how it was checked, in words too."""

    return shapes.ContactList(
        contacts={
            contact_id: shapes.ContactEntry(
                **msgspec.structs.asdict(contact),
                listed_in=(origins or {}).get(contact_id),
                check_status=check_status(contact, today),
                provenance=provenance(contact, directory, today),
            )
            for contact_id, contact in directory.contacts.items()
        }
    )


def contact_checks_text(found: list[ContactCheck]) -> str:
    lines = []
    for check in found:
        when = (
            REPORTS["never_checked"]
            if check.checked is None
            else REPORTS["last_checked"].format(checked=check.checked.isoformat())
        )
        lines.append(
            REPORTS["contact_check_line"].format(
                listed_in=check.listed_in, id=check.id, name=check.name, when=when, flows=", ".join(check.flows)
            )
        )
    return "".join(line + "\n" for line in lines)


def contact_checks_count(found: list[ContactCheck], broken: list[Breach]) -> str:
    """The stderr line of `contacts check`."""
    parts = [REPORTS["contact_need_checking"].format(found_count=len(found))] if found else []
    parts += [REPORTS["safety_invariant_broken"].format(broken_count=len(broken))] if broken else []
    return "; ".join(parts) if parts else REPORTS["every_contact_use_checked_no"]


def contacts_check_json(found: list[ContactCheck], broken: list[Breach]) -> shapes.ContactsCheck:
    breaches = [
        shapes.BreachEntry(invariant=b.invariant, hazard=b.hazard, flow=b.flow, node=b.node, contact=b.contact,
                           message=b.message)
        for b in broken
    ]  # fmt: skip
    return shapes.ContactsCheck(unchecked=found, breaches=breaches)


def routes_json(flow: Flow, routes: list[Route], total: int) -> shapes.RouteList:
    entries = [
        shapes.RouteEntry(r.answers, r.answers_option, r.nodes, shapes.RouteEnd(r.end, r.ref, r.title)) for r in routes
    ]
    return shapes.RouteList(flow=flow.id, total=total, routes=entries)


def indicators_json(flow: Flow, rows: list[dict[str, str]]) -> shapes.IndicatorList:
    return shapes.IndicatorList(flow=flow.id, indicators=[shapes.IndicatorEntry(**row) for row in rows])


def indicator_rows(flow: Flow, library: Library) -> list[dict[str, str]]:
    """Every indicator a flow's questions offer, with the id `--indicator` takes."""

    found: list[tuple[str, Indicator]] = [
        (node_id, i) for node_id, ask in asked(flow).items() for i in indicators_for(ask, library.guidance)
    ]
    return [{"node": n, "id": i.id, "level": i.level, "text": i.text, "source": i.source} for n, i in found]


def indicators_text(rows: list[dict[str, str]]) -> str:
    return "".join(f"{row['id']:<32} {row['level']:<18} {row['text']}\n" for row in rows)


def findings_json(findings: list[Finding], read: int) -> shapes.ValidationReport:

    return shapes.ValidationReport(
        files=read,
        findings=[
            shapes.FindingEntry(
                file=f.file,
                line=f.line,
                node=f.node,
                rule=f.rule,
                hazard=f.hazard,
                severity=f.severity,
                message=f.message,
            )
            for f in findings
        ],
        rules={rule: shapes.RuleEntry(sev, meaning) for rule, (sev, meaning) in RULES.items()},
    )


def findings_text(findings: list[Finding], read: int) -> tuple[str, str]:
    """The findings a line each (for stdout), and the count (for stderr)."""
    lines = "".join(finding.describe() + "\n" for finding in findings)
    errors = sum(f.severity == "error" for f in findings)
    if findings:
        return lines, REPORTS["finding_error_file"].format(findings_count=len(findings), errors=errors, read=read)
    return lines, REPORTS["no_findings_file_read"].format(read=read)


def findings_exit_code(findings: list[Finding]) -> int:
    """0 clean, 1 findings, 2 a file cannot be read."""
    if any(f.rule == "unreadable" for f in findings):
        return 2
    return 1 if findings else 0


def scenarios_json(results: list[ScenarioResult], coverage: list[Coverage]) -> dict[str, Any]:
    failed = sum(not r.passed for r in results)
    return {"results": results, "coverage": coverage, "passed": len(results) - failed, "failed": failed}


def scenarios_text(results: list[ScenarioResult], coverage: list[Coverage]) -> str:
    lines = []
    for result in results:
        lines.append(f"{'PASS' if result.passed else 'FAIL'} {result.flow}: {result.name}")
        lines += [f"     {problem}" for problem in result.problems]
    for cover in coverage:
        total_nodes = len(cover.nodes) + len(cover.missed_nodes)
        total_edges = len(cover.edges) + len(cover.missed_edges)
        lines.append(
            REPORTS["coverage_nodes_edges"].format(
                flow=cover.flow,
                nodes_count=len(cover.nodes),
                total_nodes=total_nodes,
                edges_count=len(cover.edges),
                total_edges=total_edges,
            )
        )
        lines += [REPORTS["not_covered"].format(edge=edge) for edge in cover.missed_edges]
    failed = sum(not r.passed for r in results)
    lines.append(REPORTS["passed_failed"].format(passed=len(results) - failed, failed=failed))
    return "\n".join(lines) + "\n"


def _words(value: Any) -> str:
    """A field of advice in one line: lists joined, contacts as name and numbers."""
    if value is None or value == []:
        return "(none)"
    if isinstance(value, list):
        return "; ".join(_words(item) for item in value)
    if isinstance(value, dict):
        if "id" in value:
            reach = ", ".join([*(value.get("phones") or []), *([value["email"]] if value.get("email") else [])])
            return f"{value.get('name', value['id'])} ({reach})" if reach else str(value.get("name", value["id"]))
        return ", ".join(f"{k} {_words(v)}" for k, v in value.items() if v not in (None, [], ""))
    return str(value)


def diff_text(found: FlowDiff, old: str, new: str) -> str:
    lines = [REPORTS["comparing_old_with_new_route"].format(old=old, new=new)]
    if found.cases is not None:
        differ = [c for c in found.cases if c.changed]
        neither = [c for c in found.cases if c.walked_in_neither]
        same = len(found.cases) - len(differ) - len(neither)
        lines.append(
            REPORTS["case_would_now_get_different"].format(
                cases_count=len(found.cases), differ_count=len(differ), same=same, neither_count=len(neither)
            )
        )
        for case in differ:
            lines += [
                f"  {case.case}: {case.old}  ->  {case.new}",
                REPORTS["changed_part"].format(changed=", ".join(case.changed)),
            ]
        for case in neither:
            lines.append(
                REPORTS["cannot_be_walked_either_version"].format(
                    case=case.case, problem=case.new.removeprefix("error: ")
                )
            )
        return "\n".join(lines) + "\n"
    for title, routes in (
        (REPORTS["routes_only_old_flow"], found.only_old),
        (REPORTS["routes_only_new_flow"], found.only_new),
    ):
        if routes:
            lines.append(f"{title}:")
            lines += [
                REPORTS["route_answers"].format(answers=",".join(r.answers), outcome=r.outcome, title=r.title)
                for r in routes
            ]
    if found.changed:
        lines.append(REPORTS["routes_whose_advice_changed"])
        for route in found.changed:
            lines.append(
                REPORTS["changed_route_answers"].format(answers=",".join(route.answers), new_outcome=route.new_outcome)
            )
            for change in route.changes:
                lines += [
                    f"    {_changed(change)}:",
                    REPORTS["before_words"].format(words=_words(change.before)),
                    REPORTS["after_words"].format(words=_words(change.after)),
                ]
    lines.append(diff_counts(found))
    return "\n".join(lines) + "\n"


def _changed(change: Change) -> str:
    """`advice (a weekday night; a Saturday)`: what changed, and at which of the instants compared."""
    return f"{change.field} ({'; '.join(change.at)})" if change.at else change.field


JSON_SAFE = 2**53 - 1  # the largest integer every JSON reader (JavaScript's included) takes exactly


def diff_json(found: FlowDiff) -> dict[str, Any]:
    """The comparison for scripts. A count past JSON_SAFE (2 to the 20,000 routes) is given in words,
    with `counts_exact: false`: as a number, no script could read it."""
    data: dict[str, Any] = msgspec.to_builtins(found)
    exact = True
    for key in ("unchanged", "changed_count", "only_old_count", "only_new_count"):
        if data[key] > JSON_SAFE:
            data[key], exact = count_words(data[key]), False
    data["counts_exact"] = exact
    return data


def diff_counts(found: FlowDiff) -> str:
    """How many routes changed, in all, and how many of them are listed."""
    counts = REPORTS["route_changed_removed_added_unchanged"].format(
        changed=count_words(found.changed_count),
        removed=count_words(found.only_old_count),
        added=count_words(found.only_new_count),
        unchanged=count_words(found.unchanged),
    )
    if found.listed_all:
        return counts
    listed = max(len(found.changed), len(found.only_old), len(found.only_new))
    return REPORTS["only_first_each_kind_are"].format(counts=counts, listed=listed)


def diff_markdown(found: FlowDiff, old: str, new: str, digests: tuple[str, str]) -> str:
    """The change record a clinical safety officer signs: every route whose advice changed, with
    before and after, and room for the assessment."""

    def cell(value: Any) -> str:
        return _words(value).replace("|", "\\|").replace("\n", " ")

    lines = [
        REPORTS["change_record"].format(new=found.new),
        "",
        REPORTS["file_sha256"],
        "|---|---|---|",
        REPORTS["change_record_old"].format(old=old, digests=digests[0]),
        REPORTS["change_record_new"].format(new=new, digests=digests[1]),
        "",
    ]
    if found.cases is not None:
        lines += [REPORTS["past_cases"], "", REPORTS["case_old_outcome_new_outcome"], "|---|---|---|---|"]
        lines += [
            f"| {cell(c.case)} | {cell(c.old)} | {cell(c.new)} | {cell(c.changed) if c.changed else 'nothing'} |"
            for c in found.cases
        ]
        lines.append("")
    else:
        lines += [diff_counts(found), ""]
        for title, routes in ((REPORTS["routes_removed"], found.only_old), (REPORTS["routes_added"], found.only_new)):
            if routes:
                lines += [f"## {title}", "", REPORTS["change_record_routes"], "|---|---|"]
                lines += [f"| `{','.join(r.answers)}` | {cell(r.outcome + ' ' + r.title)} |" for r in routes]
                lines.append("")
        if found.changed:
            lines += [REPORTS["change_record_changed"], ""]
            for route in found.changed:
                lines += [
                    REPORTS["change_record_route"].format(
                        answers=",".join(route.answers), cell=cell(route.new_outcome)
                    ),
                    "",
                ]
                lines += [REPORTS["what_before_after"], "|---|---|---|"]
                lines += [
                    f"| {cell(_changed(change))} | {cell(change.before)} | {cell(change.after)} |"
                    for change in route.changes
                ]
                lines.append("")
    lines += [
        REPORTS["change_record_assessment"],
        "",
        REPORTS["hazards_affected_docs_safety_hazard"],
        REPORTS["clinical_risk_before_after"],
        REPORTS["tests_scenarios_updated"],
        REPORTS["assessed_by_name_role_date"],
        REPORTS["approved_by_clinical_safety_officer"],
        "",
    ]
    return "\n".join(lines)


def case_name(number: int, vignette: Vignette, answered: bool) -> str:
    """`Case 3` until the case is answered; then `Case 3: its title (its id)`, which may name the answer."""
    return (
        REPORTS["case_numbered"].format(number=number, title=vignette.title, id=vignette.id)
        if answered
        else REPORTS["case_number"].format(number=number)
    )


def practice_text(results: list[Feedback], score: Score, commands: bool = True) -> str:
    """Practice feedback in words: for each vignette, whether the outcome matches, is defensible or
    differs, both ends, where the routes parted, the cues that point to the case's answer, and why.
    `commands` names the command that shows the guidance (the terminal's; not the page's)."""

    lines: list[str] = []
    for result in results:
        lines.append(REPORTS["vignette_titled"].format(vignette=result.vignette, title=result.title))
        expected, reached = result.expected, result.reached
        if result.verdict == "matches":
            lines.append(REPORTS["matches_your_route_reached_as"].format(ref=reached.ref, title=reached.title))
        else:
            lines.append(REPORTS["your_route_reached"].format(ref=reached.ref, title=reached.title))
            lines.append(REPORTS["case_answer_reaches"].format(ref=expected.ref, title=expected.title))
        if result.verdict == "defensible":
            lines.append(REPORTS["defensible_not_wrong"].format(defensible_reason=result.defensible_reason))
        difference = result.first_difference
        if difference is not None:
            lines.append(
                REPORTS["routes_parted_at_case_gives"].format(
                    question=difference.question,
                    section=section_words(difference.section),
                    expected_answer=difference.expected_answer,
                    given_answer=difference.given_answer,
                )
            )
            for guide in difference.guidance:
                shown = REPORTS["decision_trees_guidance"].format(id=guide.id) if commands else ""
                lines.append(REPORTS["guidance_there"].format(title=guide.title, section=guide.section, shown=shown))
        lines.append(REPORTS["why"].format(reason=result.reason))
        if result.cues:
            lines.append(REPORTS["facts_rests_on"])
            lines += [f"  - {cue.fact}{' → ' + cue.matches if cue.matches else ''}" for cue in result.cues]
    lines.append(sentence("practice_score", correct=str(score.correct), of=str(score.of)))
    if score.defensible:
        lines.append(sentence("practice_defensible", count=str(score.defensible)))
    return "\n".join(lines) + "\n"


def practice_json(flow: Flow, results: list[Feedback], score: Score) -> shapes.PracticeReport:
    return shapes.PracticeReport(flow=flow.id, results=results, score=score)


def vignettes_text(vignettes: list[Vignette]) -> str:
    """The cases a flow offers, by neutral name and number only: an id, a title or the sections a
    case is written from can give its answer away before it is answered."""
    lines = [f"{n}  {case_name(n, v, answered=False)}: {_opening(v.text)}\n" for n, v in enumerate(vignettes, 1)]
    return "".join(lines) + REPORTS["practise_one_with_vignette_number"]


def _opening(text: str, words: int = 8) -> str:
    """The first words of a case, to tell the cases apart without naming an answer."""
    found = text.split()
    return " ".join(found[:words]) + (" …" if len(found) > words else "")


def vignettes_json(flow: Flow, vignettes: list[Vignette]) -> shapes.VignetteList:
    """For scripts: each case's number, id and text (a script is not a trainee; titles and sections
    are left out all the same, as they can name the answer)."""
    entries = [
        shapes.VignetteEntry(n, v.id, case_name(n, v, answered=False), v.text) for n, v in enumerate(vignettes, 1)
    ]
    return shapes.VignetteList(flow=flow.id, vignettes=entries)
