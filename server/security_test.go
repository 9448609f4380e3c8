package server

// Security tests of issue 11: one per hostile attempt, loopback only, each
// bounded to a few seconds. Every one of them fails on the start commit
// (9ddf885, with testdata/security_cfg_base.go.txt as security_cfg_test.go)
// and passes now.

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Item 1: no value of a request names a file. The server's working
// directory holds YAML files; operator values that would have read them
// (the name check ran before the trailing space was trimmed) are refused
// without a word of their content; profiles come from --profiles by name
// or inline.
func TestSecurityOperatorNamesNoFile(t *testing.T) {
	dir := t.TempDir()
	profiles := filepath.Join(dir, "profiles")
	if err := os.Mkdir(profiles, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(profiles, "acme-frankfurt.yaml"), "role: bank\nincorporation: DE\nacts_in: [DE]\ncurrency_nexus: [EUR, USD]\n")
	e := newEnv(t, secConfig(t, secLimits{ProfilesDir: profiles}))
	t.Chdir(dir)
	write("secret.yaml", "name: acme\nrole: bank\nincorporation: DE\napi_password: hunter2\n")
	write("valid.yaml", "name: valid\nrole: bank\nincorporation: DE\n")
	secrets := []string{"api_password", "hunter2", "line 4", "no such file", "incorporation"}
	for _, a := range []struct{ method, path, body string }{
		{"POST", "/v1/screen", `{"name": "x", "operator": "secret.yaml "}`},
		{"POST", "/v1/screen", `{"name": "x", "operator": "valid.yaml "}`},
		{"POST", "/v1/screen", `{"name": "x", "operator": "valid.yaml\t"}`},
		{"POST", "/v1/screen", `{"name": "x", "operator": " valid.yml"}`},
		{"POST", "/v1/screen", `{"name": "x", "operator": "nosuch.yaml "}`},
		{"POST", "/v1/screen", `{"name": "x", "operator": "profiles/acme-frankfurt.yaml"}`},
		{"POST", "/v1/screen", `{"name": "x", "operator": "../profiles/acme-frankfurt"}`},
		{"GET", "/v1/obligations?operator=secret.yaml%20", ""},
		{"GET", "/v1/obligations?operator=valid.yaml%20", ""},
		{"GET", "/v1/obligations?operator=nosuch.yaml%20", ""},
	} {
		r := e.do(a.method, a.path, "admin", "application/json", strings.NewReader(a.body))
		if r.status != 400 || r.errCode() != "invalid" {
			t.Errorf("%s %s %s: %d %.200s, want 400 invalid", a.method, a.path, a.body, r.status, r.body)
		}
		for _, s := range secrets {
			if bytes.Contains(r.body, []byte(s)) {
				t.Errorf("%s %s %s: the answer gives away %q: %.200s", a.method, a.path, a.body, s, r.body)
			}
		}
	}
	// What the server accepts instead: a profile of its directory by name,
	// an inline profile (validated as a profile file is).
	r := e.post("/v1/screen", "screener", `{"name": "Karim Khan", "operator": "acme-frankfurt", "date": "2025-12-30", "current_lists": true}`)
	if r.status != 200 || !bytes.Contains(r.body, []byte(`"operator":"acme-frankfurt"`)) {
		t.Errorf("directory profile: %d %.300s", r.status, r.body)
	}
	r = e.post("/v1/screen", "screener", `{"name": "Karim Khan", "operator_profile": {"name": "acme-paris", "role": "bank", "incorporation": "FR", "currency_nexus": ["EUR"]}}`)
	if r.status != 200 || !bytes.Contains(r.body, []byte(`"operator":"acme-paris"`)) {
		t.Errorf("inline profile: %d %.300s", r.status, r.body)
	}
	for _, bad := range []string{
		`{"name": "x", "operator_profile": {"role": "bank", "incorporation": "XX"}}`,
		`{"name": "x", "operator_profile": {"role": "bank", "incorporation": "FR", "api_password": "x"}}`,
		`{"name": "x", "operator_profile": {"name": "us-bank", "role": "bank", "incorporation": "FR"}}`,
		`{"name": "x", "operator_profile": {"name": "secret.yaml", "role": "bank", "incorporation": "FR"}}`,
		`{"name": "x", "operator": "eu-bank", "operator_profile": {"name": "a", "role": "bank", "incorporation": "FR"}}`,
	} {
		if r := e.post("/v1/screen", "screener", bad); r.status != 400 {
			t.Errorf("%s: %d %.200s, want 400", bad, r.status, r.body)
		}
	}
	// A screening with a directory profile replays with that very profile.
	recs, err := e.adb.List(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		if rec.Operator == "acme-frankfurt" {
			if r := e.do("POST", fmt.Sprintf("/v1/audit/records/%d/replay", rec.ID), "auditor", "", nil); r.status != 200 || !bytes.Contains(r.body, []byte(`"identical":true`)) {
				t.Errorf("replay of a directory profile's screening: %d %.300s", r.status, r.body)
			}
		}
	}
}

