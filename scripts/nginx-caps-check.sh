#!/usr/bin/env bash
# Checks OPERATIONS.md's nginx block for the per-client connection caps
# (an IPv6 client's /64 and /48, an IPv4 address) with Debian's nginx:
# it takes the block from the document as written, caps the /64 at 2 and
# the /48 at 3, and holds connections open from addresses it adds to the
# loopback. Needs root (to add the addresses), nginx and python3; not part
# of `make test` (CI has no nginx). Usage: sudo scripts/nginx-caps-check.sh
set -euo pipefail
doc="$(cd "$(dirname "$0")/.." && pwd)/docs/OPERATIONS.md"
dir=$(mktemp -d)
addrs=(2001:db8:1:2::5 2001:db8:1:2::6 2001:db8:1:2:3:4:5:6 2001:db8:1:3::5 2001:db8:1:3::6 2001:db8:2::5 2001:db8::7 2001:0:0:5:6:7:8:9)
cleanup() {
	nginx -s stop -c "$dir/nginx.conf" -p "$dir/" 2>/dev/null || true
	[ -n "${slow:-}" ] && kill "$slow" 2>/dev/null || true
	for a in "${addrs[@]}"; do ip -6 addr del "$a/128" dev lo 2>/dev/null || true; done
	rm -rf "$dir"
}
trap cleanup EXIT
for a in "${addrs[@]}"; do ip -6 addr add "$a/128" dev lo; done

# A backend that holds each request 6 s, so the connections overlap (a
# curl can take a second to start on a busy machine).
python3 -c '
import http.server, time
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        time.sleep(6); self.send_response(200); self.end_headers()
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", 18080), H).serve_forever()' &
slow=$!
for _ in $(seq 50); do ss -ltn | grep -q '127.0.0.1:18080 ' && break; sleep 0.2; done

block=$(awk '/^map \$remote_addr \$textbank_net64/{on=1} on&&/^```/{exit} on' "$doc")
[ -n "$block" ] || { echo "no textbank_net64 block in $doc" >&2; exit 1; }
cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
$block
  server {
    listen [::1]:18443;
    listen 127.0.0.1:18443;
    listen [::]:18444 ipv6only=off;
    limit_conn textbank_net64 2;
    limit_conn textbank_net48 3;
    location / { proxy_pass http://127.0.0.1:18080; add_header X-Key "\$textbank_net64 \$textbank_net48" always; }
  }
}
CONF
nginx -c "$dir/nginx.conf" -p "$dir/"
sleep 1

fail=0
key() { curl -s -g -D - -o /dev/null --interface "$1" 'http://[::1]:18443/' | tr -d '\r' | sed -n 's/^X-Key: //p'; }
expect_key() {
	local got; got=$(key "$1")
	if [ "$got" != "$2" ]; then echo "FAIL $1: keys \"$got\", want \"$2\""; fail=1; else echo "ok   $1: $got"; fi
}
expect_key 2001:db8:1:2::5 "2001:db8:1:2 2001:db8:1"
expect_key 2001:db8:2::5 "2001:db8:2:0 2001:db8:2"
expect_key 2001:db8::7 "2001:db8:0:0 2001:db8:0"
expect_key 2001:0:0:5:6:7:8:9 "2001:0:0:5 2001:0:0"
got=$(curl -s -D - -o /dev/null http://127.0.0.1:18443/ | tr -d '\r' | sed -n 's/^X-Key: //p')
[ "$got" = "127.0.0.1 " ] && echo "ok   IPv4: $got" || { echo "FAIL IPv4: keys \"$got\""; fail=1; }
got=$(curl -s -D - -o /dev/null http://127.0.0.1:18444/ | tr -d '\r' | sed -n 's/^X-Key: //p')
[ "$got" = "127.0.0.1 " ] && echo "ok   IPv4 as ::ffff:127.0.0.1: $got" || { echo "FAIL IPv4 on an IPv6 socket: keys \"$got\""; fail=1; }

# Connections at once, one a tenth of a second after another.
together() {
	local pids=() i=0 n
	rm -f "$dir"/code.*
	for a in "$@"; do
		i=$((i + 1))
		curl -s -g -o /dev/null -w "%{http_code}\n" --interface "$a" 'http://[::1]:18443/' > "$dir/code.$i" &
		pids+=($!)
		sleep 0.1
	done
	wait "${pids[@]}"
	n=$(cat "$dir"/code.* | grep -c "^429$" || true)
	if grep -qv '^\(200\|429\)$' "$dir"/code.*; then
		echo "FAIL $label: answers $(cat "$dir"/code.* | tr '\n' ' ')"; fail=1
	elif [ "$n" != "$want" ]; then echo "FAIL $label: $n refused, want $want"; fail=1; else echo "ok   $label: $n refused"; fi
}
label="three from one /64 (cap 2)" want=1 together 2001:db8:1:2::5 2001:db8:1:2::6 2001:db8:1:2:3:4:5:6
label="four from two /64s of one /48 (cap 3)" want=1 together 2001:db8:1:2::5 2001:db8:1:3::5 2001:db8:1:2::6 2001:db8:1:3::6
label="four from four /48s" want=0 together 2001:db8:1:2::5 2001:db8:2::5 2001:db8::7 2001:0:0:5:6:7:8:9
exit $fail
