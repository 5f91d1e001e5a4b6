"""The decision-trees command line: a thin Typer client of the `decision_trees` library. Each
command turns its options into one call of the library (`session`, `walking`, `reports`, ...) and
prints the result; the tool's errors are caught once, in `_Group`.

Imports, in one visible way: the standard library and Typer at the top; the package's own modules
through `lazy` below, so that `--help` does not load msgspec and the core it needs (benchmarks/
startup.py); heavy third-party modules (rich, questionary, PyYAML, holidays) only inside the
functions of the modules that use them. No `from __future__ import annotations`: Typer would have
to evaluate every string annotation on each run."""

import contextlib
import copy
import datetime as dt
import importlib
import sys
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from decision_trees.core.errors import DecisionTreesError, FlowDataError, UsageError


class _Later(ModuleType):
    """A module of the package, imported when first used. Unlike the standard library's LazyLoader
    recipe, nothing is looked up until then: a scripted walk never searches the disk for the
    modules it does not use (benchmarks/startup.py)."""

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self.__name__), attribute)


def lazy(name: str) -> ModuleType:
    """A module that is loaded when first used."""
    return sys.modules.get(name) or _Later(name)


if TYPE_CHECKING:  # the same modules, for mypy
    from decision_trees import checks, session, walks, words
    from decision_trees.core import answers, clock, text
    from decision_trees.core import summary as summaries
    from decision_trees.data import files as storage
    from decision_trees.data import library, loading, localcontacts
    from decision_trees.output import consoles, delivery, diagram, htmlpage, reports, shapes
    from decision_trees.runs import batch as batching
    from decision_trees.runs import scenarios
    from decision_trees.terminal import practising, walking
    from decision_trees.terminal import render as terminal
else:
    answers = lazy("decision_trees.core.answers")
    batching = lazy("decision_trees.runs.batch")
    consoles = lazy("decision_trees.output.consoles")
    diagram = lazy("decision_trees.output.diagram")
    htmlpage = lazy("decision_trees.output.htmlpage")
    storage = lazy("decision_trees.data.files")
    localcontacts = lazy("decision_trees.data.localcontacts")
    library = lazy("decision_trees.data.library")
    loading = lazy("decision_trees.data.loading")
    delivery = lazy("decision_trees.output.delivery")
    reports = lazy("decision_trees.output.reports")
    scenarios = lazy("decision_trees.runs.scenarios")
    session = lazy("decision_trees.session")
    checks = lazy("decision_trees.checks")
    clock = lazy("decision_trees.core.clock")
    practising = lazy("decision_trees.terminal.practising")
    shapes = lazy("decision_trees.output.shapes")  # the types of every format: only for `schema`
    terminal = lazy("decision_trees.terminal.render")
    text = lazy("decision_trees.core.text")
    summaries = lazy("decision_trees.core.summary")
    walking = lazy("decision_trees.terminal.walking")
    walks = lazy("decision_trees.walks")
    words = lazy("decision_trees.words")  # the phrasebook: the command line's sentences too


class _Group(TyperGroup):
    """Catches the tool's own errors once: one line on stderr, the error's exit code, no traceback."""

    def invoke(self, ctx: Any) -> Any:
        consoles.guard_streams()
        consoles.prepare(sys.stdout, sys.stderr)  # a console's missing characters print as plain ones
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()
            return result
        except DecisionTreesError as exc:
            _fail(_said(exc), exc.exit_code, exc.label)
        except OSError as exc:  # stdout itself failing: a full disk, a closed pipe
            delivery.silence_stdout()
            _fail(words.MESSAGES["cannot_write_output"].format(strerror=exc.strerror or exc), 4)


# What the command line adds to an error of a kind, in its own terms (the core says none of them).
HINTS = {"unknown-indicator": "hint_unknown_indicator"}  # error code -> the phrasebook's key


def _said(exc: DecisionTreesError) -> str:
    """An error as the command line says it: each input as its option (--called-at), and a hint."""
    hint = HINTS.get(exc.code or "")
    return exc.said(walks.flag) + (f"; {words.MESSAGES[hint]}" if hint else "")


