#!/usr/bin/env bash
# Smoke test of the built desktop binary: start it in demo mode under Xvfb,
# screenshot the window, check the picture is not blank, close it with
# SIGTERM and require a clean exit.
set -euo pipefail
cd "$(dirname "$0")/.."
# A session bus of its own: with none, GTK and the app's single-instance lock
# autolaunch one bound to the X display, and a machine that has run many Xvfb
# sessions keeps such buses behind (two fresh-clone CI runs on one saw the
# window stay black for 30 s, and passed once the stale buses were cleared).
# dbus-run-session stops the bus when this script ends.
if [ -z "${SMOKE_OWN_BUS:-}" ]; then
	SMOKE_OWN_BUS=1 exec dbus-run-session -- bash "$0" "$@"
fi
APP=${APP:-build/bin/textbank}
OUT=e2e/artifacts
mkdir -p "$OUT"
[ -x "$APP" ] || { echo "smoke: $APP is missing: run make build" >&2; exit 1; }

# -displayfd: Xvfb picks a display no other server holds and writes its
# number once it accepts clients (a fixed or random number could meet
# another test's server, or one still shutting down).
displayfile=$(mktemp)
Xvfb -displayfd 7 -screen 0 1280x800x24 -nolisten tcp 7>"$displayfile" >"$OUT/xvfb.log" 2>&1 &
xvfb=$!
app=""
cleanup() {
	[ -n "$app" ] && kill "$app" 2>/dev/null || true
	kill "$xvfb" 2>/dev/null || true
	rm -f "$displayfile"
}
trap cleanup EXIT
for _ in $(seq 100); do [ -s "$displayfile" ] && break; sleep 0.1; done
[ -s "$displayfile" ] || { echo "smoke: Xvfb did not start" >&2; cat "$OUT/xvfb.log" >&2; exit 1; }
export DISPLAY=":$(head -1 "$displayfile")"

# Waits for the window to exist; returns 2 when the app died first.
# NO_AT_BRIDGE: GTK's accessibility bridge calls the AT-SPI bus at start, and where
# that bus does not answer (a bare Xvfb with a session bus, as in CI) the call waits
# out D-Bus's 25-s timeout with the window unpainted: one CI run saw a black screen
# for 30 s, then "AT-SPI: Could not obtain desktop path or name". A desktop's bus
# answers; this test is about the binary starting and painting.
launch() {
	NO_AT_BRIDGE=1 "$APP" --demo --log-level debug >"$OUT/smoke-app.log" 2>&1 &
	app=$!
	for _ in $(seq 120); do
		# The title carries the unread count once replies are in: "(8) Textbank (demo)".
		# Captured first: under pipefail, grep -q leaving early could fail xwininfo's write.
		tree=$(xwininfo -root -tree 2>/dev/null || true)
		if grep -qE '"(\([0-9]+\) )?Textbank \(demo\)"' <<<"$tree"; then return 0; fi
		kill -0 "$app" 2>/dev/null || return 2
		sleep 0.5
	done
	return 1
}

# GTK now and then fails to open a display that answers (about one launch
# in 50 on these machines, also seen by the launch bench): such a launch
# is tried once more, and said so; any other early exit fails at once.
found=0
launch || found=$?
if [ "$found" -eq 2 ] && grep -q "failed to init GTK" "$OUT/smoke-app.log"; then
	echo "smoke: GTK could not open $DISPLAY (X answers: $(xdpyinfo >/dev/null 2>&1 && echo yes || echo no)); launching again (first log: $OUT/smoke-app-gtk.log)" >&2
	cp "$OUT/smoke-app.log" "$OUT/smoke-app-gtk.log"
	app=""
	found=0
	launch || found=$?
fi
if [ "$found" -eq 2 ]; then
	echo "smoke: app exited early" >&2
	cat "$OUT/smoke-app.log" >&2
	exit 1
fi
[ "$found" -eq 0 ] && found=yes || found=""
[ -n "$found" ] || { echo "smoke: no Textbank window appeared" >&2; tail -50 "$OUT/smoke-app.log" >&2; exit 1; }

colours=0
painted() {
	colours=0
	for _ in $(seq 60); do
		import -window root "$OUT/smoke.png"
		colours=$(convert "$OUT/smoke.png" -format '%k' info:)
		[ "$colours" -ge 200 ] && return 0
		sleep 0.5
	done
	return 1
}
# A window that never painted is launched once more, as a GTK that could not open the
# display is: two fresh-clone CI runs on a machine that had run many Xvfb sessions (stale
# session buses left behind) saw 30 s of a black screen while the app had loaded its page,
# and the same binary painted in a second every time it was run again. What the window
# was (its place, size and map state) goes to the log first; a second blank fails.
if ! painted; then
	echo "smoke: the window looks blank ($colours colours); its windows:" >&2
	xwininfo -root -tree 2>&1 | grep -i textbank | sed 's/^/smoke:   /' >&2 || true
	cp "$OUT/smoke.png" "$OUT/smoke-blank.png"
	cp "$OUT/smoke-app.log" "$OUT/smoke-app-blank.log"
	kill -TERM "$app" 2>/dev/null || true
	for _ in $(seq 100); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$app" 2>/dev/null || true
	app=""
	found=0
	launch || found=$?
	[ "$found" -eq 0 ] || { echo "smoke: no Textbank window on the second launch" >&2; tail -50 "$OUT/smoke-app.log" >&2; exit 1; }
	if ! painted; then
		echo "smoke: screenshot has $colours colours ($OUT/smoke.png)"
		echo "smoke: the window looks blank, twice" >&2
		tail -50 "$OUT/smoke-app.log" >&2
		exit 1
	fi
fi
echo "smoke: screenshot has $colours colours ($OUT/smoke.png)"

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
