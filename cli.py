"""The decision-trees command line: a thin Typer layer over the decision_trees core."""

import contextlib
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from decision_trees.errors import DecisionTreesError, UsageError

# The core is imported inside the commands, so that --help costs no more than Typer itself. No
# `from __future__ import annotations`: Typer would have to eval every string annotation on each run.
if TYPE_CHECKING:
    from decision_trees.answers import AnswerSet, Feed
    from decision_trees.guidance import Tally
    from decision_trees.interactive import Prompter
    from decision_trees.loading import Library
    from decision_trees.models import Flow
    from decision_trees.record import Journal
    from decision_trees.summary import Summary


class _Group(TyperGroup):
    """Catches the tool's own errors once: one line on stderr, the error's exit code, no traceback."""

    def invoke(self, ctx: Any) -> Any:
        from decision_trees.consoles import prepare

        prepare(sys.stdout, sys.stderr)  # a console's missing characters print as plain ones
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()
            return result
        except DecisionTreesError as exc:
            _fail(str(exc), exc.exit_code)
        except OSError as exc:  # stdout itself failing: a full disk, a closed pipe
            from decision_trees.output import _silence_stdout

            _silence_stdout()
            _fail(f"cannot write the output: {exc.strerror or exc}", 4)


MAX_MESSAGE = 1000  # characters: an error stays one readable line, whatever the input held


def _fail(message: str, code: int) -> None:
    from decision_trees.text import visible

    if len(message) > MAX_MESSAGE:
        message = f"{message[:700]} … ({len(message) - 900:,} characters left out) … {message[-200:]}"
    # One line, and no terminal escapes from a flow file's text.
    with contextlib.suppress(OSError):  # stderr gone too: the exit code still tells
        typer.echo(f"decision-trees: error: {visible(message)}", err=True)
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


class SchemaKind(StrEnum):
    flow = "flow"
    contacts = "contacts"
    guidance = "guidance"


FLOWS_DIR_ENV = "DECISION_TREES_FLOWS_DIR"
FlowsDir = Annotated[
    Optional[Path],
    typer.Option(
        "--flows-dir",
        envvar=FLOWS_DIR_ENV,
        help=f"Load flows, contacts and reference data from DIR instead of the bundled ones (or ${FLOWS_DIR_ENV}).",
    ),
]
FlowName = Annotated[str, typer.Argument(help="Flow id or alias, e.g. appendix-4.")]
Now = Annotated[
    Optional[str],
    typer.Option("--now", help="Fix the clock (UK time unless an offset is given), e.g. 2026-11-23T14:30."),
]


def _library(flows_dir: Path | None) -> "Library":
    from decision_trees.loading import load_library

    return load_library(flows_dir)


def _json(data: Any) -> None:
    import msgspec

    from decision_trees.consoles import write_json

    write_json(msgspec.json.format(msgspec.json.encode(data).decode("utf-8"), indent=2) + "\n")


def _answer_set(answers: str | None, answer: list[str] | None, answers_file: Path | None) -> "AnswerSet":
    from decision_trees.answers import AnswerSet, parse_answer_options, read_answers_file, split_answers

    found = read_answers_file(answers_file) if answers_file else AnswerSet([], {})
    found.ordered += split_answers(answers) if answers else []
    found.by_node.update(parse_answer_options(answer or []))
    return found


def _feed(answers: str | None, answer: list[str] | None, answers_file: Path | None) -> "Feed":
    from decision_trees.answers import Feed

    given = _answer_set(answers, answer, answers_file)
    return Feed(given.ordered, given.by_node)


def _render(summary: "Summary", fmt: Format, to_file: bool) -> str:
    """The summary as text: JSON, Markdown, or the terminal's form (80 columns, no colour, in a file)."""
    from decision_trees import formats

    if fmt is Format.json:
        return formats.to_json(summary)
    if fmt is Format.markdown:
        return formats.to_markdown(summary)
    from decision_trees.terminal import console, render, summary_renderable

    if to_file:
        import io

        return render(summary_renderable(summary), console(io.StringIO(), width=80, colour=False))
    return render(summary_renderable(summary))


