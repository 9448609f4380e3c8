package server

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// reloadedTo waits until the server's index is the snapshot of version v.
func reloadedTo(t *testing.T, e *env, v string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for len(e.srv.Index().Snapshots) == 0 || e.srv.Index().Snapshots[0].Version != v {
		if time.Now().After(deadline) {
			t.Fatal("index not reloaded")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// GET /v1/obligations on a past date evaluates the lists in force that day
// (an entry delisted since is still there), says which snapshots it used,
// and current_lists=true keeps today's lists.
func TestObligationsAsOf(t *testing.T) {
	e := newEnv(t, Config{})
	first := e.srv.Index().SnapshotIDs()
	importDir(t, e.db, testdata+"2025-12-24")
	reloadedTo(t, e, "2025-12-24")
	latest := e.srv.Index().SnapshotIDs()
	for _, tc := range []struct {
		query    string
		snapshot int64
		has7743  bool // MILUTINOVIC, Milan: in the February file only
	}{
		{"operator=us-bank&date=2025-06-30", first[0], true},
		{"operator=us-bank&date=2025-06-30&current_lists=true", latest[0], false},
		{"operator=us-bank", latest[0], false},
	} {
		var out ObligationsResponse
		r := e.get("/v1/obligations?"+tc.query, "analyst")
		if r.status != 200 {
			t.Fatalf("%s: %d %s", tc.query, r.status, r.body)
		}
		r.json(t, &out)
		if len(out.Lists) != 1 || out.Lists[0].Snapshot != tc.snapshot {
			t.Errorf("%s: lists %+v, want snapshot %d", tc.query, out.Lists, tc.snapshot)
		}
		found := false
		for _, sec := range out.Report.Sections() {
			for _, it := range sec.Items {
				found = found || it.EntityID == "us-ofac-sdn:7743"
			}
		}
		if found != tc.has7743 {
			t.Errorf("%s: us-ofac-sdn:7743 reported %v, want %v", tc.query, found, tc.has7743)
		}
		n := out.Report.NotApplicable
		for _, sec := range out.Report.Sections() {
			n += len(sec.Items)
		}
		if n != out.Report.Listings {
			t.Errorf("%s: sections count %d listings, report says %d: each must be counted once", tc.query, n, out.Report.Listings)
		}
	}
	// Before any snapshot: the list is left out, and the answer says so.
	var out ObligationsResponse
	e.get("/v1/obligations?operator=us-bank&date=2025-01-01", "analyst").json(t, &out)
	if len(out.Lists) != 0 || len(out.Warnings) == 0 || !strings.Contains(out.Warnings[0].Message, "left out") {
		t.Errorf("2025-01-01: lists %+v, warnings %+v", out.Lists, out.Warnings)
	}
	if r := e.get("/v1/obligations?operator=us-bank&date=2025-06-30&current_lists=yes", "analyst"); r.status != 400 {
		t.Errorf("current_lists=yes: %d", r.status)
	}
}

// A batch screens against at most maxBatchDates past dates: a line with one
// more is refused with an error saying how to split the batch, the others
// are answered.
func TestBatchTooManyDates(t *testing.T) {
	e := newEnv(t, Config{})
	var body strings.Builder
	for i := 0; i <= maxBatchDates; i++ {
		fmt.Fprintf(&body, `{"id": "q%d", "name": "Milan Milutinovic", "date": "2025-06-%02d"}`+"\n", i, 10+i)
	}
	r := e.post("/v1/screen/batch", "screener", body.String())
	lines := strings.Split(strings.TrimSpace(string(r.body)), "\n")
	if r.status != 200 || len(lines) != maxBatchDates+1 {
		t.Fatalf("status %d:\n%s", r.status, r.body)
	}
	for i, l := range lines {
		refused := strings.Contains(l, `"error"`)
		if refused != (i == maxBatchDates) {
			t.Errorf("line %d refused %v: %.200s", i+1, refused, l)
		}
	}
	if !strings.Contains(lines[maxBatchDates], "split the batch by date") {
		t.Errorf("refusal does not say what to do: %s", lines[maxBatchDates])
	}
}
