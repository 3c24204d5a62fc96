"""The peak memory of the process this runs in, read by that process itself.

Not ``ru_maxrss`` from ``wait4``: a child forked from a large parent (the benchmark, with big
decks loaded) is charged the parent's resident memory until it calls exec. ``VmHWM`` in
``/proc/self/status`` counts only since exec. Elsewhere, ``ru_maxrss`` is the fallback.
"""

from __future__ import annotations

import os
import sys

PEAK_FILE = "DRILL_BENCH_PEAK_FILE"
"""Environment variable naming the file ``report`` writes the peak (MB) to."""


def peak_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def report() -> None:
    """Write the peak to ``$DRILL_BENCH_PEAK_FILE`` (registered with ``atexit``)."""
    path = os.environ.get(PEAK_FILE)
    if path:
        with open(path, "w", encoding="ascii") as out:
            out.write(f"{peak_mb():.2f}\n")
