package screening_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/screening"
)

// A date of birth that can't be read is screened without, with a warning;
// one read loosely says how; a plain one warns of nothing.
func TestScreenDOBWarnings(t *testing.T) {
	b := match.NewBuilder(nil)
	b.Add(&lexscreen.Entity{ID: "x:1", Source: "x", Schema: lexscreen.SchemaPerson, Names: []lexscreen.Name{{Full: "KHAN, Karim Asad Ahmad", Kind: lexscreen.NamePrimary}},
		BirthDates: []lexscreen.DateValue{lexscreen.Single(lexscreen.PartialDate{Year: 1970, Month: 3, Day: 30})}})
	s := screening.New(b.Build(), "test")
	cases := []struct {
		dob     string
		warning string // a substring of the one warning's message; "" for none
	}{
		{"1970-03-30", ""},
		{"30 March 1970", ""},
		{"", ""},
		{"unknown", ""},
		{"03/04/1970", "day and month order is ambiguous: 1970-03-04 or 1970-04-03"},
		{"8/1/84", "two-digit year 84 read as 1984"},
		{"31/31/1970", `could not read the date of birth: cannot read "31/31/1970" as a date`},
		{"7 Septembre 1960 environ", `could not read the date of birth: cannot read "7 Septembre 1960 environ" as a date`},
	}
	for _, c := range cases {
		res, err := s.Screen(lexscreen.Query{Name: "Karim Asad Ahmad Khan", BirthDate: c.dob}, screening.Options{MaxListAge: -1})
		if err != nil {
			t.Errorf("dob %q: %v", c.dob, err)
			continue
		}
		if len(res.Matches) == 0 && c.dob != "8/1/84" { // born 1970, not 1984
			t.Errorf("dob %q: Karim Khan not found", c.dob)
		}
		// Only the date's warnings (the test index has no official list,
		// which warns too).
		res.Warnings = slices.DeleteFunc(res.Warnings, func(w lexscreen.Warning) bool { return w.Field != "dob" })
		if c.warning == "" {
			if len(res.Warnings) != 0 {
				t.Errorf("dob %q: warnings %+v, want none", c.dob, res.Warnings)
			}
			continue
		}
		if len(res.Warnings) != 1 {
			t.Errorf("dob %q: warnings %+v, want one", c.dob, res.Warnings)
			continue
		}
		w := res.Warnings[0]
		if w.Field != "dob" || w.Value != c.dob || !strings.Contains(w.Message, c.warning) {
			t.Errorf("dob %q: warning %+v, want %q", c.dob, w, c.warning)
		}
		if strings.HasPrefix(c.warning, "could not") && !strings.HasSuffix(w.Message, "; screened without it") {
			t.Errorf("dob %q: warning %q does not say it screened without the date", c.dob, w.Message)
		}
	}
}
