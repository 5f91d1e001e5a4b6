"""Time and peak memory of the commands that read a whole flow, on generated chains of 1,000, 5,000
and 20,000 questions (issue 32: they must grow linearly with the flow and the output asked for).
Two shapes: `line`, where No ends the walk (N + 1 routes), and `doubling`, where both answers lead on
(2^N routes: only counted, never listed beyond --limit). A benchmark, never a timed test.

    uv run python benchmarks/large_flows.py [QUESTIONS ...]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_chain(folder: Path, length: int, shape: str, name: str = "chain") -> Path:
    """A flows folder holding the bundled contacts and reference data and one generated chain flow."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    for item in ("contacts.yaml", "reference"):
        source = ROOT / "flows" / item
        target = folder / item
        if not target.exists():
            (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    nodes = {}
    for i in range(length):
        after = f"q{i + 1}" if i + 1 < length else "end"
        nodes[f"q{i}"] = {
            "type": "question",
            "text": f"Step {i}?",
            "section": "1",
            "choices": [
                {"label": "Yes", "next": after},
                {"label": "No", "next": after if shape == "doubling" else "end"},
            ],
        }
    nodes["end"] = {"type": "outcome", "ref": "E", "title": "The end", "text": "E", "section": "1",
                    "actions": ["Act (this tool’s advice)."], "contacts": ["contact-service"]}  # fmt: skip
    flow = {"id": name, "title": "A chain", "audience": "Testers", "source": {"document": "d", "part": "p"},
            "version": "1", "reviewed": "2026-11-01", "description": "A generated chain.",
            "advice": {"text": "Ask (this tool’s advice).", "contacts": ["contact-service"]}, "start": "q0",
            "nodes": nodes}  # fmt: skip
    path = folder / f"{name}.yaml"
    path.write_text(json.dumps(flow, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    return path


def measure(args: list[str]) -> tuple[float, float, int]:
    """Seconds, peak MB of the child, exit code."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "decision_trees", *args], capture_output=True, cwd=ROOT, check=False)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak, done.returncode


def main() -> None:
    lengths = [int(a) for a in sys.argv[1:]] or [1_000, 5_000, 20_000]
    print(f"{'questions':>9} {'shape':>8} {'command':>22} {'seconds':>8} {'peak MB':>8} {'exit':>4}")
    with tempfile.TemporaryDirectory() as work:
        for length in lengths:
            for shape in ("line", "doubling"):
                folder = Path(work) / f"{shape}-{length}"
                flow = write_chain(folder, length, shape)
                newer = write_chain(folder / "new", length, shape)
                newer.write_text(newer.read_text(encoding="utf-8").replace("The end", "The new end"), encoding="utf-8")
                for label, args in (
                    ("show", ["show", "chain", "--flows-dir", str(folder)]),
                    ("paths (text)", ["paths", "chain", "--flows-dir", str(folder)]),
                    ("paths (json)", ["paths", "chain", "--format", "json", "--flows-dir", str(folder)]),
                    ("diff --limit 1", ["diff", str(flow), str(newer), "--limit", "1", "--flows-dir", str(folder)]),
                    ("validate", ["validate", str(folder)]),
                ):
                    seconds, peak, code = measure(args)
                    print(f"{length:>9,} {shape:>8} {label:>22} {seconds:>8.2f} {peak:>8.0f} {code:>4}", flush=True)


if __name__ == "__main__":
    main()
