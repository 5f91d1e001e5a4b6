"""Files the tool writes when asked: whole or not at all, owner-only, never through a symlink.
Also the resume state of interrupted walks, in the user's state directory."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from decision_trees.core.errors import OutputError, UsageError, option
from decision_trees.words import MESSAGES

STATE_ENV = "DECISION_TREES_STATE_DIR"
POSIX_PERMISSIONS = os.name != "nt"  # Windows has access lists instead; chmod sets only read-only


def refuse_overwrite(path: Path, force: bool) -> None:
    """A `UsageError` if `path` is a folder, or exists and `force` was not given."""
    if path.is_dir():
        raise UsageError(MESSAGES["folder_give_file_name_such"].format(path=path, example=path / "summary.md"))
    if path.exists() and not force:
        raise UsageError(MESSAGES["already_exists_choose_another_file"].format(path=path, option_force=option("force")))


def check_writable(path: Path, force: bool) -> None:
    """A `UsageError` unless `path` can be written: not a symbolic link (even a dangling one), not a
    folder or a device, not an existing file without `force`, in a folder that exists and that this
    user may write to. A walk checks its files with this before the first question."""
    folder = path.parent if str(path.parent) else Path(".")
    longest = _longest_name(folder) - STAGED_EXTRA
    if len(os.fsencode(path.name)) > longest:
        raise UsageError(
            MESSAGES["cannot_write_name_bytes_long"].format(
                path=path, length=len(os.fsencode(path.name)), longest=longest
            )
        )
    if path.is_symlink():
        raise UsageError(MESSAGES["symbolic_link_give_real_path"].format(path=path))
    refuse_overwrite(path, force)
    if path.exists() and not path.is_file():
        raise UsageError(MESSAGES["not_regular_file_give_file"].format(path=path))
    if not folder.is_dir():
        raise UsageError(MESSAGES["cannot_write_folder_does_not"].format(path=path, folder=folder))
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(
            MESSAGES["cannot_write_you_may_not"].format(path=path, folder=path if path.exists() else folder)
        )


STAGED_EXTRA = len(".") + 8 + len(".tmp") + 1  # stage_private's temporary name: "." NAME "." 8 random ".tmp"


def _longest_name(folder: Path) -> int:
    """The longest file name the folder's filesystem takes, in bytes (255 where it does not say)."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # a folder that does not exist; Windows has no pathconf
        return 255


def write_private(path: Path, text: str, *, force: bool, mode: int = 0o600) -> None:
    """Write `text` to `path` atomically (owner-only unless `mode` says otherwise); refuse to
    overwrite unless `force`, and never write through a symbolic link."""
    commit(stage_private(path, text, force=force, mode=mode), path)


def stage_private(path: Path, text: str, *, force: bool, mode: int = 0o600) -> Path:
    """Write `text` whole to a temporary file beside `path`, for `commit` to move into place; an
    `OSError` leaves nothing behind. Checks as `write_private` does."""
    check_writable(path, force)
    folder = path.parent if str(path.parent) else Path(".")
    import tempfile  # only when writing: a scripted walk to stdout should not pay for it

    handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")  # created 0600
    try:
        restrict(Path(temp), mode)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def commit(temp: Path, path: Path) -> None:
    """Move a staged file into place (atomic on the same filesystem)."""
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def restrict(path: Path, mode: int) -> None:
    """Set `path`'s permissions where they mean something. On Windows, chmod can only set the
    read-only flag; the file keeps the access list of its folder (the user's own, by default)."""
    if not POSIX_PERMISSIONS:
        return
    with contextlib.suppress(OSError):  # a filesystem without POSIX permissions (FAT, some shares)
        os.chmod(path, mode)


def state_dir() -> Path:
    """Where interrupted walks are kept: $DECISION_TREES_STATE_DIR, else the platform's user state dir."""
    override = os.environ.get(STATE_ENV)
    if override:
        return Path(override)
    import platformdirs

    return platformdirs.user_state_path("decision-trees")


def resume_file(flow_id: str) -> Path:
    return state_dir() / "resume" / f"{flow_id}.json"


def saved_answers(flow_id: str) -> int | None:
    """How many answers the saved interrupted walk of a flow holds; None when there is none (or it
    cannot be read, which `--resume` then reports)."""
    path = resume_file(flow_id)
    if not path.is_file():
        return None
    import json

    try:
        with path.open("rb") as file:
            data = json.loads(file.read(1 << 20))
        return len(data["answers"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def save_resume(flow_id: str, data: dict[str, object]) -> Path:
    """Keep an interrupted walk's answers (question ids and choices only, never free text)."""
    import json

    path = resume_file(flow_id)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # ignored on Windows, as chmod is
    write_private(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n", force=True)
    return path


def forget(flow_id: str | None = None) -> list[Path]:
    """Delete saved walks: one flow's, or all. Returns the files deleted."""
    folder = state_dir() / "resume"
    targets = [resume_file(flow_id)] if flow_id else sorted(folder.glob("*.json")) if folder.is_dir() else []
    deleted = []
    for target in targets:
        if target.exists():
            try:
                target.unlink()
            except OSError as exc:
                raise OutputError(
                    MESSAGES["cannot_delete_saved_walk_check"].format(
                        target=target, strerror=exc.strerror or exc, parent=target.parent
                    )
                ) from None
            deleted.append(target)
    return deleted


def save_summary(flow_id: str, text: str, suffix: str) -> Path:
    """Keep a summary that could not be shown, so that the advice is not lost."""
    import datetime as dt

    folder = state_dir() / "summaries"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    path = folder / f"{flow_id}-{stamp}{suffix}"
    write_private(path, text, force=True)
    return path
