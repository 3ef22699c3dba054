#!/usr/bin/env bash
# End-to-end: `wails dev` in demo mode under Xvfb (real Go bindings, real
# embedded server, simulated contacts), driven by Playwright through
# Debian's chromium.
#   e2e/run.sh          the flows (flow.test.mjs: flows/*.mjs in order, one app), then
#                       offline.test.mjs (the app on a textbankd the test stops and restarts)
#   e2e/run.sh --bench  the UI timing figures for `make bench` (bench.mjs)
# Every run takes its own X display and free ports (wails dev and vite), so
# runs side by side never collide.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=flows
[ "${1:-}" = "--bench" ] && mode=bench
OUT=e2e/artifacts
mkdir -p "$OUT"
export PATH="$(go env GOPATH)/bin:$PATH"

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# -displayfd: Xvfb picks a free display and writes its number.
displayfile=$(mktemp)
Xvfb -displayfd 7 -screen 0 1280x800x24 -nolisten tcp 7>"$displayfile" >"$OUT/xvfb-e2e-$mode.log" 2>&1 &
xvfb=$!
dev=""
preview=""
cleanup() {
	[ -n "$preview" ] && kill "$preview" 2>/dev/null || true
	if [ -n "$dev" ]; then kill -TERM -- "-$dev" 2>/dev/null || true; sleep 1; kill -KILL -- "-$dev" 2>/dev/null || true; fi
	kill "$xvfb" 2>/dev/null || true
	rm -f "$displayfile"
}
trap cleanup EXIT
for _ in $(seq 100); do [ -s "$displayfile" ] && break; sleep 0.1; done
[ -s "$displayfile" ] || { echo "e2e: Xvfb did not start" >&2; cat "$OUT/xvfb-e2e-$mode.log" >&2; exit 1; }
export DISPLAY=":$(head -1 "$displayfile")"

# The bench times the bundle volunteers run (`wails build` embeds vite's
# production build): React's development build, which vite's dev server
# serves, does several times the work per render. wails dev then proxies
# the page to `vite preview` of that build (BENCH_DEV=1: the dev server).
frontend_url=()
if [ "$mode" = bench ] && [ "${BENCH_DEV:-0}" != 1 ]; then
	[ -d frontend/wailsjs/go ] || wails generate module >"$OUT/wails-generate.log" 2>&1
	# BENCH_DIST: a build made earlier (to compare two builds in turn).
	prod="${BENCH_DIST:-$PWD/$OUT/bench-dist}"
	if [ -z "${BENCH_DIST:-}" ]; then
		(cd frontend && ./node_modules/.bin/vite build --outDir "$prod" --emptyOutDir) >"$OUT/vite-build-bench.log" 2>&1 ||
			{ echo "e2e: vite build failed" >&2; tail -30 "$OUT/vite-build-bench.log" >&2; exit 1; }
	fi
	preview_port=$(free_port)
	(cd frontend && exec ./node_modules/.bin/vite preview --outDir "$prod" --host 127.0.0.1 --port "$preview_port" --strictPort) >"$OUT/vite-preview-bench.log" 2>&1 &
	preview=$!
	frontend_url=(-frontenddevserverurl "http://127.0.0.1:$preview_port")
	echo "e2e: bench on the production bundle ($prod, vite preview on $preview_port)"
fi

# start_dev APPARGS: wails dev on a free port (vite on another), its page's
# URL in $url. setsid: wails dev starts vite and the app; the group is
# stopped as one (stop_dev).
start_dev() {
	port=$(free_port)
	export VITE_PORT=$(free_port)
	while [ "$VITE_PORT" = "$port" ]; do VITE_PORT=$(free_port); done
	url="http://127.0.0.1:$port"
	# $3: the app's TMPDIR (the demo's server keeps its database there).
	# -nogorebuild: the app under test is the one built here; a .go file saved
	# in the work tree mid-run (an editor, a commit or cherry-pick) would
	# otherwise rebuild and restart it, a fresh demo with nobody signed in, and
	# fail every flow after (seen: a run in a tree another session committed to).
	TMPDIR="${3:-${TMPDIR:-/tmp}}" setsid wails dev -appargs "$1" -noreload -nogorebuild -devserver "127.0.0.1:$port" "${frontend_url[@]}" >"$OUT/wails-dev-$2.log" 2>&1 &
	dev=$!
	# The first build of the app on a busy machine can take many minutes.
	echo "e2e: waiting for wails dev on $url (vite on $VITE_PORT, display $DISPLAY, app args $1)"
	for _ in $(seq 1800); do
		curl -fsS -o /dev/null "$url" 2>/dev/null && break
		kill -0 "$dev" 2>/dev/null || { echo "e2e: wails dev exited" >&2; tail -60 "$OUT/wails-dev-$2.log" >&2; exit 1; }
		sleep 1
	done
	curl -fsS -o /dev/null "$url" || { echo "e2e: wails dev never answered" >&2; tail -60 "$OUT/wails-dev-$2.log" >&2; exit 1; }
}

stop_dev() {
	kill -TERM -- "-$dev" 2>/dev/null || true
	for _ in $(seq 50); do kill -0 "$dev" 2>/dev/null || break; sleep 0.2; done
	kill -KILL -- "-$dev" 2>/dev/null || true
	dev=""
}

if [ "$mode" = bench ]; then
	start_dev "--demo" bench
	(cd e2e && E2E_URL=$url node bench.mjs)
	exit
fi

# textbankd: the flows run organizer commands on the demo's database (the
# demo app keeps it under its TMPDIR, demo_tmp); offline.test.mjs serves with it.
server_dir=$(mktemp -d)
app_dir=$(mktemp -d)
demo_tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$server_dir" "$app_dir" "$demo_tmp"' EXIT
go build -o "$server_dir/textbankd" ./backend/cmd/textbankd

# E2E_ONLY=offline skips the flows (to work on the offline test alone).
if [ "${E2E_ONLY:-}" != offline ]; then
	start_dev "--demo" flows "$demo_tmp"
	(cd e2e && E2E_URL=$url E2E_TEXTBANKD="$server_dir/textbankd" E2E_DEMO_TMP="$demo_tmp" node --test --test-reporter=spec flow.test.mjs)
	stop_dev
fi

# Offline: the app against a textbankd of its own (offline.test.mjs starts
# it, kills it and brings it back on the same data), not the demo's server,
# which lives inside the app. The app's cache goes to a directory of the run.
server_addr="127.0.0.1:$(free_port)"
start_dev "--server http://$server_addr --data $app_dir" offline
(cd e2e && E2E_URL=$url E2E_TEXTBANKD="$server_dir/textbankd" E2E_SERVER_ADDR="$server_addr" \
	E2E_SERVER_DATA="$server_dir/data" node --test --test-reporter=spec offline.test.mjs)
