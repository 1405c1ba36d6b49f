"""Run every ``benchmarks/bench_*.py`` (or the ones named) and print their figures.

    python -m benchmarks              all of them
    python -m benchmarks shapes csv   only bench_shapes.py and bench_csv_import.py
"""

import importlib
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    names = sorted(p.stem for p in here.glob("bench_*.py"))
    if argv:
        names = [n for n in names if any(n == f"bench_{a}" or n.startswith(f"bench_{a}") for a in argv)]
    failed = 0
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        try:
            importlib.import_module(f"benchmarks.{name}").main()
        except Exception as exc:  # one broken benchmark should not hide the others' figures
            failed += 1
            print(f"{name} failed: {type(exc).__name__}: {exc}")
        print(f"({name} took {time.perf_counter() - started:.1f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
