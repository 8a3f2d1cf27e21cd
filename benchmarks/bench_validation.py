"""Validation cost of a case with many overlapping full-time career lines.

Every line overlaps every other (the worst case for the overlap check). Before the
check became one sweep, 2,000 such lines took 13 s and 1.1 GB (n²/2 warnings); now the
work is O(n log n) and the messages bounded (100 listed, then one line counting the
rest). Run: ``python benchmarks/bench_validation.py [N ...]``; prints seconds, peak
resident memory of a fresh process and the number of messages.
"""
from __future__ import annotations

import json
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
from art60kit.caseio import case_from_dict
n = int(sys.argv[1])
lines = [{"kind": "work", "start": "2020-01-01", "end": "2024-12-31", "employer": f"E{i}"} for i in range(n)]
d = {"person": {"birth_date": "1980-01-01"}, "contract": {"start": "2025-09-01"}, "career": lines}
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
c = case_from_dict(d)
dt = time.perf_counter() - t
print(json.dumps({"lines": n, "seconds": round(dt, 2), "messages": len(c.warnings),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "rss_before_mb": round(base / 1024, 1)}))
"""


def main(sizes=(2_000, 10_000, 100_000)) -> None:
    for n in sizes:
        out = subprocess.run([sys.executable, "-c", CHILD, str(n)], capture_output=True, text=True, check=True)
        print(out.stdout.strip())


if __name__ == "__main__":
    main([int(x) for x in sys.argv[1:]] or (2_000, 10_000, 100_000))
