"""Resident memory of a server and everything it started, read from /proc."""

from __future__ import annotations

from pathlib import Path
from typing import List

from bids_partner.stack.processes import ManagedProcess


def descendants(pid: int) -> List[int]:
    """The process and all its descendants, from /proc's children lists."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                pending += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass  # the task ended meanwhile
    return found


def rss_mib(process: ManagedProcess) -> float:
    """Resident memory of the process and all its descendants, in MiB."""
    assert process.process is not None
    total_kib = 0
    for pid in descendants(process.process.pid):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total_kib += int(line.split()[1])
    return total_kib / 1024
