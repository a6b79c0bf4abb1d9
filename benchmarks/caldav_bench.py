"""CalDAV re-sync with nothing changed vs the first sync (target: <= 0.2x).

Starts Radicale on 127.0.0.1 in a temporary folder (htpasswd authentication on), fills one
calendar with EVENTS events (one object each), then times, on the same calendar:

- the first sync (empty state: one calendar-query over the window),
- a re-sync with nothing changed by sync token (the server's normal path),
- a re-sync with nothing changed by CTag / ETags (servers without WebDAV sync),
- the first sync followed by parsing its objects (what a first import pays before writing;
  an unchanged re-sync parses nothing).

On Radicale both the sync token and the CTag are computed by reading every stored item, so
an unchanged re-sync is bounded below by that server work (one request, no data moved).

Run: ``python benchmarks/caldav_bench.py [EVENTS] [ROUNDS]``; prints one JSON object.
"""

from __future__ import annotations

import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from leadtime.sources.caldav import discover, join_objects, parse_caldav_address, sync
from leadtime.sources.ics import parse_calendar

USER, PASSWORD = "bench", "bench-password-1234"
WINDOW = (datetime(2020, 1, 1, tzinfo=UTC), datetime(2031, 1, 1, tzinfo=UTC))


def _calendar(events: int) -> str:
    start = datetime(2021, 1, 4, 9, tzinfo=UTC)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//leadtime bench//EN"]
    for n in range(events):
        begin = start + timedelta(days=n // 4, hours=2 * (n % 4))
        lines += [
            "BEGIN:VEVENT",
            f"UID:bench-{n}@leadtime.invalid",
            "DTSTAMP:20260101T000000Z",
            f"DTSTART:{begin:%Y%m%dT%H%M%SZ}",
            f"DTEND:{begin + timedelta(minutes=45):%Y%m%dT%H%M%SZ}",
            f"SUMMARY:Review #{n}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def _start(root: Path) -> tuple[subprocess.Popen[bytes], int]:
    (root / "users").write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    (root / "config").write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n[auth]\ntype = htpasswd\n"
        f"htpasswd_filename = {root / 'users'}\nhtpasswd_encryption = plain\ndelay = 0\n"
        f"[storage]\nfilesystem_folder = {root / 'collections'}\n"
        "[rights]\ntype = owner_only\n[logging]\nlevel = error\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(root / "config")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(400):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    process.terminate()
    raise SystemExit("radicale did not start")


def fill(port: int, events: int) -> None:
    """Store ``events`` events in the calendar ``bench`` of the server on ``port``."""
    import httpx

    base = f"http://127.0.0.1:{port}"
    # One PUT of the whole calendar onto the collection: Radicale stores one object per
    # UID (as separate PUTs would, without their cost for thousands of events).
    response = httpx.put(
        f"{base}/{USER}/bench/",
        content=_calendar(events),
        headers={"Content-Type": "text/calendar"},
        auth=(USER, PASSWORD),
        timeout=60,
    )
    if response.status_code not in (201, 204):
        raise SystemExit(f"upload failed: HTTP {response.status_code}")


def start_server(root: Path) -> tuple[subprocess.Popen[bytes], int]:
    """Radicale on 127.0.0.1 with its data under ``root``: (process, port). Stop it after."""
    return _start(root)


def main(events: int = 3000, rounds: int = 5) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        process, port = _start(Path(folder))
        try:
            fill(port, events)
            address = parse_caldav_address(f"caldav+http://{USER}@127.0.0.1:{port}/")
            (calendar,) = discover(address, PASSWORD, timeout=60).calendars

            def first() -> object:
                return sync(calendar, PASSWORD, state={}, objects={}, window=WINDOW, timeout=60)

            def first_and_parse() -> object:
                # What an import does the first time: sync, then parse every object.
                done = first()
                data = join_objects(o.data for o in done.changed)  # type: ignore[attr-defined]
                return parse_calendar(
                    data, label="bench", calendar="bench", me=[], tz="UTC",
                    window_start=WINDOW[0], window_end=WINDOW[1],
                )  # fmt: skip

            batch = sync(calendar, PASSWORD, state={}, objects={}, window=WINDOW, timeout=60)
            objects = batch.apply({})
            etag_state = {**batch.state, "sync_token": None, "method": "etag"}
            timings: dict[str, list[float]] = {
                "first": [],
                "first_parse": [],
                "token": [],
                "etag": [],
            }
            for _ in range(rounds):
                for name, call in (
                    ("first", first),
                    ("first_parse", first_and_parse),
                    (
                        "token",
                        lambda: sync(
                            calendar, PASSWORD, state=batch.state, objects=objects,
                            window=WINDOW, timeout=60,
                        ),
                    ),
                    (
                        "etag",
                        lambda: sync(
                            calendar, PASSWORD, state=etag_state, objects=objects,
                            window=WINDOW, timeout=60,
                        ),
                    ),
                ):  # fmt: skip
                    began = time.perf_counter()
                    call()
                    timings[name].append(time.perf_counter() - began)
        finally:
            process.terminate()
            process.wait(timeout=10)
    median = {name: statistics.median(values) for name, values in timings.items()}
    return {
        "events": events,
        "objects_synced": len(objects),
        "first_sync_s": round(median["first"], 4),
        "resync_token_s": round(median["token"], 4),
        "resync_etag_s": round(median["etag"], 4),
        "first_sync_and_parse_s": round(median["first_parse"], 4),
        "ratio_token": round(median["token"] / median["first"], 4),
        "ratio_token_vs_first_import": round(median["token"] / median["first_parse"], 4),
        "ratio_etag": round(median["etag"] / median["first"], 4),
        "target": 0.2,
    }


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:3]]
    print(json.dumps(main(*arguments), indent=2))
