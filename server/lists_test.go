package server

import (
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
)

// Every result warns of official lists older than Config.MaxListAge
// (default 180 days; the test list is of 2025-02-27).
func TestListWarnings(t *testing.T) {
	for _, c := range []struct {
		maxAge time.Duration
		want   int
	}{{0, 1}, {-1, 0}, {100000 * 24 * time.Hour, 0}} {
		e := newEnv(t, Config{MaxListAge: c.maxAge, PollInterval: time.Hour})
		r := e.post("/v1/screen", "screener", `{"name": "Ali Khamenei"}`)
		if r.status != 200 {
			t.Fatalf("screen: %d %s", r.status, r.body)
		}
		var res lexscreen.Result
		r.json(t, &res)
		if len(res.Warnings) != c.want {
			t.Errorf("MaxListAge %v: warnings %+v, want %d", c.maxAge, res.Warnings, c.want)
		}
		for _, w := range res.Warnings {
			if w.Field != "lists" || w.Value != "us-ofac-sdn" {
				t.Errorf("warning %+v", w)
			}
		}
	}
}
