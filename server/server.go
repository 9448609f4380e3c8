// Package server is lexscreen's HTTP API: screening (single, streamed batch,
// yente-compatible match and search, OpenRefine reconciliation), the lists
// and their history, the legal regimes, the audit trail, an OpenAPI document
// generated from the code, health checks and Prometheus metrics.
//
// Every screening is written to the audit chain before its answer is sent.
// The index is rebuilt in the background when the store changes and swapped
// atomically, so a reload neither drops nor fails a request.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/internal/heapwarm"
	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/store"
	"github.com/lexscreen/lexscreen/workspace"
)

// Config configures a Server. Zero values take the defaults noted.
type Config struct {
	Store store.Store
	Audit *audit.DB
	// Workspace, when set, serves the book, alerts and decisions
	// (/v1/subjects, /v1/alerts ...); without it those answer 503.
	Workspace     *workspace.Store
	EngineVersion string
	Logger        *slog.Logger // default: JSON on stderr

	MaxBody      int64         // bytes of a request body (default 1 MiB)
	MaxBatchBody int64         // bytes of a batch body (default 64 MiB)
	MaxBatch     int           // queries per batch, yente match or reconcile request (default 10000)
	Timeout      time.Duration // time per request, batches excepted (default 30s)
	BatchTimeout time.Duration // time per batch (default 10m)
	RateLimit    float64       // requests per second per key (default 1000; negative: none)
	RateBurst    int           // bucket size (default 2 × RateLimit)
	PollInterval time.Duration // how often the store is checked for new lists (default 2s)
	LogNames     bool          // log screened names (off by default: they are personal data)
	// MaxListAge is the age past which an official list makes every result
	// warn (screening.Options.MaxListAge: 0 the default, negative never).
	MaxListAge time.Duration

	// Profiles are the operator profiles a request may name besides the
	// built-in ones, by name (serve --profiles DIR, regime.LoadProfiles).
	// No request value ever names a file.
	Profiles map[string]regime.Operator

	// Limits on hostile or careless clients (guard.go, API.md). For each,
	// zero takes the default and a negative value means no limit.
	BodyTimeout     time.Duration // time to receive a request body, from its headers (default 10s, at most Timeout; batches: BatchTimeout)
	MaxConns        int           // open connections in all (default 4096; Listener)
	MaxConnsPerAddr int           // open connections per client address (IPv6: per /64) (default 512; Listener)
	AuthFailures    int           // failed authentications a minute per client address, then 429 (default 10)
	MaxReplays      int           // audit replays at once, then 429 (default 2)
	MaxVerifies     int           // audit verifications at once, then 429 (default 1)
	MaxBatches      int           // streamed batches at once, then 429 (default 4)

	// Sessions of users signed in with a password (session.go): ended
	// after SessionIdle without a request (default 30m) and SessionMax in
	// all (default 12h).
	SessionIdle, SessionMax time.Duration

	// ReloadCPU is the share of one core a rebuild of the index may take
	// while an index is serving (default 0.25; 1 or more: no limit), so
	// that a list reload does not starve the screenings in flight. The
	// first build, before the server is ready, is never limited.
	ReloadCPU float64

	// BuildIndex, when set, builds and keeps the index file of these
	// snapshots in another process (serve runs `lexscreen index
	// --background`, at the lowest CPU and I/O priority) before a rebuild while an
	// index is serving; the server then maps the file. That process's
	// collections and page faults are not the server's, and the screenings
	// in flight keep the cores. When it fails, or its file is not found,
	// the server builds the index itself at ReloadCPU, and logs why.
	BuildIndex func(ctx context.Context, snapshotIDs []int64) error

	// WarmHeap touches, before the server is ready, the memory the heap
	// will grow into under load (internal/heapwarm): on a virtual machine
	// the page faults of that growth otherwise cost the first second of
	// traffic some 0.6 s of CPU. serve sets it (--warm-heap).
	WarmHeap bool

	// OpenDiscovery serves the reconciliation manifest, /catalog and
	// /algorithms without a key (serve --open-discovery): what clients such
	// as Marble and OpenRefine read before they send a key. Screenings and
	// entities always need one.
	OpenDiscovery bool

	// AfterSwap, when set, is called (in the reloading goroutine) each
	// time a new index is in use: serve --monitor starts a monitoring run
	// of the lists that changed.
	AfterSwap func(ix *Index)
}

