#!/bin/bash
# The server's load test as server/API.md ("Load test") reports it: a fresh
# data directory with the bundled lists, a server on a free loopback port,
# keys of every role, then cmd/lexload; afterwards the server's CPU time
# and peak memory, and its /metrics saved beside the data directory.
#
#   scripts/loadtest.sh [serve flags] -- [lexload flags]
#   scripts/loadtest.sh -- -rate 2000 -duration 60s -reload-at 30s -alert -timeline
#   scripts/loadtest.sh --audit-sync normal -- -rate 2000 -duration 60s -reload-at 30s
#
# Binaries: $LEXSCREEN and $LEXLOAD if set, else built into the work
# directory ($LOADTEST_DIR, default a new temporary one, kept and printed).
#
# LOADTEST_IMPORT_AT=30 also imports, 30 s after lexload starts, a newer
# OFAC SDN publication (the bundled one and one more designation) with
# `lexscreen import` in another process: the server's poll picks it up and
# rebuilds its index while it answers (lexload's -reload-at only reloads,
# and an unchanged set of lists reuses its index file).
# LOADTEST_IMPORT_FLAGS adds flags to that import: "--background" runs it
# at the lowest CPU priority, as an import beside a live server should run.
# LOADTEST_DROP_INDEX_AT=28 removes the kept index files 28 s after lexload
# starts, so that a later -reload-at rebuilds the index (the reload of
# when the load goal was set) with no import beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
serve=(); while [ $# -gt 0 ] && [ "$1" != "--" ]; do serve+=("$1"); shift; done
[ $# -gt 0 ] && shift
work=${LOADTEST_DIR:-$(mktemp -d -t lexscreen-load.XXXXXX)}
mkdir -p "$work"
bin=${LEXSCREEN:-$work/lexscreen}; load=${LEXLOAD:-$work/lexload}
[ -n "${LEXSCREEN:-}" ] || go build -o "$bin" ./cmd/lexscreen
[ -n "${LEXLOAD:-}" ] || go build -o "$load" ./cmd/lexload
data=$work/data; rm -rf "$data"; mkdir -p "$data"
"$bin" --data-dir "$data" screen "Karim Khan" >/dev/null 2>&1 || true # imports the bundled lists, builds the index
key() { "$bin" --data-dir "$data" keys create --role "$1" -q; }
KEY=$(key screener); ADMIN=$(key admin); AN=$(key analyst); AP=$(key approver)
port=$((18000 + RANDOM % 1000))
"$bin" --data-dir "$data" serve --addr 127.0.0.1:$port --rate-limit -1 ${serve[@]+"${serve[@]}"} > "$work/serve.log" 2>&1 &
spid=$!
trap 'kill $spid 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
uptime
importer=
if [ -n "${LOADTEST_IMPORT_AT:-}" ]; then
	newer=$work/sdn/2026-01-10; rm -rf "$work/sdn"; mkdir -p "$newer"
	for f in sdn add alt sdn_comments; do
		gzip -dc "bundled/data/us_ofac/sdn/2025-12-24/$f.csv.gz" | tr -d '\032' > "$newer/$f.csv"
	done
	printf '990001,"TESTOVA, Marina","individual","RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n' >> "$newer/sdn.csv"
	(
		sleep "$LOADTEST_IMPORT_AT"
		if out=$("$bin" --data-dir "$data" -q ${LOADTEST_IMPORT_FLAGS:-} import "$newer" 2>&1); then rc=0; else rc=$?; fi
		echo "import at ${LOADTEST_IMPORT_AT}s (exit $rc): $(echo "$out" | tr '\n' ' ')" >&2
		exit "$rc"
	) &
	importer=$!
fi
dropper=
if [ -n "${LOADTEST_DROP_INDEX_AT:-}" ]; then
	( sleep "$LOADTEST_DROP_INDEX_AT"; rm -f "$data"/index/*.lxi; echo "index files removed at ${LOADTEST_DROP_INDEX_AT}s" >&2 ) &
	dropper=$!
fi
status=0
"$load" -url "http://127.0.0.1:$port" -key "$KEY" -reload-key "$ADMIN" -analyst-key "$AN" -approver-key "$AP" "$@" || status=$?
[ -z "$importer" ] || wait "$importer" || status=1
[ -z "$dropper" ] || wait "$dropper" || status=1
uptime
loaded=$(grep -h '"index loaded"' "$work/serve.log" | tail -n +2 || true)
[ -z "$loaded" ] || echo "$loaded" | sed 's/^/index loaded again: /'
# A run meant to rebuild that did not is a failed run, not a good one.
if [ -n "$importer" ] && ! echo "$loaded" | grep -q .; then
	echo "loadtest: the imported list was not picked up during the run (no later index load)" >&2; status=1
fi
if [ -n "$dropper" ] && ! ls "$data"/index/*.lxi >/dev/null 2>&1; then
	echo "loadtest: no index was rebuilt after the index files were removed (is -reload-at after LOADTEST_DROP_INDEX_AT?)" >&2; status=1
fi
ps -o times=,rss= -p $spid | awk '{print "server cpu " $1 " s, rss " $2 " KB"}'
curl -s -H "Authorization: Bearer $ADMIN" "http://127.0.0.1:$port/metrics" > "$work/metrics.txt" || true
echo "server log, metrics and data: $work"
exit $status
