# Sourced by .ci/run: installs PostgreSQL from the Debian packages when it is
# missing, starts a throw-away server in a temporary directory (Unix socket
# only: no port to collide with), creates a database and exports
# LEXSCREEN_TEST_POSTGRES and LEXSCREEN_REQUIRE_POSTGRES=1, so that the
# PostgreSQL store tests run and cannot be skipped. pg_ci_stop stops it.
# Works as root (CI: the server runs as the postgres user) or as a user.

pg_ci_bin() {
	local b
	# Debian's full set of programs first (the newest version), then PATH.
	for b in $(ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -rV) "$(command -v pg_ctl 2>/dev/null)"; do
		if [ -n "$b" ] && [ -x "$b" ]; then
			dirname "$b"
			return 0
		fi
	done
	return 1
}

if ! PG_BIN=$(pg_ci_bin); then
	echo "ci-postgres: PostgreSQL not found; installing the Debian package" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends postgresql >/dev/null
	PG_BIN=$(pg_ci_bin) || { echo "ci-postgres: no pg_ctl after installing postgresql" >&2; return 1; }
fi

PG_CI_DIR=$(mktemp -d /tmp/lexscreen-pg.XXXXXX)
pg_ci_as() { # run a command as the server's owner
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}
pg_ci_stop() {
	pg_ci_as "$PG_BIN/pg_ctl" -D "$PG_CI_DIR/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$PG_CI_DIR"
}
[ "$(id -u)" = 0 ] && chown postgres "$PG_CI_DIR"
pg_ci_as "$PG_BIN/initdb" -N -D "$PG_CI_DIR/data" -U postgres --auth=trust -E UTF8 >"$PG_CI_DIR/initdb.log" 2>&1 ||
	{ cat "$PG_CI_DIR/initdb.log" >&2; pg_ci_stop; return 1; }
# Durability is not under test here: no fsync, for speed.
pg_ci_as "$PG_BIN/pg_ctl" -D "$PG_CI_DIR/data" -l "$PG_CI_DIR/server.log" -w -t 60 start \
	-o "-c listen_addresses='' -k $PG_CI_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null ||
	{ cat "$PG_CI_DIR/server.log" >&2; pg_ci_stop; return 1; }
# No pipe into head here: with pipefail, `command -v A B | head -1` fails
# with SIGPIPE (141) whenever head exits before the second line is written,
# and set -e then ends .ci/run (it did once, in 4.5 s, on this machine).
PG_CREATEDB=$PG_BIN/createdb
[ -x "$PG_CREATEDB" ] || PG_CREATEDB=$(command -v createdb)
"$PG_CREATEDB" -h "$PG_CI_DIR" -U postgres lexscreen_test || { pg_ci_stop; return 1; }
export LEXSCREEN_TEST_POSTGRES="postgres:///lexscreen_test?host=$PG_CI_DIR&user=postgres&sslmode=disable"
export LEXSCREEN_REQUIRE_POSTGRES=1
echo "ci-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') at $PG_CI_DIR" >&2