// DefaultReloadCPU is Config.ReloadCPU's default.
const DefaultReloadCPU = 0.25

// Server is the HTTP API.
type Server struct {
	cfg    Config
	log    *slog.Logger
	index  atomic.Pointer[Index]
	reload sync.Mutex // one rebuild at a time
	// asOf caches the indexes of past dates (see indexAt), asOfMu guards
	// it and builds one at a time.
	asOfMu sync.Mutex
	asOf   map[string]*Index
	// lastPaused is how long the last rebuild paused to leave the cores
	// to the screenings (nanoseconds).
	lastPaused  atomic.Int64
	reloadSlice time.Duration // the throttle's slice of work (tests set a small one)
	mux         *http.ServeMux
	metrics     *metrics
	// monitorMetrics count the background monitoring runs (MonitorRan).
	monitorMetrics *monitorMetrics
	limits         *limiter
	routes         []route
	auditJobs      verifyJobs // audit verify jobs (audit_http.go)
	authFails      *failLimiter
	keys           keyCache
	keyTTL         time.Duration // how long keys stay in keys (tests set a longer one)
	replays        *heavy
	verifies       *heavy
	batches        *heavy
}

// orDefault is v, or def when v is zero.
func orDefault[T int | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// slots is a heavy limit's size: n, or no limit when negative.
func slots(n int) int {
	if n < 0 {
		return 1 << 30
	}
	return n
}

// New returns a Server; call Start to build the index and follow the store.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 1 << 20
	}
	if cfg.MaxBatchBody <= 0 {
		cfg.MaxBatchBody = 64 << 20
	}
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = 10000
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.BatchTimeout <= 0 {
		cfg.BatchTimeout = 10 * time.Minute
	}
	if cfg.RateLimit == 0 {
		cfg.RateLimit = 1000
	}
	if cfg.RateBurst <= 0 {
		cfg.RateBurst = int(math.Max(1, 2*cfg.RateLimit))
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 2 * time.Second
	}
	if cfg.ReloadCPU <= 0 {
		cfg.ReloadCPU = DefaultReloadCPU
	}
	cfg.BodyTimeout = orDefault(cfg.BodyTimeout, DefaultBodyTimeout)
	if cfg.BodyTimeout < 0 || cfg.BodyTimeout > cfg.Timeout {
		cfg.BodyTimeout = cfg.Timeout
	}
	cfg.MaxConns = orDefault(cfg.MaxConns, DefaultMaxConns)
	cfg.MaxConnsPerAddr = orDefault(cfg.MaxConnsPerAddr, DefaultMaxConnsPerAddr)
	cfg.AuthFailures = orDefault(cfg.AuthFailures, DefaultAuthFailures)
	cfg.MaxReplays = slots(orDefault(cfg.MaxReplays, DefaultMaxReplays))
	cfg.MaxVerifies = slots(orDefault(cfg.MaxVerifies, DefaultMaxVerifies))
	cfg.MaxBatches = slots(orDefault(cfg.MaxBatches, DefaultMaxBatches))
	cfg.SessionIdle = orDefault(cfg.SessionIdle, DefaultSessionIdle)
	cfg.SessionMax = orDefault(cfg.SessionMax, DefaultSessionMax)
	s := &Server{cfg: cfg, log: cfg.Logger, mux: http.NewServeMux(), limits: newLimiter(cfg.RateLimit, cfg.RateBurst),
		authFails: newFailLimiter(cfg.AuthFailures), keyTTL: keyCacheTTL,
		replays:  newHeavy("replay", cfg.MaxReplays, 10*time.Second),
		verifies: newHeavy("verify", cfg.MaxVerifies, 30*time.Second),
		batches:  newHeavy("batch", cfg.MaxBatches, 30*time.Second)}
	s.metrics = newMetrics(s)
	s.monitorMetrics = newMonitorMetrics(s.metrics.reg)
	if cfg.Audit != nil {
		cfg.Audit.ObserveCommits(s.metrics.observeCommit)
	}
	s.routes = append(append(s.routeTable(), s.sessionRoutes()...), s.overlayRoute())
	for _, rt := range s.routes {
		s.mux.Handle(rt.Method+" "+rt.Path, s.wrap(rt))
	}
	s.registerPreflights()
	s.mux.Handle("/", s.wrap(route{Path: "/", Public: true, handler: func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, http.StatusNotFound, "not_found", fmt.Sprintf("no endpoint %s %s (see /docs)", r.Method, r.URL.Path))
	}}))
	return s
}