MAX_MESSAGE = 1000  # characters: an error stays one readable line, whatever the input held


def _fail(message: str, code: int, label: str = "error: ") -> None:
    if len(message) > MAX_MESSAGE:
        message = words.MESSAGES["clipped_message"].format(
            start=message[:700], left_out=len(message) - 900, end=message[-200:]
        )
    # One line, and no terminal escapes from a flow file's text.
    with contextlib.suppress(OSError):  # stderr gone too: the exit code still tells
        typer.echo(consoles.fit(f"decision-trees: {label}{text.visible(message)}"), err=True)
    raise typer.Exit(code) from None


app = typer.Typer(
    cls=_Group,
    help="Walk a safeguarding protocol's referral flowcharts and end with an action summary.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Format(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


class ListFormat(StrEnum):
    text = "text"
    json = "json"


class DiagramFormat(StrEnum):
    mermaid = "mermaid"
    dot = "dot"
    html = "html"


class SchemaKind(StrEnum):
    flow = "flow"
    contacts = "contacts"
    local_contacts = "local-contacts"
    guidance = "guidance"
    vignettes = "vignettes"
    summary = "summary"
    list = "list"
    paths = "paths"
    indicators = "indicators"
    contacts_list = "contacts-list"
    contacts_check = "contacts-check"
    validate = "validate"
    practise = "practise"
    vignettes_list = "vignettes-list"
    batch_error = "batch-error"


# The outputs' schemas (output/shapes.py), as against the files'.
OUTPUT_KINDS = (
    "summary", "list", "paths", "indicators", "contacts-list", "contacts-check", "validate", "practise",
    "vignettes-list", "batch-error",
)  # fmt: skip


# Options that several commands take, made once: Typer copies each before use, and a scripted walk
# no longer builds one for every command it does not run.
ListFormatOption = Annotated[ListFormat, typer.Option("--format")]
Plain = Annotated[
    bool,
    typer.Option(
        "--plain", help="Numbered choices typed as a number or label; no colour or arrow keys (screen readers)."
    ),
]
NonInteractive = Annotated[
    bool, typer.Option("--non-interactive", help="Never prompt: a missing answer is an error (exit 2).")
]

FLOWS_DIR_ENV = "DECISION_TREES_FLOWS_DIR"
FlowsDir = Annotated[
    Optional[Path],
    typer.Option(
        "--flows-dir",
        envvar=FLOWS_DIR_ENV,
        help=f"Load flows, contacts and reference data from DIR instead of the bundled ones (or ${FLOWS_DIR_ENV}).",
    ),
]
CONTACTS_ENV = "DECISION_TREES_CONTACTS"
ContactsFile = Annotated[
    Optional[Path],
    typer.Option(
        "--contacts",
        help=f"A local contacts file whose entries replace the bundled ones by id (or ${CONTACTS_ENV}; "
        "else contacts.yaml in your config folder).",
    ),
]
FORCE_HELP = "Overwrite --output, --record, --email-draft or --calendar if it exists."
FlowName = Annotated[str, typer.Argument(help="Flow id or alias: `decision-trees list` names them.")]
Now = Annotated[
    Optional[str],
    typer.Option("--now", help="Fix the clock (UK time unless an offset is given), e.g. 2026-11-23T14:30."),
]


def _library(flows_dir: Path | None, contacts: Path | None = None) -> "library.Library":
    return session.load(flows_dir, contacts=contacts)


def _json(data: Any) -> None:
    consoles.write_json(reports.to_json(data))


def _text(renderable_of: Any) -> None:
    """Show what a `terminal` function draws (rich is loaded by it, only for text output)."""
    terminal.show(renderable_of(terminal))


def _date(text: str | None, option: str) -> dt.date:
    first, last = clock.FIRST_YEAR, clock.LAST_YEAR
    try:
        day = dt.date.fromisoformat(text) if text else dt.date.today()
    except ValueError:
        raise UsageError(words.MESSAGES["not_a_date"].format(option=option, text=text)) from None
    if not first <= day.year <= last:  # a year on, two years on: all must stay dates
        raise UsageError(words.MESSAGES["date_outside_years"].format(option=option, text=text, first=first, last=last))
    return day


Details = Annotated[
    bool,
    typer.Option(
        "--details",
        help="After the action card, print the details: each action in full with its source, the "
        "deadlines' counting, the contacts' sources, notes, the route and the reading. Without it the "
        "terminal shows the card only; Markdown, JSON, --output and --record always keep everything.",
    ),
]
Quiet = Annotated[
    bool, typer.Option("--quiet", "-q", help="No warning on stderr about unchecked contacts (the JSON keeps it).")
]
PAST_DAYS = 90  # by default a page also advises for this many days before its export


PickedFlow = Annotated[
    Optional[str], typer.Argument(help="Flow id or alias (see `decision-trees list`). Omit to pick from a list.")
]
AnswersOption = Annotated[
    Optional[str], typer.Option("--answers", help='Answers in question order, e.g. "yes,no"; ticks as "item+item".')
]
AnswerOption = Annotated[
    Optional[list[str]],
    typer.Option(
        "--answer", help="NODE_ID=CHOICE, or NODE_ID=item,item for ticks; repeatable.", metavar="NODE_ID=CHOICE"
    ),
]


@app.command()
def walk(
    flow: PickedFlow = None,
    answers: AnswersOption = None,
    answer: AnswerOption = None,
    answers_file: Annotated[
        Optional[Path],
        typer.Option("--answers-file", help="YAML or JSON (node id to choice), or a record to replay."),
    ] = None,
    indicator: Annotated[
        Optional[list[str]],
        typer.Option("--indicator", help="An indicator that applies (see `indicators`); repeatable.", metavar="ID"),
    ] = None,
    non_interactive: NonInteractive = False,
    fmt: Annotated[Format, typer.Option("--format", help="Summary format.")] = Format.text,
    details: Details = False,
    quiet: Quiet = False,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the summary to FILE.")] = None,
    record: Annotated[
        Optional[Path],
        typer.Option("--record", help="Write a record of the walk: FILE.md for Markdown, else JSON."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=FORCE_HELP)] = False,
    resume: Annotated[bool, typer.Option("--resume", help="Pick up an interrupted walk where it stopped.")] = False,
    case_ref: Annotated[
        Optional[str],
        typer.Option("--case-ref", help="Your case reference (never a name), for the summary and record."),
    ] = None,
    now: Now = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Trainer mode: at each question, show where each answer leads.")
    ] = False,
    plain: Plain = False,
    email_draft: Annotated[
        Optional[Path],
        typer.Option("--email-draft", help="Also write a draft of the written confirmation (FILE.eml), never sent."),
    ] = None,
    calendar: Annotated[
        Optional[Path], typer.Option("--calendar", help="Also write a calendar reminder for each deadline (FILE.ics).")
    ] = None,
    called_at: Annotated[
        Optional[str],
        typer.Option("--called-at", help="When you made the phone referral (default: the end of the walk)."),
    ] = None,
    flows_dir: FlowsDir = None,
    contacts: ContactsFile = None,
) -> None:
    """Walk a flow, one question at a time, and print the action summary."""
    request = walks.WalkRequest(
        flow=flow,
        answers=answers,
        answer=answer,
        answers_file=answers_file,
        indicators=indicator,
        non_interactive=non_interactive,
        fmt=fmt.value,
        details=details,
        quiet=quiet,
        output=output,
        record=record,
        force=force,
        resume=resume,
        case_ref=case_ref,
        now=now,
        explain=explain,
        plain=plain,
        email_draft=email_draft,
        calendar=calendar,
        called_at=called_at,
    )
    loaded = _library(flows_dir, contacts)
    if walks.scripted(request):  # nothing to ask: the library's walk, and no terminal code
        walks.run(loaded, request, render_text=_draw_summary)
    else:
        walking.run_walk(loaded, request)


