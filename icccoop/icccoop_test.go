package icccoop

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/regime"
)

// warrantListing is a listing of the icc-warrants list as the index gives it.
func warrantListing(key, name, situation, issued string, history ...string) regime.Listing {
	pd, _ := lexscreen.ParseISODate(issued)
	return regime.Listing{EntityID: WarrantsSource + ":" + key, Source: WarrantsSource, Names: []string{name},
		Designations: []lexscreen.Designation{{Authority: "ICC", List: "ICC arrest warrants", Program: situation, ListedOn: lexscreen.DateValue{From: pd}}},
		Attributes:   map[string][]string{"situation_code": {situation}, "warrant_status_history": history}}
}

// realWarrants are excerpts of bundled/icc/icc-warrants.json.
var realWarrants = []regime.Listing{
	warrantListing("putin-vladimir-vladimirovich", "Vladimir Vladimirovich Putin", "ICC-01/22", "2023-03-17", "2023-03-17 at_large [V]"),
	warrantListing("netanyahu-benjamin", "Benjamin Netanyahu", "ICC-01/18", "2024-11-21", "2024-11-21 at_large [V]"),
	warrantListing("deif-mohammed", "Mohammed Deif", "ICC-01/18", "2024-11-21", "2024-11-21 at_large [V-2nd]", "2025-02 withdrawn [M]"),
	warrantListing("elmasry-njeem-osama", "Osama Elmasry Njeem", "ICC-01/11", "2025-01-18", "2025-01-18 at_large [V]", "2025-01-19 arrested_by_state IT [V]", "2025-01-21 released IT [V]"),
	warrantListing("el-hishri-khaled-mohamed-ali", "Khaled Mohamed Ali El Hishri", "ICC-01/11", "2025-07-10", "2025-07-10 at_large [V]", "2025-07-16 arrested_by_state DE [V]", "2025-12-01 in_icc_custody [V]"),
	warrantListing("duterte-rodrigo-roa", "Rodrigo Roa Duterte", "ICC-01/21", "2025-03-07", "2025-03-07 at_large [M]", "2025-03-11 arrested_by_state PH [V]", "2025-03-12 in_icc_custody [V]"),
	{EntityID: "us-ofac-sdn:1", Source: "us-ofac-sdn", Names: []string{"Not a warrant"}},
}

func TestLoadEmbedded(t *testing.T) {
	r, err := load(cooperationYAML)
	if err != nil {
		t.Fatal(err)
	}
	// The four States the record must cover (issue 14): Mongolia 2024, Hungary, Italy and Tajikistan 2025.
	var states []string
	for _, f := range r.Findings {
		states = append(states, f.State+" "+f.Date[:4])
	}
	for _, want := range []string{"MN 2024", "HU 2025", "IT 2025", "TJ 2025"} {
		if !slices.Contains(states, want) {
			t.Errorf("no finding record %s in %v", want, states)
		}
	}
}