// Handler is the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.mux }

// Index returns the index in use (nil before the first one is built).
func (s *Server) Index() *Index { return s.index.Load() }

// Start builds the first index in the background and then follows the
// store for new lists until ctx ends: it polls every PollInterval and, when
// the store announces changes (store.ChangeNotifier: PostgreSQL's
// LISTEN/NOTIFY, so that a list imported through another replica is served
// within a second), reloads at once.
func (s *Server) Start(ctx context.Context) {
	var changes <-chan struct{}
	if n, ok := s.cfg.Store.(store.ChangeNotifier); ok {
		changes = n.Changes(ctx)
	}
	go func() {
		if _, err := s.Reload(ctx, false); err != nil {
			s.log.Error("index build failed; retrying at the next poll", "err", err)
		}
		t := time.NewTicker(s.cfg.PollInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-changes:
			}
			if _, err := s.Reload(ctx, false); err != nil && ctx.Err() == nil {
				s.log.Error("list reload failed; the previous index stays in use", "err", err)
			}
		}
	}()
}

// Reload rebuilds the index when the snapshots in use changed (always with
// force) and swaps it in. It reports whether it swapped. On failure the
// index in use stays.
func (s *Server) Reload(ctx context.Context, force bool) (bool, error) {
	s.reload.Lock()
	defer s.reload.Unlock()
	cur, err := s.cfg.Store.Current(ctx)
	if err != nil {
		s.metrics.reloads.WithLabelValues("failed").Inc()
		return false, err
	}
	ids := make([]int64, len(cur))
	for i, c := range cur {
		ids[i] = c.ID
	}
	old := s.index.Load()
	if !force && old != nil && slices.Equal(old.SnapshotIDs(), ids) {
		return false, nil
	}
	start := time.Now()
	var th *screening.Throttle
	if old != nil {
		// Screenings are being answered: the rebuild takes its share of a core only.
		th = &screening.Throttle{Share: s.cfg.ReloadCPU, Slice: s.reloadSlice}
	}
	snaps, err := store.SnapshotsByID(ctx, s.cfg.Store, ids)
	if err != nil {
		s.metrics.reloads.WithLabelValues("failed").Inc()
		return false, err
	}
	var elsewhere time.Duration // how long another process took to build it; 0: none did
	if old != nil && s.cfg.BuildIndex != nil && !indexKept(s.cfg.Store, snaps, s.cfg.EngineVersion) {
		if err := s.cfg.BuildIndex(ctx, ids); err != nil {
			s.metrics.reload.builds.WithLabelValues("failed_elsewhere").Inc()
			s.log.Warn("the index could not be built in another process: building it in this one, paced", "snapshots", ids, "err", err)
		} else {
			elsewhere = time.Since(start)
		}
	}
	ix, err := loadSnaps(ctx, s.cfg.Store, snaps, s.cfg.EngineVersion, time.Now(), th.Step)
	if err != nil {
		s.metrics.reloads.WithLabelValues("failed").Inc()
		return false, err
	}
	switch {
	case ix.Screener.Built():
		s.metrics.reload.builds.WithLabelValues("here").Inc()
		if elsewhere > 0 {
			s.log.Warn("the index built in another process was not found (another lexscreen build, or the file already gone): built in this one", "snapshots", ids)
		}
	case elsewhere > 0:
		s.metrics.reload.builds.WithLabelValues("elsewhere").Inc()
	default:
		s.metrics.reload.builds.WithLabelValues("kept_file").Inc()
	}
	ix.Screener.Warm() // not in the first screenings on the new index
	warm, warmed := time.Now(), 0
	if old == nil {
		// Before the server is ready. Not at a reload: there the warm-up's
		// CPU would be taken from the screenings being answered (the reload
		// second's answers over 20 ms: a median of 12 in 6 runs without it,
		// 58 in 4 with it).
		warmed = ix.Screener.WarmUp(warmUpNames)
	}
	warmTook := time.Since(warm)
	if old == nil && s.cfg.WarmHeap {
		// Last, when the live heap holds the index and the warm-up's caches.
		hw := heapwarm.Touch()
		s.log.Info("heap warmed", "live_mb", hw.Live>>20, "goal_mb", hw.Goal>>20, "touched_mb", hw.Touched>>20, "seconds", hw.Took.Seconds())
	}
	s.index.Store(ix)
	s.lastPaused.Store(int64(th.Paused()))
	s.metrics.reloads.WithLabelValues("ok").Inc()
	s.metrics.reload.duration.Observe(time.Since(start).Seconds())
	s.metrics.reload.lastSuccess.SetToCurrentTime()
	ph := ix.Screener.Phases()
	s.log.Info("index loaded", "entities", ix.Entities, "snapshots", ids, "seconds", time.Since(start).Seconds(),
		"paused_seconds", th.Paused().Seconds(), "warm_up_names", warmed, "warm_up_seconds", warmTook.Seconds(),
		"built", ix.Screener.Built(), "built_elsewhere_seconds", elsewhere.Seconds(), "read_seconds", ph.Read.Seconds(), "build_seconds", ph.Build.Seconds(),
		"write_seconds", ph.Write.Seconds(), "read_back_seconds", ph.ReadBack.Seconds())
	if s.cfg.AfterSwap != nil {
		s.cfg.AfterSwap(ix)
	}
	return true, nil
}

