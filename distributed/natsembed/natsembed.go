// Package natsembed runs a NATS server with JetStream inside the process,
// on a free loopback port: for tests and benchmarks, not for production
// (use Debian's nats-server there, see docs/SCALING.md).
package natsembed

import (
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Start starts a JetStream-enabled server storing in dir; Shutdown stops it.
func Start(dir string) (*server.Server, error) {
	s, err := server.NewServer(&server.Options{
		Host:      "127.0.0.1",
		Port:      server.RANDOM_PORT,
		JetStream: true,
		StoreDir:  dir,
		NoSigs:    true,
		NoLog:     true,
	})
	if err != nil {
		return nil, fmt.Errorf("embedded NATS: %w", err)
	}
	go s.Start()
	if !s.ReadyForConnections(30 * time.Second) {
		s.Shutdown()
		return nil, fmt.Errorf("embedded NATS: not ready after 30s")
	}
	return s, nil
}

// Environment of the tests that need NATS: LEXSCREEN_TEST_NATS names an
// external nats-server with JetStream (scripts/ci-nats.sh starts Debian's);
// LEXSCREEN_REQUIRE_NATS=1 makes its absence a failure, not a fallback.
const (
	EnvTestNATS    = "LEXSCREEN_TEST_NATS"
	EnvRequireNATS = "LEXSCREEN_REQUIRE_NATS"
)

// TestServer returns the NATS URL a test uses: the external server of
// LEXSCREEN_TEST_NATS, its work stream deleted so that the test starts on
// an empty one (the tests that use it must not run at the same time), or
// else an embedded server storing in dir. With LEXSCREEN_REQUIRE_NATS=1
// and no LEXSCREEN_TEST_NATS it is an error. stop ends the embedded server
// (nothing for an external one).
func TestServer(dir string, deleteStream func(url string) error) (url string, stop func(), err error) {
	if u := os.Getenv(EnvTestNATS); u != "" {
		if err := deleteStream(u); err != nil {
			return "", nil, fmt.Errorf("%s=%s: %w", EnvTestNATS, u, err)
		}
		return u, func() {}, nil
	}
	if os.Getenv(EnvRequireNATS) == "1" {
		return "", nil, fmt.Errorf("%s=1 but %s is not set: start nats-server with JetStream (scripts/ci-nats.sh) and set it", EnvRequireNATS, EnvTestNATS)
	}
	s, err := Start(dir)
	if err != nil {
		return "", nil, err
	}
	return s.ClientURL(), s.Shutdown, nil
}
