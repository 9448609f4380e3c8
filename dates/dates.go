// Package dates reads dates of birth as people and customer files write
// them: ISO with one-digit parts, dd.mm.yyyy, dd-mm-yyyy, yyyymmdd, month
// names in several languages, two-digit years, circa and ranges. It never
// presents a guess as fact: an ambiguous day/month order gives every
// candidate, and text that says "no date" (unknown, N/A, -0-) reads as
// absent.
package dates

import (
	"fmt"

	"github.com/lexscreen/lexscreen"
)

// Reading is what a written date says.
type Reading struct {
	// Value is the date or range read; zero when Absent. When the day and
	// month order is ambiguous, Value holds what every candidate shares
	// (the year, or the year and month) and Candidates holds each reading.
	Value      lexscreen.DateValue
	Candidates []lexscreen.PartialDate
	// Absent reports that the text says there is no date ("", "unknown",
	// "N/A", "-0-").
	Absent bool
	// Note says how a value that is not plain ISO was read, for a warning
	// ("day and month order is ambiguous: 1970-03-04 or 1970-04-03").
	Note string
}

// Dates returns what the reading may mean, each as a DateValue: every
// candidate when ambiguous, else Value; nil when absent.
func (r Reading) Dates() []lexscreen.DateValue {
	if r.Absent {
		return nil
	}
	if len(r.Candidates) > 0 {
		out := make([]lexscreen.DateValue, len(r.Candidates))
		for i, c := range r.Candidates {
			out[i] = lexscreen.DateValue{From: c, Circa: r.Value.Circa}
		}
		return out
	}
	if r.Value.IsZero() {
		return nil
	}
	return []lexscreen.DateValue{r.Value}
}

// Read reads a date of birth. The error, for text that can't be read as a
// date, quotes the whole value and says what forms are understood.
// (Stub: ISO only; the lenient reader replaces it.)
func Read(s string) (Reading, error) {
	if s == "" {
		return Reading{Absent: true}, nil
	}
	d, err := lexscreen.ParseISODate(s)
	if err != nil {
		return Reading{}, fmt.Errorf("cannot read %q as a date", s)
	}
	return Reading{Value: lexscreen.Single(d)}, nil
}
