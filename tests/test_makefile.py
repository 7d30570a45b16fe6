"""`make` alone lists every target with its one line."""

from __future__ import annotations

import re
import subprocess

from bids_partner.settings import ROOT


def test_make_without_a_target_lists_every_target() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"(?m)^([a-z0-9-]+):", makefile)
    listed = subprocess.run(
        ["make", "--no-print-directory"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    shown = re.findall(r"(?m)^  make (\S+) +\S", listed.stdout)
    assert targets and sorted(shown) == sorted(targets)
