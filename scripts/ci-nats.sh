# Sourced by .ci/run: installs nats-server from the Debian package when it
# is missing, starts a throw-away server with JetStream on a free loopback
# port, its store in a temporary directory, and exports LEXSCREEN_TEST_NATS
# and LEXSCREEN_REQUIRE_NATS=1, so that the distributed tests (package
# distributed, lexbench distributed) run on it and cannot fall back to an
# embedded server. nats_ci_stop stops it.

if ! command -v nats-server >/dev/null 2>&1; then
	echo "ci-nats: nats-server not found; installing the Debian package" >&2
	export DEBIAN_FRONTEND=noninteractive
	if [ "$(id -u)" = 0 ]; then
		apt-get update -qq && apt-get install -y -qq --no-install-recommends nats-server >/dev/null
	else
		sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends nats-server >/dev/null
	fi
	command -v nats-server >/dev/null 2>&1 || { echo "ci-nats: no nats-server after installing the package" >&2; return 1; }
fi

NATS_CI_DIR=$(mktemp -d /tmp/lexscreen-nats.XXXXXX)
nats_ci_stop() {
	if [ -n "${NATS_CI_PID:-}" ]; then
		kill "$NATS_CI_PID" 2>/dev/null || true
		wait "$NATS_CI_PID" 2>/dev/null || true
		NATS_CI_PID=
	fi
	rm -rf "$NATS_CI_DIR"
}
# A free port: the kernel picks one, the server takes it a moment later.
NATS_CI_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
	echo $((20000 + RANDOM % 20000)))
nats-server -a 127.0.0.1 -p "$NATS_CI_PORT" -js -sd "$NATS_CI_DIR/store" -l "$NATS_CI_DIR/server.log" &
NATS_CI_PID=$!
for _ in $(seq 1 100); do
	if (exec 3<>"/dev/tcp/127.0.0.1/$NATS_CI_PORT") 2>/dev/null; then
		break
	fi
	if ! kill -0 "$NATS_CI_PID" 2>/dev/null; then
		cat "$NATS_CI_DIR/server.log" >&2
		NATS_CI_PID=
		nats_ci_stop
		return 1
	fi
	sleep 0.1
done
if ! grep -q "Starting JetStream" "$NATS_CI_DIR/server.log" 2>/dev/null; then
	sleep 0.5
	grep -q "Starting JetStream" "$NATS_CI_DIR/server.log" ||
		{ echo "ci-nats: nats-server did not start JetStream:" >&2; cat "$NATS_CI_DIR/server.log" >&2; nats_ci_stop; return 1; }
fi
export LEXSCREEN_TEST_NATS="nats://127.0.0.1:$NATS_CI_PORT"
export LEXSCREEN_REQUIRE_NATS=1
echo "ci-nats: nats-server $(nats-server --version | awk '{print $2}') with JetStream at $LEXSCREEN_TEST_NATS" >&2
