"""The benchmark of issue #13 (`make bench`): generate national-scale data, measure every staff
page under gunicorn, and a load run. PostgreSQL only; the database is named by BENCH_DATABASE_URL.

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bapas_bench_full \\
        .venv/bin/python scripts/bench.py generate              # 1,000,000 clients (--scale N: fewer)
    .venv/bin/python scripts/bench.py measure --out docs/bench-full   # writes .json and .md
    .venv/bin/python scripts/bench.py measure --previous docs/bench-10k.json --out docs/bench-full
    .venv/bin/python scripts/bench.py load                      # 60 s, 50 concurrent sessions
    .venv/bin/python scripts/bench.py nightly                   # the daily job, first night of a month

`generate` DESTROYS the database it is given.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url", default=os.environ.get("BENCH_DATABASE_URL"), help="default: BENCH_DATABASE_URL"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="(re)build the benchmark database")
    gen.add_argument("--scale", type=int, default=1_000_000, help="number of clients (default 1,000,000)")
    meas = sub.add_parser("measure", help="time every staff page under gunicorn")
    meas.add_argument("--warmup", type=int, default=20)
    meas.add_argument("--requests", type=int, default=200)
    meas.add_argument(
        "--cap", type=float, default=60.0, help="seconds per page at most (then fewer requests)"
    )
    meas.add_argument("--previous", help="JSON of a small-scale run, for the growth column")
    meas.add_argument("--out", default="bench-result", help="writes OUT.json and OUT.md")
    meas.add_argument("--only", help="measure only pages whose name contains this")
    load = sub.add_parser("load", help="concurrent sessions mixing reads and writes")
    load.add_argument("--seconds", type=float, default=60.0)
    load.add_argument("--sessions", type=int, default=50)
    load.add_argument("--think", type=float, default=0.0, help="seconds a session reads before a click")
    load.add_argument("--out", help="also write OUT.json")
    why = sub.add_parser("explain", help="one page in-process: its statements and the slowest one's plan")
    why.add_argument("--role", default="Kepala", help="Kepala, Kasubsi, PK, TU or Pengaduan")
    why.add_argument("--rank", type=int, default=1, help="explain the n-th slowest statement")
    why.add_argument("path", help="e.g. /clientview/list/")
    night = sub.add_parser("nightly", help="the daily job on next month's first night, twice (changes data)")
    night.add_argument("--out", help="also write OUT.json")
    args = parser.parse_args(argv)
    if not args.url or not args.url.startswith("postgresql"):
        parser.error("set BENCH_DATABASE_URL (or --url) to a PostgreSQL database of your own")
    if args.command == "generate":
        from benchkit.generate import generate

        generate(args.url, args.scale)
        return 0
    if args.command == "measure":
        from benchkit.measure import run

        return run(args)
    if args.command == "explain":
        from benchkit.explain import run as explain

        return explain(args)
    if args.command == "nightly":
        from benchkit.nightly import run as nightly

        return nightly(args)
    from benchkit.load import run as run_load

    return run_load(args)


if __name__ == "__main__":
    sys.exit(main())