// warmUpNames is how many of its own names the first index screens before
// the server is ready (Screener.WarmUp). In the load test (2,000 screenings
// a second from the start, --audit-sync normal, alerts off) it took the
// answers of the first second slower than 20 ms from a median of 389 to
// 227 (5 runs each); with alerts on it made no difference.
const warmUpNames = 256

// defaultRegimes loads the bundled legal regimes once.
var defaultRegimes = sync.OnceValues(func() (*regime.Engine, error) { return regime.Load() })

// route is one endpoint: the table drives both the mux and the OpenAPI document.
type route struct {
	Method, Path string
	Role         string // the least role allowed; "" with Public
	Public       bool
	Summary      string
	Description  string
	Params       []param
	Request      any    // a value of the request body type (JSON), or nil
	RequestType  string // content type of the body, default application/json
	// AltRequests are the other content types of the body, each with its
	// type (a struct of form fields for a form).
	AltRequests  map[string]any
	Response     any    // a value of the response type
	ResponseType string // content type of the answer, default application/json
	Example      string // a request body example
	Batch        bool   // long-running: the batch body and time limits apply
	// Alternatives are the other shapes an answer (or a line of it) may
	// take besides Response: the document says anyOf them.
	Alternatives []any
	// AltTypes are the other content types of a 200 answer, each with its
	// body type (nil: text or bytes).
	AltTypes map[string]any
	// Answers are the other statuses the endpoint answers besides 200 and
	// the usual errors, with their body type (nil: the error body).
	Answers []answer
	handler http.HandlerFunc
}

// answer is a status an endpoint may answer, what it means and its body.
type answer struct {
	Status      int
	Description string
	Body        any
}

type param struct {
	Name, In, Description, Example string
	Required                       bool
}

// allowed says whether a role may use an endpoint needing need. An
// approver has the analyst's rights; the workspace's read endpoints
// (roleReader) are open to analysts, approvers and auditors.
func allowed(role, need string) bool {
	switch {
	case role == audit.RoleAdmin, need == roleSession:
		return true
	case need == audit.RoleScreener:
		return role == audit.RoleScreener || role == audit.RoleAnalyst || role == audit.RoleApprover
	case need == audit.RoleAnalyst:
		return role == audit.RoleAnalyst || role == audit.RoleApprover
	case need == roleReader:
		return role == audit.RoleAnalyst || role == audit.RoleApprover || role == audit.RoleAuditor
	default:
		return role == need
	}
}

