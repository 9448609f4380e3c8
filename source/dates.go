package source

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/lexscreen/lexscreen"
)

var months = map[string]int{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
	"may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
	"september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

// MonthNumber returns 1..12 for an English month name or abbreviation, 0 if
// s is not one.
func MonthNumber(s string) int { return months[strings.ToLower(strings.TrimSuffix(s, "."))] }

var (
	reRange  = regexp.MustCompile(`(?i)^(?:between\s+)?(.+?)\s*(?:\bto\b|\band\b|-|–|—)\s*(.+)$`)
	reCirca  = regexp.MustCompile(`(?i)^(?:circa|ca\.?|c\.|approx(?:\.|imately)?|about|around|~)\s*`)
	reDMonY  = regexp.MustCompile(`^(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s-]+(\d{4})$`) // 31 Aug 1960, 31-Aug-1960
	reMonY   = regexp.MustCompile(`^([A-Za-z]{3,9})\.?[\s-]+(\d{4}|\d{2})$`)          // Aug 1960, Sep-77
	reMonDY  = regexp.MustCompile(`^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$`)     // August 31, 1960
	reISO    = regexp.MustCompile(`^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T.*|[+-]\d{2}:\d{2}|Z)?$`)
	reSlash  = regexp.MustCompile(`^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$`)
	reDecade = regexp.MustCompile(`(?i)^(?:(early|mid|late)[\s-]+)?(\d{3})0'?s$`)
)

// ParseDMY reads dd/mm/yyyy (also with '.'), where "00" marks an unknown day
// or month, as UK lists write "00/00/1994".
func ParseDMY(s string) (lexscreen.PartialDate, bool) {
	m := reSlash.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return lexscreen.PartialDate{}, false
	}
	d, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	y, _ := strconv.Atoi(m[3])
	if mo == 0 {
		d = 0
	}
	pd := lexscreen.PartialDate{Year: y, Month: mo, Day: d}
	return pd, pd.Valid()
}

// ParseMDY reads mm/dd/yyyy (OFAC XML publish dates, US lists).
func ParseMDY(s string) (lexscreen.PartialDate, bool) {
	m := reSlash.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return lexscreen.PartialDate{}, false
	}
	mo, _ := strconv.Atoi(m[1])
	d, _ := strconv.Atoi(m[2])
	y, _ := strconv.Atoi(m[3])
	pd := lexscreen.PartialDate{Year: y, Month: mo, Day: d}
	return pd, pd.Valid()
}

// ParseDate reads one date in the styles official lists use and keeps its
// precision: "31 Aug 1960", "Aug 1960", "1960", "1960-08-31", "1960-08",
// "August 31, 1960", "Sep-77", and day-first "31/08/1960" or "00/00/1960".
// It never invents missing parts.
func ParseDate(s string) (lexscreen.PartialDate, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "."))
	if s == "" {
		return lexscreen.PartialDate{}, false
	}
	if m := reISO.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if mo == 0 {
			d = 0
		}
		pd := lexscreen.PartialDate{Year: y, Month: mo, Day: d}
		return pd, pd.Valid()
	}
	if m := reDMonY.FindStringSubmatch(s); m != nil {
		if mo := MonthNumber(m[2]); mo > 0 {
			d, _ := strconv.Atoi(m[1])
			y, _ := strconv.Atoi(m[3])
			pd := lexscreen.PartialDate{Year: y, Month: mo, Day: d}
			return pd, pd.Valid()
		}
	}
	if m := reMonDY.FindStringSubmatch(s); m != nil {
		if mo := MonthNumber(m[1]); mo > 0 {
			d, _ := strconv.Atoi(m[2])
			y, _ := strconv.Atoi(m[3])
			pd := lexscreen.PartialDate{Year: y, Month: mo, Day: d}
			return pd, pd.Valid()
		}
	}
	if m := reMonY.FindStringSubmatch(s); m != nil {
		if mo := MonthNumber(m[1]); mo > 0 {
			y, _ := strconv.Atoi(m[2])
			if len(m[2]) == 2 {
				y += 1900 // two-digit years in lists are birth years of the 20th century
			}
			pd := lexscreen.PartialDate{Year: y, Month: mo}
			return pd, pd.Valid()
		}
	}
	if pd, ok := ParseDMY(s); ok {
		return pd, true
	}
	return lexscreen.PartialDate{}, false
}

// ParseDateValue reads a date as lists state it, including approximate
// dates ("circa 1951", "approximately 1960"), ranges ("1973 to 1974",
// "between 1973 and 1974", "1973-1974") and decades ("1970s", "early
// 1970s"). Text is kept verbatim. ok is false when nothing date-like was
// found; callers keep such text as a remark rather than guess.
func ParseDateValue(s string) (lexscreen.DateValue, bool) {
	v := lexscreen.DateValue{Text: strings.TrimSpace(s)}
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "."))
	t = strings.TrimPrefix(strings.TrimPrefix(t, "born in the "), "born in ")
	if loc := reCirca.FindStringIndex(t); loc != nil {
		v.Circa = true
		t = strings.TrimSpace(t[loc[1]:])
	}
	if d, ok := ParseDate(t); ok {
		v.From = d
		return v, true
	}
	if m := reDecade.FindStringSubmatch(t); m != nil {
		base, _ := strconv.Atoi(m[2])
		base *= 10
		from, to := base, base+9
		switch strings.ToLower(m[1]) {
		case "early":
			to = base + 3
		case "mid":
			from, to = base+3, base+6
		case "late":
			from = base + 6
		}
		v.From, v.To, v.Circa = lexscreen.PartialDate{Year: from}, lexscreen.PartialDate{Year: to}, true
		return v, true
	}
	if m := reRange.FindStringSubmatch(t); m != nil {
		a, okA := ParseDate(m[1])
		b, okB := ParseDate(m[2])
		if okA && okB && !b.First().Before(a.First()) {
			v.From, v.To = a, b
			return v, true
		}
	}
	return v, false
}
