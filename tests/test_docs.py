"""The docs are executable: every command is documented, and the examples run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from conftest import REPO, Home
from leadtime.cli import app

README = (REPO / "README.md").read_text(encoding="utf-8")
BIN = str(Path(sys.executable).parent)


def commands() -> list[str]:
    group = typer.main.get_command(app)
    names = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            names += [f"{name} {sub}" for sub in subcommands]
        else:
            names.append(name)
    return sorted(names)


@pytest.mark.parametrize("command", commands())
def test_every_command_is_in_the_readme_with_a_docstring(command: str) -> None:
    assert f"leadtime {command}" in README
    group = typer.main.get_command(app)
    node = group
    for part in command.split():
        node = node.commands[part]  # type: ignore[attr-defined]
    assert node.help and len(node.help) > 10


def test_the_quick_start_has_exactly_two_commands() -> None:
    block = README.split("<!-- quickstart -->")[1].split("<!-- /quickstart -->")[0]
    lines = [line for line in block.splitlines() if line and not line.startswith("```")]
    assert len(lines) == 2
    assert "examples/demo.sh" in lines[0] and "pytest" in lines[1]


def _example_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADTIME_")}
    env.update(PATH=f"{BIN}:{env.get('PATH', '')}", LEADTIME_HOME=str(tmp_path / "home"))
    env.update(NO_COLOR="1", COLUMNS="120", HOME=str(tmp_path), XDG_CACHE_HOME=str(tmp_path))
    return env


@pytest.mark.slow
def test_the_demo_runs_and_judges_the_example_week(tmp_path: Path) -> None:
    done = subprocess.run(
        ["bash", str(REPO / "examples" / "demo.sh")],
        capture_output=True, text=True, env=_example_env(tmp_path), timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "imported 'tech-lead'" in done.stdout
    assert "excluded: 1 all-day, 3 cancelled, 2 declined, 1 transparent" in done.stdout
    assert "on target: 2026-W46 leadership 67.5%" in done.stdout
    assert "leadtime check exited with 0" in done.stdout


@pytest.mark.slow
def test_the_prompt_snippet_shows_the_verdict(tmp_path: Path, home: Home) -> None:
    env = _example_env(tmp_path)
    env.update(LEADTIME_HOME=str(home.path), LEADTIME_NOW="2026-11-20T18:00:00+01:00")
    for args in (["config", "set", "me", "dana@example.com"],
                 ["import", str(REPO / "examples" / "tech-lead.ics")]):  # fmt: skip
        subprocess.run([sys.executable, "-m", "leadtime", *args], env=env, check=True,
                       capture_output=True)  # fmt: skip
    script = f"PS1='$ '; source {REPO / 'examples' / 'ci' / 'prompt.sh'}; __leadtime_prompt"
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env)
    assert done.stdout.strip() == "70/30 ok"
