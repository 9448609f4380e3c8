package lexscreen

import (
	"strings"
	"testing"
)

func TestParseISODate(t *testing.T) {
	for in, want := range map[string]PartialDate{
		"1970":                 {Year: 1970},
		"1970-03":              {Year: 1970, Month: 3},
		"1970-03-30":           {Year: 1970, Month: 3, Day: 30},
		" 1970-03-30 ":         {Year: 1970, Month: 3, Day: 30},
		"1970-03-30T00:00:00Z": {Year: 1970, Month: 3, Day: 30},
	} {
		if got, err := ParseISODate(in); err != nil || got != want {
			t.Errorf("ParseISODate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	// Errors quote the whole input, never the first ten characters.
	for _, in := range []string{"7 September 1960", "1970-02-30T00:00:00Z", "03/30/1970 and more", "1952-10-7"} {
		_, err := ParseISODate(in)
		if err == nil || !strings.Contains(err.Error(), `"`+in+`"`) {
			t.Errorf("ParseISODate(%q): error %v does not quote the whole input", in, err)
		}
	}
}
