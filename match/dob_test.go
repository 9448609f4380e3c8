package match

import (
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/dates"
)

// dobEvidence of a query date as written (read by dates.Read) against
// listed dates: effect and detail.
func TestDOBEvidenceReadings(t *testing.T) {
	day := func(y, m, d int) lexscreen.DateValue {
		return lexscreen.Single(lexscreen.PartialDate{Year: y, Month: m, Day: d})
	}
	khan := []lexscreen.DateValue{day(1970, 3, 30)}
	cases := []struct {
		query  string
		listed []lexscreen.DateValue
		effect float64
		detail string
	}{
		// ISO queries: the details are those of before the lenient reader
		{"1970-03-30", khan, dobAgreeDay, "date of birth 1970-03-30 is listed"},
		{"1970", khan, dobAgree, "date of birth 1970 agrees with listed 1970-03-30"},
		{"1970-04-15", khan, dobNear, "date of birth 1970-04-15 is within a year of listed 1970-03-30"},
		{"1991-01-01", khan, dobDisagree, "date of birth 1991-01-01 differs from every listed date (nearest 1970-03-30)"},
		// other forms of the same day
		{"03/30/1970", khan, dobAgreeDay, "date of birth 1970-03-30 is listed"},
		{"30.03.1970", khan, dobAgreeDay, "date of birth 1970-03-30 is listed"},
		{"30 March 1970", khan, dobAgreeDay, "date of birth 1970-03-30 is listed"},
		{"30 марта 1970", khan, dobAgreeDay, "date of birth 1970-03-30 is listed"},
		{"19700330", khan, dobAgreeDay, "date of birth 1970-03-30 is listed"},
		// ambiguous day and month: the best reading, said so
		{"03/04/1970", []lexscreen.DateValue{day(1970, 4, 3)}, dobAgreeDay,
			"date of birth 1970-03-04 or 1970-04-03 (day/month order unknown): 1970-04-03 is listed"},
		{"03/04/1970", []lexscreen.DateValue{day(1970, 3, 4)}, dobAgreeDay,
			"date of birth 1970-03-04 or 1970-04-03 (day/month order unknown): 1970-03-04 is listed"},
		{"03/04/1970", []lexscreen.DateValue{day(1982, 3, 4)}, dobDisagree,
			"date of birth 1970-03-04 or 1970-04-03 (day/month order unknown): 1970-03-04 differs from every listed date (nearest 1982-03-04)"},
		{"8/1/84", []lexscreen.DateValue{day(1984, 1, 8)}, dobAgreeDay,
			"date of birth 1984-01-08 or 1984-08-01 (day/month order unknown): 1984-01-08 is listed"},
		// circa queries widen by a year, as listed circa dates do
		{"~1969", khan, dobAgree, "date of birth ~1969 agrees with listed 1970-03-30"},
		{"c. 1971", khan, dobAgree, "date of birth ~1971 agrees with listed 1970-03-30"},
		{"~1972", khan, dobNear, "date of birth ~1972 is within a year of listed 1970-03-30"},
		{"1969", khan, dobNear, "date of birth 1969 is within a year of listed 1970-03-30"},
		// ranges
		{"1968-1971", khan, dobAgree, "date of birth 1968..1971 agrees with listed 1970-03-30"},
		{"between 1960 and 1962", khan, dobDisagree, "date of birth 1960..1962 differs from every listed date (nearest 1970-03-30)"},
		{"1970-03-30", []lexscreen.DateValue{{From: lexscreen.PartialDate{Year: 1969}, To: lexscreen.PartialDate{Year: 1971}}}, dobAgree,
			"date of birth 1970-03-30 agrees with listed 1969..1971"},
	}
	for _, c := range cases {
		r, err := dates.Read(c.query)
		if err != nil {
			t.Fatalf("dates.Read(%q): %v", c.query, err)
		}
		ev := dobEvidence(r.Dates(), c.listed)
		if ev.Kind != "dob" || ev.Effect != c.effect || ev.Detail != c.detail {
			t.Errorf("%q vs %v: %v %q, want %v %q", c.query, c.listed, ev.Effect, ev.Detail, c.effect, c.detail)
		}
	}
}

// A date of birth that can't be read, or says there is none, costs the
// date's evidence, never the screening.
func TestUnreadableDOBScreensOnName(t *testing.T) {
	ix, _ := bundledIndex(t)
	m := New(ix)
	khan := func(dob string) (found bool, dobEv []lexscreen.Evidence) {
		ms, err := m.ScreenWith(lexscreen.Query{Name: "Karim Khan", BirthDate: dob}, Options{Threshold: 0.5})
		if err != nil {
			t.Fatalf("dob %q: %v", dob, err)
		}
		for _, mt := range ms {
			if mt.Entity.ID != "us-ofac-sdn:52965" {
				continue
			}
			for _, ev := range mt.Explanation.Evidence {
				if ev.Kind == "dob" {
					dobEv = append(dobEv, ev)
				}
			}
			return true, dobEv
		}
		return false, nil
	}
	for _, dob := range []string{"", "unknown", "N/A", "-0-", "31/31/1970", "abc", "1970-02-30", "7 Septembre"} {
		found, ev := khan(dob)
		if !found || len(ev) != 0 {
			t.Errorf("dob %q: found %v, dob evidence %+v; want found on the name alone", dob, found, ev)
		}
	}
	for _, dob := range []string{"1970-03-30", "03/30/1970", "30.03.1970", "30 March 1970", "March 30th, 1970"} {
		found, ev := khan(dob)
		if !found || len(ev) != 1 || ev[0].Effect != dobAgreeDay {
			t.Errorf("dob %q: found %v, dob evidence %+v; want the listed day", dob, found, ev)
		}
	}
	found, ev := khan("03/04/1970")
	if !found || len(ev) != 1 || !strings.Contains(ev[0].Detail, "(day/month order unknown)") {
		t.Errorf("dob 03/04/1970: found %v, dob evidence %+v", found, ev)
	}
}