def _draw_summary(summary: Any, *, to_file: bool, details: bool, notes: Path | None) -> str:
    """A scripted walk's summary in the terminal's text (rich is loaded for it, and only for it)."""
    return terminal.summary_text(summary, to_file=to_file, details=details, notes=notes)


@app.command()
def practise(
    flow: FlowName,
    list_only: Annotated[bool, typer.Option("--list", help="List the flow's vignettes and stop.")] = False,
    vignette: Annotated[
        Optional[list[str]], typer.Option("--vignette", help="A vignette id (see --list); repeatable.", metavar="ID")
    ] = None,
    answers: Annotated[
        Optional[list[str]],
        typer.Option("--answers", help="Scripted answers for each --vignette, in the same order; repeatable."),
    ] = None,
    fmt: ListFormatOption = ListFormat.text,
    plain: Plain = False,
    non_interactive: NonInteractive = False,
    flows_dir: FlowsDir = None,
) -> None:
    """Practise on invented cases: walk the flow for a vignette, then see where your route left the
    protocol's. A wrong answer is not an error (exit 0); a vignette that no longer fits is (exit 1)."""
    loaded = _library(flows_dir)
    if list_only:
        found = practising.vignettes_for(loaded, loaded.find(flow))
        if fmt is ListFormat.json:
            _json(reports.vignettes_json(loaded.find(flow), found))
        else:
            sys.stdout.write(reports.vignettes_text(found))
        return
    request = practising.PracticeRequest(flow, vignette or [], answers or [], plain, non_interactive)
    results = practising.run_practice(loaded, request)
    score = practising.score(results)
    if fmt is ListFormat.json:
        _json(reports.practice_json(loaded.find(flow), results, score))
    else:
        sys.stdout.write(reports.practice_text(results, score))