// forbiddenMessage says why a key's role may not use an endpoint.
func forbiddenMessage(k audit.Key, need, label string) string {
	if need == roleReader {
		need = "analyst, approver or auditor"
	}
	return fmt.Sprintf("role %s may not use %s (needs %s)", k.Role, label, need)
}

type ctxKey int

const keyCtx ctxKey = 0

// keyOf returns the API key of a request.
func keyOf(r *http.Request) audit.Key {
	k, _ := r.Context().Value(keyCtx).(audit.Key)
	return k
}

// statusWriter records the status and size of an answer.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection (full duplex,
// read deadlines) through the wrapper.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// wrap adds to a handler: metrics and logs, panics as 500s, a read
// deadline for the body, authentication from the headers alone (the body
// is not read, nor drained, for a request refused), the limit on failed
// authentications per client address, the role check, the rate limit, the
// body limit and the time limit.
func (s *Server) wrap(rt route) http.Handler {
	label := rt.Method + " " + rt.Path
	if rt.Method == "" {
		label = "other"
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		var key audit.Key
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic", "route", label, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if sw.status == 0 {
					writeError(sw, r, http.StatusInternalServerError, lexscreen.EINTERNAL, "internal error")
				}
			}
			d := time.Since(start)
			code := strconv.Itoa(sw.status)
			s.metrics.requests.WithLabelValues(label, code).Inc()
			s.metrics.latency.WithLabelValues(label).Observe(d.Seconds())
			if rt.Path != "/healthz" && rt.Path != "/readyz" && rt.Path != "/metrics" {
				s.log.Info("request", "method", r.Method, "route", label, "status", sw.status,
					"ms", float64(d.Microseconds())/1000, "bytes", sw.bytes, "key", key.ID, "remote", r.RemoteAddr)
			}
		}()
		limit, timeout, bodyTimeout := s.cfg.MaxBody, s.cfg.Timeout, s.cfg.BodyTimeout
		if rt.Batch {
			limit, timeout, bodyTimeout = s.cfg.MaxBatchBody, s.cfg.BatchTimeout, s.cfg.BatchTimeout
		}
		hasBody := r.ContentLength != 0 && r.Body != nil && r.Body != http.NoBody
		if hasBody {
			// The body must arrive within bodyTimeout of the headers: a
			// client sending it a byte at a time is cut then. The deadline
			// is lifted once the body is read to its end (bodyDone).
			http.NewResponseController(w).SetReadDeadline(start.Add(bodyTimeout))
		}
		// refuse answers without reading the body and closes the connection:
		// whatever the client still sends is never read.
		refuse := func(status int, code, msg string) {
			sw.Header().Set("Connection", "close")
			if hasBody {
				http.NewResponseController(w).SetReadDeadline(time.Now())
			}
			writeError(sw, r, status, code, msg)
		}
		if corsPath(rt.Path) {
			setCORS(sw.Header())
		}
		cred := credentialOf(r)
		r = withoutAPIKey(r) // no handler sees, echoes or logs a key sent in the URL
		var sess session
		viaSession := false
		if !rt.Public && cred.scheme == "" && cred.bad == "" {
			// No API key: the session cookie of a signed-in user, if any.
			k, ss, status, refusal, ok := s.cookieSession(r, start)
			switch {
			case refusal != "":
				code := map[int]string{http.StatusForbidden: "forbidden", http.StatusUnauthorized: "unauthorized"}[status]
				if code == "" {
					code = lexscreen.EUNAVAILABLE
				}
				refuse(status, code, refusal)
				return
			case ok:
				key, sess, viaSession = k, ss, true
			}
		}
		if rt.Role == roleSession && !viaSession {
			refuse(http.StatusUnauthorized, "unauthorized", "no session: sign in first (POST /v1/session with a user's name and password)")
			return
		}
		if viaSession {
			if !allowed(key.Role, rt.Role) {
				refuse(http.StatusForbidden, "forbidden", forbiddenMessage(key, rt.Role, label))
				return
			}
			if wait := s.limits.take(key.ID); wait > 0 {
				sw.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
				refuse(http.StatusTooManyRequests, "rate_limited", fmt.Sprintf("rate limit of %s exceeded; retry after %s", key.ID, wait.Round(time.Millisecond)))
				return
			}
			ctx := context.WithValue(r.Context(), keyCtx, key)
			r = r.WithContext(context.WithValue(ctx, sessionCtxKey, sess))
		} else if !rt.Public && !(cred.scheme == "" && cred.bad == "" && s.discoveryOpen(rt, r.URL.Query())) {
			tok := cred.key
			if cred.bad != "" || tok == "" {
				msg := "an API key is required: Authorization: Bearer KEY (or ApiKey KEY, Basic with the key as the password, ?api_key=KEY)"
				if cred.bad != "" {
					msg = cred.bad
				}
				sw.Header().Set("WWW-Authenticate", `Bearer realm="lexscreen"`)
				refuse(http.StatusUnauthorized, "unauthorized", msg)
				return
			}
			k, ok := s.keys.get(tok, start)
			if !ok {
				client := clientKey(r.RemoteAddr)
				if wait := s.authFails.blocked(client, start); wait > 0 {
					s.metrics.refused.WithLabelValues("auth_failures").Inc()
					sw.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
					refuse(http.StatusTooManyRequests, "rate_limited", fmt.Sprintf("too many failed authentications from %s (at most %d a minute); retry after %s",
						client, s.cfg.AuthFailures, wait.Round(time.Second)))
					return
				}
				var err error
				k, ok, err = s.cfg.Audit.Authenticate(r.Context(), tok)
				if err != nil {
					status, d := errorOf(err)
					refuse(status, d.Code, d.Message)
					return
				}
				if !ok {
					s.authFails.fail(client, start)
					sw.Header().Set("WWW-Authenticate", `Bearer realm="lexscreen", error="invalid_token"`)
					refuse(http.StatusUnauthorized, "unauthorized", "unknown or revoked API key")
					return
				}
				s.keys.put(tok, k, start.Add(s.keyTTL))
			}
			key = k
			if !allowed(k.Role, rt.Role) {
				refuse(http.StatusForbidden, "forbidden", forbiddenMessage(k, rt.Role, label))
				return
			}
			if wait := s.limits.take(k.ID); wait > 0 {
				sw.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
				refuse(http.StatusTooManyRequests, "rate_limited", fmt.Sprintf("rate limit of key %s exceeded; retry after %s", k.ID, wait.Round(time.Millisecond)))
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), keyCtx, k))
		}
		if r.ContentLength > limit {
			refuse(http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("request body of %d bytes: at most %d", r.ContentLength, limit))
			return
		}
		if hasBody {
			// The connection's own writer, so that the server closes a
			// connection whose body went over the limit instead of reading
			// the rest as a request.
			r.Body = http.MaxBytesReader(w, bodyDone{r.Body, w}, limit)
		}
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		rt.handler(sw, r.WithContext(ctx))
	})
}

