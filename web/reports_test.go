package web

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/server"
)

// TestOverlayExample keeps the exposure page's default overlay the same as
// examples/eu-blocks-icc-2027.yaml.
func TestOverlayExample(t *testing.T) {
	b, err := os.ReadFile("../examples/eu-blocks-icc-2027.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != euBlocksICC2027 {
		t.Errorf("euBlocksICC2027 differs from examples/eu-blocks-icc-2027.yaml:\n%s", b)
	}
	if _, err := regime.Load([]byte(euBlocksICC2027)); err != nil {
		t.Errorf("the default overlay does not load: %v", err)
	}
}

func TestBarChart(t *testing.T) {
	pts := []server.TimelinePoint{
		{Snapshot: server.ListRow{Published: "2025-02-27", Entities: 120}, First: true},
		{Snapshot: server.ListRow{Published: "2025-06-01"}, Added: 40, Removed: 10},
		{Snapshot: server.ListRow{Published: "2025-12-24"}, Added: 5, Removed: 20},
	}
	c := newBarChart(pts)
	if len(c.Bars) != 3 || c.Max != 40 {
		t.Fatalf("bars %d max %d", len(c.Bars), c.Max)
	}
	b := c.Bars[1]
	if b.AddY+b.AddH != float64(c.Zero) || b.RemY != float64(c.Zero) || b.AddH <= b.RemH {
		t.Errorf("bar 2: %+v (zero %d)", b, c.Zero)
	}
	if c.Bars[2].RemH != c.Bars[1].AddH/2 {
		t.Errorf("20 removals should be half the height of 40 additions: %v vs %v", c.Bars[2].RemH, c.Bars[1].AddH)
	}
	for _, b := range c.Bars {
		if b.X < 44 || b.X+b.W > float64(c.Width) || b.AddY < 0 || b.RemY+b.RemH > float64(c.Height) {
			t.Errorf("bar outside the chart: %+v", b)
		}
	}
	if !strings.Contains(c.Bars[0].Label, "first snapshot") || !c.Bars[0].Base {
		t.Errorf("first bar: %+v", c.Bars[0])
	}
	if empty := newBarChart(nil); len(empty.Bars) != 0 {
		t.Errorf("no points: %+v", empty)
	}
}

func TestPageDate(t *testing.T) {
	now := time.Date(2026, 12, 7, 15, 4, 0, 0, time.UTC)
	for in, want := range map[string]string{"": "2026-12-07", " 2025-10-20 ": "2025-10-20", "2024-02-29": "2024-02-29"} {
		if _, got, err := pageDate(in, now); err != nil || got != want {
			t.Errorf("pageDate(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"20/10/2025", "2025-02-30", "yesterday"} {
		if _, _, err := pageDate(bad, now); err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
			t.Errorf("pageDate(%q): %v", bad, err)
		}
	}
}

func TestICCColours(t *testing.T) {
	seen := map[string]string{}
	for st, fill := range iccColours {
		if other, dup := seen[fill]; dup {
			t.Errorf("%q and %q share the colour %s", st, other, fill)
		}
		seen[fill] = st
		if iccStatusTitle(st) == "" {
			t.Errorf("status %q has no words", st)
		}
	}
}
