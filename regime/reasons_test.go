package regime

import (
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
)

// Issue 12 item 10: every answer carries its reason. When nothing binds, the
// match carries NO_LEGAL_EFFECT with the reason, its basis and confidence.

func evalOne(t *testing.T, opSpec, date string, l Listing) []lexscreen.Obligation {
	t.Helper()
	e, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	op, err := ParseOperator(opSpec)
	if err != nil {
		t.Fatal(err)
	}
	obs, _, err := e.Evaluate(op, d(date), l)
	if err != nil {
		t.Fatal(err)
	}
	return obs
}

func TestReasonForEveryAnswer(t *testing.T) {
	for _, c := range []struct {
		id, op, date string
		l            Listing
		basis, why   string // substrings of the basis and the explanation
	}{
		// Arts. 57(3)(e), 93(1)(k): a warrant asks States to arrest; it freezes nothing a bank holds.
		{"bank-and-warrant", "eu-bank", "2020-01-01", bashir, "57(3)(e)", "binds the authorities of States"},
		// Art. 58: before the warrant is issued there is nothing to execute.
		{"warrant-not-yet-issued", "border:DE", "2009-03-03", bashir, "art", "No ICC arrest warrant"},
		// Transferred to the Court on 2020-06-09: nothing left to arrest.
		{"in-icc-custody", "border:FR", "2021-01-01", kushayb, "59(7)", "in the Court's custody"},
		// A treaty binds only its parties: the US has not ratified the Statute.
		{"not-a-state-party", "border:US", "2020-01-01", bashir, "126", "binds only its parties"},
		// Ukraine's Statute entered into force on 2025-01-01; its declarations cover only ICC-01/22.
		{"not-yet-a-party", "border:UA", "2024-12-01", netanyahu, "126", "not yet a State Party"},
		// A designation has no effect before it is made (EU listing of 2022-03-15).
		{"not-yet-designated", "eu-bank", "2022-03-14", abramovichEU, "269/2014", "not yet designated"},
		// Art. 17 of Reg. 269/2014: a US bank acting only in the US is outside EU jurisdiction.
		{"jurisdiction-does-not-reach", "us-bank", "2023-01-01", abramovichEU, "269/2014", "does not reach"},
		// A border acts on travel bans only; an EU asset freeze with no travel ban asks nothing of it.
		{"border-no-travel-ban", "border:DE", "2023-01-01", abramovichEU, "CFSP", "no travel ban"},
	} {
		t.Run(c.id, func(t *testing.T) {
			obs := evalOne(t, c.op, c.date, c.l)
			if len(obs) != 1 || obs[0].Kind != "NO_LEGAL_EFFECT" {
				t.Fatalf("want one NO_LEGAL_EFFECT, got %v", summary(obs))
			}
			o := obs[0]
			if !strings.Contains(o.Basis, c.basis) || !strings.Contains(o.Explanation, c.why) || o.Confidence == "" || o.Source == "" {
				t.Errorf("want basis ~%q, reason ~%q, a confidence and source; got basis %q [%s] %s", c.basis, c.why, o.Basis, o.Confidence, o.Explanation)
			}
		})
	}
}

// No combination of operator, date and listing returns an empty answer, and a
// NO_LEGAL_EFFECT never sits beside a duty it would contradict, except the
// hostile-listing finding.
func TestNoEmptyAnswer(t *testing.T) {
	e, _ := Load()
	unknown := Listing{EntityID: "xx-list:1", Source: "xx-list", Names: []string{"SOMEONE"},
		Designations: []lexscreen.Designation{{Authority: "XX", Program: "X"}}}
	ls := []Listing{khanSDN, khanRU, alHaq, albanese, putinSDN, netanyahu, putinICC, duterte, kushayb, bashir, elmasry,
		abramovichEU, abramovichUK, putinEU, putinUK, unListed, iranSDN, unknown}
	for _, spec := range []string{"us-bank", "eu-bank", "eu-subsidiary-of-us-bank", "uk-firm", "border:DE", "border:US", "border:HU", "border:UA"} {
		op, err := ParseOperator(spec)
		if err != nil {
			t.Fatal(err)
		}
		for _, date := range []string{"2005-01-01", "2022-03-01", "2025-03-01"} {
			for _, l := range ls {
				obs, _, err := e.Evaluate(op, d(date), l)
				if err != nil {
					t.Fatal(err)
				}
				if len(obs) == 0 {
					t.Errorf("%s %s %s: no obligation entry", spec, date, l.EntityID)
				}
				nle := 0
				for _, o := range obs {
					if o.Kind == "NO_LEGAL_EFFECT" {
						nle++
						if o.Basis == "" || o.Confidence == "" || o.Explanation == "" {
							t.Errorf("%s %s %s: NO_LEGAL_EFFECT without basis, confidence or reason: %+v", spec, date, l.EntityID, o)
						}
					}
				}
				if nle > 0 && nle < len(obs) && l.Source != "ru-icc-cases" {
					t.Errorf("%s %s %s: NO_LEGAL_EFFECT beside duties: %v", spec, date, l.EntityID, summary(obs))
				}
				if l.EntityID == "xx-list:1" && (len(obs) != 1 || !strings.Contains(obs[0].Explanation, "gap in the data")) {
					t.Errorf("unknown list: want a data-gap reason, got %v", summary(obs))
				}
			}
		}
	}
}

