package names

import (
	"strings"
)

// hebrewVariants reads the vowel letters ו and י inside words as consonants
// (v, y) and ו as o: דוד -> "dvd", "dod"; Fold reads them as vowels (u, i).
func hebrewVariants(s string) []string {
	base := Fold(s)
	var out []string
	for _, v := range []string{hebrewConsonantal(s), strings.ReplaceAll(base, "u", "o")} {
		if v != "" && v != base {
			out = appendUnique(out, v)
		}
	}
	return out
}

// hebrewConsonantal folds Hebrew with ו as v and י as y everywhere.
func hebrewConsonantal(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case 'ו':
			b.WriteString("v")
		case 'י':
			b.WriteString("y")
		case 'ה':
			b.WriteString("ה")
		default:
			if scriptOf(r) == scHebr {
				b.WriteRune(r)
			} else if r == ' ' || scriptOf(r) == scNone {
				b.WriteByte(' ')
			} else {
				b.WriteRune(r)
			}
		}
	}
	return Fold(b.String())
}
