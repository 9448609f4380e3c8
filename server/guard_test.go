package server

import (
	"testing"
	"time"
)

func TestClientKey(t *testing.T) {
	for _, c := range []struct{ addr, want string }{
		{"192.0.2.7:443", "192.0.2.7"},
		{"[::ffff:192.0.2.7]:80", "192.0.2.7"},
		{"[2001:db8:1:2:aaaa::1]:5000", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:bbbb::9]:6000", "2001:db8:1:2::/64"},
		{"[2001:db8:1:3::1]:6000", "2001:db8:1:3::/64"},
		{"2001:db8:1:2::5", "2001:db8:1:2::/64"},
		{"@unix", "@unix"},
	} {
		if got := clientKey(c.addr); got != c.want {
			t.Errorf("clientKey(%q) = %q, want %q", c.addr, got, c.want)
		}
	}
}

func TestFailLimiter(t *testing.T) {
	f := newFailLimiter(10)
	now := time.Now()
	for i := range 10 {
		if w := f.blocked("a", now); w != 0 {
			t.Fatalf("attempt %d blocked for %s", i+1, w)
		}
		f.fail("a", now)
	}
	if w := f.blocked("a", now); w < 5*time.Second || w > 6*time.Second {
		t.Errorf("11th attempt: wait %s, want 6 s (10 a minute)", w)
	}
	if w := f.blocked("b", now); w != 0 {
		t.Errorf("another address blocked for %s", w)
	}
	if w := f.blocked("a", now.Add(6*time.Second)); w != 0 {
		t.Errorf("after 6 s: still blocked for %s", w)
	}
	// Full buckets are forgotten; past maxAddrs, unknown addresses are refused.
	f = newFailLimiter(10)
	f.maxAddrs = 4
	for _, a := range []string{"a", "b", "c", "d"} {
		f.fail(a, now)
	}
	if w := f.blocked("e", now); w == 0 {
		t.Errorf("a 5th address while 4 (maxAddrs) are tracked: not refused")
	}
	f.fail("e", now.Add(2*time.Minute)) // sweeps the full buckets away
	if len(f.addrs) != 1 {
		t.Errorf("after a sweep: %d addresses tracked, want 1", len(f.addrs))
	}
}