// bodyDone lifts the body's read deadline once the body is read to its
// end: the server goes on reading the connection in the background then
// (to see a client leave), and the deadline must not end the request.
type bodyDone struct {
	io.ReadCloser
	w http.ResponseWriter
}

func (b bodyDone) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		http.NewResponseController(b.w).SetReadDeadline(time.Time{})
	}
	return n, err
}

// errorBody is the JSON of every error answer.
type errorBody struct {
	Error errorDetail `json:"error"`
	// Detail is set by the yente-compatible endpoints only (yenteErrorBody).
	Detail string `json:"detail,omitempty" doc:"the error as yente words it (yente-compatible endpoints: /match, /search, /entities, /catalog, /algorithms)"`
}

type errorDetail struct {
	Code    string `json:"code" doc:"invalid, not_found, conflict, unavailable, internal, unauthorized, forbidden, too_large, rate_limited, timeout"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	if status == http.StatusRequestTimeout || status == http.StatusRequestEntityTooLarge {
		// The rest of the body is not read: the connection can't carry another request.
		w.Header().Set("Connection", "close")
	}
	writeJSON(w, status, errorBody{Error: errorDetail{Code: code, Message: msg}})
}

// writeErr answers with the HTTP status of an error's code.
func writeErr(w http.ResponseWriter, r *http.Request, err error) {
	status, d := errorOf(err)
	writeError(w, r, status, d.Code, d.Message)
}

// errorOf returns the HTTP status and the error body of an error; an
// internal error is logged and its detail kept out of the answer.
func errorOf(err error) (int, errorDetail) {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, errorDetail{"too_large", fmt.Sprintf("request body over %d bytes", mbe.Limit)}
	case errors.Is(err, os.ErrDeadlineExceeded):
		// A read deadline of the connection: the body came too slowly.
		return http.StatusRequestTimeout, errorDetail{"timeout", "the request body did not arrive within the server's time limit (--body-timeout)"}
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, errorDetail{"timeout", "the request took longer than the server's time limit; nothing was recorded for unanswered screenings"}
	case errors.Is(err, context.Canceled):
		return 499, errorDetail{"canceled", "the request was canceled"}
	}
	var le *lexscreen.Error
	if !errors.As(err, &le) {
		slog.Error("internal error", "err", err)
		return http.StatusInternalServerError, errorDetail{lexscreen.EINTERNAL, "internal error"}
	}
	status := http.StatusInternalServerError
	switch le.Code {
	case lexscreen.EINVALID:
		status = http.StatusBadRequest
	case lexscreen.ENOTFOUND:
		status = http.StatusNotFound
	case lexscreen.ECONFLICT:
		status = http.StatusConflict
	case lexscreen.EUNAVAILABLE:
		status = http.StatusServiceUnavailable
	}
	msg := le.Message
	if le.Code == lexscreen.EINTERNAL {
		slog.Error("internal error", "err", err)
		msg = "internal error"
	}
	return status, errorDetail{le.Code, msg}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"cannot encode the answer"}}`)
	}
	writeRaw(w, status, b)
}

