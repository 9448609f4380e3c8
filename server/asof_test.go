package server

import (
	"encoding/json"
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
	// A batch line with a past date screens against the lists in force that
	// day, as /v1/screen does; current_lists keeps today's; a day before any
	// snapshot leaves the list out with a warning.
	r := e.post("/v1/screen/batch", "screener", `{"id": "a", "name": "Milan Milutinovic", "date": "2025-06-30"}`+"\n"+
		`{"id": "b", "name": "Milan Milutinovic", "date": "2025-06-30", "current_lists": true}`+"\n"+
		`{"id": "c", "name": "Milan Milutinovic", "operator": "us-bank", "date": "2025-07-01"}`+"\n"+
		`{"id": "d", "name": "Milan Milutinovic", "date": "2025-01-01"}`+"\n")
	lines := strings.Split(strings.TrimSpace(string(r.body)), "\n")
	if r.status != 200 || len(lines) != 4 {
		t.Fatalf("batch: status %d:\n%s", r.status, r.body)
	}
	for i, want := range []struct {
		found    bool
		snapshot int64
	}{{true, first[0]}, {false, latest[0]}, {true, first[0]}, {false, 0}} {
		var res lexscreen.Result
		if err := json.Unmarshal([]byte(lines[i]), &res); err != nil || res.Query.ID == "" {
			t.Fatalf("line %d: %v: %s", i+1, err, lines[i])
		}
		found := false
		for _, m := range res.Matches {
			found = found || m.Entity.ID == "us-ofac-sdn:7743"
		}
		snap := int64(0)
		if len(res.Lists) == 1 {
			snap = res.Lists[0].Snapshot
		}
		if found != want.found || snap != want.snapshot {
			t.Errorf("batch line %s: found %v in snapshot %d, want %v in %d", res.Query.ID, found, snap, want.found, want.snapshot)
		}
	}
}
