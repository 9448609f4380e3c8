package regime

import "testing"

// Observed US federal holidays under 5 U.S.C. 6103 and EO 11582: a fixed-date
// holiday on a Saturday is observed the Friday before, on a Sunday the Monday
// after, across a year boundary too.
func TestUSHolidayObserved(t *testing.T) {
	for _, c := range []struct {
		day  string
		want bool
		why  string
	}{
		{"2010-12-31", true, "1 Jan 2011 is a Saturday: observed Friday 31 Dec 2010"},
		{"2011-01-03", false, "1 Jan 2011 moved back, not forward"},
		{"2016-12-26", true, "25 Dec 2016 is a Sunday: observed Monday 26 Dec"},
		{"2017-01-02", true, "1 Jan 2017 is a Sunday: observed Monday 2 Jan"},
		{"2020-07-03", true, "4 Jul 2020 is a Saturday: observed Friday 3 Jul"},
		{"2021-06-18", true, "Juneteenth 2021 (Saturday) observed Friday 18 Jun"},
		{"2020-06-19", false, "Juneteenth is a federal holiday only from 2021"},
		{"2021-07-05", true, "4 Jul 2021 is a Sunday: observed Monday 5 Jul"},
		{"2021-12-24", true, "25 Dec 2021 is a Saturday: observed Friday 24 Dec"},
		{"2021-12-31", true, "1 Jan 2022 is a Saturday: observed Friday 31 Dec 2021"},
		{"2022-01-03", false, "no Monday holiday for 1 Jan 2022"},
		{"2022-06-20", true, "Juneteenth 2022 (Sunday) observed Monday 20 Jun"},
		{"2022-12-26", true, "25 Dec 2022 is a Sunday: observed Monday 26 Dec"},
		{"2023-01-02", true, "1 Jan 2023 is a Sunday: observed Monday 2 Jan"},
		{"2023-11-10", true, "11 Nov 2023 is a Saturday: observed Friday 10 Nov"},
		{"2023-12-29", false, "1 Jan 2024 is a Monday: no Friday holiday"},
		{"2026-07-03", true, "4 Jul 2026 is a Saturday: observed Friday 3 Jul"},
		{"2027-12-24", true, "25 Dec 2027 is a Saturday: observed Friday 24 Dec"},
		{"2027-12-31", true, "1 Jan 2028 is a Saturday: observed Friday 31 Dec 2027"},
		{"2028-11-10", true, "11 Nov 2028 is a Saturday: observed Friday 10 Nov"},
		{"2025-01-20", true, "third Monday of January"},
		{"2025-11-27", true, "fourth Thursday of November"},
		{"2025-05-26", true, "last Monday of May"},
		{"2025-05-19", false, "an ordinary Monday"},
	} {
		if got := usHoliday(d(c.day)); got != c.want {
			t.Errorf("usHoliday(%s) = %v, want %v (%s)", c.day, got, c.want, c.why)
		}
	}
}

func TestAddBusinessDays(t *testing.T) {
	for _, c := range []struct{ from, want, why string }{
		{"2021-12-20", "2022-01-05", "24 Dec and 31 Dec 2021 are observed holidays"},
		{"2010-12-20", "2011-01-05", "24 Dec and 31 Dec 2010 are observed holidays (25 Dec, 1 Jan on Saturdays)"},
		{"2027-12-20", "2028-01-05", "24 Dec and 31 Dec 2027 are observed holidays"},
		{"2022-12-19", "2023-01-04", "26 Dec 2022 and 2 Jan 2023 are observed holidays"},
		{"2025-12-30", "2026-01-14", "1 Jan 2026 (Thursday)"},
		{"2020-06-26", "2020-07-13", "3 Jul 2020 observed for 4 Jul"},
		{"2024-03-04", "2024-03-18", "no holiday"},
	} {
		if got := addBusinessDays(d(c.from), 10).Format("2006-01-02"); got != c.want {
			t.Errorf("%s + 10 business days = %s, want %s (%s)", c.from, got, c.want, c.why)
		}
	}
}