// slowBody sends a request's headers announcing a 100,000-byte body, then
// one byte every 100 ms, and returns what the server answered and how
// long the connection stayed open (up to within).
func slowBody(t *testing.T, addr, header string, within time.Duration) (answer string, open time.Duration) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	fmt.Fprintf(c, "POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n%sContent-Length: 100000\r\n\r\n{", header)
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if _, err := c.Write([]byte(" ")); err != nil {
					return
				}
			}
		}
	}()
	c.SetReadDeadline(start.Add(within))
	b, _ := io.ReadAll(c) // to the server's close, or the deadline
	return string(b), time.Since(start)
}

// Item 2: a body sent a byte at a time does not hold a connection: without
// a key the answer comes from the headers and the connection is closed
// (nothing drained); with a key the body's time limit cuts it.
func TestSecuritySlowBody(t *testing.T) {
	e := newEnv(t, secConfig(t, secLimits{BodyTimeout: 500 * time.Millisecond}))
	addr := e.ts.Listener.Addr().String()
	const within = 3 * time.Second
	answer, open := slowBody(t, addr, "", within)
	if !strings.HasPrefix(answer, "HTTP/1.1 401") || open > 1500*time.Millisecond {
		t.Errorf("no key, slow body: connection open %s (limit 1.5 s), answer %.60q", open.Round(time.Millisecond), answer)
	}
	t.Logf("no key: %.12s, closed after %s", answer, open.Round(time.Millisecond))
	answer, open = slowBody(t, addr, "Authorization: Bearer "+e.keys["screener"]+"\r\n", within)
	if !strings.HasPrefix(answer, "HTTP/1.1 408") || open > 2*time.Second {
		t.Errorf("valid key, slow body: connection open %s (limit 2 s), answer %.60q", open.Round(time.Millisecond), answer)
	}
	t.Logf("valid key: %.12s, closed after %s", answer, open.Round(time.Millisecond))
	// A body that arrives in time is still read, on a kept-alive connection.
	for range 3 {
		if r := e.post("/v1/screen", "screener", `{"name": "Karim Khan"}`); r.status != 200 {
			t.Fatalf("normal request: %d %s", r.status, r.body)
		}
	}
}

// answered sends GET /healthz on c and reports whether an answer came
// within d.
func answered(c net.Conn, d time.Duration) bool {
	c.SetDeadline(time.Now().Add(d))
	if _, err := c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		return false
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && strings.HasPrefix(line, "HTTP/1.1 200")
}

