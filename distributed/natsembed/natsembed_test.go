package natsembed

import (
	"errors"
	"strings"
	"testing"
)

// TestServer: the external server when named (its stream deleted first),
// an error when one is required and none named, else an embedded one.
func TestTestServer(t *testing.T) {
	t.Setenv(EnvTestNATS, "")
	t.Setenv(EnvRequireNATS, "1")
	if _, _, err := TestServer(t.TempDir(), nil); err == nil || !strings.Contains(err.Error(), EnvTestNATS) {
		t.Errorf("required and not named: %v, want an error naming %s", err, EnvTestNATS)
	}

	t.Setenv(EnvTestNATS, "nats://127.0.0.1:4222")
	deleted := ""
	url, stop, err := TestServer(t.TempDir(), func(u string) error { deleted = u; return nil })
	if err != nil || url != "nats://127.0.0.1:4222" || deleted != url {
		t.Errorf("named: %q, %v, deleted the stream of %q", url, err, deleted)
	} else {
		stop()
	}
	if _, _, err := TestServer(t.TempDir(), func(string) error { return errors.New("connection refused") }); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("named but unreachable: %v, want the error", err)
	}

	t.Setenv(EnvTestNATS, "")
	t.Setenv(EnvRequireNATS, "")
	url, stop, err = TestServer(t.TempDir(), nil)
	if err != nil || !strings.HasPrefix(url, "nats://127.0.0.1:") {
		t.Fatalf("embedded: %q, %v", url, err)
	}
	stop()
}
