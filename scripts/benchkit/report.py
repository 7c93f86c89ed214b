"""Ratios against the floor and growth against a smaller run; the Markdown table with the targets."""

from __future__ import annotations

from typing import Any

from benchkit.pages import DETAIL, EXPORT, PDF, REPORT

# Issue #13's targets: p95 at most this many times the floor of the same role.
TARGETS = {"list": 4, REPORT: 4, DETAIL: 3, "kinerja-month": 10, "kinerja-year": 20}
MAX_STATEMENTS = {"kinerja-month": 15, "kinerja-year": 15}
GROWTH = 1.15
BATCH_SECONDS = 15


def add_ratios(results: list[dict[str, Any]], previous: dict[str, Any] | None) -> None:
    """× floor (p95 over the role's floor p95) and growth (p95 over the previous run's p95)."""
    floors = {r["role"]: r["p95_ms"] for r in results if r["kind"] == "floor"}
    before = {(r["name"], r["role"]): r for r in (previous or {}).get("pages", [])}
    for r in results:
        r["x_floor"] = round(r["p95_ms"] / floors[r["role"]], 1) if floors.get(r["role"]) else None
        old = before.get((r["name"], r["role"]))
        r["growth"] = round(r["p95_ms"] / old["p95_ms"], 2) if old and old["p95_ms"] else None
        r["verdict"] = _verdict(r)


def _verdict(r: dict[str, Any]) -> str:
    misses = []
    target = TARGETS.get(r["kind"])
    if target and r["x_floor"] is not None and r["x_floor"] > target:
        misses.append(f"> {target}× floor")
    if r["kind"] == PDF and r["p50_ms"] > 150:
        misses.append("PDF p50 > 150 ms")
    if r["kind"] not in ("floor", PDF, EXPORT) and r["statements"] > MAX_STATEMENTS.get(r["kind"], 8):
        misses.append(f"> {MAX_STATEMENTS.get(r['kind'], 8)} statements")
    if r["growth"] is not None and r["growth"] > GROWTH and r["kind"] != "floor":
        misses.append(f"growth > {GROWTH}")
    if set(r["statuses"]) != {"200"}:
        misses.append(f"status {','.join(r['statuses'])}")
    return "; ".join(misses) or "ok"


def markdown(report: dict[str, Any]) -> str:
    """The run as a Markdown table, with its machine and data."""
    m = report["machine"]
    data = ", ".join(f"{table} {count:,}" for table, count in report["data"].items())
    lines = [
        f"Run {report['date']} on {m['cores']} cores ({m['cpu']}), PostgreSQL {m['postgresql']}"
        f" ({', '.join(f'{k} {v}' for k, v in m['settings'].items())}); load average at start"
        f" {', '.join(f'{x:.1f}' for x in m['load_average'])}.",
        "",
        f"Data: {data}.",
        "",
        "| page | role | n | p50 ms | p95 ms | × floor (p95) | SQL | growth p95 | target |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in report["pages"]:
        growth = f"{r['growth']:.2f}" if r["growth"] is not None else "–"
        x_floor = f"{r['x_floor']:.1f}" if r["x_floor"] is not None else "–"
        lines.append(
            f"| {r['name']} | {r['role']} | {r['n']} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {x_floor} |"
            f" {r['statements']} | {growth} | {r['verdict']} |"
        )
    if report.get("batch"):
        b = report["batch"]
        verdict = "ok" if b["seconds"] <= BATCH_SECONDS and set(b["statuses"]) == {"200"} else "over target"
        lines += ["", f"Permit letters in a batch: {b['letters']} in {b['seconds']:.1f} s ({verdict};"
                  f" target {BATCH_SECONDS} s for 100; statuses {b['statuses']})."]  # fmt: skip
    return "\n".join(lines) + "\n"
