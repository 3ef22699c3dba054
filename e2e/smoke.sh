#!/usr/bin/env bash
# Smoke test of the built desktop binary: start it in demo mode under Xvfb,
# screenshot the window, check the picture is not blank, close it with
# SIGTERM and require a clean exit.
set -euo pipefail
cd "$(dirname "$0")/.."
APP=${APP:-build/bin/textbank}
OUT=e2e/artifacts
mkdir -p "$OUT"
[ -x "$APP" ] || { echo "smoke: $APP is missing: run make build" >&2; exit 1; }

display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$OUT/xvfb.log" 2>&1 &
xvfb=$!
app=""
cleanup() {
	[ -n "$app" ] && kill "$app" 2>/dev/null || true
	kill "$xvfb" 2>/dev/null || true
}
trap cleanup EXIT
export DISPLAY=$display
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

"$APP" --demo --log-level debug >"$OUT/smoke-app.log" 2>&1 &
app=$!

# Wait for the window to exist, then for the page to paint: a blank or
# half-loaded window has very few distinct colours.
found=""
for _ in $(seq 120); do
	# The title carries the unread count once replies are in: "(8) Textbank (demo)".
	if xwininfo -root -tree 2>/dev/null | grep -qE '"(\([0-9]+\) )?Textbank \(demo\)"'; then found=1; break; fi
	kill -0 "$app" 2>/dev/null || { echo "smoke: app exited early" >&2; cat "$OUT/smoke-app.log" >&2; exit 1; }
	sleep 0.5
done
[ -n "$found" ] || { echo "smoke: no Textbank window appeared" >&2; tail -50 "$OUT/smoke-app.log" >&2; exit 1; }

colours=0
for _ in $(seq 60); do
	import -window root "$OUT/smoke.png"
	colours=$(convert "$OUT/smoke.png" -format '%k' info:)
	[ "$colours" -ge 200 ] && break
	sleep 0.5
done
echo "smoke: screenshot has $colours colours ($OUT/smoke.png)"
if [ "$colours" -lt 200 ]; then
	echo "smoke: the window looks blank" >&2
	tail -50 "$OUT/smoke-app.log" >&2
	exit 1
fi

kill -TERM "$app"
status=0
for _ in $(seq 100); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$app" 2>/dev/null; then
	echo "smoke: app did not exit within 10s of SIGTERM" >&2
	exit 1
fi
wait "$app" || status=$?
app=""
if [ "$status" -ne 0 ]; then
	echo "smoke: app exited with status $status" >&2
	tail -50 "$OUT/smoke-app.log" >&2
	exit 1
fi
echo "smoke: 1 passed, 0 failed"
