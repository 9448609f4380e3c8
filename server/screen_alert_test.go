package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/workspace"
)

// auditTrail lists the audit log after record id after: a screening's
// kind, an action's action.
func auditTrail(t *testing.T, adb *audit.DB, after int64) (out []string, last int64) {
	t.Helper()
	recs, err := adb.List(context.Background(), after, 1000)
	if err != nil {
		t.Fatal(err)
	}
	last = after
	for _, r := range recs {
		last = r.ID
		if r.Kind != audit.KindAction {
			out = append(out, r.Kind)
			continue
		}
		var a audit.Action
		if err := json.Unmarshal(r.Request, &a); err != nil {
			t.Fatal(err)
		}
		out = append(out, a.Action)
	}
	return out, last
}

// POST /v1/screen?alert=1 answers only once the screening's record is in
// the audit log: before the alert it opened; alone when it finds its
// alert again or matches nothing.
func TestScreenAlertRecordsTheScreening(t *testing.T) {
	e := newWorkspaceEnv(t)
	_, last := auditTrail(t, e.adb, 0)
	cases := []struct {
		name, body string
		opens      bool
		trail      []string
	}{
		{"a listed bank", `{"name":"Banco Nacional de Cuba","type":"organization"}`, true, []string{"screen", "alert.opened"}},
		{"the same again", `{"name":"Banco Nacional de Cuba","type":"organization"}`, false, []string{"screen"}},
		{"a name listed nowhere", `{"name":"Nordic Timber AS","type":"organization"}`, false, []string{"screen"}},
	}
	for _, tc := range cases {
		r := e.post("/v1/screen?alert=1", "screener", tc.body)
		if r.status != http.StatusOK || (r.header.Get("X-Alerts-Opened") != "") != tc.opens {
			t.Fatalf("%s: %d, opened %q\n%s", tc.name, r.status, r.header.Get("X-Alerts-Opened"), r.body)
		}
		var trail []string
		trail, last = auditTrail(t, e.adb, last)
		if len(trail) != len(tc.trail) {
			t.Fatalf("%s: audit trail %v, want %v", tc.name, trail, tc.trail)
		}
		for i := range trail {
			if trail[i] != tc.trail[i] {
				t.Fatalf("%s: audit trail %v, want %v", tc.name, trail, tc.trail)
			}
		}
	}
	// The workspace's writes are counted, and no last-seen mark was lost.
	e.srv.cfg.Workspace.FlushSeen()
	m := string(e.get("/metrics", "").body)
	for _, want := range []string{"lexscreen_workspace_commits_total 2", "lexscreen_workspace_seen_lost_total 0", "lexscreen_workspace_event_relay_failures_total 0"} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics: no %q", want)
		}
	}
}

// refusingRecorder refuses every record, as a full disk would.
type refusingRecorder struct{}

func (refusingRecorder) Append(context.Context, ...*audit.Record) error {
	return errors.New("database or disk is full")
}

// When the record of an alerting screening can't be written, the answer
// is an error and no alert is opened.
func TestScreenAlertFailsClosed(t *testing.T) {
	e := newEnv(t, Config{})
	ws, err := workspace.Open(context.Background(), filepath.Join(e.dir, "workspace.db"), workspace.Options{Audit: refusingRecorder{}, Listings: e.db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	e.srv.cfg.Workspace = ws
	_, last := auditTrail(t, e.adb, 0)
	r := e.post("/v1/screen?alert=1", "screener", `{"name":"Banco Nacional de Cuba","type":"organization"}`)
	if r.status != http.StatusServiceUnavailable || r.header.Get("X-Alerts-Opened") != "" {
		t.Fatalf("audit refused: %d, opened %q\n%s", r.status, r.header.Get("X-Alerts-Opened"), r.body)
	}
	var n int
	ws.DB().QueryRow(`SELECT count(*) FROM alerts`).Scan(&n)
	if trail, _ := auditTrail(t, e.adb, last); n != 0 || len(trail) != 0 {
		t.Fatalf("%d alerts, audit trail %v: want neither", n, trail)
	}
}