func TestLoadRefuses(t *testing.T) {
	good := "visits:\n  - {id: v, person: P, entity: icc-warrants:p, state: MN, from: 2024-09-03, to: 2024-09-03, outcome: not_arrested, confidence: V, source: s}\n"
	if _, err := load([]byte(good)); err != nil {
		t.Fatalf("good record refused: %v", err)
	}
	for name, doc := range map[string]string{
		"unknown field":  strings.Replace(good, "source: s", "source: s, colour: red", 1),
		"no source":      strings.Replace(good, "source: s", "source: ''", 1),
		"bad confidence": strings.Replace(good, "confidence: V", "confidence: sure", 1),
		"bad date":       strings.Replace(good, "from: 2024-09-03", "from: 3 Sep 2024", 1),
		"ends first":     strings.Replace(good, "to: 2024-09-03", "to: 2024-09-01", 1),
		"bad outcome":    strings.Replace(good, "not_arrested", "fine", 1),
		"orphan finding": good + "findings:\n  - {id: f, state: HU, visit: v, date: 2024-10-24, outcome: referred, confidence: V, source: s}\n",
	} {
		if _, err := load([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func day(s string) time.Time { d, _ := time.Parse(dfmt, s); return d }

// TestBuild checks the picture on dates around the recorded events: no
// later visit, finding or warrant shows; statuses follow the history.
func TestBuild(t *testing.T) {
	e, err := regime.Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		date              string
		visits, findings  []string
		pending           []string
		atLarge, warrants int
		status            map[string]string // entity key -> status
	}{
		{date: "2024-09-02", atLarge: 1, warrants: 1, status: map[string]string{"putin-vladimir-vladimirovich": "at_large"}},
		{date: "2024-09-03", visits: []string{"putin-mongolia-2024"}, pending: []string{"putin-mongolia-2024"}, atLarge: 1, warrants: 1},
		{date: "2024-10-24", visits: []string{"putin-mongolia-2024"}, findings: []string{"mongolia-2024"}, atLarge: 1, warrants: 1},
		{date: "2025-01-20", visits: []string{"putin-mongolia-2024", "elmasry-italy-2025"}, findings: []string{"mongolia-2024"}, pending: []string{"elmasry-italy-2025"},
			atLarge: 3, warrants: 4, status: map[string]string{"elmasry-njeem-osama": "arrested_by_state", "deif-mohammed": "at_large"}},
		{date: "2025-07-20", visits: []string{"putin-mongolia-2024", "netanyahu-hungary-2025", "elmasry-italy-2025"}, findings: []string{"mongolia-2024"},
			pending: []string{"netanyahu-hungary-2025", "elmasry-italy-2025"}, atLarge: 3, warrants: 6,
			status: map[string]string{"elmasry-njeem-osama": "released", "deif-mohammed": "withdrawn", "el-hishri-khaled-mohamed-ali": "arrested_by_state", "duterte-rodrigo-roa": "in_icc_custody"}},
		{date: "2026-01-01", visits: []string{"putin-mongolia-2024", "netanyahu-hungary-2025", "elmasry-italy-2025", "putin-tajikistan-2025"},
			findings: []string{"mongolia-2024", "hungary-2025", "italy-2025", "tajikistan-2025"}, atLarge: 3, warrants: 6},
	}
	for _, tc := range tests {
		rep, err := Build(e, realWarrants, day(tc.date))
		if err != nil {
			t.Fatal(err)
		}
		var vs, fs []string
		for _, v := range rep.Visits {
			vs = append(vs, v.ID)
			if v.PartyStatus != regime.ICCParty {
				t.Errorf("%s: visit %s: %s party status %q", tc.date, v.ID, v.State, v.PartyStatus)
			}
		}
		for _, f := range rep.Findings {
			fs = append(fs, f.ID)
		}
		if !sameSet(vs, tc.visits) || !sameSet(fs, tc.findings) || !sameSet(rep.Pending, tc.pending) {
			t.Errorf("%s: visits %v findings %v pending %v, want %v %v %v", tc.date, vs, fs, rep.Pending, tc.visits, tc.findings, tc.pending)
		}
		if rep.AtLarge != tc.atLarge || len(rep.Warrants) != tc.warrants {
			t.Errorf("%s: %d at large of %d, want %d of %d", tc.date, rep.AtLarge, len(rep.Warrants), tc.atLarge, tc.warrants)
		}
		for key, want := range tc.status {
			i := slices.IndexFunc(rep.Warrants, func(w Warrant) bool { return w.EntityID == WarrantsSource+":"+key })
			if i < 0 || rep.Warrants[i].Status != want {
				t.Errorf("%s: %s not %s: %+v", tc.date, key, want, rep.Warrants)
			}
		}
		if rep.StateStatus("MN") != regime.ICCParty || rep.StateStatus("US") != "" {
			t.Errorf("%s: MN %q US %q", tc.date, rep.StateStatus("MN"), rep.StateStatus("US"))
		}
	}
}

// TestBuildDeclarants checks that an art. 12(3) declarant is bound by the
// warrants of the situation its declaration covers: Ukraine before it
// became a party, for ICC-01/22.
func TestBuildDeclarants(t *testing.T) {
	e, _ := regime.Load()
	rep, err := Build(e, realWarrants, day("2024-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range rep.Warrants {
		if w.Situation == "ICC-01/22" && !slices.Contains(w.Declarants, "UA") {
			t.Errorf("%s: declarants %v, want UA", w.Name, w.Declarants)
		}
	}
	if rep.Counts[regime.ICCDeclarant] == 0 {
		t.Errorf("no declarant counted: %v", rep.Counts)
	}
}

func TestBuildNoWarrantsList(t *testing.T) {
	e, _ := regime.Load()
	rep, err := Build(e, nil, day("2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) == 0 || len(rep.Warrants) != 0 {
		t.Errorf("no list: warnings %v warrants %d", rep.Warnings, len(rep.Warrants))
	}
	if !strings.Contains(rep.String(), "0 of 0 warrants") {
		t.Errorf("summary: %s", rep.String())
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func FuzzParseHistory(f *testing.F) {
	f.Add("2025-07-16 arrested_by_state DE [V]")
	f.Add("2025-02 withdrawn [M]")
	f.Fuzz(func(t *testing.T, s string) {
		for _, e := range regime.WarrantHistory([]string{s}) {
			if e.Status == "" || e.Confidence == "" {
				t.Errorf("%q: %+v", s, e)
			}
		}
	})
}
