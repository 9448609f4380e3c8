package server

import (
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/netutil"

	"github.com/lexscreen/lexscreen/audit"
)

// What a hostile client can hold is bounded here: connections per client
// address and in total (Listener), failed authentications per client
// address (failLimiter), heavy operations at once (heavy), and which keys
// are remembered (keyCache). See API.md, "Limits and threat model".

// Defaults of the Config fields these limits read.
const (
	DefaultMaxConns        = 4096
	DefaultMaxConnsPerAddr = 512 // above lexload's default of 256 workers
	DefaultAuthFailures    = 10  // a minute, per client address
	DefaultBodyTimeout     = 10 * time.Second
	DefaultMaxReplays      = 2
	DefaultMaxVerifies     = 1
	DefaultMaxBatches      = 4
)

// clientKey is the address a client is counted under: its IPv4 address,
// or the /64 network of an IPv6 address (one host usually holds a whole
// /64). addr is "host:port" or a bare host; one that can't be read counts
// as itself.
func clientKey(addr string) string {
	ap, err := netip.ParseAddrPort(addr)
	var ip netip.Addr
	if err == nil {
		ip = ap.Addr()
	} else if ip, err = netip.ParseAddr(addr); err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// Listener wraps ln with the server's connection caps: at most
// Config.MaxConnsPerAddr open connections from one client address (one
// more is closed as soon as it is accepted) and at most Config.MaxConns in
// all (past it, new connections wait in the kernel's queue until one
// closes). Serve the Handler on the listener it returns.
func (s *Server) Listener(ln net.Listener) net.Listener {
	var out net.Listener = &perAddrListener{Listener: ln, max: s.cfg.MaxConnsPerAddr, open: map[string]int{}, refused: s.metrics.refusedConn}
	if s.cfg.MaxConns > 0 {
		out = netutil.LimitListener(out, s.cfg.MaxConns)
	}
	return out
}

// perAddrListener closes a connection from a client address that already
// holds max open ones.
type perAddrListener struct {
	net.Listener
	max     int
	mu      sync.Mutex
	open    map[string]int
	refused func()
}

func (l *perAddrListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil || l.max <= 0 {
			return c, err
		}
		key := clientKey(c.RemoteAddr().String())
		l.mu.Lock()
		n := l.open[key]
		if n < l.max {
			l.open[key] = n + 1
		}
		l.mu.Unlock()
		if n >= l.max {
			c.Close()
			l.refused()
			continue
		}
		return &countedConn{Conn: c, l: l, key: key}, nil
	}
}

func (l *perAddrListener) release(key string) {
	l.mu.Lock()
	if n := l.open[key] - 1; n > 0 {
		l.open[key] = n
	} else {
		delete(l.open, key)
	}
	l.mu.Unlock()
}

// countedConn gives its place back once, at its first Close.
type countedConn struct {
	net.Conn
	l      *perAddrListener
	key    string
	closed atomic.Bool
}

func (c *countedConn) Close() error {
	if c.closed.CompareAndSwap(false, true) {
		c.l.release(c.key)
	}
	return c.Conn.Close()
}

// failLimiter counts failed authentications per client address in a token
// bucket: burst failures at once, then burst a minute. The map forgets an
// address once its bucket is full again; while it tracks maxAddrs
// addresses (an attack from that many addresses at once), an untracked
// address is refused too (fail closed).
type failLimiter struct {
	burst    float64
	perSec   float64
	maxAddrs int
	mu       sync.Mutex
	addrs    map[string]*bucket
	swept    time.Time
}

func newFailLimiter(perMinute int) *failLimiter {
	return &failLimiter{burst: float64(perMinute), perSec: float64(perMinute) / 60, maxAddrs: 100000, addrs: map[string]*bucket{}}
}

// refill brings b's tokens to now (locked).
func (f *failLimiter) refill(b *bucket, now time.Time) {
	b.tokens = min(f.burst, b.tokens+now.Sub(b.last).Seconds()*f.perSec)
	b.last = now
}

// blocked returns how long the address must wait before its next attempt
// (0: it may try now).
func (f *failLimiter) blocked(addr string, now time.Time) time.Duration {
	if f.burst <= 0 {
		return 0
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	b := f.addrs[addr]
	if b == nil {
		if len(f.addrs) >= f.maxAddrs {
			return time.Minute
		}
		return 0
	}
	f.refill(b, now)
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) / f.perSec * float64(time.Second))
}

// fail counts a failed authentication of the address.
func (f *failLimiter) fail(addr string, now time.Time) {
	if f.burst <= 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	b := f.addrs[addr]
	if b == nil {
		if len(f.addrs) >= f.maxAddrs/2 && now.Sub(f.swept) > time.Second {
			f.sweep(now)
		}
		if len(f.addrs) >= f.maxAddrs {
			return
		}
		b = &bucket{tokens: f.burst, last: now}
		f.addrs[addr] = b
	}
	f.refill(b, now)
	b.tokens = max(0, b.tokens-1)
}

// sweep forgets the addresses whose bucket is full again (locked).
func (f *failLimiter) sweep(now time.Time) {
	f.swept = now
	for a, b := range f.addrs {
		if f.refill(b, now); b.tokens >= f.burst {
			delete(f.addrs, a)
		}
	}
}

// keyCacheTTL is how long the server trusts a key it authenticated before
// asking the audit database again (which has its own cache of 2 s): a key
// revoked by another process stops working within 3 s.
const keyCacheTTL = time.Second

// keyCache remembers the keys that authenticated, and only those: an
// unknown token never enters it, so a flood of random tokens can't push
// the known keys out (it can only make the audit database's own cache
// forget them, which costs one lookup a second per key).
type keyCache struct {
	mu sync.Mutex
	m  map[string]cachedKey
}

type cachedKey struct {
	key     audit.Key
	expires time.Time
}

func (c *keyCache) get(token string, now time.Time) (audit.Key, bool) {
	c.mu.Lock()
	e, ok := c.m[token]
	c.mu.Unlock()
	if !ok || now.After(e.expires) {
		return audit.Key{}, false
	}
	return e.key, true
}

// put remembers a valid key until expires.
func (c *keyCache) put(token string, k audit.Key, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= 10000 {
		// Only valid tokens get here: so many means expired ones.
		now := time.Now()
		fresh := map[string]cachedKey{}
		for t, e := range c.m {
			if now.Before(e.expires) {
				fresh[t] = e
			}
		}
		c.m = fresh
	}
	c.m[token] = cachedKey{key: k, expires: expires}
}

// heavy bounds how many requests of one kind (audit replays, audit
// verifications, batches) run at once; one more is answered 429 with
// Retry-After at once rather than queued.
type heavy struct {
	kind       string
	slots      chan struct{}
	retryAfter time.Duration
}

func newHeavy(kind string, n int, retryAfter time.Duration) *heavy {
	return &heavy{kind: kind, slots: make(chan struct{}, n), retryAfter: retryAfter}
}

// bounded runs h within the limit of its kind.
func (s *Server) bounded(hv *heavy, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case hv.slots <- struct{}{}:
			defer func() { <-hv.slots }()
			h(w, r)
		default:
			s.metrics.refused.WithLabelValues("busy_" + hv.kind).Inc()
			w.Header().Set("Retry-After", strconv.Itoa(int(hv.retryAfter.Seconds())))
			writeError(w, r, http.StatusTooManyRequests, "busy",
				"the server runs as many "+hv.kind+" requests at once as it is configured for ("+strconv.Itoa(cap(hv.slots))+"); retry later")
		}
	}
}