@app.command()
def walk(
    flow: Annotated[
        Optional[str], typer.Argument(help="Flow id or alias, e.g. appendix-4. Omit to pick from a list.")
    ] = None,
    answers: Annotated[
        Optional[str], typer.Option("--answers", help='Answers in question order, e.g. "yes,no,yes,high".')
    ] = None,
    answer: Annotated[
        Optional[list[str]], typer.Option("--answer", help="NODE_ID=CHOICE; repeatable.", metavar="NODE_ID=CHOICE")
    ] = None,
    answers_file: Annotated[
        Optional[Path],
        typer.Option("--answers-file", help="YAML or JSON (node id to choice), or a record to replay."),
    ] = None,
    indicator: Annotated[
        Optional[list[str]],
        typer.Option("--indicator", help="An indicator that applies (see `indicators`); repeatable.", metavar="ID"),
    ] = None,
    non_interactive: Annotated[
        bool, typer.Option("--non-interactive", help="Never prompt: a missing answer is an error (exit 2).")
    ] = False,
    fmt: Annotated[Format, typer.Option("--format", help="Summary format.")] = Format.text,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the summary to FILE.")] = None,
    record: Annotated[
        Optional[Path],
        typer.Option("--record", help="Write a record of the walk: FILE.md for Markdown, else JSON."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --output or --record if it exists.")] = False,
    resume: Annotated[bool, typer.Option("--resume", help="Pick up an interrupted walk where it stopped.")] = False,
    case_ref: Annotated[
        Optional[str],
        typer.Option("--case-ref", help="Your case reference (never a name), for the summary and record."),
    ] = None,
    now: Now = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Trainer mode: at each question, show where each answer leads.")
    ] = False,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain", help="Numbered choices typed as a number or label; no colour or arrow keys (screen readers)."
        ),
    ] = False,
    flows_dir: FlowsDir = None,
) -> None:
    """Walk a flow, one question at a time, and print the action summary."""
    import datetime as dt

    from decision_trees.answers import Feed, walk_scripted
    from decision_trees.errors import AnswerError
    from decision_trees.files import refuse_overwrite
    from decision_trees.record import Journal, check_case_ref, flow_hash
    from decision_trees.summary import summarise

    library = _library(flows_dir)
    calendar = library.calendar()
    fixed = _fixed_now(now, calendar.tz)
    reference = check_case_ref(case_ref) if case_ref is not None else None
    for target in (output, record):  # refused before any question is asked, not after the walk
        if target is not None:
            refuse_overwrite(target, force)
    if output is not None and record is not None and output.resolve() == record.resolve():
        raise UsageError("--output and --record name the same file; give two files")
    given = _answer_set(answers, answer, answers_file)
    terminal = sys.stdin.isatty()
    answered = bool(answers or answer or answers_file or resume or indicator)
    # Piped input with no answers given: one answer a line, read as a person's would be.
    piped = not terminal and not non_interactive and not answered
    interactive = (terminal and not non_interactive) or piped
    plain = plain or piped or bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"
    prompter = _prompter(plain, piped) if interactive else None

    if prompter is not None:
        _warn_danger_first(library)
    if flow is None:
        if prompter is None:
            names = ", ".join(f.aliases[0] if f.aliases else f.id for f in library.flows.values())
            raise UsageError(f"name the flow to walk; choose one of: {names}")
        flows = list(library.flows.values())
        titles = [f"{f.source.part}: {f.title}" for f in flows]
        try:
            picked = prompter.choose("Which flow?", titles, default=None, allow_back=False, instruction="")
        except (KeyboardInterrupt, EOFError):
            raise UsageError("no flow chosen") from None
        chosen = flows[titles.index(picked)]
    else:
        chosen = library.find(flow)

    if not resume:
        resume = _offer_saved_walk(chosen, prompter, piped)
    if resume:
        from decision_trees.answers import read_answers_file
        from decision_trees.files import resume_file

        saved = resume_file(chosen.id)
        if not saved.exists():
            raise UsageError(f"no interrupted walk of {chosen.id} is saved; start one with: decision-trees walk {flow}")
        kept = read_answers_file(saved)
        given.by_node = {**kept.by_node, **given.by_node}
        given.indicators = kept.indicators + given.indicators
        given.flow_id, given.flow_hash = kept.flow_id, kept.flow_hash
    if given.flow_hash and given.flow_hash != flow_hash(chosen):
        typer.echo(
            f"decision-trees: warning: {chosen.id} has changed since these answers were recorded "
            f"(flow version now {chosen.version}); check the route before relying on it",
            err=True,
        )
    ticks = _ticks(chosen, library, given.indicators + list(indicator or []))
    feed = Feed(given.ordered, given.by_node)
    journal = Journal(lambda: fixed or dt.datetime.now(calendar.tz))

    if prompter is not None:
        from decision_trees.interactive import walk_interactively

        finished = walk_interactively(
            chosen,
            feed,
            book=library.guidance,
            journal=journal,
            ticks=ticks,
            prompter=prompter,
            plain=plain,
            explain=explain,
            piped=piped,
        )
    else:
        finished = walk_scripted(chosen, feed, journal)
        if explain:
            from decision_trees.engine import explain as explain_node

            for step in finished.route:
                sys.stderr.write("\n".join(explain_node(chosen, step.node, step.answer)) + "\n")
    passed = {step.node for step in finished.route}
    for node_id in ticks:
        if node_id not in passed:
            raise AnswerError(f"indicators were given for {node_id!r}, but the route did not pass through it")
    summary = summarise(
        chosen,
        finished,
        library.directory,
        calendar,
        fixed or dt.datetime.now(calendar.tz),
        tallies=_tallies(chosen, library, ticks),
        case_ref=reference,
    )
    from decision_trees.formats import unchecked_warning

    warning = unchecked_warning(summary)
    if warning:
        typer.echo(f"decision-trees: {warning}", err=True)
    if plain and fmt is Format.text:
        fmt = Format.markdown  # linear text for a screen reader: headings and lists, no boxes
    from decision_trees.output import Delivery, deliver

    deliver(
        Delivery(
            summary=_render(summary, fmt, output is not None),
            as_json=fmt is Format.json,
            suffix={Format.json: ".json", Format.markdown: ".md", Format.text: ".txt"}[fmt],
            output=output,
            record=record,
            record_text=_record_text(chosen, journal, summary, record) if record is not None else None,
            force=force,
            flow_id=chosen.id,
        )
    )
    if resume:
        from decision_trees.files import forget as forget_saved

        forget_saved(chosen.id)


