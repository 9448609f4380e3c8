package regime

import (
	"strings"
	"testing"
	"time"
)

// TestICCStates checks membership on dates around the events the data
// records: entry into force (art. 126(2)), notified and effective
// withdrawals (art. 127), a repealed withdrawal, and art. 12(3) declarations.
func TestICCStates(t *testing.T) {
	e, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		date, iso2, status, since, until string
	}{
		{"2024-09-03", "MN", ICCParty, "2002-07-01", ""},                       // Putin's visit to Mongolia
		{"2017-10-26", "BI", ICCWithdrawalPending, "2016-10-27", "2017-10-27"}, // Burundi, the day before
		{"2017-10-27", "BI", ICCWithdrawn, "2017-10-27", ""},                   // and the day its withdrawal took effect
		{"2016-01-01", "UA", ICCDeclarant, "2014-04-17", ""},                   // Ukraine, two declarations, not a party
		{"2024-11-15", "UA", ICCDeclarant, "2014-04-17", "2025-01-01"},         // ratified, not yet in force: the declarations bind it
		{"2024-01-01", "AM", ICCNotYetInForce, "2023-11-14", "2024-02-01"},     // Armenia: ratified, not yet in force
		{"2025-01-01", "UA", ICCParty, "2025-01-01", ""},
		{"2025-06-02", "HU", ICCWithdrawalPending, "2025-06-02", "2026-06-02"}, // Hungary's notified withdrawal
		{"2026-05-27", "HU", ICCParty, "2002-07-01", ""},                       // repealed before it took effect
		{"2025-10-09", "TJ", ICCParty, "2002-07-01", ""},                       // Putin in Dushanbe
		{"2015-01-02", "PS", ICCDeclarant, "2015-01-01", "2015-04-01"},         // Palestine: acceded, not yet in force, declaration lodged
	}
	for _, tc := range tests {
		d, _ := time.Parse(dfmt, tc.date)
		var got *ICCState
		for _, st := range e.ICCStates(d) {
			if st.ISO2 == tc.iso2 {
				got = &st
				break
			}
		}
		if got == nil {
			t.Errorf("%s on %s: not listed", tc.iso2, tc.date)
			continue
		}
		if got.Status != tc.status || got.Since != tc.since || got.Until != tc.until {
			t.Errorf("%s on %s: %s since %s until %q, want %s since %s until %q", tc.iso2, tc.date, got.Status, got.Since, got.Until, tc.status, tc.since, tc.until)
		}
		if len(got.Facts) == 0 || got.Confidence == "" {
			t.Errorf("%s on %s: no facts or confidence: %+v", tc.iso2, tc.date, got)
		}
	}
}

// TestICCStatesNoLaterFacts checks that a date states no later event.
func TestICCStatesNoLaterFacts(t *testing.T) {
	e, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	d := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, st := range e.ICCStates(d) {
		if st.ISO2 == "UA" && st.Status != ICCDeclarant {
			t.Errorf("Ukraine on 2016-01-01: %s", st.Status)
		}
		if st.ISO2 == "AM" || st.ISO2 == "KI" {
			t.Errorf("%s listed on 2016-01-01, before it ratified", st.ISO2)
		}
		for _, f := range st.Facts {
			for _, later := range []string{"2025", "2026", "2027"} {
				if strings.Contains(f, "withdrawal of") && strings.Contains(f, later) {
					t.Errorf("%s on 2016-01-01 states a later withdrawal: %s", st.ISO2, f)
				}
			}
		}
	}
}
