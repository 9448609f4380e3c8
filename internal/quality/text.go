package quality

import (
	"strings"
	"unicode"
)

var scriptTables = []struct {
	name string
	tab  *unicode.RangeTable
}{
	{"Latn", unicode.Latin}, {"Cyrl", unicode.Cyrillic}, {"Arab", unicode.Arabic},
	{"Hani", unicode.Han}, {"Hang", unicode.Hangul}, {"Jpan", unicode.Hiragana},
	{"Jpan", unicode.Katakana}, {"Grek", unicode.Greek}, {"Hebr", unicode.Hebrew},
	{"Thai", unicode.Thai}, {"Khmr", unicode.Khmer}, {"Deva", unicode.Devanagari},
	{"Geor", unicode.Georgian}, {"Armn", unicode.Armenian},
}

// scriptOf returns the ISO 15924 code of the script most letters of s are
// written in ("Latn", "Cyrl", "Arab", "Hani" ...), "Zyyy" when s has no
// letters. Han mixed with kana counts as Japanese.
func scriptOf(s string) string {
	counts := map[string]int{}
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		name := "Zzzz"
		for _, t := range scriptTables {
			if unicode.Is(t.tab, r) {
				name = t.name
				break
			}
		}
		counts[name]++
	}
	if counts["Jpan"] > 0 && counts["Hani"] > 0 {
		counts["Jpan"] += counts["Hani"]
		delete(counts, "Hani")
	}
	best, n := "Zyyy", 0
	for _, k := range sortedKeys(counts) {
		if counts[k] > n {
			best, n = k, counts[k]
		}
	}
	return best
}

// isLatin reports whether every letter of s is Latin.
func isLatin(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

// foldTable maps Latin letters with diacritics to plain ASCII. It covers
// the letters that occur in sanctions lists (Western, Central and Eastern
// European, Turkish, Vietnamese basics, ISO 9 / ISO 233 transliteration).
var foldTable = func() map[rune]string {
	m := map[rune]string{}
	add := func(to string, from string) {
		for _, r := range from {
			m[r] = to
		}
	}
	add("a", "àáâãäåāăąǎǻạảấầẩẫậắằẳẵặ")
	add("A", "ÀÁÂÃÄÅĀĂĄǍǺẠẢẤẦẨẪẬẮẰẲẴẶ")
	add("c", "çćĉċč")
	add("C", "ÇĆĈĊČ")
	add("d", "ďđḍ")
	add("D", "ĎĐḌ")
	add("e", "èéêëēĕėęěẹẻẽếềểễệ")
	add("E", "ÈÉÊËĒĔĖĘĚẸẺẼẾỀỂỄỆ")
	add("g", "ĝğġģǧ")
	add("G", "ĜĞĠĢǦ")
	add("h", "ĥħḥ")
	add("H", "ĤĦḤ")
	add("i", "ìíîïĩīĭįıǐịỉ")
	add("I", "ÌÍÎÏĨĪĬĮİǏỊỈ")
	add("j", "ĵǰ")
	add("J", "Ĵ")
	add("k", "ķǩ")
	add("K", "ĶǨ")
	add("l", "ĺļľŀł")
	add("L", "ĹĻĽĿŁ")
	add("n", "ñńņňṇ")
	add("N", "ÑŃŅŇṆ")
	add("o", "òóôõöøōŏőǒơọỏốồổỗộớờởỡợ")
	add("O", "ÒÓÔÕÖØŌŎŐǑƠỌỎỐỒỔỖỘỚỜỞỠỢ")
	add("r", "ŕŗř")
	add("R", "ŔŖŘ")
	add("s", "śŝşšșṣ")
	add("S", "ŚŜŞŠȘṢ")
	add("t", "ţťŧțṭ")
	add("T", "ŢŤŦȚṬ")
	add("u", "ùúûüũūŭůűųǔưụủứừửữự")
	add("U", "ÙÚÛÜŨŪŬŮŰŲǓƯỤỦỨỪỬỮỰ")
	add("w", "ŵ")
	add("W", "Ŵ")
	add("y", "ýÿŷỳỹỵ")
	add("Y", "ÝŸŶỲỸỴ")
	add("z", "źżžẓ")
	add("Z", "ŹŻŽẒ")
	m['ß'] = "ss"
	m['æ'] = "ae"
	m['Æ'] = "AE"
	m['œ'] = "oe"
	m['Œ'] = "OE"
	m['þ'] = "th"
	m['Þ'] = "TH"
	m['ð'] = "d"
	m['Ð'] = "D"
	m['ʼ'] = "'"
	m['’'] = "'"
	return m
}()

// foldDiacritics writes s without diacritics ("Müller" -> "Muller").
func foldDiacritics(s string) string {
	var b strings.Builder
	for _, r := range s {
		if f, ok := foldTable[r]; ok {
			b.WriteString(f)
		} else if unicode.Is(unicode.Mn, r) {
			continue // combining marks
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// letters counts the letters of s.
func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// caseLike writes s in the case style of model: ALL CAPS, lower, or Title.
func caseLike(model, s string) string {
	switch {
	case model == strings.ToUpper(model) && model != strings.ToLower(model):
		return strings.ToUpper(s)
	case model == strings.ToLower(model):
		return strings.ToLower(s)
	}
	return titleWord(s)
}

// titleWord upper-cases the first letter of s and lower-cases the rest of
// each hyphen-separated piece.
func titleWord(s string) string {
	rs := []rune(strings.ToLower(s))
	up := true
	for i, r := range rs {
		if up && unicode.IsLetter(r) {
			rs[i] = unicode.ToUpper(r)
			up = false
		}
		if r == '-' || r == ' ' || r == '\'' {
			up = true
		}
	}
	return string(rs)
}