// Item 2: connections are capped per client address and in total.
func TestSecurityConnectionCaps(t *testing.T) {
	e := newEnv(t, secConfig(t, secLimits{MaxConnsPerAddr: 4, MaxConns: 100}))
	ts := httptest.NewUnstartedServer(e.srv.Handler())
	ts.Listener = secListener(e.srv, ts.Listener)
	ts.Start()
	defer ts.Close()
	var conns []net.Conn
	for range 10 {
		c, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	time.Sleep(100 * time.Millisecond) // all accepted (or refused)
	ok := 0
	for _, c := range conns {
		if answered(c, time.Second) {
			ok++
		}
	}
	if ok != 4 {
		t.Errorf("10 connections from one address: %d served, want 4 (--max-conns-per-addr)", ok)
	}
	for _, c := range conns {
		c.Close()
	}
	time.Sleep(100 * time.Millisecond)
	c, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if !answered(c, 2*time.Second) {
		t.Errorf("a connection after the others closed is not served")
	}

	// In total: with 3 connections open, a 4th waits until one closes.
	e2 := newEnv(t, secConfig(t, secLimits{MaxConnsPerAddr: 100, MaxConns: 3}))
	ts2 := httptest.NewUnstartedServer(e2.srv.Handler())
	ts2.Listener = secListener(e2.srv, ts2.Listener)
	ts2.Start()
	defer ts2.Close()
	var idle []net.Conn
	for range 3 {
		c, err := net.Dial("tcp", ts2.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		idle = append(idle, c)
	}
	time.Sleep(100 * time.Millisecond)
	fourth, err := net.Dial("tcp", ts2.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer fourth.Close()
	if answered(fourth, 300*time.Millisecond) {
		t.Errorf("a 4th connection was served while 3 (--max-conns) were open")
	}
	idle[0].Close()
	fourth.Close()
	fifth, err := net.Dial("tcp", ts2.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer fifth.Close()
	idle[1].Close() // the 4th, waiting in the queue, takes the first place
	if !answered(fifth, 2*time.Second) {
		t.Errorf("no connection served once places were free")
	}
}

// yenteBody is a /match body of one query with n names and dobs dates of birth.
func yenteBody(n, dobs int) string {
	var names, dates []string
	for i := range n {
		names = append(names, fmt.Sprintf("%q", fmt.Sprintf("Person Number %d", i)))
	}
	for i := range dobs {
		dates = append(dates, fmt.Sprintf(`"%d"`, 1950+i))
	}
	return fmt.Sprintf(`{"queries": {"q": {"schema": "Person", "properties": {"name": [%s], "birthDate": [%s]}}}}`,
		strings.Join(names, ","), strings.Join(dates, ","))
}

// Item 3: yente /match counts screenings (names × birthDates), not
// queries, and a long request stops at its time limit.
func TestSecurityWorkCountsNames(t *testing.T) {
	e := newEnvSync(t, secConfig(t, secLimits{MaxBatch: 50}), "normal")
	before := e.records()
	for _, a := range []struct{ names, dobs int }{{51, 0}, {8, 8}, {2, 30}} {
		r := e.post("/match/default", "screener", yenteBody(a.names, a.dobs))
		if r.status != 400 {
			t.Errorf("1 query with %d names x %d birthDates, --max-batch 50: %d %.200s, want 400", a.names, a.dobs, r.status, r.body)
		}
	}
	if n := e.records() - before; n != 0 {
		t.Errorf("refused requests left %d audit records", n)
	}
	if r := e.post("/match/default", "screener", yenteBody(5, 10)); r.status != 200 {
		t.Errorf("5 names x 10 birthDates: %d %.200s", r.status, r.body)
	}

	e2 := newEnvSync(t, secConfig(t, secLimits{Timeout: 300 * time.Millisecond, MaxBatch: 100000, MaxBody: 8 << 20}), "normal")
	before = e2.records()
	req, _ := http.NewRequest("POST", e2.ts.URL+"/match/default", strings.NewReader(yenteBody(100000, 0)))
	req.Header.Set("Authorization", "Bearer "+e2.keys["screener"])
	start := time.Now()
	res, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	took := time.Since(start)
	if err != nil {
		t.Fatalf("100,000 names, 300 ms time limit: no answer after %s: %v", took.Round(time.Millisecond), err)
	}
	res.Body.Close()
	// Reading and checking the 100,000 names takes some of it (0.3 s when
	// the machine is idle, 3.5 s on a loaded one); screening them all, 6 s
	// idle and several times that loaded. What proves the cut is the 503
	// with no record left; the bound only catches a loop that ignores the
	// deadline altogether.
	if res.StatusCode != 503 || took > 8*time.Second {
		t.Errorf("100,000 names, 300 ms time limit: %d after %s, want 503 within 8 s", res.StatusCode, took.Round(time.Millisecond))
	}
	if n := e2.records() - before; n != 0 {
		t.Errorf("a timed-out request left %d audit records", n)
	}
	t.Logf("100,000 names: %d after %s", res.StatusCode, took.Round(time.Millisecond))
}

// Item 7: numbers are checked at the edge: NaN, infinities, hexadecimal
// floats, negative and overflowing values are 400s, never 500s.
func TestSecurityNonFiniteNumbers(t *testing.T) {
	e := newEnv(t, secConfig(t, secLimits{}))
	q := `{"queries": {"q": {"schema": "Person", "properties": {"name": ["Karim Khan"]}}}}`
	for _, a := range []struct{ method, path, body string }{
		{"POST", "/match/default?threshold=NaN", q},
		{"POST", "/match/default?threshold=nan", q},
		{"POST", "/match/default?threshold=Inf", q},
		{"POST", "/match/default?threshold=-Inf", q},
		{"POST", "/match/default?threshold=0x1p-1", q},
		{"POST", "/match/default?threshold=1e400", q},
		{"POST", "/match/default?cutoff=NaN", q},
		{"POST", "/match/default?cutoff=infinity", q},
		{"POST", "/match/default?limit=-1", q},
		{"POST", "/match/default?limit=99999999999999999999", q},
		{"GET", "/search/default?q=Putin&offset=9223372036854775807", ""},
		{"GET", "/search/default?q=Putin&offset=-1", ""},
		{"GET", "/search/default?q=Putin&limit=NaN", ""},
		{"GET", "/v1/audit/records?after=-1", ""},
		{"GET", "/v1/audit/records?limit=-1", ""},
		{"GET", "/v1/entities/us-ofac-sdn:2674?snapshot=-1", ""},
		{"POST", "/v1/screen", `{"name": "x", "threshold": 1e999}`},
		{"POST", "/v1/screen", `{"name": "x", "threshold": -0.5}`},
		{"POST", "/v1/screen", `{"name": "x", "limit": -3}`},
	} {
		r := e.do(a.method, a.path, "admin", "application/json", strings.NewReader(a.body))
		if r.status != 400 || r.errCode() == "" {
			t.Errorf("%s %s %s: %d %.200s, want 400", a.method, a.path, a.body, r.status, r.body)
		}
	}
}

// Item 8: replays and batches run a bounded number at once; one more is
// answered 429 with Retry-After.
func TestSecurityHeavyBounded(t *testing.T) {
	e := newEnvSync(t, secConfig(t, secLimits{MaxBatches: 1, MaxReplays: 1}), "normal")
	// A batch in progress: one line sent and answered, the body still open.
	pr, pw := io.Pipe()
	req := e.batchRequest(pr)
	resc := make(chan *http.Response, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			pw.CloseWithError(err)
			resc <- nil
			return
		}
		resc <- res
	}()
	pw.Write([]byte(`{"id": "a", "name": "Karim Khan"}` + "\n"))
	res := <-resc
	if res == nil {
		t.Fatal("first batch failed")
	}
	line, err := bufio.NewReader(res.Body).ReadString('\n')
	if err != nil {
		t.Fatalf("first batch: %v %q", err, line)
	}
	r := e.do("POST", "/v1/screen/batch", "screener", "application/x-ndjson", strings.NewReader(`{"name": "x"}`+"\n"))
	if r.status != 429 || r.header.Get("Retry-After") == "" {
		t.Errorf("a 2nd batch while one runs (--max-batches 1): %d %.200s, want 429 with Retry-After", r.status, r.body)
	}
	pw.Close()
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if r := e.do("POST", "/v1/screen/batch", "screener", "application/x-ndjson", strings.NewReader(`{"name": "x"}`+"\n")); r.status != 200 {
		t.Errorf("a batch after the first ended: %d %.200s", r.status, r.body)
	}

	// Six replays at once, one allowed.
	if r := e.post("/v1/screen", "screener", `{"name": "Karim Khan"}`); r.status != 200 {
		t.Fatal(r.status)
	}
	recs, err := e.adb.List(context.Background(), 0, 1)
	if err != nil || len(recs) == 0 {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	codes := make([]int, 6)
	retry := make([]string, 6)
	for i := range codes {
		wg.Go(func() {
			r := e.do("POST", fmt.Sprintf("/v1/audit/records/%d/replay", recs[0].ID), "auditor", "", nil)
			codes[i], retry[i] = r.status, r.header.Get("Retry-After")
		})
	}
	wg.Wait()
	busy := 0
	for i, c := range codes {
		switch {
		case c == 429 && retry[i] != "":
			busy++
		case c != 200:
			t.Errorf("replay: %d", c)
		}
	}
	if busy == 0 {
		t.Errorf("6 replays at once (--max-replays 1): %v, want 429s with Retry-After", codes)
	}
	t.Logf("6 replays at once: %v", codes)
}

// Item 9: failed authentications are limited per client address, and a
// flood of unknown tokens does not push the known keys out of the cache.
func TestSecurityAuthFailures(t *testing.T) {
	e := newEnv(t, secConfig(t, secLimits{}))
	secLongKeyCache(e.srv)
	if r := e.post("/v1/screen", "screener", `{"name": "x"}`); r.status != 200 {
		t.Fatalf("valid key: %d", r.status)
	}
	var last resp
	for i := range 11 {
		e.keys["bogus"] = fmt.Sprintf("lxs_%d_guess", i)
		last = e.post("/v1/screen", "bogus", `{"name": "x"}`)
		if i < 10 && last.status != 401 {
			t.Errorf("failure %d: %d, want 401", i+1, last.status)
		}
	}
	if last.status != 429 || last.header.Get("Retry-After") == "" {
		t.Errorf("11th failed authentication within a minute: %d %.200s, want 429 with Retry-After", last.status, last.body)
	}
	if r := e.post("/v1/screen", "screener", `{"name": "x"}`); r.status != 200 {
		t.Errorf("the known key from the address that failed: %d %.200s", r.status, r.body)
	}
	// 10,001 unknown tokens from as many addresses: the audit database's
	// own cache forgets everything at 10,000 entries. The known key is
	// still answered from the server's cache: its row is deleted first,
	// so that the database can't answer for it.
	h := e.srv.Handler()
	for i := range 10001 {
		req := httptest.NewRequest("GET", "/v1/regimes", nil)
		req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:1234", i>>16&255, i>>8&255, i&255)
		req.Header.Set("Authorization", fmt.Sprintf("Bearer random-%d", i))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 401 {
			t.Fatalf("random token %d: %d", i, rec.Code)
		}
	}
	raw, err := sql.Open("sqlite", filepath.Join(e.dir, "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`DELETE FROM api_keys WHERE role = 'screener'`); err != nil {
		t.Fatal(err)
	}
	if r := e.post("/v1/screen", "screener", `{"name": "x"}`); r.status != 200 {
		t.Errorf("the known key after 10,001 unknown tokens: %d %.200s, want 200 from the cache", r.status, r.body)
	}
}
