"""Start-up cost of the CLI against `python -c "import typer"`, measured in one run.

Run: uv run python benchmarks/startup.py [--runs N] [--instructions]
Each command is run N times (default 20) in this environment, interleaved so that machine noise
falls on all alike; the table gives the median and the ratio to the typer baseline. Then the time
from starting an interactive walk at a (pseudo-)terminal to its first question on screen.
--instructions also counts the instructions each command executes, once, under valgrind (if it is
installed): a steady figure where wall time on a shared machine is not, and the one the budget is
judged by where valgrind exists.

The budget (DEVELOPERS.md, issue 14), with no imports of private modules and no hand-made copy of
the standard library:
- the scripted JSON walk at most 1.5 x `python -c "import typer"`;
- `decision-trees --help` at most 1.2 x;
- the first interactive question on screen within 0.35 s;
- `batch` at 20,000 cases a second or more, in one process (benchmarks/throughput.py).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time

EXE = shutil.which("decision-trees") or "decision-trees"
WALK = [EXE, "walk", "appendix-4", "--answers", "yes,no,yes,high", "--now", "2026-11-23T14:30"]
COMMANDS = {
    "python -c 'import typer' (baseline)": [sys.executable, "-c", "import typer"],
    "python -c 'pass'": [sys.executable, "-c", "pass"],
    "decision-trees --help": [EXE, "--help"],
    "walk appendix-4 --format json (scripted)": [*WALK, "--format", "json"],
    "walk appendix-4 --format text (rich)": WALK,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--instructions", action="store_true", help="also count instructions with valgrind")
    options = parser.parse_args()
    runs = options.runs
    # Installed packages carry compiled bytecode; measure as they run, after a warm-up that writes it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    cpu: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for run in range(runs + 2):
        for name, command in COMMANDS.items():
            start, used = time.perf_counter(), _children_cpu()
            subprocess.run(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                stdin=subprocess.DEVNULL,
                check=True,
                env=env,
            )
            if run >= 2:
                times[name].append(time.perf_counter() - start)
                cpu[name].append(_children_cpu() - used)
    baseline = statistics.median(next(iter(times.values())))
    cpu_baseline = statistics.median(next(iter(cpu.values())))
    print(f"{'command':<45} {'median ms':>10} {'x typer':>8} {'cpu ms':>8} {'x typer':>8}")
    for name, samples in times.items():
        median, cpu_median = statistics.median(samples), statistics.median(cpu[name])
        print(
            f"{name:<45} {median * 1000:>10.1f} {median / baseline:>8.2f} "
            f"{cpu_median * 1000:>8.1f} {cpu_median / cpu_baseline:>8.2f}"
        )
    first = [_first_question(env) for _ in range(max(3, runs // 4))]
    print(f"\nfirst interactive question on screen: median {statistics.median(first):.3f} s (budget 0.35 s)")
    if options.instructions:
        counts = {name: _instructions(command, env) for name, command in COMMANDS.items()}
        baseline_count = next(iter(counts.values()))
        print(f"\n{'command':<45} {'instructions':>14} {'x typer':>8}")
        for name, count in counts.items():
            print(f"{name:<45} {count / 1e6:>13.1f}M {count / baseline_count:>8.2f}")


def _instructions(command: list[str], env: dict[str, str]) -> int:
    """Instructions the command executes (valgrind's callgrind), start to exit."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        sys.exit("--instructions needs valgrind (for example: apt-get install valgrind)")
    done = subprocess.run(
        [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        stdout=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
        env=env,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        sys.exit(f"valgrind gave no instruction count for {command[0]}: {done.stderr.strip()[-200:]}")
    return int(found[1])


def _first_question(env: dict[str, str]) -> float:
    """Seconds from starting `decision-trees walk appendix-4` at a pseudo-terminal to its first question."""
    import tempfile

    import pexpect  # a development dependency

    state = tempfile.mkdtemp()  # no saved walk to offer, and none left behind in the real one
    walk_env = {**env, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1", "DECISION_TREES_STATE_DIR": state}
    start = time.perf_counter()
    child = pexpect.spawn(EXE, ["walk", "appendix-4"], env=walk_env, encoding="utf-8", dimensions=(40, 100), timeout=10)
    child.expect("Does the service user have a child")
    seconds = time.perf_counter() - start
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    return seconds


def _children_cpu() -> float:
    """CPU time (user and system) of finished child processes: steadier than wall time on a busy machine."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
