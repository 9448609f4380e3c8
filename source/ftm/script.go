package ftm

import "unicode"

// scriptTables are the non-Latin scripts names are written in, with their
// ISO 15924 codes, in the order they are tested.
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
	{"Syrc", unicode.Syriac}, {"Thaa", unicode.Thaana},
}

// Script returns the ISO 15924 code of the non-Latin script most letters
// of s are written in, or "" when s is mostly Latin (or has no letters).
// Han mixed with kana is "Jpan"; Han mixed with Hangul is "Kore".
func Script(s string) string {
	counts := make([]int, len(scriptTables))
	latin, total := 0, 0
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		total++
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
	for i, n := range counts {
		if n > bestN {
			best, bestN = i, n
		}
	}
	if best < 0 || bestN < latin {
		return ""
	}
	code := scriptTables[best].code
	han, hira, kana, hang := counts[2], counts[3], counts[4], counts[5]
	switch {
	case hira+kana > 0 && (han > 0 || code == "Hira" || code == "Kana") && hira > 0 && kana > 0,
		(code == "Hani" || code == "Hira" || code == "Kana") && hira+kana > 0 && han > 0:
		return "Jpan"
	case (code == "Hani" || code == "Hang") && han > 0 && hang > 0:
		return "Kore"
	}
	return code
}
