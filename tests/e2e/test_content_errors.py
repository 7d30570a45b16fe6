"""A broken content file stops the action server at start, naming file and field."""

import shutil
from pathlib import Path

import pytest
import yaml

from assistant_stack.processes import StartupError
from assistant_stack.stack import Stack
from coaching_content.loader import CONTENT_DIR, SCENARIOS_DIR
from tests.e2e.conftest import scratch_config

pytestmark = pytest.mark.e2e


def test_action_server_refuses_a_broken_content_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    coaching = yaml.safe_load((content / "coaching.yml").read_text())
    del coaching["showing_up"]["seed_idea"]
    (content / "coaching.yml").write_text(yaml.safe_dump(coaching))
    actions = Stack(
        scratch_config(tmp_path, {"COACHING_CONTENT_DIR": str(content)})
    ).actions
    actions.start()
    try:
        with pytest.raises(StartupError, match="exited"):
            actions.wait_until_ready(60)
    finally:
        actions.stop()
    log = (tmp_path / "actions.log").read_text()
    assert "coaching.yml" in log and "seed_idea" in log


def test_action_server_refuses_a_broken_scenario(tmp_path: Path) -> None:
    scenarios = tmp_path / "scenarios"
    shutil.copytree(SCENARIOS_DIR, scenarios)
    sunset = yaml.safe_load((scenarios / "sunset.yml").read_text())
    del sunset["replies"]["against"]
    (scenarios / "sunset.yml").write_text(yaml.safe_dump(sunset))
    actions = Stack(
        scratch_config(tmp_path, {"REHEARSAL_SCENARIOS_DIR": str(scenarios)})
    ).actions
    actions.start()
    try:
        with pytest.raises(StartupError, match="exited"):
            actions.wait_until_ready(60)
    finally:
        actions.stop()
    log = (tmp_path / "actions.log").read_text()
    assert "sunset.yml" in log and "against" in log