@app.command("list")
def list_flows(fmt: ListFormatOption = ListFormat.text, flows_dir: FlowsDir = None) -> None:
    """List the flows, with title, audience and source."""
    flows = list(_library(flows_dir).flows.values())
    if fmt is ListFormat.json:
        _json(reports.flows_json(flows))
    else:
        _text(lambda terminal: terminal.flows_table(flows))


@app.command()
def show(flow: FlowName, flows_dir: FlowsDir = None) -> None:
    """Show a whole flow as a tree, for a trainer to talk a room through it."""
    chosen = _library(flows_dir).find(flow)
    _text(lambda terminal: terminal.flow_page(chosen))


contacts_app = typer.Typer(
    cls=_Group, help="List every contact, or check which are overdue a check.", invoke_without_command=True
)
app.add_typer(contacts_app, name="contacts")


@contacts_app.callback()
def contacts(
    ctx: typer.Context,
    fmt: ListFormatOption = ListFormat.text,
    flows_dir: FlowsDir = None,
    contacts: ContactsFile = None,
) -> None:
    """List every contact, which file it comes from, where it was copied from, and whether anyone
    has checked it against a current directory."""
    if ctx.invoked_subcommand is not None:
        return
    loaded = _library(flows_dir, contacts)
    if fmt is ListFormat.json:
        _json(reports.contacts_json(loaded.directory, dt.date.today(), loaded.contact_origins))
    else:
        _text(lambda terminal: terminal.contacts_table(loaded.directory, dt.date.today(), loaded.contact_origins))
        local = [f.file for f in loaded.contacts_files if f.local]
        none = words.REPORTS["no_local_contacts"].format(looked_for=localcontacts.user_contacts_file())
        typer.echo(consoles.fit(words.REPORTS["local_contacts"].format(where=local[0] if local else none)), err=True)


