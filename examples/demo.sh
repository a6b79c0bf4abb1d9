#!/usr/bin/env bash
# The bundled example: a tech lead's calendar imported into a throwaway home, a day's log,
# the weekly split report and the 70/30 check. Needs `leadtime` on PATH.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export LEADTIME_HOME="${LEADTIME_HOME:-$(mktemp -d)}"
export LEADTIME_NOW="${LEADTIME_NOW:-2026-11-20T18:00:00+01:00}"  # a Friday evening, fixed

leadtime config set timezone Europe/Berlin >/dev/null
leadtime config set me dana@example.com >/dev/null
leadtime import "$here/tech-lead.ics"
leadtime log "Reviewed the auth RFC" 45m --at "fri 16:30"
leadtime report
status=0
leadtime check || status=$?
echo "leadtime check exited with $status (0 on target, 1 off target, 5 not enough data)"
