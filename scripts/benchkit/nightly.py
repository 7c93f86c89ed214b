"""`bench.py nightly`: the daily job on the first night of next month, twice, on the benchmark data.

It opens that month's progress reports, the plans due and the follow-ups of missed reports, then
checks the audit trail's chain — what `flask bapas daily` does. The second run the same night must
open nothing. It changes the benchmark database (measure the pages first, or generate again).
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from benchkit.generate import _app


def _first_night() -> datetime:
    from app.timeutil import WIB, today_wib

    first = (today_wib().replace(day=1) + timedelta(days=32)).replace(day=1)
    return datetime(first.year, first.month, first.day, 1, tzinfo=WIB)  # 01:00 WIB, when cron runs it


def run(args: Any) -> int:
    """Run the daily job twice at 01:00 WIB on the first of next month; print and write the timings."""
    from app import audit_chain, timeutil
    from app.extensions import db
    from app.workflow import supervision

    app = _app(args.url)
    night = _first_night()
    runs = []
    with app.app_context():
        statements: list[str] = []
        count = lambda *a: statements.append(a[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", count)
        timeutil.freeze(night)
        try:
            for attempt in ("first", "second"):
                statements.clear()
                began = time.perf_counter()
                opened = supervision.open_due_work(night.date())
                work = time.perf_counter() - began
                chain = audit_chain.check_and_record(db.session)
                db.session.commit()
                runs.append(
                    {
                        "run": attempt,
                        "opened": opened,
                        "due_work_s": round(work, 1),
                        "audit_check_s": round(time.perf_counter() - began - work, 1),
                        "audit_entries": chain.checked,
                        "chain_ok": chain.ok,
                        "statements": len(statements),
                    }
                )
                print(json.dumps(runs[-1]), flush=True)
        finally:
            timeutil.freeze(None)
            event.remove(db.engine, "before_cursor_execute", count)
    if args.out:
        Path(f"{args.out}.json").write_text(
            json.dumps({"night": night.isoformat(), "runs": runs}, indent=1) + "\n"
        )
    second = runs[1]["opened"]
    return 0 if not any(second.values()) and all(r["chain_ok"] for r in runs) else 1
