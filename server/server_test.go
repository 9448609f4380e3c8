package server

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/ingest"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/source/formats"
	"github.com/lexscreen/lexscreen/store/sqlite"
)

const testdata = "../cmd/lexscreen/testdata/ofac/"

func importDir(t testing.TB, db *sqlite.DB, dir string) {
	t.Helper()
	jobs, err := formats.Detect([]string{dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		if _, err := ingest.Job(context.Background(), db, j, ingest.Options{}); err != nil {
			t.Fatal(err)
		}
	}
}

type env struct {
	t    testing.TB
	dir  string
	db   *sqlite.DB
	adb  *audit.DB
	srv  *Server
	ts   *httptest.Server
	keys map[string]string // role -> token
}

func newEnv(t testing.TB, cfg Config) *env {
	t.Helper()
	return newEnvSync(t, cfg, "full")
}

// newEnvSync is newEnv with the audit trail's durability (see audit.OpenSync).
func newEnvSync(t testing.TB, cfg Config, auditSync string) *env {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	db, err := sqlite.Open(ctx, filepath.Join(dir, "lexscreen.db"))
	if err != nil {
		t.Fatal(err)
	}
	importDir(t, db, testdata+"2025-02-27")
	adb, err := audit.OpenSync(ctx, filepath.Join(dir, "audit.db"), auditSync)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store, cfg.Audit, cfg.EngineVersion = db, adb, "test"
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 200 * time.Millisecond
	}
	e := &env{t: t, dir: dir, db: db, adb: adb, keys: map[string]string{}}
	e.srv = New(cfg)
	e.srv.Start(ctx)
	e.ts = httptest.NewServer(e.srv.Handler())
	for _, r := range audit.Roles {
		_, tok, err := adb.CreateKey(ctx, r, "test")
		if err != nil {
			t.Fatal(err)
		}
		e.keys[r] = tok
	}
	deadline := time.Now().Add(30 * time.Second)
	for e.srv.Index() == nil {
		if time.Now().After(deadline) {
			t.Fatal("index not loaded")
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Cleanup(func() {
		e.ts.Close()
		cancel()
		adb.Close()
		db.Close()
	})
	return e
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("status %d: %v\n%s", r.status, err, r.body)
	}
}

// errCode returns the code of a {"error": {"code", "message"}} body ("" if not one).
func (r resp) errCode() string {
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(r.body, &e) != nil || e.Error.Message == "" {
		return ""
	}
	return e.Error.Code
}

func (e *env) do(method, path, role, ctype string, body io.Reader) resp {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.keys[role])
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

func (e *env) post(path, role, body string) resp {
	return e.do("POST", path, role, "application/json", strings.NewReader(body))
}

func (e *env) get(path, role string) resp { return e.do("GET", path, role, "", nil) }

func (e *env) records() int64 {
	n, err := e.adb.Count(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestEndpoints(t *testing.T) {
	e := newEnv(t, Config{MaxListAge: -1}) // list ages are tested in lists_test.go
	// Public endpoints.
	for _, p := range []string{"/healthz", "/readyz", "/metrics", "/openapi.json", "/docs"} {
		if r := e.get(p, ""); r.status != 200 {
			t.Errorf("GET %s: %d %s", p, r.status, r.body)
		}
	}
	// Screening (Khan is on the 2025-02-27 list? No: EO 14203 came later; Nazhat Khan neither).
	r := e.post("/v1/screen", "screener", `{"name": "Ali Khamenei", "operator": "eu-bank", "date": "2025-06-01", "current_lists": true}`)
	if r.status != 200 {
		t.Fatalf("screen: %d %s", r.status, r.body)
	}
	var res lexscreen.Result
	r.json(t, &res)
	if res.Operator != "eu-bank" || res.Date != "2025-06-01" || len(res.Lists) != 1 || res.Engine.Version == "" {
		t.Errorf("screen result: %+v", res)
	}
	if n := e.records(); n != 1 {
		t.Errorf("%d audit records after one screening", n)
	}
	// Batch: two good lines and a bad one, streamed back in order; a date
	// that can't be read costs the date, not the screening.
	r = e.do("POST", "/v1/screen/batch", "screener", "application/x-ndjson",
		strings.NewReader(`{"id":"a","name":"Karim Khan"}`+"\n"+`{"id":"b","name":""}`+"\n"+`{"id":"c","name":"Nazhat Shameem Khan","type":"person","dob":"1970-13-40"}`+"\n"))
	lines := strings.Split(strings.TrimSpace(string(r.body)), "\n")
	if r.status != 200 || len(lines) != 3 || !strings.Contains(lines[1], `"invalid"`) || !strings.Contains(lines[0], `"id":"a"`) ||
		!strings.Contains(lines[2], `"warnings":[{"field":"dob","value":"1970-13-40"`) {
		t.Errorf("batch: %d\n%s", r.status, r.body)
	}
	if n := e.records(); n != 3 {
		t.Errorf("%d audit records after a batch of 2 good lines", n)
	}
	// Lists, entity, history, diff, obligations, regimes.
	var lists ListsResponse
	e.get("/v1/lists", "analyst").json(t, &lists)
	if len(lists.Lists) != 1 || !lists.Lists[0].Current {
		t.Errorf("lists: %+v", lists)
	}
	var ent lexscreen.Entity
	if r = e.get("/v1/entities/us-ofac-sdn:2674", "analyst"); r.status != 200 {
		t.Errorf("entity: %d %s", r.status, r.body)
	}
	r.json(t, &ent)
	if ent.ID != "us-ofac-sdn:2674" {
		t.Errorf("entity: %+v", ent)
	}
	if r = e.get("/v1/entities/us-ofac-sdn:999999999", "analyst"); r.status != 404 || r.errCode() != "not_found" {
		t.Errorf("missing entity: %d %s", r.status, r.body)
	}
	if r = e.get("/v1/entities/us-ofac-sdn:2674/history", "analyst"); r.status != 200 || !strings.Contains(string(r.body), `"events"`) {
		t.Errorf("history: %d %s", r.status, r.body)
	}
	if r = e.get("/v1/obligations?operator=us-bank&date=2025-06-01", "analyst"); r.status != 200 || !strings.Contains(string(r.body), `"binding"`) {
		t.Errorf("obligations: %d %.300s", r.status, r.body)
	}
	if r = e.get("/v1/regimes", "analyst"); r.status != 200 || !strings.Contains(string(r.body), `"citation"`) {
		t.Errorf("regimes: %d %.300s", r.status, r.body)
	}
	// yente match and search, OpenRefine reconciliation.
	r = e.post("/match/default", "screener", `{"queries": {"q1": {"schema": "Person", "properties": {"name": ["Ali Hosseini Khamenei"], "nationality": ["ir"]}}}}`)
	var ym yenteMatchResponse
	r.json(t, &ym)
	if r.status != 200 || ym.Responses["q1"].Status != 200 || ym.Responses["q1"].Total.Relation != "eq" {
		t.Errorf("match: %d %s", r.status, r.body)
	}
	if r = e.get("/search/default?q=Khamenei", "screener"); r.status != 200 || !strings.Contains(string(r.body), `"results"`) {
		t.Errorf("search: %d %s", r.status, r.body)
	}
	var cat yenteCatalog
	r = e.get("/catalog", "screener")
	r.json(t, &cat)
	if r.status != 200 || len(cat.Datasets) < 2 || cat.Datasets[0].Name != "default" || cat.Datasets[0].EntityCount == 0 ||
		len(cat.Datasets[0].Children) != len(cat.Datasets)-1 || !slices.Contains(cat.Current, cat.Datasets[1].Name) {
		t.Errorf("catalog: %d %s", r.status, r.body)
	}
	if r = e.get("/reconcile", "screener"); r.status != 200 || !strings.Contains(string(r.body), `"identifierSpace"`) {
		t.Errorf("reconcile manifest: %d %s", r.status, r.body)
	}
	form := url.Values{"queries": {`{"q0": {"query": "Ali Khamenei", "type": "person"}}`}}
	r = e.do("POST", "/reconcile", "screener", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if r.status != 200 || !strings.Contains(string(r.body), `"q0"`) || !strings.Contains(string(r.body), `"result"`) {
		t.Errorf("reconcile: %d %s", r.status, r.body)
	}
	// Audit endpoints.
	var recs RecordsResponse
	r = e.get("/v1/audit/records", "auditor")
	r.json(t, &recs)
	if len(recs.Records) == 0 {
		t.Fatalf("audit records: %d %s", r.status, r.body)
	}
	if len(recs.Records) < 5 || recs.Records[0].Kind != "screen" || len(recs.Records[0].Snapshots) != 1 || recs.Records[0].KeyID == "" {
		t.Errorf("audit records: %d, first %+v", len(recs.Records), recs.Records[0])
	}
	if job := e.verifyJob("auditor"); job.Report == nil || !job.Report.OK {
		t.Errorf("verify: %+v", job)
	}
	if r = e.post("/v1/audit/records/1/replay", "auditor", ""); r.status != 200 || !strings.Contains(string(r.body), `"identical":true`) {
		t.Errorf("replay: %.500s", r.body)
	}
	if r = e.post("/v1/admin/reload", "admin", ""); r.status != 200 || !strings.Contains(string(r.body), `"reloaded":true`) {
		t.Errorf("reload: %s", r.body)
	}
	// Metrics count what happened.
	m := string(e.get("/metrics", "").body)
	for _, want := range []string{`lexscreen_http_requests_total{code="200",route="POST /v1/screen"} 1`, `lexscreen_screenings_total{kind="batch"} 2`,
		"lexscreen_index_entities 45", "lexscreen_http_request_duration_seconds_bucket", `lexscreen_index_reloads_total{result="ok"} 2`,
		`lexscreen_audit_commit_duration_seconds_bucket{result="ok",le="5"}`, "lexscreen_audit_records_committed_total "} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	// The OpenAPI document describes every route and the request types.
	var doc map[string]any
	e.get("/openapi.json", "").json(t, &doc)
	paths := doc["paths"].(map[string]any)
	for _, rt := range e.srv.routes {
		if _, ok := paths[rt.Path].(map[string]any)[strings.ToLower(rt.Method)]; !ok {
			t.Errorf("openapi lacks %s %s", rt.Method, rt.Path)
		}
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	if _, ok := schemas["ScreenRequest"].(map[string]any)["properties"].(map[string]any)["operator"]; !ok {
		t.Errorf("openapi ScreenRequest lacks operator")
	}
	if docs := string(e.get("/docs", "").body); !strings.Contains(docs, "/v1/screen/batch") || !strings.Contains(docs, "curl") {
		t.Errorf("docs page lacks endpoints")
	}
}

func TestRolesAndBadInput(t *testing.T) {
	e := newEnv(t, Config{MaxBody: 4096})
	before := e.records()
	// No key, a wrong key, a revoked key.
	if r := e.post("/v1/screen", "", `{"name":"x"}`); r.status != 401 || r.errCode() != "unauthorized" {
		t.Errorf("no key: %d %s", r.status, r.body)
	}
	e.keys["bogus"] = "lxs_0000_deadbeef"
	if r := e.post("/v1/screen", "bogus", `{"name":"x"}`); r.status != 401 {
		t.Errorf("bad key: %d %s", r.status, r.body)
	}
	k, tok, _ := e.adb.CreateKey(context.Background(), "screener", "")
	e.keys["revoked"] = tok
	e.adb.RevokeKey(context.Background(), k.ID)
	if r := e.post("/v1/screen", "revoked", `{"name":"x"}`); r.status != 401 {
		t.Errorf("revoked key: %d %s", r.status, r.body)
	}
	// Each role's refusals.
	refusals := map[string][]string{
		"screener": {"GET /v1/lists", "GET /v1/entities/us-ofac-sdn:2674", "GET /v1/entities/us-ofac-sdn:2674/history", "GET /v1/lists/us-ofac-sdn/diff",
			"GET /v1/obligations?operator=us-bank", "GET /v1/regimes", "GET /v1/audit/records", "GET /v1/audit/records/1", "POST /v1/audit/records/1/replay",
			"POST /v1/audit/verify", "GET /v1/audit/verify/1", "POST /v1/admin/reload"},
		"analyst": {"GET /v1/audit/records", "POST /v1/audit/verify", "GET /v1/audit/verify/1", "POST /v1/admin/reload"},
		"auditor": {"POST /v1/screen", "POST /v1/screen/batch", "POST /match/default", "GET /search/default?q=x", "GET /catalog", "GET /reconcile", "POST /reconcile",
			"GET /v1/lists", "GET /v1/regimes", "POST /v1/admin/reload"},
	}
	for role, eps := range refusals {
		for _, ep := range eps {
			method, path, _ := strings.Cut(ep, " ")
			r := e.do(method, path, role, "application/json", strings.NewReader(`{"name":"Ali Khamenei"}`))
			if r.status != 403 || r.errCode() != "forbidden" {
				t.Errorf("%s %s: %d %s, want 403", role, ep, r.status, r.body)
			}
		}
	}
	// Bad input: all 4xx with a machine-readable error.
	bad := []struct {
		path, body string
		status     int
	}{
		{"/v1/screen", `{"name": "x"`, 400},
		{"/v1/screen", `not json`, 400},
		{"/v1/screen", ``, 400},
		{"/v1/screen", `{"name": "x", "nickname": "y"}`, 400},
		{"/v1/screen", `{"name": "x"} {"name": "y"}`, 400},
		{"/v1/screen", `{"name": ""}`, 400},
		{"/v1/screen", `{"name": 5}`, 400},
		{"/v1/screen", `{"name": "x", "operator": "eu-bank", "date": "2025-02-30"}`, 400},
		{"/v1/screen", `{"name": "x", "operator": "eu-bank", "date": "yesterday"}`, 400},
		{"/v1/screen", `{"name": "x", "regimes": "x: 1"}`, 400},
		{"/v1/screen", `{"name": "x", "operator": "mars-bank"}`, 400},
		{"/v1/screen", `{"name": "x", "operator": "/etc/passwd.yaml"}`, 400},
		{"/v1/screen", `{"name": "x", "operator": "eu-bank", "regimes": "blocking_statutes: [[["}`, 400},
		{"/v1/screen", `{"name": "x", "threshold": 2}`, 400},
		{"/v1/screen", `{"name": "x", "type": "spaceship"}`, 400},
		{"/v1/screen", `{"name": "` + strings.Repeat("a", 5000) + `"}`, 413},
		{"/match/default", `{"queries": {"q": {"schema": "Planet", "properties": {"name": ["x"]}}}}`, 400},
		{"/match/default", `{"queries": {"q": {"schema": "Person", "properties": {}}}}`, 400},
		{"/match/default", `{"queries": {}}`, 400},
		{"/match/nosuchlist", `{"queries": {"q": {"schema": "Person", "properties": {"name": ["x"]}}}}`, 404},
		{"/reconcile", `{"queries": {"q0": {"query": "x", "type": "planet"}}}`, 400},
		{"/reconcile", `{"queries": "x"}`, 400},
	}
	for _, b := range bad {
		r := e.post(b.path, "admin", b.body)
		if r.status != b.status || r.errCode() == "" {
			t.Errorf("POST %s %.60s: %d %s, want %d with an error body", b.path, b.body, r.status, r.body, b.status)
		}
	}
	for _, p := range []string{"/search/default", "/v1/obligations", "/v1/obligations?operator=eu-bank&date=2025-13-01", "/v1/lists/nosuch/diff",
		"/v1/lists/us-ofac-sdn/diff?from=1999-01-01", "/v1/audit/records/abc", "/v1/audit/records/999", "/v1/nosuch"} {
		r := e.get(p, "admin")
		if r.status < 400 || r.status >= 500 || r.errCode() == "" {
			t.Errorf("GET %s: %d %s, want 4xx with an error body", p, r.status, r.body)
		}
	}
	// A batch body over the batch limit.
	if r := e.do("POST", "/v1/screen/batch", "admin", "application/x-ndjson", strings.NewReader(`{"name":"`+strings.Repeat("a", 8000)+`"}`)); r.status != 400 && r.status != 413 {
		t.Errorf("long batch line: %d %s", r.status, r.body)
	}
	if after := e.records(); after != before {
		t.Errorf("bad requests left %d audit records", after-before)
	}
}

func TestRateLimitAndTimeout(t *testing.T) {
	e := newEnv(t, Config{RateLimit: 1, RateBurst: 2})
	codes := []int{}
	var last resp
	for i := 0; i < 4; i++ {
		last = e.get("/v1/regimes", "admin")
		codes = append(codes, last.status)
	}
	if codes[0] != 200 || codes[1] != 200 || codes[3] != 429 || last.header.Get("Retry-After") == "" || last.errCode() != "rate_limited" {
		t.Errorf("rate limit: %v %s %v", codes, last.body, last.header)
	}

	e2 := newEnv(t, Config{Timeout: time.Nanosecond})
	before := e2.records()
	r := e2.post("/v1/screen", "screener", `{"name": "Ali Khamenei"}`)
	if r.status != 503 || r.errCode() != "timeout" {
		t.Errorf("timeout: %d %s", r.status, r.body)
	}
	if e2.records() != before {
		t.Errorf("a timed-out screening was recorded")
	}
}

// A screening made before a list update replays to the original result;
// the live server picks the update up by itself; tampering is detected.
func TestReloadReplayTamper(t *testing.T) {
	e := newEnv(t, Config{})
	var before lexscreen.Result
	e.post("/v1/screen", "screener", `{"name": "Karim Asad Ahmad Khan", "operator": "eu-subsidiary-of-us-bank", "date": "2025-12-30", "current_lists": true}`).json(t, &before)
	old := e.srv.Index().SnapshotIDs()
	importDir(t, e.db, testdata+"2025-12-24")
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) && e.srv.Index().SnapshotIDs()[0] == old[0] {
		time.Sleep(50 * time.Millisecond)
	}
	var after lexscreen.Result
	e.post("/v1/screen", "screener", `{"name": "Karim Asad Ahmad Khan", "operator": "eu-subsidiary-of-us-bank", "date": "2025-12-30", "current_lists": true}`).json(t, &after)
	if after.Lists[0].Version == before.Lists[0].Version || len(after.Matches) == len(before.Matches) {
		t.Fatalf("the update was not picked up: before %v %d matches, after %v %d matches", before.Lists, len(before.Matches), after.Lists, len(after.Matches))
	}
	rec, err := e.adb.Get(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := ReplayRecord(context.Background(), e.db, rec, "test")
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Identical || len(rep.Replayed.Matches) != len(before.Matches) || rep.Replayed.Lists[0].Version != before.Lists[0].Version {
		t.Errorf("replay of record 1: identical=%v %v", rep.Identical, rep.Differences)
	}
	// Tamper with record 1 and delete record 2 behind the API's back.
	raw, err := sql.Open("sqlite", filepath.Join(e.dir, "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE records SET content = content || x'00' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	v, _ := e.adb.Verify(context.Background())
	if v.OK || len(v.Problems) == 0 || v.Problems[0].ID != 1 {
		t.Errorf("tampering not detected: %+v", v)
	}
	if _, err := raw.Exec(`DELETE FROM records WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	v, _ = e.adb.Verify(context.Background())
	found := false
	for _, p := range v.Problems {
		found = found || p.ID == 2 && strings.HasPrefix(p.Reason, "deleted")
	}
	if !found {
		t.Errorf("deletion of the last record not detected: %+v", v)
	}
	var b bytes.Buffer
	for _, p := range v.Problems {
		b.WriteString(p.String() + "\n")
	}
	t.Logf("verify after tampering:\n%s", b.String())
}

// TestReloadThrottled: a rebuild while an index serves keeps to its share
// of a core (it pauses); the first build and an unlimited one do not.
func TestReloadThrottled(t *testing.T) {
	// A rebuild from the store is what the throttle paces; a persisted
	// index is read in milliseconds and has nothing to pace.
	t.Setenv(screening.IndexCacheEnv, "off")
	for _, share := range []float64{0.2, 1} {
		e := newEnv(t, Config{ReloadCPU: share, PollInterval: time.Hour})
		if p := e.srv.lastPaused.Load(); p != 0 {
			t.Errorf("share %v: the first build paused %s", share, time.Duration(p))
		}
		e.srv.reloadSlice = 100 * time.Microsecond
		start := time.Now()
		if ok, err := e.srv.Reload(context.Background(), true); err != nil || !ok {
			t.Fatal(ok, err)
		}
		took := time.Since(start)
		paused := time.Duration(e.srv.lastPaused.Load())
		// Reading and indexing the entities keeps to its share
		// (screening.TestThrottleShare checks how closely): with this
		// small store about 1 ms of work, paused 4 ms at a share of 0.2.
		if share < 1 && (paused < time.Millisecond || paused > took) {
			t.Errorf("share %v: the rebuild took %s and paused %s", share, took, paused)
		}
		if share >= 1 && paused != 0 {
			t.Errorf("unlimited rebuild paused %s", paused)
		}
		t.Logf("share %v: rebuild %s, paused %s", share, took, paused)
		if r := e.post("/v1/screen", "screener", `{"name": "Karim Khan"}`); r.status != 200 {
			t.Errorf("screen after reload: %d %s", r.status, r.body)
		}
	}
}