def _offer_saved_walk(flow: "Flow", prompter: "Prompter | None", piped: bool) -> bool:
    """When an interrupted walk of `flow` is saved, say so, and at a terminal offer to resume it.
    True to resume. Choosing to start again deletes the saved walk; otherwise it is kept."""
    from decision_trees.files import forget as forget_saved
    from decision_trees.files import saved_answers

    count = saved_answers(flow.id)
    if count is None:
        return False
    name = flow.aliases[0] if flow.aliases else flow.id
    if prompter is None or piped:
        typer.echo(
            f"decision-trees: note: an interrupted walk of {name} is saved ({count} answers) and is kept; "
            f"resume it with: decision-trees walk {name} --resume",
            err=True,
        )
        return False
    resume, restart = "Resume the saved walk", "Start again (the saved answers are deleted)"
    try:
        picked = prompter.choose(
            f"An interrupted walk of {name} is saved, with {count} answers. Resume it?",
            [resume, restart],
            default=resume,
            allow_back=False,
            instruction="",
        )
    except (KeyboardInterrupt, EOFError):
        raise UsageError(f"nothing chosen; the saved walk of {name} is kept") from None
    if picked == restart:
        forget_saved(flow.id)
        return False
    return True


def _fixed_now(now: str | None, tz: Any) -> Any:
    """--now as an aware date-time (None for the real clock); a repeated hour is noted on stderr."""
    if now is None:
        return None
    from decision_trees.clock import ambiguity, parse_now

    fixed = parse_now(now, tz)
    note = ambiguity(now, fixed)
    if note:
        typer.echo(f"decision-trees: note: {note}", err=True)
    return fixed


