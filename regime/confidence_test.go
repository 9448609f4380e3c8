package regime

import (
	"strings"
	"testing"
)

// The order is [M] < [D] < [V-2nd] < [V]; a tie names every limiting fact.
func TestWeakestNamesTheLimitingFacts(t *testing.T) {
	cases := []struct {
		in       []string
		tag, by  string
		comments string
	}{
		{[]string{fact(ConfVerified, "a"), fact(ConfSecondary, "b")}, ConfSecondary, "b", "V-2nd under V"},
		{[]string{fact(ConfSecondary, "b"), fact(ConfDerived, "c")}, ConfDerived, "c", "D under V-2nd"},
		{[]string{fact(ConfDerived, "c"), fact(ConfMemory, "d")}, ConfMemory, "d", "M under D"},
		{[]string{fact(ConfDerived, "c"), fact(ConfVerified, "a"), fact(ConfDerived, "e")}, ConfDerived, "c; e", "tie: both named"},
		{[]string{fact(ConfDerived, "c"), fact(ConfDerived, "c")}, ConfDerived, "c", "a fact named once"},
		{[]string{"", fact(conf(""), "nothing"), "bogus\tx"}, ConfVerified, "", "no fact: [V], nothing named"},
		{[]string{ConfMemory, fact(ConfDerived, "c")}, ConfMemory, "", "a bare tag still counts"},
		{[]string{weakest(fact(ConfDerived, "c"), fact(ConfDerived, "e")), fact(ConfDerived, "f")}, ConfDerived, "c; e; f", "nested"},
	}
	for _, c := range cases {
		tag, by := splitFact(weakest(c.in...))
		if tag != c.tag || by != c.by {
			t.Errorf("%s: got [%s] %q, want [%s] %q", c.comments, tag, by, c.tag, c.by)
		}
	}
}

// Item 8: no rule is stronger than what its own text says. A rule whose text
// or source says a part is from memory computes to [M]; the computed
// confidence is never above the rule's tag, and names what limits it.
func TestRuleConfidenceFromItsOwnText(t *testing.T) {
	e, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range e.Rules() {
		if r.RuleConfidence.Confidence == "" || r.LimitedBy == "" {
			t.Errorf("%s: no computed confidence or limiting fact", r.ID)
			continue
		}
		if confRank[r.RuleConfidence.Confidence] > confRank[r.Confidence] {
			t.Errorf("%s: computed [%s] above its tag [%s]", r.ID, r.RuleConfidence.Confidence, r.Confidence)
		}
		all := r.Text + " " + r.Source
		for _, d := range r.DatedText {
			all += " " + d.Text
		}
		if (strings.Contains(strings.ToLower(all), "from memory") || strings.Contains(all, "[M")) && r.RuleConfidence.Confidence != ConfMemory {
			t.Errorf("%s: its text says from memory, computed [%s]", r.ID, r.RuleConfidence.Confidence)
		}
		if strings.Contains(strings.ToLower(all), "from memory") && r.Confidence == ConfVerified {
			t.Errorf("%s: tagged [V] although its text says from memory", r.ID)
		}
	}
}

// Item 8, the research's own tags: eu-freeze (art. 2 from secondary sources)
// and the UK reach are [V-2nd]; membership rests on derived dates [D].
func TestRuleTagsFollowTheResearch(t *testing.T) {
	e, _ := Load()
	want := map[string]string{"eu-freeze": ConfSecondary, "uk-freeze": ConfSecondary, "icc-membership": ConfDerived,
		"icc-state-custody": ConfMemory, "us-general-licence": ConfDerived, "icc-art127-2": ConfMemory}
	for id, c := range want {
		r, _ := e.Rule(id)
		if r.RuleConfidence.Confidence != c {
			t.Errorf("%s: computed [%s], want [%s] (limited by %s)", id, r.RuleConfidence.Confidence, c, r.LimitedBy)
		}
	}
	r, _ := e.Rule("icc-membership")
	if !strings.Contains(r.LimitedBy, "computed per art. 126(2)") {
		t.Errorf("icc-membership should name a derived entry-into-force date: %s", r.LimitedBy)
	}
}

