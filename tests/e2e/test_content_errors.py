"""A broken content file stops the action server at start, naming file and field."""

import shutil
from pathlib import Path

import pytest
import yaml

from assistant_stack.model import ensure_model
from assistant_stack.processes import StartupError, free_port
from assistant_stack.stack import Stack, StackConfig
from coaching_content.loader import CONTENT_DIR

pytestmark = pytest.mark.e2e


def test_action_server_refuses_a_broken_content_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    coaching = yaml.safe_load((content / "coaching.yml").read_text())
    del coaching["showing_up"]["seed_idea"]
    (content / "coaching.yml").write_text(yaml.safe_dump(coaching))
    config = StackConfig(
        model=ensure_model(),
        rasa_port=free_port(),
        action_port=free_port(),
        web_port=free_port(),
        log_dir=tmp_path,
        env={"COACHING_CONTENT_DIR": str(content)},
    )
    actions = Stack(config).actions
    actions.start()
    try:
        with pytest.raises(StartupError, match="exited"):
            actions.wait_until_ready(60)
    finally:
        actions.stop()
    log = (tmp_path / "actions.log").read_text()
    assert "coaching.yml" in log and "seed_idea" in log
