package screening_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/screening"
)

const day = 24 * time.Hour

func TestListWarnings(t *testing.T) {
	bundledAt := func(age int) []lexscreen.ListVersion { // the bundled lists, as of some day
		return []lexscreen.ListVersion{
			{Source: "eu-fsf", Version: "2024-01-24", Published: "2024-01-24", AgeDays: age + 700},
			{Source: "gb-ofsi", Version: "2024-01-25", Published: "2024-01-25", AgeDays: age + 699},
			{Source: "icc-warrants", Version: "2026-02-28", Published: "2026-02-28", AgeDays: age + 1000}, // own: never old
			{Source: "un-sc", Version: "2026-02-27", Published: "2026-02-27", AgeDays: age},
			{Source: "us-ofac-sdn", Version: "2025-12-24", Published: "2025-12-24", AgeDays: age + 65},
		}
	}
	for _, c := range []struct {
		name   string
		lists  []lexscreen.ListVersion
		maxAge time.Duration
		want   []string // warning values, in order
	}{
		{"bundled, fresh-ish, default age", bundledAt(10), 0, []string{"eu-fsf", "gb-ofsi"}},
		{"bundled, a year on, default age", bundledAt(200), 0, []string{"eu-fsf", "gb-ofsi", "un-sc", "us-ofac-sdn"}},
		{"bundled, 1000 days allowed", bundledAt(200), 1000 * day, nil},
		{"exactly the max age is not older", bundledAt(180), 180 * day, []string{"eu-fsf", "gb-ofsi", "us-ofac-sdn"}},
		{"no age check", bundledAt(200), -1, nil},
		{"custom list only", []lexscreen.ListVersion{{Source: "bank-internal", Published: "2020-01-01", AgeDays: 2000}}, 0, []string{"official"}},
		{"own lists only", []lexscreen.ListVersion{{Source: "icc-warrants", AgeDays: 1}, {Source: "ru-icc-cases", AgeDays: 1}}, 0, []string{"official"}},
		{"no list", nil, 0, []string{"official"}},
		{"OpenSanctions is official", []lexscreen.ListVersion{{Source: "ftm-sanctions", Published: "2026-12-01", AgeDays: 5}}, 0, nil},
		{"stale OpenSanctions", []lexscreen.ListVersion{{Source: "ftm-sanctions", Published: "2025-12-01", AgeDays: 370}}, 0, []string{"ftm-sanctions"}},
		{"no date: not judged", []lexscreen.ListVersion{{Source: "un-sc", AgeDays: 0}}, 0, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			ws := screening.ListWarnings(c.lists, c.maxAge)
			var got []string
			for _, w := range ws {
				got = append(got, w.Value)
				if w.Field != "lists" || w.Message == "" {
					t.Errorf("warning %+v", w)
				}
			}
			if strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Errorf("warnings for %v: %v, want %v", c.lists, got, c.want)
			}
		})
	}
	ws := screening.ListWarnings(bundledAt(10), 0)
	if m := ws[0].Message; !strings.Contains(m, "eu-fsf 2024-01-24") || !strings.Contains(m, "710 days") || !strings.Contains(m, "180 days") {
		t.Errorf("message %q: want the list, its age and the maximum", m)
	}
}

func TestParseMaxAge(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"180": 180 * day, "400d": 400 * day, " 365D ": 365 * day, "26w": 182 * day, "4320h": 180 * day,
		"0": -1, "0d": -1, "1": day,
	} {
		if got, err := screening.ParseMaxAge(in); err != nil || got != want {
			t.Errorf("ParseMaxAge(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-5", "abc", "1y", "d", "12.5", "-3h", "180 days", "9999999999999"} {
		if got, err := screening.ParseMaxAge(in); err == nil {
			t.Errorf("ParseMaxAge(%q) = %v, want an error", in, got)
		}
	}
}

func FuzzParseMaxAge(f *testing.F) {
	for _, s := range []string{"180", "400d", "26w", "4320h", "0", "-1", "1e9d", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := screening.ParseMaxAge(s)
		if err == nil && (d == 0 || d < -1) {
			t.Errorf("ParseMaxAge(%q) = %v: 0 is ambiguous (the default in Options), -1 is the only negative", s, d)
		}
	})
}

// Every result carries the list warnings; Options.MaxListAge tunes them.
func TestScreenWarnsOfLists(t *testing.T) {
	lists := []lexscreen.ListVersion{{Source: "eu-fsf", Version: "2024-01-24", Published: "2024-01-24", AgeDays: 1000}}
	b := match.NewBuilder(lists)
	b.Add(&lexscreen.Entity{ID: "eu-fsf:1", Source: "eu-fsf", Schema: lexscreen.SchemaPerson,
		Names: []lexscreen.Name{{Full: "Ingeborg Abrahamsen"}}})
	sc := screening.New(b.Build(), "test")
	for _, c := range []struct {
		maxAge time.Duration
		want   int
	}{{0, 1}, {2000 * day, 0}, {-1, 0}} {
		res, err := sc.Screen(lexscreen.Query{Name: "Ingeborg Abrahamsen"}, screening.Options{MaxListAge: c.maxAge})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Warnings) != c.want || len(res.Matches) != 1 {
			t.Errorf("max age %v: %d warnings (%v), %d matches; want %d warnings, 1 match", c.maxAge, len(res.Warnings), res.Warnings, len(res.Matches), c.want)
		}
	}
}
