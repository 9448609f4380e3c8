package source

import "unicode"

// scriptTables are the non-Latin writing systems names are written in, with
// their ISO 15924 codes, in the order they are tested.
var scriptTables = []struct {
	code  string
	table *unicode.RangeTable
}{
	{"Cyrl", unicode.Cyrillic}, {"Arab", unicode.Arabic}, {"Hani", unicode.Han},
	{"Hira", unicode.Hiragana}, {"Kana", unicode.Katakana}, {"Hang", unicode.Hangul},
	{"Grek", unicode.Greek}, {"Hebr", unicode.Hebrew}, {"Geor", unicode.Georgian},
	{"Armn", unicode.Armenian}, {"Thai", unicode.Thai}, {"Deva", unicode.Devanagari},
	{"Beng", unicode.Bengali}, {"Ethi", unicode.Ethiopic}, {"Mong", unicode.Mongolian},
	{"Khmr", unicode.Khmer}, {"Mymr", unicode.Myanmar}, {"Laoo", unicode.Lao},
	{"Tibt", unicode.Tibetan}, {"Sinh", unicode.Sinhala}, {"Taml", unicode.Tamil},
	{"Syrc", unicode.Syriac}, {"Thaa", unicode.Thaana}, {"Gujr", unicode.Gujarati},
	{"Guru", unicode.Gurmukhi},
}

// Script returns the ISO 15924 code of the non-Latin script most letters of
// s are written in, or "" when s is mostly Latin or has no letters (the
// convention of lexscreen.Name.Script). Han mixed with kana is "Jpan", Han
// mixed with Hangul "Kore"; kana alone is "Jpan" too.
func Script(s string) string {
	var counts [32]int
	latin := 0
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		if r < 0x250 || unicode.Is(unicode.Latin, r) {
			latin++
			continue
		}
		for i, t := range scriptTables {
			if unicode.Is(t.table, r) {
				counts[i]++
				break
			}
		}
	}
	best, bestN := -1, 0
	for i := range scriptTables {
		if counts[i] > bestN {
			best, bestN = i, counts[i]
		}
	}
	if best < 0 || bestN < latin {
		return ""
	}
	han, kana, hang := counts[2], counts[3]+counts[4], counts[5]
	switch {
	case kana > 0:
		return "Jpan"
	case han > 0 && hang > 0:
		return "Kore"
	}
	return scriptTables[best].code
}
