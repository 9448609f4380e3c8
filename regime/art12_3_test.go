package regime

import (
	"strings"
	"testing"
)

// Art. 12(3): a State that accepts the Court's jurisdiction by declaration
// "shall cooperate with the Court without any delay or exception in
// accordance with Part 9": it owes arrest and surrender from the day it
// lodges the declaration, in the situation the declaration covers, and only
// there.
func TestArt12_3Declarations(t *testing.T) {
	gbagbo := warrant("gbagbo-laurent", "Laurent Gbagbo", "Côte d'Ivoire", "ICC-02/11", "2011-11-23")
	// A hypothetical early warrant in the Ukraine situation, to test the declarations' own dates.
	early := warrant("early-ukraine", "Hypothetical Suspect", "Ukraine", "ICC-01/22", "2014-01-10")
	e, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		op, date string
		l        Listing
		want     string // basis of the ARREST_AND_SURRENDER duty: "12(3)", "party", or "" for none
		why      string
	}{
		{"border:UA", "2014-04-16", early, "", "the day before Ukraine lodged its first declaration"},
		{"border:UA", "2014-04-17", early, "12(3)", "first declaration lodged 2014-04-17"},
		{"border:UA", "2023-03-20", putinICC, "12(3)", "second declaration of 2015, Ukraine not yet a party"},
		{"border:UA", "2025-01-01", putinICC, "party", "a State Party from 2025-01-01"},
		{"border:UA", "2024-12-31", netanyahu, "", "Ukraine's declarations cover the Ukraine situation only, not Palestine"},
		{"border:CI", "2011-11-25", gbagbo, "12(3)", "Côte d'Ivoire, not yet a party, surrendered Gbagbo under its 2003 declaration"},
		{"border:CI", "2014-01-01", gbagbo, "party", "a State Party from 2013-05-01"},
		{"border:PS", "2024-11-22", netanyahu, "party", "Palestine, a party since 2015-04-01"},
		{"border:RU", "2024-01-01", putinICC, "", "Russia made no declaration and is no party"},
	} {
		op, err := ParseOperator(c.op)
		if err != nil {
			t.Fatal(err)
		}
		obs, _, err := e.Evaluate(op, d(c.date), c.l)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, o := range obs {
			if o.Kind == "ARREST_AND_SURRENDER" {
				got = "party"
				if strings.Contains(o.Basis, "12(3)") {
					got = "12(3)"
				}
				if got == "12(3)" && (!strings.Contains(o.Explanation, "art. 12(3)") || o.Confidence != ConfMemory) {
					t.Errorf("%s %s: want art. 12(3) cited and [M] (declaration dates from memory): %s %s", c.op, c.date, o.Confidence, o.Explanation)
				}
			}
		}
		if got != c.want {
			t.Errorf("%s %s %s: duty rule %q, want %q (%s): %v", c.op, c.date, c.l.name(), got, c.want, c.why, summary(obs))
		}
	}
}

func TestArt12_3Overlay(t *testing.T) {
	if _, err := Load([]byte("declarations:\n  - {iso2: XX, situations: [ICC-01/22]}\n")); err == nil {
		t.Error("a declaration without a lodging date must be refused")
	}
	e, err := Load([]byte("declarations:\n  - {iso2: RU, lodged: 2027-01-01, situations: [ICC-01/22]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	op, _ := ParseOperator("border:RU")
	obs, _, _ := e.Evaluate(op, d("2027-01-02"), putinICC)
	if !kinds(obs)["ARREST_AND_SURRENDER"] {
		t.Errorf("what-if declaration by Russia: want ARREST_AND_SURRENDER, got %v", summary(obs))
	}
}