@contacts_app.command("check")
def contacts_check(
    max_age: Annotated[str, typer.Option("--max-age", help="Longest since a check: 12m (months), 365d or 1y.")] = "12m",
    today: Annotated[Optional[str], typer.Option("--today", help="The date to count from, e.g. 2027-01-31.")] = None,
    fmt: ListFormatOption = ListFormat.text,
    flows_dir: FlowsDir = None,
    contacts: ContactsFile = None,
) -> None:
    """List every contact a flow uses that was never checked, or not within --max-age, and every
    safety invariant the contacts break (I1, I2, I3, I8; a misleading character, I7, stops the
    file being read). Exit 1 if there are any, 0 if none: for a partnership's scheduled CI."""
    loaded = session.load(flows_dir, contacts=contacts, enforce=False)
    day = _date(today, "--today")
    found, broken = checks.check_contacts(loaded, day, max_age), checks.contact_breaches(loaded, day)
    if fmt is ListFormat.json:
        _json(reports.contacts_check_json(found, broken))
    else:
        sys.stdout.write(reports.contact_checks_text(found) + "".join(f"{b.describe()}\n" for b in broken))
        typer.echo(consoles.fit(reports.contact_checks_count(found, broken)), err=True)
    raise typer.Exit(1 if found or broken else 0)


@app.command()
def validate(
    paths: Annotated[
        Optional[list[Path]], typer.Argument(help="Flow files or flows directories (default: the flows in use).")
    ] = None,
    fmt: ListFormatOption = ListFormat.text,
    today: Annotated[
        Optional[str], typer.Option("--today", help="The date for review and staleness checks, e.g. 2027-01-31.")
    ] = None,
    flows_dir: FlowsDir = None,
    contacts: ContactsFile = None,
) -> None:
    """Lint flow files: the schema, the graph, then the safety invariants (with the local contacts file
    in use, if any). Exit 0 clean, 1 findings, 2 a file cannot be read."""
    where = paths or [flows_dir or library.bundled_flows_dir()]
    findings, read = checks.validate(where, _date(today, "--today"), contacts)
    if fmt is ListFormat.json:
        _json(reports.findings_json(findings, read))
    else:
        lines, count = reports.findings_text(findings, read)
        sys.stdout.write(lines)
        typer.echo(consoles.fit(count), err=True)
    raise typer.Exit(reports.findings_exit_code(findings))


@app.command("diff")
def diff_flows(
    old: Annotated[Path, typer.Argument(help="The flow file as it was (YAML).")],
    new: Annotated[Path, typer.Argument(help="The flow file as it is now (YAML).")],
    fmt: Annotated[
        Format, typer.Option("--format", help="text, json, or markdown (a change record to sign).")
    ] = Format.text,
    cases: Annotated[
        Optional[list[Path]],
        typer.Option("--cases", help="Compare only these past cases: a batch JSON-lines file or a record; repeatable."),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="List at most this many routes of each kind; all are counted.")
    ] = 1000,
    flows_dir: FlowsDir = None,
    contacts: ContactsFile = None,
) -> None:
    """Compare two versions of a flow route by route. Exit 0 when no route's advice changed, 1 when
    some did, 2 on bad input."""

    try:
        found = checks.diff(old, new, _library(flows_dir, contacts), cases, limit=limit)
    except FlowDataError as exc:
        raise UsageError(exc.template) from None  # bad input is exit 2 here, as diff(1) has it
    if fmt is Format.json:
        _json(reports.diff_json(found))
    elif fmt is Format.markdown:
        sys.stdout.write(
            reports.diff_markdown(found, str(old), str(new), (loading.sha256_of(old), loading.sha256_of(new)))
        )
    else:
        sys.stdout.write(reports.diff_text(found, str(old), str(new)))
    raise typer.Exit(1 if found.advice_changed else 0)


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which file format.")] = SchemaKind.flow,
) -> None:
    """Print the JSON Schema of a file format (flow, contacts) or of a command's JSON output
    (summary, list, paths and the rest: docs/schemas/), generated from the models."""
    sys.stdout.write(shapes.output_schema(kind.value) if kind.value in OUTPUT_KINDS else shapes.file_schema(kind.value))


