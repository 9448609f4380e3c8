package server

import (
	"strings"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
)

// A past date screens against the snapshots in force on it: a name
// delisted since is found, each list names its snapshot, a list with no
// snapshot that old is left out with a warning, and current_lists keeps
// today's lists.
func TestScreenAsOf(t *testing.T) {
	e := newEnv(t, Config{})
	first := e.srv.Index().SnapshotIDs()
	importDir(t, e.db, testdata+"2025-12-24")
	deadline := time.Now().Add(30 * time.Second)
	for len(e.srv.Index().Snapshots) == 0 || e.srv.Index().Snapshots[0].Version != "2025-12-24" {
		if time.Now().After(deadline) {
			t.Fatal("index not reloaded")
		}
		time.Sleep(20 * time.Millisecond)
	}
	latest := e.srv.Index().SnapshotIDs()
	if len(first) != 1 || len(latest) != 1 || first[0] == latest[0] {
		t.Fatalf("snapshots %v then %v", first, latest)
	}
	// us-ofac-sdn:7743 (MILUTINOVIC, Milan) is in the February file only.
	for _, tc := range []struct {
		body     string
		found    bool
		snapshot int64 // 0: left out
	}{
		{`{"name": "Milan Milutinovic", "date": "2025-06-30"}`, true, first[0]},
		{`{"name": "Milan Milutinovic", "operator": "us-bank", "date": "2025-06-30"}`, true, first[0]},
		{`{"name": "Milan Milutinovic"}`, false, latest[0]},
		{`{"name": "Milan Milutinovic", "date": "2026-01-15"}`, false, latest[0]},
		{`{"name": "Milan Milutinovic", "date": "2025-06-30", "current_lists": true}`, false, latest[0]},
		{`{"name": "Milan Milutinovic", "date": "2025-01-01"}`, false, 0},
	} {
		var res lexscreen.Result
		r := e.post("/v1/screen", "screener", tc.body)
		if r.status != 200 {
			t.Fatalf("%s: status %d: %s", tc.body, r.status, r.body)
		}
		r.json(t, &res)
		found := false
		for _, m := range res.Matches {
			found = found || m.Entity.ID == "us-ofac-sdn:7743"
		}
		if found != tc.found {
			t.Errorf("%s: found %v, want %v", tc.body, found, tc.found)
		}
		warned := false
		for _, w := range res.Warnings {
			warned = warned || (w.Field == "lists" && w.Value == "us-ofac-sdn" && strings.Contains(w.Message, "left out"))
		}
		if tc.snapshot == 0 {
			if len(res.Lists) != 0 || !warned {
				t.Errorf("%s: lists %+v, warned %v: want us-ofac-sdn left out with a warning", tc.body, res.Lists, warned)
			}
			continue
		}
		if len(res.Lists) != 1 || res.Lists[0].Snapshot != tc.snapshot || warned {
			t.Errorf("%s: lists %+v (warned %v), want snapshot %d", tc.body, res.Lists, warned, tc.snapshot)
		}
	}
	// A batch screens against the current lists: a past date there is
	// refused, line by line, never screened against other lists.
	r := e.post("/v1/screen/batch", "screener", `{"name": "Milan Milutinovic", "date": "2025-06-30"}`+"\n"+`{"name": "Milan Milutinovic", "date": "2025-06-30", "current_lists": true}`+"\n")
	lines := strings.Split(strings.TrimSpace(string(r.body)), "\n")
	if r.status != 200 || len(lines) != 2 || !strings.Contains(lines[0], "current_lists") || strings.Contains(lines[1], "error") {
		t.Errorf("batch: status %d:\n%s", r.status, r.body)
	}
}
