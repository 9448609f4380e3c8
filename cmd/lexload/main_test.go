package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLoopbackOnly(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:80"} {
		if _, err := loopback(u); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	for _, u := range []string{"http://10.0.0.1:8080", "http://example.com", "https://127.0.0.1:8080", "http://0.0.0.0:80"} {
		if _, err := loopback(u); err == nil {
			t.Errorf("%s: accepted", u)
		}
	}
	if _, err := run(config{base: "http://192.168.1.1:80", key: "k", rate: 1, duration: time.Second, workers: 1}); err == nil {
		t.Error("run accepted a non-loopback address")
	}
}

func TestBounds(t *testing.T) {
	base := config{base: "http://127.0.0.1:1", key: "k", rate: 10, duration: time.Second, workers: 1}
	for _, c := range []func(*config){
		func(c *config) { c.rate = 0 },
		func(c *config) { c.rate = 100001 },
		func(c *config) { c.duration = 11 * time.Minute },
		func(c *config) { c.workers = 0 },
		func(c *config) { c.reloadAt = 2 * time.Second },
		func(c *config) { c.key = "" },
	} {
		cfg := base
		c(&cfg)
		if _, err := run(cfg); err == nil {
			t.Errorf("%+v: accepted", cfg)
		}
	}
}

// TestRun drives a fake server that answers with a Content-Length, with
// chunked encoding (a large streamed body) or with an error, and reloads.
func TestRun(t *testing.T) {
	var screens, reloads atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer K" && r.Header.Get("Authorization") != "Bearer ADMIN" {
			http.Error(w, "no key", http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/v1/admin/reload":
			if r.Header.Get("Authorization") != "Bearer ADMIN" {
				http.Error(w, "forbidden", http.StatusForbidden)
				return
			}
			reloads.Add(1)
			w.Write([]byte(`{"reloaded": true}`))
		case "/v1/screen":
			screens.Add(1)
			var req struct{ Name string }
			if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			switch req.Name {
			case "fail":
				http.Error(w, "boom", http.StatusInternalServerError)
			case "big":
				w.Write([]byte(strings.Repeat("x", 5000))) // chunked
				w.(http.Flusher).Flush()
				w.Write([]byte(strings.Repeat("y", 5000)))
			default:
				w.Header().Set("Content-Length", "2")
				w.Write([]byte("{}"))
			}
		}
	}))
	defer srv.Close()

	rep, err := run(config{base: srv.URL, key: "K", reloadKey: "ADMIN", rate: 400, duration: time.Second,
		reloadAt: 500 * time.Millisecond, workers: 4, names: []string{"Ana Ruiz", "big"}})
	if err != nil {
		t.Fatal(err, rep.errs)
	}
	if rep.due != 400 || len(rep.latencies) != 400 || rep.errors() != 0 || screens.Load() != 400 {
		t.Errorf("due %d ok %d errors %v screened %d, want 400 400 0 400", rep.due, len(rep.latencies), rep.errs, screens.Load())
	}
	if reloads.Load() != 1 || !strings.Contains(rep.reloadMsg, "HTTP 200") {
		t.Errorf("reloads %d, message %q", reloads.Load(), rep.reloadMsg)
	}
	if rep.elapsed < time.Second-10*time.Millisecond {
		t.Errorf("sent 400 requests at 400/s in %s", rep.elapsed)
	}
	var out strings.Builder
	rep.print(&out)
	if !strings.Contains(out.String(), "sent 400, ok 400, errors 0") {
		t.Errorf("report:\n%s", out.String())
	}

	// Failed screenings and a refused reload are errors; none is dropped.
	screens.Store(0)
	rep, err = run(config{base: srv.URL, key: "K", rate: 100, duration: time.Second, reloadAt: 100 * time.Millisecond,
		workers: 2, names: []string{"fail", "Ana Ruiz"}})
	if err == nil {
		t.Fatal("no error")
	}
	if rep.errs["HTTP 500"] != 50 || len(rep.latencies) != 50 || rep.errs["reload: HTTP 403"] != 1 || screens.Load() != 100 {
		t.Errorf("errors %v, ok %d, screened %d", rep.errs, len(rep.latencies), screens.Load())
	}

	// The timeline counts each second's requests and failures.
	rep.cfg.timeline = true
	out.Reset()
	rep.print(&out)
	if !strings.Contains(out.String(), "\n   0  100  50  ") {
		t.Errorf("timeline: want second 0 with 100 due and 50 failed:\n%s", out.String())
	}
}