@app.command()
def export(
    flow: FlowName,
    fmt: Annotated[
        DiagramFormat,
        typer.Option("--format", help="mermaid or dot (diagrams), or html (a walk-through for trainers)."),
    ] = DiagramFormat.mermaid,
    highlight: Annotated[
        Optional[str], typer.Option("--highlight", help='Mark the route these answers take, e.g. "yes,no".')
    ] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to FILE instead of stdout.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --output if it exists.")] = False,
    start: Annotated[
        Optional[str],
        typer.Option(
            "--from",
            help="html: the first day the page advises for (default: 90 days ago, so that a trainer can replay "
            "a past case).",
        ),
    ] = None,
    until: Annotated[
        Optional[str], typer.Option("--until", help="html: the day it stops advising (default: two years on).")
    ] = None,
    flows_dir: FlowsDir = None,
    contacts: ContactsFile = None,
) -> None:
    """Export a flow as a Mermaid or Graphviz DOT diagram, or as a self-contained HTML walk-through."""
    loaded = _library(flows_dir, contacts)
    chosen = loaded.find(flow)
    if fmt is DiagramFormat.html:
        first = _date(start, "--from") if start else dt.date.today() - dt.timedelta(days=PAST_DAYS)
        last = _date(until, "--until") if until else dt.date.today() + dt.timedelta(days=731)
        if last is not None and last <= first:
            raise UsageError(words.MESSAGES["until_not_after_from"].format(until=until, first=first.isoformat()))
        text = htmlpage.to_html(chosen, loaded, first, last)
    else:
        route = answers.trace(chosen, answers.feed_from(highlight)) if highlight else None
        draw = diagram.to_mermaid if fmt is DiagramFormat.mermaid else diagram.to_dot
        text = draw(chosen, route)
    if output is None:
        sys.stdout.write(text)
    else:
        storage.write_private(output, text, force=force, mode=0o644)  # no personal data: for sharing
        typer.echo(consoles.fit(f"wrote {output}"), err=True)


@app.command()
def paths(
    flow: FlowName,
    fmt: ListFormatOption = ListFormat.text,
    limit: Annotated[int, typer.Option("--limit", min=1, help="List at most this many routes.")] = 1000,
    flows_dir: FlowsDir = None,
) -> None:
    """Every route from the start to an end, with its outcome."""
    chosen = _library(flows_dir).find(flow)
    found, total = session.routes(chosen, limit)
    if total > len(found):
        note = words.REPORTS["routes_limited"].format(flow=chosen.id, total=text.count_words(total), shown=len(found))
        typer.echo(consoles.fit(note), err=True)
    if fmt is ListFormat.json:
        _json(reports.routes_json(chosen, found, total))
    else:
        _text(lambda terminal: terminal.routes_table(chosen, found, total))


@app.command("test")
def run_scenario_tests(
    files: Annotated[list[Path], typer.Argument(help="Scenario files (YAML).", exists=False)],
    fmt: ListFormatOption = ListFormat.text,
    require_coverage: Annotated[
        bool, typer.Option("--require-coverage", help="Fail unless every node and edge was covered.")
    ] = False,
    now: Now = None,
    flows_dir: FlowsDir = None,
) -> None:
    """Run scenario files: answers in, expected outcome, actions, contacts and deadlines out."""
    results, coverage = scenarios.run_files(_library(flows_dir), files, now)
    if fmt is ListFormat.json:
        _json(reports.scenarios_json(results, coverage))
    else:
        sys.stdout.write(reports.scenarios_text(results, coverage))
    gaps = any(c.missed_edges or c.missed_nodes for c in coverage)
    if any(not r.passed for r in results) or (require_coverage and gaps):
        raise typer.Exit(1)


@app.command()
def batch(
    flow: FlowName,
    cases: Annotated[Path, typer.Argument(help='JSON lines: {"case_ref": "C1", "answers": "yes,no"}; - for stdin.')],
    now: Now = None,
    flows_dir: FlowsDir = None,
    contacts: ContactsFile = None,
) -> None:
    """Walk many answer sets in one process: one JSON result a line on stdout, in input order."""
    progress = terminal.with_progress if sys.stderr.isatty() else None
    failed = batching.run_file(_library(flows_dir, contacts), flow, cases, now, progress=progress)
    if failed:
        typer.echo(consoles.fit(words.REPORTS["cases_failed"].format(failed=failed)), err=True)
        raise typer.Exit(1)