// Item 8: an obligation's confidence is the weakest fact it used, named.
// Arrest at a border: Armenia's entry into force is stated by a source
// (spot check), Germany's and Kenya's are computed; Kobylash's warrant date
// is from memory; Chad's withdrawal notification date is inferred.
func TestObligationConfidenceNamesItsFact(t *testing.T) {
	kobylash := warrant("kobylash-sergei-ivanovich", "Sergei Ivanovich Kobylash", "Ukraine", "ICC-01/22", "2024-03-05", "2024-03-05 at_large [M]")
	kobylash.Attributes["warrant_date_confidence"] = []string{"M"}
	putin := warrant("putin-vladimir-vladimirovich", "Vladimir Vladimirovich Putin", "Ukraine", "ICC-01/22", "2023-03-17")
	putin.Attributes["warrant_date_confidence"] = []string{"V"}
	cases := []struct {
		op, date string
		l        Listing
		tag, by  string
	}{
		{"border:AM", "2024-06-01", putin, ConfVerified, "rule icc-arrest-surrender"},
		{"border:DE", "2024-06-01", putin, ConfDerived, "entry into force of the Rome Statute for Germany on 2002-07-01, computed"},
		{"border:KE", "2024-06-01", putin, ConfDerived, "for Kenya"},
		{"border:AM", "2024-06-01", kobylash, ConfMemory, "warrant date 2024-03-05"},
		{"border:TD", "2026-09-01", putin, ConfDerived, "withdrawal of Chad"},
		{"border:MN", "2027-02-01", putin, ConfDerived, "Mongolia"},
	}
	for _, c := range cases {
		var found bool
		for _, o := range evalOne(t, c.op, c.date, c.l) {
			if o.Kind != "ARREST_AND_SURRENDER" {
				continue
			}
			found = true
			if o.Confidence != c.tag || !strings.Contains(o.ConfidenceLimitedBy, c.by) {
				t.Errorf("%s %s %s: got [%s] limited by %q, want [%s] naming %q", c.op, c.date, c.l.name(), o.Confidence, o.ConfidenceLimitedBy, c.tag, c.by)
			}
			if c.tag == ConfMemory && !strings.Contains(o.Explanation, "UNCONFIRMED") {
				t.Errorf("%s: [M] must show as UNCONFIRMED: %s", c.op, o.Explanation)
			}
		}
		if !found {
			t.Errorf("%s %s: no ARREST_AND_SURRENDER", c.op, c.date)
		}
	}
}

// Item 8: reach and freeze facts. An EU bank freezes an EU listing at
// [V-2nd] (art. 2 of Reg 269/2014 from secondary sources); a UK firm
// freezes a UK listing at [V-2nd] (the UK reach); a US bank blocks a listing
// dated in the SDN file itself at [V]. Every obligation names its facts.
func TestFreezeConfidence(t *testing.T) {
	cases := []struct {
		op   string
		l    Listing
		kind string
		tag  string
		by   string
	}{
		{"eu-bank", abramovichEU, "FREEZE", ConfSecondary, "rule eu-freeze"},
		{"uk-firm", abramovichUK, "FREEZE", ConfSecondary, "UK reach"},
		{"us-bank", putinSDNDated, "BLOCK", ConfVerified, "listing date 2022-02-25"},
	}
	for _, c := range cases {
		for _, o := range evalOne(t, c.op, "2024-05-02", c.l) {
			if o.ConfidenceLimitedBy == "" {
				t.Errorf("%s %s: no limiting fact named", c.op, o.Kind)
			}
			if string(o.Kind) == c.kind && (o.Confidence != c.tag || !strings.Contains(o.ConfidenceLimitedBy, c.by)) {
				t.Errorf("%s %s: [%s] limited by %q, want [%s] naming %q", c.op, o.Kind, o.Confidence, o.ConfidenceLimitedBy, c.tag, c.by)
			}
		}
	}
}

var putinSDNDated = func() Listing {
	l := sdn("35096", "PUTIN, Vladimir Vladimirovich", "RUSSIA-EO14024")
	l.Designations[0].ListedOn = on("2022-02-25")
	return l
}()

// The rule list renders each rule's computed confidence and what limits it.
func TestRenderRulesShowsComputedConfidence(t *testing.T) {
	e, _ := Load()
	s := RenderRules(e.Rules())
	if n := strings.Count(s, "Computed confidence:"); n != len(e.Rules()) {
		t.Errorf("%d computed lines for %d rules", n, len(e.Rules()))
	}
	if !strings.Contains(s, "limited by: rule icc-state-custody") {
		t.Error("icc-state-custody's limiting fact not shown")
	}
}
