"""How a scripted walk's time grows with the route's length: it should double, not quadruple, when the
route doubles (issue 16: a 100,000-step route once took 546 s). A benchmark, never a timed test.

    uv run python benchmarks/long_walk.py [STEPS ...]
"""

from __future__ import annotations

import sys
import time

sys.path.insert(0, ".")

from decision_trees.core.answers import Feed, walk_scripted
from decision_trees.core.routing import all_routes, count_routes
from tests.test_adversarial import chain


def main() -> None:
    lengths = [int(a) for a in sys.argv[1:]] or [25_000, 50_000, 100_000, 200_000]
    print(f"{'steps':>9} {'build s':>9} {'walk s':>9} {'paths s':>9}  per step (walk)")
    for length in lengths:
        start = time.perf_counter()
        flow = chain(length)
        built = time.perf_counter()
        walk = walk_scripted(flow, Feed(["yes"] * length))
        walked = time.perf_counter()
        assert walk.length == length
        count_routes(flow)
        all_routes(flow, 10)
        listed = time.perf_counter()
        print(
            f"{length:>9,} {built - start:>9.2f} {walked - built:>9.2f} {listed - walked:>9.2f}  "
            f"{(walked - built) / length * 1e6:.1f} µs"
        )


if __name__ == "__main__":
    main()