def _warn_danger_first(library: "Library") -> None:
    """999 before anything else an interactive walk shows."""
    from decision_trees.text import visible

    danger = library.directory.immediate_danger
    typer.echo(visible(danger.text), err=True)


def _ticks(flow: "Flow", library: "Library", ids: list[str]) -> dict[str, list[str]]:
    """Indicators by question; the guidance is decoded only when some were given."""
    if not ids:
        return {}
    from decision_trees.guidance import assign_indicators

    return assign_indicators(flow, library.guidance, ids)


def _tallies(flow: "Flow", library: "Library", ticks: dict[str, list[str]]) -> "list[Tally]":
    if not ticks:
        return []
    from decision_trees.guidance import tallies

    return tallies(flow, library.guidance, ticks)


def _prompter(plain: bool, piped: bool) -> "Prompter":
    if plain:
        from decision_trees.lineprompts import LinePrompter

        return LinePrompter(sys.stdin, sys.stderr, piped=piped)
    from decision_trees.prompts import ArrowPrompter

    return ArrowPrompter()


def _record_text(flow: "Flow", journal: "Journal", summary: "Summary", path: Path) -> str:
    from decision_trees import formats
    from decision_trees.record import make_record, record_json, record_markdown

    made = make_record(flow, journal, summary)
    return record_markdown(made, formats.to_markdown(summary)) if path.suffix == ".md" else record_json(made)


@app.command("list")
def list_flows(
    fmt: Annotated[ListFormat, typer.Option("--format")] = ListFormat.text, flows_dir: FlowsDir = None
) -> None:
    """List the flows, with title, audience and source."""
    library = _library(flows_dir)
    flows = list(library.flows.values())
    if fmt is ListFormat.json:
        import msgspec

        _json(
            [
                {
                    "id": f.id,
                    "aliases": f.aliases,
                    "title": f.title,
                    "audience": f.audience,
                    "source": msgspec.to_builtins(f.source),
                    "version": f.version,
                    "reviewed": f.reviewed.isoformat(),
                    "reviewed_means": "the flow was compared with the protocol text on this date",
                }
                for f in flows
            ]
        )
        return
    from decision_trees.terminal import flows_table, show

    show(flows_table(flows))


@app.command()
def show(flow: FlowName, flows_dir: FlowsDir = None) -> None:
    """Show a whole flow as a tree, for a trainer to talk a room through it."""
    chosen = _library(flows_dir).find(flow)
    from rich.console import Group

    from decision_trees.summary import flow_provenance_text
    from decision_trees.terminal import Wrapped, flow_tree, literal, show

    show(
        Group(
            flow_tree(chosen),
            Wrapped(literal(chosen.description, "dim")),
            Wrapped(literal(flow_provenance_text(chosen))),
        )
    )


@app.command()
def contacts(
    fmt: Annotated[ListFormat, typer.Option("--format")] = ListFormat.text, flows_dir: FlowsDir = None
) -> None:
    """List every contact, with its source and the date it was last checked."""
    import datetime as dt

    from decision_trees.summary import check_status, provenance

    library = _library(flows_dir)
    directory = library.directory
    today = dt.date.today()
    if fmt is ListFormat.json:
        import msgspec

        _json(
            {
                contact_id: {
                    **msgspec.to_builtins(contact),
                    "check_status": check_status(contact, today),
                    "provenance": provenance(contact, directory, today),
                }
                for contact_id, contact in directory.contacts.items()
            }
        )
        return
    from decision_trees.terminal import contacts_table, show

    show(contacts_table(directory, today))


