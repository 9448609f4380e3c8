package ca

import "unicode"

// scripts are the non-Latin writing systems seen in sanctions lists, with
// their ISO 15924 codes, in a fixed order so detection is deterministic.
var scripts = []struct {
	code  string
	table *unicode.RangeTable
}{
	{"Cyrl", unicode.Cyrillic},
	{"Arab", unicode.Arabic},
	{"Hebr", unicode.Hebrew},
	{"Hani", unicode.Han},
	{"Hang", unicode.Hangul},
	{"Grek", unicode.Greek},
	{"Geor", unicode.Georgian},
	{"Armn", unicode.Armenian},
	{"Thai", unicode.Thai},
	{"Mymr", unicode.Myanmar},
	{"Deva", unicode.Devanagari},
	{"Ethi", unicode.Ethiopic},
	{"Kana", unicode.Katakana},
	{"Hira", unicode.Hiragana},
}

// detectScript returns the ISO 15924 code of the writing system most letters
// of s are in, or "" when that is Latin (or s has no letters).
func detectScript(s string) string {
	var counts [16]int
	latin := 0
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		if unicode.Is(unicode.Latin, r) {
			latin++
			continue
		}
		for i, sc := range scripts {
			if unicode.Is(sc.table, r) {
				counts[i]++
				break
			}
		}
	}
	best, bestN := "", latin
	for i, sc := range scripts {
		if counts[i] > bestN {
			best, bestN = sc.code, counts[i]
		}
	}
	return best
}
