"""The report table and the check print without Rich, at the terminal's width, in colour
only where the terminal takes it: the decisions Rich makes, made the same way."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from rich.console import Console

from conftest import REPO, ZONE, Home
from leadtime.render import Terminal, report_table, show_report
from table_cases import quarter, two_weeks


class _Output(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


ENVIRONMENTS: list[tuple[bool, dict[str, str]]] = [
    (False, {}),
    (False, {"COLUMNS": "64"}),
    (True, {"TERM": "xterm"}),
    (True, {"TERM": "xterm-256color", "COLUMNS": "100"}),
    (True, {"TERM": "xterm-kitty"}),
    (True, {"TERM": "xterm-16color"}),
    (True, {"TERM": "screen", "COLORTERM": "truecolor"}),
    (True, {"TERM": "xterm", "COLORTERM": "24bit"}),
    (True, {"TERM": "dumb"}),
    (True, {"TERM": "unknown"}),
    (False, {"FORCE_COLOR": "1", "TERM": "xterm-256color"}),
    (True, {"FORCE_COLOR": "", "TERM": "xterm"}),
    (True, {"TTY_COMPATIBLE": "0", "TERM": "xterm"}),
    (False, {"TTY_COMPATIBLE": "1"}),
    (True, {"NO_COLOR": "1", "TERM": "xterm-256color"}),
    (True, {"NO_COLOR": "", "TERM": "xterm"}),
]


@pytest.mark.parametrize(("tty", "environ"), ENVIRONMENTS)
def test_width_and_colours_are_decided_as_rich_decides_them(
    tty: bool, environ: Mapping[str, str]
) -> None:
    out = _Output(tty)
    rich = Console(file=out, _environ=dict(environ), legacy_windows=False)
    found = Terminal.detect(out, environ)
    assert found.width == rich.width
    assert found.colours == rich.color_system
    assert found.no_color == rich.no_color


def _styled(terminal: Terminal) -> list[str]:
    out = _Output(True)
    terminal.write(report_table(quarter()).lines(terminal.width), out)
    return out.getvalue().splitlines()


def test_a_colour_terminal_gets_the_verdict_colours_and_the_few_styles() -> None:
    lines = _styled(Terminal(120, "256"))
    current = next(line for line in lines if "2026-W47" in line and "%" in line)
    # the verdict bold in its colour, "(in progress)" italic as well
    assert current.endswith(
        "\x1b[1;38;5;208mtoo hands-on\x1b[0m\x1b[1;3;38;5;208m (in progress)\x1b[0m  "
    )
    assert (
        "\x1b[34m█████\x1b[0m\x1b[38;5;208m▒▒\x1b[0m\x1b[1m│\x1b[0m\x1b[38;5;208m▒▒▒\x1b[0m"
        in current
    )
    no_data = next(line for line in lines if "2026-W39" in line)
    assert "\x1b[2m·······\x1b[0m\x1b[1m│\x1b[0m\x1b[2m···\x1b[0m" in no_data  # a dim bar
    assert "\x1b[2mnot enough data\x1b[0m" in no_data
    flagged = next(line for line in lines if "2026-W41" in line)
    assert "\x1b[1m13.9\x1b[0m" in flagged  # much unclassified: bold
    assert (
        lines[0].strip()
        == "\x1b[1mleadtime report 2026-W36..2026-W47 (Europe/Berlin), hours\x1b[0m"
    )
    total = next(line for line in lines if "Total" in line)
    assert "\x1b[1mTotal\x1b[0m" in total and "\x1b[1;34mon target\x1b[0m" in total


def test_sixteen_colours_and_no_color() -> None:
    standard = "\n".join(_styled(Terminal(120, "standard")))
    assert "\x1b[1;91mtoo hands-on\x1b[0m" in standard  # dark orange as the nearest of 16
    plain_colours = "\n".join(_styled(Terminal(120, "256", no_color=True)))
    assert "\x1b[1mtoo hands-on\x1b[0m\x1b[1;3m (in progress)\x1b[0m" in plain_colours
    assert "38;5" not in plain_colours and "\x1b[34m" not in plain_colours
    assert "\x1b[" not in "\n".join(_styled(Terminal(120, None)))


def test_show_report_prints_plain_to_a_pipe_at_its_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "72")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    out = _Output(False)
    show_report(two_weeks(), out)
    text = out.getvalue()
    assert "\x1b[" not in text
    assert max(len(line) for line in text.splitlines()) <= 72
    assert text == report_table(two_weeks()).text(72)


# --------------------------------------------------------------------------- no Rich


def _modules(home: Home, *args: str, code: str | None = None) -> set[str]:
    command = [sys.executable, "-X", "importtime"]
    command += ["-c", code] if code else ["-m", "leadtime", *args]
    done = subprocess.run(command, capture_output=True, text=True, env=home.env(), timeout=60)
    assert done.returncode in (0, 1, 5), done.stderr[-2000:]
    return {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """A home holding the bundled example (imported once for the module)."""
    home = Home(tmp_path_factory.mktemp("example"))
    home.config.write_text(f'timezone = "{ZONE}"\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "leadtime", "import", str(REPO / "examples" / "tech-lead.ics")],
        capture_output=True, text=True, env=home.env(), timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return home


@pytest.mark.parametrize(
    "args",
    [
        ("report",),
        ("report", "--weeks", "12"),
        ("report", "--by", "tag"),
        ("check",),
        ("check", "--format", "json"),
        ("check", "--format", "github"),
    ],
)
def test_the_report_table_and_the_check_load_no_rich(example: Home, args: tuple[str, ...]) -> None:
    names = _modules(example, *args)
    assert "sqlite3" in names  # the measurement itself works
    assert "rich" not in names


def test_the_render_package_and_the_report_path_load_no_rich(example: Home) -> None:
    code = (
        "import sys\n"
        "from leadtime import render\n"
        "from leadtime.app.reporting import weekly_report\n"
        "from leadtime.app.periods import Period\n"
        "from leadtime.app.workspace import Workspace\n"
        "render.show_report(weekly_report(Workspace(), Period(None, None, None, None)))\n"
        "render.check_text\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'rich'], 'rich'\n"
    )
    names = _modules(example, code=code)
    assert "leadtime" in names and "rich" not in names


@pytest.mark.skipif(shutil.which("script") is None, reason="needs script(1) for a terminal")
def test_a_real_terminal_gets_colours_and_a_pipe_does_not(example: Home, tmp_path: Path) -> None:
    env = example.env(TERM="xterm-256color", NO_COLOR="", COLUMNS="90")
    command = f"{sys.executable} -m leadtime report"
    on_terminal = subprocess.run(
        ["script", "-qec", command, "/dev/null"], capture_output=True, text=True, env=env,
        timeout=60,
    )  # fmt: skip
    assert "\x1b[1;34mon target\x1b[0m" in on_terminal.stdout
    piped = subprocess.run(
        [sys.executable, "-m", "leadtime", "report"], capture_output=True, text=True, env=env,
        timeout=60,
    )  # fmt: skip
    assert "\x1b[" not in piped.stdout
    assert max(len(line) for line in piped.stdout.splitlines()) <= 90


def test_every_name_of_the_render_package_is_what_it_names_whatever_loaded_first() -> None:
    # Names load on first use; a submodule imported first must not shadow a function of
    # the same name (leadtime.render.console the module, console the function).
    code = (
        "import leadtime.render.console, leadtime.render.table, leadtime.render.formats\n"
        "import leadtime.render as render\n"
        "assert callable(render.console) and not hasattr(render.console, '__path__')\n"
        "assert render.console.__module__ == 'leadtime.render.console'\n"
        "for name in render.__all__:\n"
        "    value = getattr(render, name)\n"
        "    assert not isinstance(value, type(render)), name\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
