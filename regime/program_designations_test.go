package regime

import (
	"testing"
	"time"
)

// TestProgramDesignations checks the ICC-EO14203 designations the data
// records, as known on dates around their events: the Annex designation of
// 6 Feb 2025, the June 2025 judges, Albanese's injunction of 13 May 2026.
func TestProgramDesignations(t *testing.T) {
	e, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		date       string
		n          int
		first      string
		albaneseEv int
		litigation bool
	}{
		{"2025-02-05", 0, "", 0, false},
		{"2025-02-06", 1, "us-ofac-sdn:52965", 0, false},
		{"2025-06-05", 5, "us-ofac-sdn:52965", 0, false},
		{"2025-12-31", 15, "us-ofac-sdn:52965", 1, false},
		{"2026-05-13", 15, "us-ofac-sdn:52965", 2, true},
		{"2026-06-01", 15, "us-ofac-sdn:52965", 3, true},
	}
	for _, tc := range tests {
		d, _ := time.Parse(dfmt, tc.date)
		got := e.ProgramDesignations("ICC-EO14203", d)
		if len(got) != tc.n {
			t.Errorf("%s: %d designations, want %d", tc.date, len(got), tc.n)
			continue
		}
		if tc.n == 0 {
			continue
		}
		if got[0].EntityID != tc.first || got[0].Designated != "2025-02-06" || got[0].Confidence == "" || got[0].Basis == "" {
			t.Errorf("%s: first %+v", tc.date, got[0])
		}
		for i := 1; i < len(got); i++ {
			if got[i].Designated < got[i-1].Designated {
				t.Errorf("%s: not in date order at %d", tc.date, i)
			}
		}
		for _, u := range got {
			if u.EntityID == "us-ofac-sdn:54707" && (len(u.Events) != tc.albaneseEv || (u.Litigation != "") != tc.litigation) {
				t.Errorf("%s: Albanese events %d litigation %q, want %d, %v", tc.date, len(u.Events), u.Litigation, tc.albaneseEv, tc.litigation)
			}
		}
	}
	if got := e.ProgramDesignations("ICCP-EO13928", MaxDate); len(got) != 2 || got[0].EntityID != "" || len(got[0].Events) != 2 {
		t.Errorf("EO 13928 (2020, named only): %+v", got)
	}
}
