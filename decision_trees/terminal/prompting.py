"""What the walk asks of a prompter, whichever draws it: the arrow-key widgets (`prompts`) or plain
numbered lines (`lineprompts`). The sentinels a prompter may answer with sit beside the protocol."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

BACK = "\x00back"  # go back to the previous question
DONE = "\x00done"  # an action box noted
GUIDE = "\x00guide:"  # show a guidance table (its id follows), then ask again
TICK = "\x00tick"  # tick indicators, then ask again


class Prompter(Protocol):
    def choose(
        self,
        message: str,
        labels: list[str],
        *,
        default: str | None,
        allow_back: bool,
        instruction: str,
        extras: list[tuple[str, str]] | None = None,
        search: bool = False,
    ) -> str: ...

    def confirm_action(self, message: str, *, allow_back: bool) -> str: ...

    def tick(
        self,
        message: str,
        items: list[tuple[str, str]],
        *,
        ticked: list[str],
        groups: list[str] | None = None,
        tally: Callable[[list[str]], str] | None = None,
    ) -> list[str]:
        """The values ticked of `items` (title, value); `groups` gives each item's heading, in order;
        `tally` says, for the values ticked so far, what they add up to by level."""
        ...

    def pause(self) -> None:
        """Wait until the user has read what is shown (a key, or Enter), then go back to the question."""
        ...
