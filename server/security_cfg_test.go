package server

import (
	"net"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen/regime"
)

// The security tests set the server's limits through these helpers only,
// so that they also build on a server without the limits (the start commit
// of issue 11, with testdata/security_cfg_base.go.txt in place of this
// file) and show there what a hostile client could do.

// secLimits are the limits a security test sets (zero: the default).
type secLimits struct {
	Timeout, BodyTimeout                                   time.Duration
	MaxConns, MaxConnsPerAddr, AuthFailures                int
	MaxReplays, MaxVerifies, MaxBatches, MaxBatch, MaxBody int
	ProfilesDir                                            string
}

func secConfig(t testing.TB, l secLimits) Config {
	t.Helper()
	c := Config{RateLimit: -1, MaxListAge: -1, Timeout: l.Timeout, BodyTimeout: l.BodyTimeout, MaxConns: l.MaxConns,
		MaxConnsPerAddr: l.MaxConnsPerAddr, AuthFailures: l.AuthFailures, MaxReplays: l.MaxReplays, MaxVerifies: l.MaxVerifies,
		MaxBatches: l.MaxBatches, MaxBatch: l.MaxBatch, MaxBody: int64(l.MaxBody)}
	if l.ProfilesDir != "" {
		p, err := regime.LoadProfiles(l.ProfilesDir)
		if err != nil {
			t.Fatal(err)
		}
		c.Profiles = p
	}
	return c
}

// secListener is the server's listener with its connection caps.
func secListener(s *Server, ln net.Listener) net.Listener { return s.Listener(ln) }

// secLongKeyCache makes the server remember valid keys for a minute.
func secLongKeyCache(s *Server) { s.keyTTL = time.Minute }