// TestLatencyFromDueTime: a server slower than the rate shows in the
// latency (measured from the due time), not only in the service time.
func TestLatencyFromDueTime(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		w.Write([]byte("{}"))
	}))
	defer srv.Close()
	rep, err := run(config{base: srv.URL, key: "K", rate: 200, duration: 200 * time.Millisecond, workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	// 40 requests due over 200 ms, answered one at a time in 20 ms each:
	// the last is answered some 600 ms after it was due.
	lat, svc := pct(rep.latencies, 1), pct(rep.service, 1)
	if len(rep.latencies) != 40 || lat < 400*time.Millisecond || svc > 200*time.Millisecond {
		t.Errorf("%d answers, worst latency %s, worst service time %s", len(rep.latencies), lat, svc)
	}
}

// TestDecideEvery drives four-eyes cycles against a fake workspace: every
// 4th screening is of a new subject, its alert is decided with the
// analyst key and approved with the approver key; a refusal counts as an
// error, and so does a screening that opened no alert.
func TestDecideEvery(t *testing.T) {
	var mu sync.Mutex
	subjects := map[string]bool{}
	decided, approved := map[string]string{}, map[string]string{}
	var refuseApproval atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		mu.Lock()
		defer mu.Unlock()
		switch {
		case r.URL.Path == "/v1/screen":
			var req struct {
				Name        string
				Identifiers []string
			}
			json.NewDecoder(r.Body).Decode(&req)
			if len(req.Identifiers) == 1 && r.URL.Query().Get("alert") == "1" && key == "K" {
				if subjects[req.Identifiers[0]] {
					t.Errorf("subject %s screened twice", req.Identifiers[0])
				}
				subjects[req.Identifiers[0]] = true
				w.Header().Set("X-Alerts-Opened", fmt.Sprintf("%d,999", len(subjects)))
			}
			w.Write([]byte("{}"))
		case strings.HasSuffix(r.URL.Path, "/decision"):
			id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/v1/alerts/"), "/decision")
			if key != "AN" || decided[id] != "" {
				http.Error(w, "refused", http.StatusConflict)
				return
			}
			decided[id] = key
			w.Write([]byte("{}"))
		case strings.HasSuffix(r.URL.Path, "/approve"):
			id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/v1/alerts/"), "/approve")
			if key != "AP" || decided[id] == "" || refuseApproval.Load() {
				http.Error(w, "four eyes", http.StatusConflict)
				return
			}
			approved[id] = key
			w.Write([]byte("{}"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	cfg := config{base: srv.URL, key: "K", analystKey: "AN", approverKey: "AP", decideEvery: 4, rate: 200, duration: 200 * time.Millisecond,
		workers: 3, names: []string{"Ana Ruiz"}}
	rep, err := run(cfg)
	if err != nil {
		t.Fatal(err, rep.errs)
	}
	if len(subjects) != 10 || len(decided) != 10 || len(approved) != 10 || len(rep.decide) != 10 || len(rep.approve) != 10 || len(rep.latencies) != 40 {
		t.Errorf("40 requests, every 4th a cycle: %d subjects, %d decided, %d approved, %d/%d timed, %d screenings ok",
			len(subjects), len(decided), len(approved), len(rep.decide), len(rep.approve), len(rep.latencies))
	}
	var out strings.Builder
	rep.print(&out)
	if !strings.Contains(out.String(), "approve ok 10") {
		t.Errorf("report:\n%s", out.String())
	}

	refuseApproval.Store(true)
	rep, err = run(cfg)
	if err == nil || rep.errs["approve: HTTP 409"] != 10 {
		t.Errorf("refused approvals: %v %v", err, rep.errs)
	}
	for _, bad := range []func(*config){
		func(c *config) { c.approverKey = "AN" }, // four eyes: two keys
		func(c *config) { c.analystKey = "" },
		func(c *config) { c.decideEvery = -1 },
	} {
		c := cfg
		bad(&c)
		if _, err := run(c); err == nil {
			t.Errorf("%+v: accepted", c)
		}
	}
}

// TestOverGoal: the report counts the answers slower than the goal, in
// all and each second.
func TestOverGoal(t *testing.T) {
	ms := time.Millisecond
	r := &report{cfg: config{rate: 4, timeline: true}, latencies: []time.Duration{ms, 2 * ms, 20 * ms, 21 * ms, 30 * ms},
		byDue: []time.Duration{ms, 21 * ms, -1, 2 * ms, 20 * ms, 30 * ms}}
	var out strings.Builder
	r.print(&out)
	for _, want := range []string{"over the goal: 2 of 5 answered slower than 20ms (40.00%", "\n   0  4  1  ", "  1\n   1  2  0  ", "  1\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("want %q in:\n%s", want, out.String())
		}
	}
	r.cfg.goal = 5 * ms
	if n := r.cfg.over(r.latencies); n != 3 {
		t.Errorf("over 5 ms: %d, want 3", n)
	}
	for _, g := range []time.Duration{0, -ms} {
		if checkGoal(g) == nil {
			t.Errorf("-goal %s accepted", g)
		}
	}
	if err := checkGoal(ms); err != nil {
		t.Error(err)
	}
}
