"""The end of a walk: the summary shown or written first, then the record, and never lost.

Order and guarantees:
- The summary goes to stdout, or to `--output`. If stdout fails (a full disk, a closed pipe, an
  encoding), the summary is saved in the user state directory and the error says where.
- `--output` and `--record` are written whole to temporary files first and moved into place only
  when both are written: a failure leaves neither behind, and the summary is then shown on stdout.
- A record (which says the walk completed) is written only once the summary was shown or saved.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import msgspec

from decision_trees.core.errors import DecisionTreesError, OutputError, UsageError
from decision_trees.data.files import commit, save_summary, stage_private
from decision_trees.output.consoles import write_json
from decision_trees.words import MESSAGES


class Delivery(msgspec.Struct, frozen=True, kw_only=True):
    summary: str
    as_json: bool
    suffix: str  # for a summary saved because it could not be shown
    output: Path | None
    record: Path | None
    record_text: str | None
    force: bool
    flow_id: str
    extra: list[tuple[Path, str]] = []  # more files written with them: the email draft, the calendar


def show_on_stdout(text: str, as_json: bool) -> str | None:
    """Print `text`; None when it was shown, else why not. After a failure stdout is pointed at the
    null device, so that Python's own flush at exit cannot fail again with a traceback."""

    try:
        if as_json:
            write_json(text)
        else:
            sys.stdout.write(text)
        sys.stdout.flush()
    except (OSError, UnicodeError, ValueError) as exc:
        silence_stdout()
        return getattr(exc, "strerror", None) or str(exc)
    return None


def silence_stdout() -> None:
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file descriptor (a test's capture): nothing will flush at exit


def deliver(job: Delivery) -> None:
    """Show or write the summary, then the record; raise `OutputError` (exit 4) naming what failed
    and where the summary is."""
    saved_in: Path | None = None
    failure: str | None = None
    if job.output is None:
        failure = show_on_stdout(job.summary, job.as_json)
        if failure is not None:
            try:
                saved_in = save_summary(job.flow_id, job.summary, job.suffix)
            except (OSError, DecisionTreesError) as exc:  # a link or a folder the write check refuses
                why = exc.strerror or exc if isinstance(exc, OSError) else exc
                said = _on_stderr(job.summary)  # the last place left: the advice is never lost
                raise OutputError(
                    MESSAGES["delivery_summary_could_not_be_shown"].format(
                        failure=failure,
                        why=why,
                        said=MESSAGES["delivery_written_above"] if said else MESSAGES["delivery_nor_written"],
                    )
                ) from None
    staged: list[tuple[Path, Path]] = []
    targets = [(job.output, job.summary), (job.record, job.record_text), *job.extra]
    if saved_in is None and not any(path is not None and text is not None for path, text in targets):
        return  # shown, and no file to write

    for path, text in targets:
        if path is None or text is None:
            continue
        try:
            staged.append((stage_private(path, text, force=job.force), path))
        except (OSError, UsageError) as exc:  # checked before the walk; changed since (a folder gone)
            for temp, _ in staged:
                temp.unlink(missing_ok=True)
            _fail(job, _reason(exc, path), saved_in)
    for temp, path in staged:
        try:
            commit(temp, path)
        except OSError as exc:
            for later, _ in staged:
                later.unlink(missing_ok=True)
            _fail(job, _reason(exc, path), saved_in)
    if saved_in is not None:
        raise OutputError(MESSAGES["summary_could_not_be_shown"].format(failure=failure, saved_in=saved_in))


def _on_stderr(summary: str) -> bool:
    """Write the summary on stderr; whether that worked."""
    try:
        sys.stderr.write(summary if summary.endswith("\n") else summary + "\n")
        sys.stderr.flush()
    except (OSError, UnicodeError, ValueError):
        return False
    return True


def _reason(exc: OSError | UsageError, path: Path) -> str:
    """What went wrong writing `path`, naming it."""
    if isinstance(exc, OSError):
        return MESSAGES["cannot_write"].format(path=path, strerror=exc.strerror or exc)
    return str(exc)  # the check's own message names the file


def _fail(job: Delivery, reason: str, saved_in: Path | None) -> None:
    others = MESSAGES["no_other_file_was_written"]
    if job.output is not None:
        shown = show_on_stdout(job.summary, job.as_json) is None  # the advice, whatever happened to the files
        where = MESSAGES["shown_above"] if shown else MESSAGES["could_not_be_shown_either"]
        raise OutputError(MESSAGES["summary_was_not_saved_file"].format(reason=reason, others=others, where=where))
    where = MESSAGES["summary_saved"].format(saved_in=saved_in) if saved_in else ""
    raise OutputError(f"{reason}; {others}{where}")