@app.command()
def validate(
    paths: Annotated[
        Optional[list[Path]], typer.Argument(help="Flow files or flows directories (default: the flows in use).")
    ] = None,
    fmt: Annotated[ListFormat, typer.Option("--format")] = ListFormat.text,
    today: Annotated[
        Optional[str], typer.Option("--today", help="The date for review and staleness checks, e.g. 2027-01-31.")
    ] = None,
    flows_dir: FlowsDir = None,
) -> None:
    """Lint flow files: the schema, then the graph. Exit 0 clean, 1 findings, 2 a file cannot be read."""
    import datetime as dt

    from decision_trees.loading import bundled_flows_dir, validate_paths
    from decision_trees.validation import RULES

    try:
        day = dt.date.fromisoformat(today) if today else dt.date.today()
    except ValueError:
        raise UsageError(f"--today {today!r} is not a date; use YYYY-MM-DD") from None
    targets = paths or [flows_dir or bundled_flows_dir()]
    findings, read = validate_paths(targets, day)
    if fmt is ListFormat.json:
        _json(
            {
                "files": read,
                "findings": [
                    {
                        "file": f.file,
                        "line": f.line,
                        "node": f.node,
                        "rule": f.rule,
                        "severity": f.severity,
                        "message": f.message,
                    }
                    for f in findings
                ],
                "rules": {rule: {"severity": sev, "meaning": meaning} for rule, (sev, meaning) in RULES.items()},
            }
        )
    else:
        for finding in findings:
            sys.stdout.write(finding.describe() + "\n")
        errors = sum(f.severity == "error" for f in findings)
        summary = f"{len(findings)} finding(s), {errors} error(s), in {read} file(s)" if findings else "no findings"
        typer.echo(f"{summary} ({read} file(s) read)" if not findings else summary, err=True)
    if any(f.rule == "unreadable" for f in findings):
        raise typer.Exit(2)
    if findings:
        raise typer.Exit(1)


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which file format.")] = SchemaKind.flow,
) -> None:
    """Print the JSON Schema of flow files (or of the contacts file), generated from the models."""
    from decision_trees.models import flow_schema

    sys.stdout.write(flow_schema(kind.value))


@app.command()
def export(
    flow: FlowName,
    fmt: Annotated[DiagramFormat, typer.Option("--format", help="Diagram language.")] = DiagramFormat.mermaid,
    highlight: Annotated[
        Optional[str], typer.Option("--highlight", help='Mark the route these answers take, e.g. "yes,no".')
    ] = None,
    flows_dir: FlowsDir = None,
) -> None:
    """Export a flow as a Mermaid or Graphviz DOT diagram."""
    from decision_trees.diagram import to_dot, to_mermaid
    from decision_trees.routes import trace

    chosen = _library(flows_dir).find(flow)
    route = trace(chosen, _feed(highlight, None, None)) if highlight else None
    sys.stdout.write(to_mermaid(chosen, route) if fmt is DiagramFormat.mermaid else to_dot(chosen, route))


@app.command()
def paths(
    flow: FlowName,
    fmt: Annotated[ListFormat, typer.Option("--format")] = ListFormat.text,
    limit: Annotated[int, typer.Option("--limit", min=1, help="List at most this many routes.")] = 1000,
    flows_dir: FlowsDir = None,
) -> None:
    """Every route from the start to an end, with its outcome."""
    from decision_trees.routes import all_routes, count_routes

    chosen = _library(flows_dir).find(flow)
    routes = all_routes(chosen, limit)
    total = count_routes(chosen)
    if total > len(routes):
        typer.echo(
            f"decision-trees: {chosen.id} has {total:,} routes; showing the first {len(routes):,} (--limit)", err=True
        )
    if fmt is ListFormat.json:
        _json(
            [
                {
                    "answers": r.answers,
                    "answers_option": r.answers_option,
                    "nodes": r.nodes,
                    "outcome": {"node": r.end, "ref": r.ref, "title": r.title},
                }
                for r in routes
            ]
        )
        return
    from decision_trees.terminal import routes_table, show

    show(routes_table(chosen, routes))


