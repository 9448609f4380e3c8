package icccoop

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen/regime"
)

// WarrantsSource is the source id of the ICC warrants list (bundled/icc).
const WarrantsSource = "icc-warrants"

// Report is the ICC cooperation picture on Date.
type Report struct {
	Date string `json:"date"`
	// States are the States Parties (in force, withdrawal pending, withdrawn,
	// not yet in force) and art. 12(3) declarants on the date.
	States []regime.ICCState `json:"states"`
	// Counts of States by status on the date.
	Counts map[string]int `json:"counts"`
	// Warrants are the warrants issued by the date, at large first.
	Warrants []Warrant `json:"warrants"`
	AtLarge  int       `json:"at_large" doc:"warrants whose subject is at large (or unclear) on the date"`
	// Visits are the recorded visits that began by the date; Findings the
	// decisions made (or searched for) by the date.
	Visits   []Visit   `json:"visits"`
	Findings []Finding `json:"findings"`
	// Pending are the visits on record with no finding yet on the date.
	Pending []string `json:"pending,omitempty" doc:"ids of visits without a finding on the date"`
	// Warnings say what the report could not do (no warrants list loaded).
	Warnings []string `json:"warnings,omitempty"`
	Source   string   `json:"source" doc:"where the facts come from"`
}

// Build is the report for date t from the regime engine (States) and the
// listings in force (the warrants: those of WarrantsSource). Without a
// warrants list it says so in Warnings and lists no warrant.
func Build(e *regime.Engine, listings []regime.Listing, t time.Time) (Report, error) {
	rec, err := load(cooperationYAML)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Date: t.Format(dfmt), States: e.ICCStates(t), Counts: map[string]int{}, Warrants: []Warrant{}, Visits: []Visit{}, Findings: []Finding{},
		Source: "regime/data/states_parties.yaml (UN Treaty Collection MTDSG XVIII-10), the icc-warrants list (bundled/icc), icccoop/data/cooperation.yaml (shared/legal/RESEARCH.md s.3.3)"}
	declarants := map[string][]string{} // situation -> States whose declaration covers it on t
	for _, st := range rep.States {
		rep.Counts[st.Status]++
		for _, d := range st.Declarations {
			for _, sit := range d.Situations {
				if !slices.Contains(declarants[sit], st.ISO2) {
					declarants[sit] = append(declarants[sit], st.ISO2)
				}
			}
		}
	}
	for _, l := range listings {
		if l.Source != WarrantsSource {
			continue
		}
		w, ok := warrantOf(l, t)
		if !ok {
			continue
		}
		w.Declarants = declarants[w.Situation]
		if w.AtLarge {
			rep.AtLarge++
		}
		rep.Warrants = append(rep.Warrants, w)
	}
	if !slices.ContainsFunc(listings, func(l regime.Listing) bool { return l.Source == WarrantsSource }) {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("no %s list is loaded on %s: no warrant is shown (import it: lexscreen import --bundled)", WarrantsSource, rep.Date))
	}
	sort.SliceStable(rep.Warrants, func(i, j int) bool {
		a, b := rep.Warrants[i], rep.Warrants[j]
		if a.AtLarge != b.AtLarge {
			return a.AtLarge
		}
		if a.Situation != b.Situation {
			return a.Situation < b.Situation
		}
		return a.Name < b.Name
	})
	day := rep.Date
	decided := map[string]bool{}
	for _, f := range rec.Findings {
		if f.Date <= day {
			rep.Findings = append(rep.Findings, f)
			decided[f.Visit] = true
		}
	}
	for _, v := range rec.Visits {
		if v.From > day {
			continue
		}
		vd, _ := time.Parse(dfmt, v.From)
		for _, st := range e.ICCStates(vd) {
			if st.ISO2 == v.State {
				v.PartyStatus = st.Status
			}
		}
		if v.To > day {
			v.To = day // under way on the date: its end is not yet known
		}
		rep.Visits = append(rep.Visits, v)
		if !decided[v.ID] {
			rep.Pending = append(rep.Pending, v.ID)
		}
	}
	return rep, nil
}

// StateStatus returns the status of a State in the report ("" when it is
// neither party nor declarant on the date).
func (r Report) StateStatus(iso2 string) string {
	i := sort.Search(len(r.States), func(i int) bool { return r.States[i].ISO2 >= iso2 })
	if i < len(r.States) && r.States[i].ISO2 == iso2 {
		return r.States[i].Status
	}
	return ""
}

// Failures returns the States with a recorded failure to surrender on the
// date (a visit without arrest, a release) or a finding about one, by ISO
// code: the ids of the findings, else of the visits.
func (r Report) Failures() map[string][]string {
	out := map[string][]string{}
	for _, f := range r.Findings {
		out[f.State] = append(out[f.State], f.ID)
	}
	for _, v := range r.Visits {
		if len(out[v.State]) == 0 {
			out[v.State] = append(out[v.State], v.ID)
		}
	}
	return out
}

// String is a plain-text summary: counts, warrants at large, visits and findings.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ICC cooperation on %s: %d States Parties (%d withdrawal pending), %d withdrawn, %d art. 12(3) declarants; %d of %d warrants at large\n",
		r.Date, r.Counts[regime.ICCParty]+r.Counts[regime.ICCWithdrawalPending], r.Counts[regime.ICCWithdrawalPending], r.Counts[regime.ICCWithdrawn], r.Counts[regime.ICCDeclarant], r.AtLarge, len(r.Warrants))
	for _, v := range r.Visits {
		fmt.Fprintf(&b, "visit %s: %s in %s %s..%s, %s [%s]\n", v.ID, v.Person, v.State, v.From, v.To, v.Outcome, v.Confidence)
	}
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "finding %s: %s %s, %s [%s]\n", f.ID, f.State, f.Date, f.Outcome, f.Confidence)
	}
	return b.String()
}
