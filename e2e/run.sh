#!/usr/bin/env bash
# End-to-end: `wails dev` in demo mode under Xvfb (real Go bindings, real
# embedded server, simulated contacts), driven by Playwright through
# Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=e2e/artifacts
mkdir -p "$OUT"
export PATH="$(go env GOPATH)/bin:$PATH"

display=:$((80 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$OUT/xvfb-e2e.log" 2>&1 &
xvfb=$!
dev=""
cleanup() {
	if [ -n "$dev" ]; then kill -TERM -- "-$dev" 2>/dev/null || true; sleep 1; kill -KILL -- "-$dev" 2>/dev/null || true; fi
	kill "$xvfb" 2>/dev/null || true
}
trap cleanup EXIT
export DISPLAY=$display

if curl -fsS -o /dev/null http://localhost:34115 2>/dev/null; then
	echo "e2e: something already listens on :34115; stop it first" >&2
	exit 1
fi
# setsid: wails dev starts vite and the app; the group is stopped as one.
setsid wails dev -appargs "--demo" -noreload >"$OUT/wails-dev.log" 2>&1 &
dev=$!

echo "e2e: waiting for wails dev on http://localhost:34115"
for _ in $(seq 600); do
	curl -fsS -o /dev/null http://localhost:34115 2>/dev/null && break
	kill -0 "$dev" 2>/dev/null || { echo "e2e: wails dev exited" >&2; tail -60 "$OUT/wails-dev.log" >&2; exit 1; }
	sleep 1
done
curl -fsS -o /dev/null http://localhost:34115 || { echo "e2e: wails dev never answered" >&2; tail -60 "$OUT/wails-dev.log" >&2; exit 1; }

cd e2e
E2E_URL=http://localhost:34115 node --test --test-reporter=spec flow.test.mjs
