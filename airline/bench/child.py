"""Run one benchmark stage in a fresh process: its wall time, CPU time and peak RSS, its output echoed live.

Peak RSS comes from `os.wait4` (the child's own rusage), so each stage is measured alone.
"""

import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    """How a child process ended, what it printed last, and what it cost."""

    returncode: int
    last_line: str
    output_tail: str
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float


def run_measured(cmd: list[str], log: Path, echo: Callable[[str], None] | None = None) -> Measured:
    """Run cmd, copying its output to `log` (and to `echo`, line by line, as it comes)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    lines: list[str] = []
    with log.open("w") as sink:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        assert proc.stdout is not None
        for line in proc.stdout:
            sink.write(line)
            lines.append(line.rstrip("\n"))
            del lines[:-200]
            if echo:
                echo(line.rstrip("\n"))
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        returncode=proc.returncode,
        last_line=lines[-1] if lines else "",
        output_tail="\n".join(lines[-40:]),
        seconds=time.perf_counter() - started,
        cpu_seconds=round(usage.ru_utime + usage.ru_stime, 2),
        peak_rss_mb=round(usage.ru_maxrss / 1024, 1),
    )