@app.command("compile")
def compile_flows(
    directory: Annotated[
        Optional[Path], typer.Argument(help="The flows directory (default: --flows-dir or the bundled one).")
    ] = None,
    flows_dir: FlowsDir = None,
) -> None:
    """Check a flows directory and write its compiled form, so that walks need no YAML parser."""
    written = loading.write_compiled(directory or flows_dir or library.bundled_flows_dir())
    typer.echo(consoles.fit(f"wrote {written}"), err=True)


@app.command()
def forget(
    flow: Annotated[Optional[str], typer.Argument(help="Forget only this flow's saved walk.")] = None,
    flows_dir: FlowsDir = None,
) -> None:
    """Delete the saved answers of interrupted walks (all of them, or one flow's)."""
    deleted = storage.forget(_library(flows_dir).find(flow).id if flow else None)
    said = words.REPORTS["saved_walks_deleted"].format(count=len(deleted), folder=storage.state_dir())
    typer.echo(consoles.fit(said), err=True)


@app.command("guidance")
def show_guidance(
    guidance_id: Annotated[Optional[str], typer.Argument(help="A guidance id. Omit to list them.")] = None,
    flows_dir: FlowsDir = None,
) -> None:
    """Show a flow's decision aids: the protocol's tables of circumstances, by level of need."""
    loaded = _library(flows_dir)
    book = loaded.guidance
    if guidance_id is not None and guidance_id not in book.guidance:
        raise UsageError(
            words.MESSAGES["no_such_guidance"].format(guidance_id=guidance_id, known=", ".join(book.guidance))
        )
    if guidance_id is None:
        _text(lambda terminal: terminal.guidance_list(book))
    else:
        table = book.guidance[guidance_id]
        reach = summaries.guidance_contacts(table, loaded.directory, dt.date.today())
        _text(lambda terminal: terminal.GuidanceView(table, reach))


@app.command()
def indicators(
    flow: FlowName,
    fmt: ListFormatOption = ListFormat.text,
    flows_dir: FlowsDir = None,
) -> None:
    """List the indicators a flow's questions offer, with the ids that --indicator takes."""
    loaded = _library(flows_dir)
    chosen = loaded.find(flow)
    rows = reports.indicator_rows(chosen, loaded)
    if fmt is ListFormat.json:
        _json(reports.indicators_json(chosen, rows))
    else:
        sys.stdout.write(reports.indicators_text(rows))
        if not rows:  # a flow whose protocol gives nothing to tick: said rather than an empty screen
            typer.echo(consoles.fit(words.REPORTS["no_indicators"].format(flow=loaded.find(flow).id)), err=True)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"decision-trees {version('decision-trees')}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Walk a safeguarding protocol's referral flowcharts and end with an action summary."""


def _for_command(first: list[str]) -> typer.Typer:
    """The app with only the command being run, when the first argument names one: Typer builds
    every registered command's parameters before it runs any, and a scripted walk would pay for all
    fifteen (Click's "lazily loading subcommands"). Anything else (no command, `--help`, a typo)
    gets the whole app, so that help and "No such command" read as always."""
    chosen = [
        info
        for info in app.registered_commands
        if info.callback is not None and first == [info.name or typer.main.get_command_name(info.callback.__name__)]
    ]
    if not chosen:
        return app
    one = copy.copy(app)
    one.registered_commands = chosen
    return one


def main() -> None:
    if None in (sys.stdin, sys.stdout, sys.stderr):  # a stream closed at start (`>&-`): a clear error, never None
        consoles.guard_streams()
    try:
        _for_command(sys.argv[1:2])()
    except OSError as exc:  # Typer's own output (--help, a usage error) to a closed or failing stream
        delivery.silence_stdout()
        with contextlib.suppress(OSError):
            said = words.MESSAGES["cannot_write_output"].format(strerror=exc.strerror or exc)
            sys.stderr.write(f"decision-trees: error: {said}\n")
        raise SystemExit(4) from None
