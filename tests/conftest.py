"""Shared fixtures: a private leadtime home in tmp_path, a fixed clock and zone, a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leadtime.cli import app

# A Friday evening in Berlin; every test sees the same "now" and zone, whatever the machine.
NOW = "2026-11-20T18:00:00+01:00"
ZONE = "Europe/Berlin"
REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "ics-corpus"


@dataclass
class Home:
    path: Path

    @property
    def db(self) -> Path:
        return self.path / "leadtime.db"

    @property
    def config(self) -> Path:
        return self.path / "config.toml"

    @property
    def rules(self) -> Path:
        return self.path / "rules.toml"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LEADTIME_")}
        env.update(LEADTIME_HOME=str(self.path), LEADTIME_NOW=NOW, NO_COLOR="1", COLUMNS="120")
        env.update(extra)
        return env


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    path = tmp_path / "home"
    path.mkdir()
    (path / "config.toml").write_text(f'timezone = "{ZONE}"\n', encoding="utf-8")
    for key in list(os.environ):
        if key.startswith("LEADTIME_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("LEADTIME_HOME", str(path))
    monkeypatch.setenv("LEADTIME_NOW", NOW)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    return Home(path)


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


Run = Callable[..., Result]


@pytest.fixture
def cli(home: Home) -> Run:
    """Run leadtime in-process with CliRunner; stdout and stderr apart."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def proc(home: Home) -> Run:
    """Run leadtime as a real process (exit codes, signals, concurrency)."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        done = subprocess.run(
            [sys.executable, "-m", "leadtime", *args],
            input=input,
            capture_output=True,
            text=True,
            env=home.env(**(env or {})),
            timeout=120,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run