@app.command("test")
def run_scenario_tests(
    files: Annotated[list[Path], typer.Argument(help="Scenario files (YAML).", exists=False)],
    fmt: Annotated[ListFormat, typer.Option("--format")] = ListFormat.text,
    require_coverage: Annotated[
        bool, typer.Option("--require-coverage", help="Fail unless every node and edge was covered.")
    ] = False,
    now: Now = None,
    flows_dir: FlowsDir = None,
) -> None:
    """Run scenario files: answers in, expected outcome, actions, contacts and deadlines out."""
    import datetime as dt

    from decision_trees.scenarios import load_scenarios, merge_coverage, run_scenarios

    library = _library(flows_dir)
    calendar = library.calendar()
    default_now = _fixed_now(now, calendar.tz) or dt.datetime.now(calendar.tz)
    results, coverage = [], []
    for file in files:
        found, covered = run_scenarios(library, load_scenarios(file), calendar, default_now)
        results += found
        coverage += covered
    merged = merge_coverage(coverage)
    failed = [r for r in results if not r.passed]
    gaps = [c for c in merged if c.missed_edges or c.missed_nodes]
    if fmt is ListFormat.json:
        _json({"results": results, "coverage": merged, "passed": len(results) - len(failed), "failed": len(failed)})
    else:
        for result in results:
            mark = "PASS" if result.passed else "FAIL"
            sys.stdout.write(f"{mark} {result.flow}: {result.name}\n")
            for problem in result.problems:
                sys.stdout.write(f"     {problem}\n")
        for cover in merged:
            total_nodes = len(cover.nodes) + len(cover.missed_nodes)
            total_edges = len(cover.edges) + len(cover.missed_edges)
            sys.stdout.write(
                f"coverage {cover.flow}: {len(cover.nodes)}/{total_nodes} nodes, "
                f"{len(cover.edges)}/{total_edges} edges\n"
            )
            for edge in cover.missed_edges:
                sys.stdout.write(f"     not covered: {edge}\n")
        sys.stdout.write(f"{len(results) - len(failed)} passed, {len(failed)} failed\n")
    if failed or (require_coverage and gaps):
        raise typer.Exit(1)


@app.command()
def batch(
    flow: FlowName,
    cases: Annotated[Path, typer.Argument(help='JSON lines: {"case_ref": "C1", "answers": "yes,no"}; - for stdin.')],
    now: Now = None,
    flows_dir: FlowsDir = None,
) -> None:
    """Walk many answer sets in one process: one JSON result a line on stdout, in input order."""
    import datetime as dt

    from decision_trees.batch import bounded_lines, run_batch

    library = _library(flows_dir)
    chosen = library.find(flow)
    calendar = library.calendar()
    clock = _fixed_now(now, calendar.tz) or dt.datetime.now(calendar.tz)
    if str(cases) == "-":
        source = sys.stdin.buffer
    else:
        try:
            source = cases.open("rb")
        except OSError as exc:
            raise UsageError(f"cannot read {cases}: {exc.strerror}") from None
    failed = 0
    with source:
        lines = bounded_lines(source) if not sys.stderr.isatty() else _with_progress(bounded_lines(source), cases)
        out = sys.stdout.buffer
        for data, ok in run_batch(chosen, library.directory, calendar, clock, lines):
            out.write(data)
            failed += not ok
    out.flush()
    if failed:
        typer.echo(f'decision-trees: {failed} case(s) failed; see the lines with "error"', err=True)
        raise typer.Exit(1)


