"""A broken content file stops the action server at start, naming file and field."""

import shutil
from pathlib import Path
from typing import Callable

import pytest
import yaml

from bids_partner.coaching.loader import CONTENT_DIR, SCENARIOS_DIR
from bids_partner.stack.processes import StartupError
from bids_partner.stack.stack import Stack, scratch_config

pytestmark = pytest.mark.stack


def refused_with(
    tmp_path: Path, source: Path, env_var: str, file: str, breaks: Callable
) -> str:
    """Starts the action server on a copy of `source` with `file` broken; the log."""
    copy = tmp_path / source.name
    shutil.copytree(source, copy)
    data = yaml.safe_load((copy / file).read_text())
    breaks(data)
    (copy / file).write_text(yaml.safe_dump(data))
    actions = Stack(scratch_config(tmp_path, {env_var: str(copy)})).actions
    actions.start()
    try:
        with pytest.raises(StartupError, match="exited"):
            actions.wait_until_ready(60)
    finally:
        actions.stop()
    return (tmp_path / "actions.log").read_text()


def test_action_server_refuses_a_broken_content_file(tmp_path: Path) -> None:
    log = refused_with(
        tmp_path,
        CONTENT_DIR,
        "COACHING_CONTENT_DIR",
        "coaching.yml",
        lambda data: data["showing_up"].pop("seed_idea"),
    )
    assert "coaching.yml" in log and "seed_idea" in log


def test_action_server_refuses_a_broken_scenario(tmp_path: Path) -> None:
    log = refused_with(
        tmp_path,
        SCENARIOS_DIR,
        "REHEARSAL_SCENARIOS_DIR",
        "sunset.yml",
        lambda data: data["replies"].pop("against"),
    )
    assert "sunset.yml" in log and "against" in log
