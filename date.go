package lexscreen

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PartialDate is a calendar date known to year, month or day precision.
// Zero Month or Day means "not known"; a zero Year means no date at all.
// It is never filled in: "1960" stays "1960", not "1960-01-01".
type PartialDate struct {
	Year  int
	Month int
	Day   int
}

// IsZero reports whether no date is known.
func (d PartialDate) IsZero() bool { return d.Year == 0 }

// Precision is "day", "month", "year" or "" for a zero date.
func (d PartialDate) Precision() string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return "year"
	case d.Day == 0:
		return "month"
	}
	return "day"
}

// String writes the date in ISO 8601 at its precision: "1960", "1960-08",
// "1960-08-31".
func (d PartialDate) String() string {
	switch d.Precision() {
	case "year":
		return fmt.Sprintf("%04d", d.Year)
	case "month":
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	case "day":
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	}
	return ""
}

// First is the earliest day the partial date can mean.
func (d PartialDate) First() time.Time {
	m, day := d.Month, d.Day
	if m == 0 {
		m = 1
	}
	if day == 0 {
		day = 1
	}
	return time.Date(d.Year, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// Last is the latest day the partial date can mean.
func (d PartialDate) Last() time.Time {
	switch d.Precision() {
	case "year":
		return time.Date(d.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	case "month":
		return time.Date(d.Year, time.Month(d.Month)+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
}

// Valid reports whether the parts form a real calendar date (at their precision).
func (d PartialDate) Valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < 0 || d.Month > 12 || d.Day < 0 || d.Day > 31 {
		return false
	}
	if d.Day != 0 && d.Month == 0 {
		return false
	}
	if d.Day != 0 {
		t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
		return t.Day() == d.Day
	}
	return true
}

// DateOf returns the day-precision partial date of t.
func DateOf(t time.Time) PartialDate {
	return PartialDate{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
}

// ParseISODate reads "YYYY", "YYYY-MM" or "YYYY-MM-DD" (anything after the
// first 10 characters, such as a time or zone, is ignored). Its errors
// quote the whole input.
func ParseISODate(s string) (PartialDate, error) {
	in := strings.TrimSpace(s)
	s = in
	if len(s) > 10 {
		s = s[:10]
	}
	var d PartialDate
	parts := strings.Split(s, "-")
	if len(parts) == 0 || len(parts) > 3 || len(parts[0]) != 4 {
		return d, fmt.Errorf("invalid date %q: want YYYY, YYYY-MM or YYYY-MM-DD", in)
	}
	vals := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || (i > 0 && len(p) != 2) {
			return d, fmt.Errorf("invalid date %q: want YYYY, YYYY-MM or YYYY-MM-DD", in)
		}
		vals[i] = n
	}
	d.Year = vals[0]
	if len(vals) > 1 {
		d.Month = vals[1]
	}
	if len(vals) > 2 {
		d.Day = vals[2]
	}
	if !d.Valid() {
		return PartialDate{}, fmt.Errorf("invalid date %q: no such calendar date", in)
	}
	return d, nil
}

// MarshalText writes the ISO form ("" for a zero date).
func (d PartialDate) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads the ISO form; "" is the zero date.
func (d *PartialDate) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = PartialDate{}
		return nil
	}
	v, err := ParseISODate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// DateValue is a date as a list states it: one partial date, or a range
// From..To ("1973 to 1974"), possibly approximate ("circa 1951"). Text keeps
// what the publisher wrote.
type DateValue struct {
	From  PartialDate `json:"from,omitzero"`
	To    PartialDate `json:"to,omitzero"` // zero unless a range
	Circa bool        `json:"circa,omitempty"`
	Text  string      `json:"text,omitempty"`
}

// IsZero reports whether no date is known.
func (v DateValue) IsZero() bool { return v.From.IsZero() && v.To.IsZero() }

// Earliest is the first day the value can mean.
func (v DateValue) Earliest() time.Time {
	if v.From.IsZero() {
		return v.To.First()
	}
	return v.From.First()
}

// Latest is the last day the value can mean.
func (v DateValue) Latest() time.Time {
	if !v.To.IsZero() {
		return v.To.Last()
	}
	return v.From.Last()
}

// String writes "1960", "1973..1974", "~1951".
func (v DateValue) String() string {
	s := v.From.String()
	if !v.To.IsZero() && v.To != v.From {
		s += ".." + v.To.String()
	}
	if v.Circa {
		s = "~" + s
	}
	return s
}

// Single returns a DateValue for one partial date.
func Single(d PartialDate) DateValue { return DateValue{From: d} }