def _with_progress(lines: Any, cases: Path) -> Any:
    """Yield the lines while a progress bar on stderr shows how much of the file is done (stderr a terminal)."""
    import os

    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    total = None
    if str(cases) != "-":
        try:
            total = os.path.getsize(cases)
        except OSError:
            total = None
    with Progress(
        TextColumn("walking cases"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),  # stdout carries the results
        transient=True,
    ) as progress:
        task = progress.add_task("cases", total=total)
        for line in lines:
            progress.update(task, advance=len(line))
            yield line


@app.command("compile")
def compile_flows(
    directory: Annotated[
        Optional[Path], typer.Argument(help="The flows directory (default: --flows-dir or the bundled one).")
    ] = None,
    flows_dir: FlowsDir = None,
) -> None:
    """Check a flows directory and write its compiled form, so that walks need no YAML parser."""
    from decision_trees.compiled import COMPILED_FILE, compile_library
    from decision_trees.files import write_private
    from decision_trees.loading import bundled_flows_dir

    root = directory or flows_dir or bundled_flows_dir()
    if not root.is_dir():
        raise UsageError(f"flows directory {str(root)!r} does not exist")
    write_private(root / COMPILED_FILE, compile_library(root), force=True, mode=0o644)  # data to share
    typer.echo(f"wrote {root / COMPILED_FILE}", err=True)


@app.command()
def forget(
    flow: Annotated[Optional[str], typer.Argument(help="Forget only this flow's saved walk.")] = None,
    flows_dir: FlowsDir = None,
) -> None:
    """Delete the saved answers of interrupted walks (all of them, or one flow's)."""
    from decision_trees.files import forget as forget_saved
    from decision_trees.files import state_dir

    flow_id = _library(flows_dir).find(flow).id if flow else None
    deleted = forget_saved(flow_id)
    typer.echo(f"deleted {len(deleted)} saved walk(s) from {state_dir()}", err=True)


@app.command("guidance")
def show_guidance(
    guidance_id: Annotated[
        Optional[str], typer.Argument(help="A guidance id, e.g. appendix-5. Omit to list them.")
    ] = None,
    flows_dir: FlowsDir = None,
) -> None:
    """Show the protocol's decision aids (section 10, Appendices 1, 2 and 5, sections 13-15)."""
    book = _library(flows_dir).guidance
    from decision_trees.terminal import guidance_table, literal, show

    if guidance_id is None:
        from rich.console import Group

        show(
            Group(
                *(literal(f"{key:<12} {table.title} (section {table.section})") for key, table in book.guidance.items())
            )
        )
        return
    if guidance_id not in book.guidance:
        raise UsageError(f"no guidance called {guidance_id!r}; choose one of: {', '.join(book.guidance)}")
    show(guidance_table(book.guidance[guidance_id]))


@app.command()
def indicators(
    flow: FlowName,
    fmt: Annotated[ListFormat, typer.Option("--format")] = ListFormat.text,
    flows_dir: FlowsDir = None,
) -> None:
    """List the indicators a flow's questions offer, with the ids that --indicator takes."""
    from decision_trees.guidance import indicators_for
    from decision_trees.models import Question

    library = _library(flows_dir)
    chosen = library.find(flow)
    rows = [
        {"node": node_id, "id": i.id, "level": i.level, "text": i.text, "source": i.source}
        for node_id, node in chosen.nodes.items()
        if isinstance(node, Question)
        for i in indicators_for(node, library.guidance)
    ]
    if fmt is ListFormat.json:
        _json(rows)
        return
    for row in rows:
        sys.stdout.write(f"{row['id']:<32} {row['level']:<18} {row['text']}\n")


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


def _command_name(info: Any) -> str:
    return str(info.name or info.callback.__name__.replace("_", "-"))


def main() -> None:
    # Typer turns every registered command into a click command on each run (signatures, type
    # hints, parameters): a cost paid 14 times for the one command run. When the command is known,
    # register just that one; --help, a mistyped command and the tests (which call `app`) see all.
    first = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)
    if first is not None and first in {_command_name(info) for info in app.registered_commands}:
        app.registered_commands = [info for info in app.registered_commands if _command_name(info) == first]
    app()
