"""Batch throughput and validate on large generated flows, measured in one run.

Run: uv run python benchmarks/throughput.py
Budgets (issue 5): batch at least 20,000 cases a second on Appendix 4 (JSON lines in and out);
validate on a 10,000-node flow in under a second, growing linearly (20,000 nodes about twice).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = shutil.which("decision-trees") or "decision-trees"
ROUTES = [
    "yes,yes",
    "yes,no,no",
    "yes,no,yes,low",
    "yes,no,yes,medium",
    "yes,no,yes,high",
    "no,yes,yes",
    "no,no,yes",
    "no,no,no",
    "no,yes,no,yes,high",
    {"has-child": "no", "other-children": "no", "pregnant": "no"},
]


# Installed packages carry compiled bytecode; measure as they run (startup.py does the same).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], codes: tuple[int, ...] = (0,)) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    if done.returncode not in codes:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}")
    return time.perf_counter() - start


def batch(folder: Path, count: int) -> float:
    rng = random.Random(1)
    cases = folder / "cases.jsonl"
    with cases.open("w", encoding="utf-8") as out:
        for number in range(count):
            out.write(json.dumps({"case_ref": f"C{number}", "answers": rng.choice(ROUTES)}) + "\n")
    seconds = timed([EXE, "batch", "appendix-4", str(cases), "--now", "2026-11-23T14:30"])
    return count / seconds


def big_flow(folder: Path, nodes: int) -> Path:
    """A flows directory holding one generated flow: a chain of questions whose "No" ends the walk."""
    target = folder / f"flows-{nodes}"
    shutil.copytree(ROOT / "flows", target, ignore=shutil.ignore_patterns("*.yaml", "scenarios", "*.compiled.json"))
    shutil.copy(ROOT / "flows" / "contacts.yaml", target / "contacts.yaml")
    lines = [
        "id: big",
        "title: Generated",
        "audience: benchmarks",
        "source: {document: generated, part: all}",
        'version: "1"',
        "reviewed: 2026-11-23",
        "description: generated",
        "advice: {text: ask}",
        "start: q0",
        "nodes:",
    ]
    questions = nodes // 2
    for i in range(questions):
        following = f"q{i + 1}" if i + 1 < questions else "end"
        lines += [
            f"  q{i}:",
            "    type: question",
            f"    text: Question {i}?",
            '    section: "1"',
            "    choices:",
            f'      - {{label: "Yes", next: {following}}}',
            f'      - {{label: "No", next: o{i}}}',
            f"  o{i}:",
            "    type: outcome",
            f"    ref: O-{i}",
            "    title: t",
            "    text: End",
            '    section: "1"',
            "    actions: [act]",
            "    contacts: [contact-service]",
        ]
    lines += [
        "  end:",
        "    type: outcome",
        "    ref: END",
        "    title: t",
        "    text: End",
        '    section: "1"',
        "    actions: [act]",
        "    contacts: []",
    ]
    (target / "big.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        timed([EXE, "--help"])  # warm the bytecode
        print(f"batch, 100,000 cases of appendix-4:     {batch(folder, 100_000):>10,.0f} cases/s")
        for nodes in (10_000, 20_000):
            flows = big_flow(folder, nodes)
            # Exit 1: the bundled contacts were never checked against a current directory (warnings).
            seconds = min(timed([EXE, "validate", str(flows), "--today", "2026-11-23"], (0, 1)) for _ in range(3))
            print(f"validate, generated flow of {nodes:>6,} nodes: {seconds:>10.2f} s")


if __name__ == "__main__":
    sys.exit(main())