// The exposure report still counts listings that merely carry their reason
// as not applicable.
func TestExposureReasonsNotApplicable(t *testing.T) {
	e, _ := Load()
	op, _ := ParseOperator("us-bank")
	rep, err := e.Exposure(op, d("2023-06-01"), []Listing{abramovichEU, bashir, khanRU})
	if err != nil {
		t.Fatal(err)
	}
	if rep.NotApplicable != 2 || len(rep.NoLegalEffect) != 1 {
		t.Errorf("want 2 not applicable and the hostile listing under no legal effect, got %d and %d", rep.NotApplicable, len(rep.NoLegalEffect))
	}
}

// Issue 12 item 12: a listing with no date is reported conditionally, at [D]
// at most, and the text states only facts true on the query date.
func TestUnknownListingDate(t *testing.T) {
	l := sdn("99001", "EXAMPLE TRADING LLC", "IRAN") // no date in the list, no snapshot date
	obs := evalOne(t, "us-bank", "2010-06-01", l)
	if !kinds(obs)["BLOCK"] || !kinds(obs)["REPORT"] {
		t.Fatalf("want BLOCK and REPORT reported, got %v", summary(obs))
	}
	for _, o := range obs {
		if o.Confidence != ConfDerived && o.Confidence != ConfMemory {
			t.Errorf("%s: confidence %s, want [D] at most", o.Kind, o.Confidence)
		}
		if !strings.Contains(o.Explanation, "listing date unknown") && !strings.Contains(o.Explanation, "Listing date unknown") {
			t.Errorf("%s: want listing date unknown: %s", o.Kind, o.Explanation)
		}
		if strings.Contains(o.Explanation, "2024") || strings.Contains(o.Explanation, "Reporting System") {
			t.Errorf("%s: states a 2024 fact on a 2010 date: %s", o.Kind, o.Explanation)
		}
	}
	// From a snapshot that shows the entry, the date is known to be covered: full confidence, no condition.
	l.FirstSeen = d("2010-01-01")
	for _, o := range evalOne(t, "us-bank", "2025-06-02", l) {
		if o.Kind == "BLOCK" && (o.Confidence != ConfVerified || strings.Contains(o.Explanation, "unknown")) {
			t.Errorf("known listed: %s %s", o.Confidence, o.Explanation)
		}
		if o.Kind == "REPORT" && !strings.Contains(o.Explanation, "OFAC Reporting System") {
			t.Errorf("2025 report text should name the e-filing system: %s", o.Explanation)
		}
	}
	// A [M] part stays [M]: falling to [D] never raises confidence.
	if got := weakest(ConfMemory, ConfDerived); got != ConfMemory {
		t.Errorf("weakest(M, D) = %s", got)
	}
}

// Dated facts in rule texts: the Mongolia finding (24 Oct 2024) is not cited
// on 3 Sep 2024, the Hungary finding (24 Jul 2025) not before it.
func TestDatedRuleText(t *testing.T) {
	expl := func(date string) string {
		var s string
		for _, o := range evalOne(t, "border:DE", date, putinICC) {
			s += o.Explanation
		}
		return s
	}
	if s := expl("2024-09-03"); strings.Contains(s, "Mongolia") || strings.Contains(s, "Hungary") {
		t.Errorf("2024-09-03 cites later findings: %s", s)
	}
	if s := expl("2025-03-01"); !strings.Contains(s, "Mongolia") || strings.Contains(s, "Hungary") {
		t.Errorf("2025-03-01: want Mongolia only: %s", s)
	}
	if s := expl("2025-08-01"); !strings.Contains(s, "Hungary") {
		t.Errorf("2025-08-01: want Hungary: %s", s)
	}
}
