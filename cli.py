"""The decision-trees command line: a thin Typer layer over the decision_trees core."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from decision_trees.errors import DecisionTreesError, UsageError

# The core is imported inside the commands, so that --help costs no more than Typer itself.
if TYPE_CHECKING:
    from decision_trees.loading import Library
    from decision_trees.summary import Summary


class _Group(TyperGroup):
    """Catches the tool's own errors once: one line on stderr, the error's exit code, no traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except DecisionTreesError as exc:
            typer.echo(f"decision-trees: error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None


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


def _library() -> Library:
    from decision_trees.loading import load_library

    return load_library()


def _write(text: str, output: Path | None, force: bool) -> None:
    """Print to stdout, or write `output` whole (via a temporary file) and refuse to overwrite."""
    import os
    import tempfile

    if output is None:
        sys.stdout.write(text)
        return
    if (output.exists() or output.is_symlink()) and not force:
        raise UsageError(f"{output} already exists; choose another file or add --force to overwrite it")
    if output.is_symlink():
        raise UsageError(f"{output} is a symbolic link; give the real path of the file to write")
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"cannot write {output}: folder {folder} does not exist")
    handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temp, output)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _render(summary: Summary, fmt: Format, to_file: bool) -> str:
    from decision_trees import formats

    if fmt is Format.json:
        return formats.to_json(summary)
    if fmt is Format.markdown:
        return formats.to_markdown(summary)
    import io

    from decision_trees.terminal import console, summary_renderable

    if to_file:
        buffer = io.StringIO()
        console(buffer, width=80, colour=False).print(summary_renderable(summary))
        return buffer.getvalue()
    console().print(summary_renderable(summary))
    return ""


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
        Optional[Path], typer.Option("--answers-file", help="YAML or JSON: node id to choice.", dir_okay=False)
    ] = None,
    non_interactive: Annotated[
        bool, typer.Option("--non-interactive", help="Never prompt: a missing answer is an error (exit 2).")
    ] = False,
    fmt: Annotated[Format, typer.Option("--format", help="Summary format.")] = Format.text,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write the summary to FILE.", dir_okay=False)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --output if it exists.")] = False,
    now: Annotated[
        Optional[str],
        typer.Option("--now", help="Fix the clock (UK time unless an offset is given), e.g. 2026-11-23T14:30."),
    ] = None,
) -> None:
    """Walk a flow, one question at a time, and print the action summary."""
    import datetime as dt

    from decision_trees.answers import Feed, parse_answer_options, read_answers_file, split_answers, walk_scripted
    from decision_trees.clock import parse_now
    from decision_trees.summary import summarise

    library = _library()
    calendar = library.calendar()
    ended_at = parse_now(now, calendar.tz) if now else None
    if output is not None and output.exists() and not force:
        raise UsageError(f"{output} already exists; choose another file or add --force to overwrite it")
    ordered = split_answers(answers) if answers else []
    by_node: dict[str, str] = {}
    if answers_file:
        file_ordered, by_node = read_answers_file(answers_file)
        ordered = file_ordered + ordered
    for node_id, choice in parse_answer_options(answer or []).items():
        by_node[node_id] = choice
    feed = Feed(ordered, by_node)
    interactive = not non_interactive and sys.stdin.isatty()

    if flow is None:
        if not interactive:
            names = ", ".join(f.aliases[0] if f.aliases else f.id for f in library.flows.values())
            raise UsageError(f"name the flow to walk; choose one of: {names}")
        from decision_trees import prompts

        flows = list(library.flows.values())
        picked = prompts.choose(
            "Which flow?",
            [f"{f.source.part}: {f.title}" for f in flows],
            default=None,
            allow_back=False,
            instruction="(arrow keys, Enter)",
        )
        chosen = flows[[f"{f.source.part}: {f.title}" for f in flows].index(picked)]
    else:
        chosen = library.find(flow)

    if interactive:
        from decision_trees.interactive import walk_interactively

        finished = walk_interactively(chosen, feed)
    else:
        finished = walk_scripted(chosen, feed)
    ended = ended_at or dt.datetime.now(calendar.tz)
    summary = summarise(chosen, finished, library.directory, calendar, ended)
    _write(_render(summary, fmt, output is not None), output, force)


@app.command("list")
def list_flows(fmt: Annotated[ListFormat, typer.Option("--format")] = ListFormat.text) -> None:
    """List the flows, with title, audience and source."""
    library = _library()
    flows = list(library.flows.values())
    if fmt is ListFormat.json:
        import msgspec

        rows = [
            {
                "id": f.id,
                "aliases": f.aliases,
                "title": f.title,
                "audience": f.audience,
                "source": msgspec.to_builtins(f.source),
                "version": f.version,
                "reviewed": f.reviewed.isoformat(),
            }
            for f in flows
        ]
        sys.stdout.write(msgspec.json.format(msgspec.json.encode(rows).decode(), indent=2) + "\n")
        return
    from decision_trees.terminal import console, flows_table

    console().print(flows_table(flows))


@app.command()
def show(flow: Annotated[str, typer.Argument(help="Flow id or alias, e.g. appendix-4.")]) -> None:
    """Show a whole flow as a tree, for a trainer to talk a room through it."""
    chosen = _library().find(flow)
    from decision_trees.terminal import console, flow_tree, literal

    out = console()
    out.print(flow_tree(chosen))
    out.print(literal(chosen.description, "dim"))


@app.command()
def contacts(fmt: Annotated[ListFormat, typer.Option("--format")] = ListFormat.text) -> None:
    """List every contact, with its source and the date it was last checked."""
    library = _library()
    if fmt is ListFormat.json:
        import msgspec

        sys.stdout.write(msgspec.json.format(msgspec.json.encode(library.directory.contacts).decode(), indent=2) + "\n")
        return
    from decision_trees.terminal import console, contacts_table

    console().print(contacts_table(library.directory))


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


def main() -> None:
    app()
