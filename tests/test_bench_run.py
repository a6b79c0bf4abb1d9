"""The benchmark runner's own machinery: its HTTP server, turn-taking and ratios."""

from __future__ import annotations

import importlib.util
import sys
import urllib.error
import urllib.request
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def bench_run() -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))  # run.py imports generate.py beside it
    spec = importlib.util.spec_from_file_location("bench_runner", BENCHMARKS / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_runner"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), b""


def test_server_answers_304_while_the_file_is_unchanged(
    bench_run: ModuleType, tmp_path: Path
) -> None:
    calendar = tmp_path / "work.ics"
    calendar.write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    server, url = bench_run.serve_folder(tmp_path)
    try:
        assert url.startswith("http://127.0.0.1:")
        status, headers, body = _get(f"{url}/work.ics")
        assert (status, body) == (200, calendar.read_bytes())
        assert headers["Content-Type"].startswith("text/calendar")
        etag, modified = headers["ETag"], headers["Last-Modified"]
        assert _get(f"{url}/work.ics", **{"If-None-Match": etag})[0] == 304
        assert _get(f"{url}/work.ics", **{"If-Modified-Since": modified})[0] == 304
        # A changed file has another ETag: the old one no longer matches.
        calendar.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
        status, headers, body = _get(f"{url}/work.ics", **{"If-None-Match": etag})
        assert status == 200 and headers["ETag"] != etag and b"VERSION:2.0" in body
        assert _get(f"{url}/missing.ics")[0] == 404
    finally:
        server.shutdown()
        server.server_close()


def test_sides_take_turns_and_the_warm_up_round_is_not_counted(
    bench_run: ModuleType, tmp_path: Path
) -> None:
    order = tmp_path / "order.txt"

    def side(name: str) -> list[tuple[str, object, bool]]:
        append = f"open({str(order)!r}, 'a').write({name!r} + ' ')"
        job = bench_run.Job((sys.executable, "-c", append), {})
        return [("step", job, True), ("setup", job, False)]

    timed = bench_run.timed_rounds({"a": lambda: side("a"), "b": lambda: side("b")}, 2)
    # One warm-up round, then two timed ones; within each round a runs, then b.
    assert order.read_text().split() == ["a", "a", "b", "b"] * 3
    assert set(timed) == {"a", "b"}
    for runs in timed.values():
        assert list(runs) == ["step"]  # set-up steps are run, not timed
        assert len(runs["step"]) == 2
        assert all(r.seconds > 0 and r.cpu > 0 for r in runs["step"])
    order.unlink()
    bench_run.timed_rounds({"a": lambda: side("a")}, 1, warmup=False)
    assert order.read_text().split() == ["a", "a"]


def test_ratio_compares_cpu_medians_and_judges_the_target(bench_run: ModuleType) -> None:
    def runs(*pairs: tuple[float, float]) -> list[object]:
        return [bench_run.Run(wall, cpu, 10.0, 0, "", "") for wall, cpu in pairs]

    mine = runs((5.0, 0.2), (1.0, 0.3), (9.0, 0.4))  # a noisy wall clock, steady CPU
    theirs = runs((1.0, 1.0), (1.0, 2.0), (1.0, 3.0))
    figure = bench_run.measured("x", "x", mine, theirs, "peer", high=0.2)
    assert figure.ratio == pytest.approx(0.3 / 2.0)
    assert figure.met is True and figure.basis == "cpu" and figure.target == "<= 0.20"
    assert figure.leadtime.median == 5.0 and figure.leadtime_cpu.median == 0.3
    by_wall = bench_run.measured("x", "x", mine, theirs, "peer", high=0.2, basis="wall")
    assert by_wall.ratio == pytest.approx(5.0) and by_wall.met is False
    alone = bench_run.measured("x", "x", mine, None, "peer", high=0.2, note="n/a: --no-peers")
    assert alone.ratio is None and alone.met is None and alone.baseline is None


def test_a_failing_command_stops_the_run_with_its_error(bench_run: ModuleType) -> None:
    job = bench_run.Job((sys.executable, "-c", "import sys; sys.exit('boom')"), {})
    with pytest.raises(bench_run.BenchError, match="exited with 1:\nboom"):
        bench_run.run(job)
