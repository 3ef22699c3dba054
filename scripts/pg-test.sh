#!/usr/bin/env bash
# pg-test.sh CMD [ARGS...]: runs CMD against a throwaway PostgreSQL cluster.
#
# Installs Debian's postgresql if it is missing, creates a cluster in a fresh
# directory under /var/tmp on a free loopback port (owned by the postgres
# user when run as root: initdb refuses to run as root), exports
#   TEXTBANK_TEST_POSTGRES=postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable
# and TEXTBANK_REQUIRE_POSTGRES=1 (tests fail instead of skipping without a
# cluster), runs CMD, then stops the cluster and deletes it whatever CMD did.
# PG_TEST_OPTS adds server settings, e.g. to profile statements:
#   PG_TEST_OPTS="-c shared_preload_libraries=pg_stat_statements" scripts/pg-test.sh ...
set -euo pipefail

if [ $# -eq 0 ]; then
	echo "usage: $0 CMD [ARGS...]" >&2
	exit 2
fi

pgbin=""
for d in /usr/lib/postgresql/*/bin; do
	[ -x "$d/initdb" ] && pgbin=$d
done
if [ -z "$pgbin" ]; then
	echo "pg-test: installing postgresql" >&2
	if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
	$SUDO apt-get update -q
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q postgresql
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && pgbin=$d
	done
fi
[ -n "$pgbin" ] || { echo "pg-test: no PostgreSQL binaries under /usr/lib/postgresql" >&2; exit 1; }

# A free port: ask the kernel for one, then let go of it.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
	echo $((20000 + RANDOM % 20000)))

dir=$(mktemp -d /var/tmp/textbank-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" = 0 ]; then
	id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" --shell /usr/sbin/nologin postgres
	chown postgres: "$dir"
	chmod 700 "$dir"
	as_pg=(runuser -u postgres --)
fi

cleanup() {
	"${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap cleanup EXIT

# Locale C: the harshest a production database may have (its LOWER folds
# A-Z only), so the conformance suite shows a query that relies on more.
"${as_pg[@]}" "$pgbin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
	{ cat "$dir/initdb.log" >&2; exit 1; }
# fsync off: a throwaway cluster does not need to survive a power cut, and
# the tests commit often. max_connections covers parallel test packages.
# JIT stays on, as in production: in the whole make test-postgres pass it
# compiled 2 statements (0.5 s; counted with pg_stat_statements' jit_*
# columns), and interleaved runs with -c jit=off were no faster beyond the
# shared machine's noise. The migration kill test turns it off for its
# copies of an unanalyzed 12,000-row database (migrate_kill_pg_test.go).
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
	-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 ${PG_TEST_OPTS:-}" \
	start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

export TEXTBANK_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
export TEXTBANK_REQUIRE_POSTGRES=1
echo "pg-test: PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)" >&2
set +e
"$@"
rc=$?
set -e
exit $rc
