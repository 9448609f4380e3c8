package names

import "unicode"

// script ids used internally; order = tie-break priority in Script.
const (
	scNone = iota
	scLatn
	scCyrl
	scGrek
	scArab
	scHebr
	scArmn
	scGeor
	scHani
	scHang
	scKana
	scThai
	scKhmr
	scDeva
	scOther // resolved through otherScripts
)

var scriptCodes = [...]string{"", "Latn", "Cyrl", "Grek", "Arab", "Hebr", "Armn", "Geor", "Hani", "Hang", "Jpan", "Thai", "Khmr", "Deva", ""}

// otherScripts maps the remaining unicode script tables to ISO 15924 codes.
var otherScripts = []struct {
	t    *unicode.RangeTable
	code string
}{
	{unicode.Bengali, "Beng"}, {unicode.Gurmukhi, "Guru"}, {unicode.Gujarati, "Gujr"},
	{unicode.Oriya, "Orya"}, {unicode.Tamil, "Taml"}, {unicode.Telugu, "Telu"},
	{unicode.Kannada, "Knda"}, {unicode.Malayalam, "Mlym"}, {unicode.Sinhala, "Sinh"},
	{unicode.Lao, "Laoo"}, {unicode.Tibetan, "Tibt"}, {unicode.Myanmar, "Mymr"},
	{unicode.Ethiopic, "Ethi"}, {unicode.Thaana, "Thaa"}, {unicode.Syriac, "Syrc"},
	{unicode.Mongolian, "Mong"}, {unicode.Cherokee, "Cher"}, {unicode.Tifinagh, "Tfng"},
	{unicode.Bopomofo, "Bopo"}, {unicode.Yi, "Yiii"}, {unicode.Coptic, "Copt"},
	{unicode.Canadian_Aboriginal, "Cans"}, {unicode.Nko, "Nkoo"},
}

// scriptOf classifies one rune. It returns scNone for runes that are not
// letters of a known script (digits, punctuation, marks).
func scriptOf(r rune) int {
	switch {
	case r < 0x80:
		if r|0x20 >= 'a' && r|0x20 <= 'z' {
			return scLatn
		}
		return scNone
	case r < 0x250:
		if unicode.IsLetter(r) {
			return scLatn
		}
		return scNone
	case r >= 0x370 && r <= 0x3FF, r >= 0x1F00 && r <= 0x1FFF:
		if unicode.IsLetter(r) {
			return scGrek
		}
		return scNone
	case r >= 0x400 && r <= 0x52F, r >= 0x1C80 && r <= 0x1C8F, r >= 0x2DE0 && r <= 0x2DFF, r >= 0xA640 && r <= 0xA69F:
		if unicode.IsLetter(r) {
			return scCyrl
		}
		return scNone
	case r >= 0x530 && r <= 0x58F, r >= 0xFB13 && r <= 0xFB17:
		if unicode.IsLetter(r) {
			return scArmn
		}
		return scNone
	case r >= 0x590 && r <= 0x5FF, r >= 0xFB1D && r <= 0xFB4F:
		if unicode.IsLetter(r) {
			return scHebr
		}
		return scNone
	case r >= 0x600 && r <= 0x6FF, r >= 0x750 && r <= 0x77F, r >= 0x8A0 && r <= 0x8FF,
		r >= 0xFB50 && r <= 0xFDFF, r >= 0xFE70 && r <= 0xFEFF:
		if unicode.IsLetter(r) {
			return scArab
		}
		return scNone
	case r >= 0x900 && r <= 0x97F:
		if unicode.IsLetter(r) {
			return scDeva
		}
		return scNone
	case r >= 0xE00 && r <= 0xE7F:
		if unicode.IsLetter(r) {
			return scThai
		}
		return scNone
	case r >= 0x1780 && r <= 0x17FF, r >= 0x19E0 && r <= 0x19FF:
		if unicode.IsLetter(r) {
			return scKhmr
		}
		return scNone
	case r >= 0x10A0 && r <= 0x10FF, r >= 0x1C90 && r <= 0x1CBF, r >= 0x2D00 && r <= 0x2D2F:
		if unicode.IsLetter(r) {
			return scGeor
		}
		return scNone
	case r >= 0x1E00 && r <= 0x1EFF, r >= 0x2C60 && r <= 0x2C7F, r >= 0xA720 && r <= 0xA7FF, r >= 0xFF21 && r <= 0xFF5A:
		if unicode.IsLetter(r) {
			return scLatn
		}
		return scNone
	case r >= 0x3040 && r <= 0x30FF, r >= 0x31F0 && r <= 0x31FF, r >= 0xFF66 && r <= 0xFF9F:
		if unicode.IsLetter(r) || r == 0x30FC {
			return scKana
		}
		return scNone
	case r >= 0x1100 && r <= 0x11FF, r >= 0x3130 && r <= 0x318F, r >= 0xAC00 && r <= 0xD7AF, r >= 0xA960 && r <= 0xA97F, r >= 0xD7B0 && r <= 0xD7FF:
		if unicode.IsLetter(r) {
			return scHang
		}
		return scNone
	case isHan(r):
		return scHani
	}
	if !unicode.IsLetter(r) {
		return scNone
	}
	if unicode.Is(unicode.Latin, r) {
		return scLatn
	}
	return scOther
}

func isHan(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF || r >= 0x20000 && r <= 0x2FA1F ||
		r >= 0xF900 && r <= 0xFAFF || r == 0x3005 || r == 0x3007
}

// Script returns the dominant ISO 15924 script of s: "Latn", "Cyrl", "Grek",
// "Arab" (Arabic and Persian), "Hebr", "Armn", "Geor", "Hani" (Chinese
// characters), "Hang" (Korean, Hangul with or without Hanja), "Jpan" (kana,
// with or without kanji), "Thai", "Khmr", "Deva", "Beng", ... ; "" when s has
// no letters. Ties go to the script listed first above.
func Script(s string) string {
	var counts [scOther + 1]int
	var other map[string]int
	for _, r := range s {
		sc := scriptOf(r)
		if sc == scOther {
			code := otherCode(r)
			if code == "" {
				continue
			}
			if other == nil {
				other = map[string]int{}
			}
			other[code]++
			counts[scOther]++
			continue
		}
		counts[sc]++
	}
	// Han characters go with kana (Japanese) or Hangul (Korean) when present.
	if counts[scKana] > 0 {
		counts[scKana] += counts[scHani]
		counts[scHani] = 0
	} else if counts[scHang] > 0 {
		counts[scHang] += counts[scHani]
		counts[scHani] = 0
	}
	best, bestN := scNone, 0
	for sc := scLatn; sc < scOther; sc++ {
		if counts[sc] > bestN {
			best, bestN = sc, counts[sc]
		}
	}
	bestCode := scriptCodes[best]
	// deterministic: iterate otherScripts in order.
	for _, o := range otherScripts {
		if n := other[o.code]; n > bestN {
			bestCode, bestN = o.code, n
		}
	}
	if bestN == 0 && counts[scOther] > 0 {
		return "Zyyy"
	}
	return bestCode
}

func otherCode(r rune) string {
	for _, o := range otherScripts {
		if unicode.Is(o.t, r) {
			return o.code
		}
	}
	return "Zyyy"
}
