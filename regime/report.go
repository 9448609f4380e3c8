package regime

import (
	"fmt"
	"strings"
	"time"
)

// addBusinessDays counts n business days after t, skipping weekends and US
// federal holidays (5 U.S.C. 6103, with Saturday/Sunday observance).
func addBusinessDays(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if t.Weekday() == time.Saturday || t.Weekday() == time.Sunday || usHoliday(t) {
			continue
		}
		n--
	}
	return t
}

// observedDay is the day a fixed-date holiday is observed: the Friday before
// when it falls on a Saturday, the Monday after when it falls on a Sunday
// (5 U.S.C. 6103(b); EO 11582). The Friday before may lie in the year before:
// 1 January 2022, a Saturday, was observed on Friday 31 December 2021.
func observedDay(d time.Time) time.Time {
	switch d.Weekday() {
	case time.Saturday:
		return d.AddDate(0, 0, -1)
	case time.Sunday:
		return d.AddDate(0, 0, 1)
	}
	return d
}

// usHolidays returns the days on which the US federal holidays of year y are
// observed (5 U.S.C. 6103(a)); one of them may fall in year y-1.
func usHolidays(y int) []time.Time {
	date := func(m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }
	nth := func(m time.Month, wd time.Weekday, k int) time.Time {
		d := date(m, 1)
		for d.Weekday() != wd {
			d = d.AddDate(0, 0, 1)
		}
		return d.AddDate(0, 0, 7*(k-1))
	}
	last := func(m time.Month, wd time.Weekday) time.Time {
		d := date(m+1, 0)
		for d.Weekday() != wd {
			d = d.AddDate(0, 0, -1)
		}
		return d
	}
	fixed := []time.Time{date(1, 1), date(7, 4), date(11, 11), date(12, 25)}
	if y >= 2021 { // Juneteenth National Independence Day Act, 17 June 2021
		fixed = append(fixed, date(6, 19))
	}
	days := []time.Time{nth(1, time.Monday, 3), nth(2, time.Monday, 3), last(5, time.Monday),
		nth(9, time.Monday, 1), nth(10, time.Monday, 2), nth(11, time.Thursday, 4)}
	for _, f := range fixed {
		days = append(days, observedDay(f))
	}
	return days
}

// usHoliday reports whether t is the observed day of a US federal holiday,
// including 31 December observed for a 1 January that falls on a Saturday.
func usHoliday(t time.Time) bool {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	for _, y := range []int{t.Year(), t.Year() + 1} {
		for _, h := range usHolidays(y) {
			if h.Equal(day) {
				return true
			}
		}
	}
	return false
}

func deadlineSuffix(d string) string {
	if d == "" {
		return ""
	}
	return "; deadline: " + d
}

var confWords = map[string]string{
	ConfVerified:  "verified against a primary source",
	ConfSecondary: "verified against a secondary source only",
	ConfDerived:   "derived",
	ConfMemory:    "UNCONFIRMED: from memory only, verify before relying on it",
}

// RenderRules writes every rule for a lawyer to read: title, what it
// requires, citation, source and confidence ([M] visibly unconfirmed).
func RenderRules(rules []Rule) string {
	var b strings.Builder
	auth := ""
	for _, r := range rules {
		if r.Authority != auth {
			auth = r.Authority
			fmt.Fprintf(&b, "\n== %s ==\n", auth)
		}
		mark := ""
		if r.Unconfirmed() {
			mark = " [M: UNCONFIRMED]"
		}
		fmt.Fprintf(&b, "\n%s%s (%s)\n  %s\n  Citation: %s\n  Source: %s\n  Confidence: [%s] %s\n",
			r.Title, mark, r.ID, r.Text, r.Citation, r.Source, r.Confidence, confWords[r.Confidence])
		if r.Deadline != "" {
			fmt.Fprintf(&b, "  Deadline: %s\n", r.Deadline)
		}
		b.WriteString(renderComputed(r))
	}
	return strings.TrimLeft(b.String(), "\n")
}

// String renders the engine's rules and dated facts for `lexscreen regimes`.
func (e *Engine) String() string {
	var b strings.Builder
	b.WriteString("LEGAL RULES\n\n")
	b.WriteString(RenderRules(e.Rules()))
	b.WriteString("\n\nBLOCKING STATUTES: ANNEXED US PROGRAMS\n")
	for _, s := range e.statutes {
		fmt.Fprintf(&b, "\n%s: %s\n", s.ID, s.Title)
		for _, a := range s.Annex {
			to := ""
			if !a.EffectiveTo.IsZero() {
				to = " until " + a.EffectiveTo.t.Format(dfmt)
			}
			fmt.Fprintf(&b, "  %-12s from %s%s [%s] %s%s\n", a.Program, a.EffectiveFrom.t.Format(dfmt), to, a.Confidence, a.Law, parenNote(a.Note))
		}
	}
	b.WriteString("\nUS DESIGNATIONS WITH KNOWN DATES\n")
	for _, d := range e.allDesignations() {
		fmt.Fprintf(&b, "  %-22s %-40s %s %s [%s]\n", orDash(d.key()), d.Name, d.Program, d.Designated.t.Format(dfmt), d.Confidence)
		for _, h := range d.History {
			fmt.Fprintf(&b, "      %s %s [%s]%s\n", h.Date.t.Format(dfmt), h.Status, h.Confidence, parenNote(h.Note))
		}
	}
	fmt.Fprintf(&b, "\nROME STATUTE: %d States Parties and former parties in the data (see data/states_parties.yaml)\n", len(e.parties))
	return b.String()
}

func parenNote(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
