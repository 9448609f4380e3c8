package screening

import (
	"fmt"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// DefaultMaxListAge is the age past which an official list makes a
// screening warn: 180 days. OFAC, the UN, the EU and the UK change their
// lists every few weeks; a list half a year old has certainly missed
// designations (the bundled EU and UK files, of January 2024, warn).
const DefaultMaxListAge = 180 * 24 * time.Hour

// Official reports whether source is an official publisher's list (one of
// source.SourceInfos) or an OpenSanctions (FollowTheMoney) dataset, which
// republishes them. Custom lists and lexscreen's own compilations (the
// ICC-related lists) are not.
func Official(src string) bool {
	_, ok := source.SourceInfos[src]
	return ok || strings.HasPrefix(src, "ftm-")
}

// ListWarnings returns the warnings a screening against lists must carry
// (all with Field "lists"): one, with Value "official", when none of the
// lists is official (see Official), and one per official list whose
// publisher's date is more than maxAge old, with the source as Value.
// maxAge 0 means DefaultMaxListAge; a negative maxAge checks no age.
// Custom lists and lexscreen's own compilations are dated by their
// authors and are not age-checked. Ages are the lists' AgeDays.
func ListWarnings(lists []lexscreen.ListVersion, maxAge time.Duration) []lexscreen.Warning {
	if maxAge == 0 {
		maxAge = DefaultMaxListAge
	}
	var out []lexscreen.Warning
	official := 0
	for _, l := range lists {
		if !Official(l.Source) {
			continue
		}
		official++
		if Stale(l, maxAge) {
			out = append(out, lexscreen.Warning{Field: "lists", Value: l.Source,
				Message: fmt.Sprintf("%s %s was published %d days ago, more than the maximum list age of %s: designations made since are missing; run `lexscreen update` or import a newer file",
					l.Source, l.Version, l.AgeDays, FormatDays(maxAge))})
		}
	}
	if official == 0 {
		var names []string
		for _, l := range lists {
			names = append(names, l.Source)
		}
		what := "no list at all"
		if len(names) > 0 {
			what = "only " + strings.Join(names, ", ")
		}
		out = append([]lexscreen.Warning{{Field: "lists", Value: "official",
			Message: "screened against no official sanctions list (" + what + "); import one or run `lexscreen update`"}}, out...)
	}
	return out
}

// Stale reports whether l is an official list published more than maxAge
// ago (maxAge as in ListWarnings).
func Stale(l lexscreen.ListVersion, maxAge time.Duration) bool {
	if maxAge == 0 {
		maxAge = DefaultMaxListAge
	}
	return maxAge > 0 && Official(l.Source) && l.Published != "" && time.Duration(l.AgeDays)*24*time.Hour > maxAge
}

// FormatDays writes a duration in whole days: "180 days".
func FormatDays(d time.Duration) string {
	n := int(d / (24 * time.Hour))
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// ParseMaxAge reads a maximum list age: a number of days ("365", "400d"),
// weeks ("26w") or a Go duration ("4320h"). "0" means no age check and is
// returned as a negative duration (see ListWarnings).
func ParseMaxAge(s string) (time.Duration, error) {
	t := strings.TrimSpace(strings.ToLower(s))
	unit := 24 * time.Hour
	switch {
	case strings.HasSuffix(t, "d"):
		t = strings.TrimSuffix(t, "d")
	case strings.HasSuffix(t, "w"):
		t, unit = strings.TrimSuffix(t, "w"), 7*24*time.Hour
	}
	var n int
	if _, err := fmt.Sscanf(t, "%d", &n); err == nil && fmt.Sprint(n) == t {
		if n < 0 || n > 100000 {
			return 0, fmt.Errorf("%q: want a number of days, 0 to 100000", s)
		}
		if n == 0 {
			return -1, nil
		}
		return time.Duration(n) * unit, nil
	}
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q: want a number of days such as 180 or 400d (0: no age check)", s)
	}
	if d == 0 {
		return -1, nil
	}
	return d, nil
}