func writeRaw(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	// With its length, an answer goes out in one piece rather than chunked.
	h.Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	w.Write(b)
	w.Write([]byte{'\n'})
}

// decodeJSON reads exactly one JSON value into v, refusing unknown fields.
func decodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) || errors.Is(err, os.ErrDeadlineExceeded) {
			return err
		}
		return lexscreen.Errorf(lexscreen.EINVALID, "request body: more than one JSON value")
	}
	return nil
}

func jsonError(err error) error {
	var mbe *http.MaxBytesError
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &mbe) || errors.Is(err, os.ErrDeadlineExceeded):
		return err
	case errors.Is(err, io.EOF):
		return lexscreen.Errorf(lexscreen.EINVALID, "request body: empty, want a JSON object")
	case errors.As(err, &se):
		return lexscreen.Errorf(lexscreen.EINVALID, "request body: malformed JSON at byte %d: %v", se.Offset, err)
	case errors.As(err, &te):
		return lexscreen.Errorf(lexscreen.EINVALID, "request body: field %q: want %s, got %s", te.Field, te.Type, te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return lexscreen.Errorf(lexscreen.EINVALID, "request body: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return lexscreen.Errorf(lexscreen.EINVALID, "request body: %v", err)
}

// limiter is a token bucket per API key.
type limiter struct {
	rate  float64
	burst float64
	mu    sync.Mutex
	keys  map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate float64, burst int) *limiter {
	return &limiter{rate: rate, burst: float64(burst), keys: map[string]*bucket{}}
}

// take takes a token for key; it returns 0 when one was there, else how
// long until one will be.
func (l *limiter) take(key string) time.Duration {
	if l.rate < 0 {
		return 0
	}
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.keys[key]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.keys[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return 0
	}
	if l.rate == 0 {
		return time.Hour
	}
	return time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}
