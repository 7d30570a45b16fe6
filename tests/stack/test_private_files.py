"""What the stack and the export write is readable by its owner only."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from bids_partner.private_files import private_dir, private_write_bytes
from bids_partner.stack.processes import ManagedProcess


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_started_process_logs_and_creates_files_for_its_owner_only(
    tmp_path: Path,
) -> None:
    old_umask = os.umask(0o022)  # the usual default: files world-readable
    try:
        process = ManagedProcess(
            name="writer",
            command=[sys.executable, "-c", "open('tracker.db', 'w').write('x')"],
            ready_url="http://127.0.0.1:9/unused",
            log_path=tmp_path / "logs" / "writer.log",
            cwd=tmp_path,
        )
        process.start()
        assert process.process is not None and process.process.wait(timeout=60) == 0
    finally:
        os.umask(old_umask)
    assert mode(tmp_path / "tracker.db") == 0o600
    assert mode(tmp_path / "logs" / "writer.log") == 0o600
    assert mode(tmp_path / "logs") == 0o700


def test_private_files_narrow_what_existed_wider(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir(mode=0o755)
    (folder / "a.jsonl").write_text("old")
    (folder / "a.jsonl").chmod(0o644)
    private_dir(folder)
    private_write_bytes(folder / "a.jsonl", b"new")
    assert mode(folder) == 0o700 and mode(folder / "a.jsonl") == 0o600
    assert (folder / "a.jsonl").read_bytes() == b"new"
