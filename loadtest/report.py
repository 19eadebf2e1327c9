"""Load-test tool: print the figures of a Locust run beside their floor (``/healthz``).

Usage: ``python loadtest/report.py var/loadtest``. Reads Locust's ``run_stats.csv``, the
failures the locustfile kept (``failures.jsonl``) and, after a fault, ``fault.json``.
"""

from __future__ import annotations

import csv
import json
import re
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

FLOOR = "/healthz (floor)"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ACCESS = re.compile(r'"(\w+) (\S+) HTTP/[\d.]+" (\d+) \S+ (\d+)ms$')


def p95(values: list[int]) -> int:
    if len(values) < 2:
        return values[0] if values else 0
    return round(statistics.quantiles(values, n=20, method="inclusive")[-1])


def server_times(folder: Path) -> None:
    """Time spent inside gunicorn per route (the access log's %(M)s): the work without the
    queue in front of the workers, which Locust's times include."""
    log = folder / "access.log"
    if not log.exists():
        return
    times: dict[str, list[int]] = defaultdict(list)
    for line in log.read_text(encoding="utf-8").splitlines():
        found = ACCESS.search(line)
        if found:
            method, path, _status, ms = found.groups()
            times[f"{method} {UUID.sub('<id>', path)}"].append(int(ms))
    floor = times.get("GET /healthz", [])
    print(f"\nserver time per route (access log), floor GET /healthz p95 {p95(floor)} ms")
    print(f"{'route':<52}{'requests':>9}{'p50 ms':>8}{'p95 ms':>8}")
    for route, values in sorted(times.items(), key=lambda kv: -p95(kv[1])):
        print(
            f"{route[:52]:<52}{len(values):>9}{round(statistics.median(values)):>8}{p95(values):>8}"
        )


def main(folder: Path) -> None:
    rows = list(csv.DictReader((folder / "run_stats.csv").open(encoding="utf-8")))
    pages = [r for r in rows if r["Name"] not in ("Aggregated", FLOOR)]
    floor = next((r for r in rows if r["Name"] == FLOOR), None)
    total = next(r for r in rows if r["Name"] == "Aggregated")
    floor_p95 = float(floor["95%"]) if floor else 0.0
    print(f"{'page':<24}{'requests':>9}{'failed':>8}{'p50 ms':>8}{'p95 ms':>8}{'floor p95':>10}")
    for r in sorted(pages, key=lambda r: -float(r["95%"])):
        print(
            f"{r['Name']:<24}{r['Request Count']:>9}{r['Failure Count']:>8}"
            f"{r['50%']:>8}{r['95%']:>8}{floor_p95:>10.0f}"
        )
    if floor:
        print(
            f"{FLOOR:<24}{floor['Request Count']:>9}{floor['Failure Count']:>8}"
            f"{floor['50%']:>8}{floor['95%']:>8}{'(floor)':>10}"
        )
    requests, failed = int(total["Request Count"]), int(total["Failure Count"])
    print(
        f"all requests: {requests}, failed: {failed}, error rate {failed / max(requests, 1):.2%}, "
        f"{float(total['Requests/s']):.1f} requests/s, p95 {total['95%']} ms"
    )

    failures_file = folder / "failures.jsonl"
    failures = (
        [json.loads(line) for line in failures_file.read_text().splitlines()]
        if failures_file.exists()
        else []
    )
    leaks = [f for f in failures if "traceback-leak" in f["error"]]
    print(f"error pages showing a traceback: {len(leaks)}")
    server_times(folder)
    fault_file = folder / "fault.json"
    if not fault_file.exists():
        return
    fault = json.loads(fault_file.read_text())
    start, end = fault["start"], fault["end"]
    print(f"fault: {fault['fault']} took {end - start:.1f} s")
    if not failures:
        print("no request failed during or after the fault")
        return
    first, last = min(f["at"] for f in failures), max(f["at"] for f in failures)
    print(
        f"failed requests: {len(failures)}, from {first - start:+.1f} s to {last - start:+.1f} s "
        f"after the restart began (it ended at {end - start:+.1f} s)"
    )
    kinds = Counter((f["status"], f["error"].split(",")[0]) for f in failures)
    for (status, error), count in kinds.most_common():
        print(f"  {count:>5} x status {status}: {error}")
    by_page = Counter(f["name"] for f in failures)
    print("  by page: " + ", ".join(f"{name} {count}" for name, count in by_page.most_common()))
    late = [f for f in failures if f["at"] > end + 5]
    print(f"failures more than 5 s after the restart ended: {len(late)}")
    outside = [f for f in failures if not start - 1 <= f["at"] <= end + 5]
    print(
        f"error rate outside the restart window (start - 1 s, end + 5 s): "
        f"{len(outside)}/{requests} = {len(outside) / max(requests, 1):.2%}"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
