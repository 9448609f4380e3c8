package names

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Cyrillic variants detected over the whole name.
const (
	cyrUnknown = iota
	cyrRussian
	cyrUkrainian
	cyrBelarusian
	cyrSerbian
)

// cyrillicMode guesses the language of a Cyrillic name from its letters:
// ђ/ј/љ/њ/ћ/џ/ѓ/ќ/ѕ -> Serbian/Macedonian (ж z, х h, ц c, ч c, ш s as in their
// Latin alphabets), і/ї/є/ґ without ы/э/ё/ъ -> Ukrainian (и y, г h),
// ў -> Belarusian (г h), else Russian-like BGN/PCGN.
func cyrillicMode(s string) int {
	var ukr, bel, rus, srb bool
	for _, r := range s {
		switch unicode.ToLower(r) {
		case 'ђ', 'ј', 'љ', 'њ', 'ћ', 'џ', 'ѓ', 'ќ', 'ѕ':
			srb = true
		case 'і', 'ї', 'є', 'ґ':
			ukr = true
		case 'ў':
			bel = true
		case 'ы', 'э', 'ё', 'ъ':
			rus = true
		}
	}
	switch {
	case srb && !rus && !ukr:
		return cyrSerbian
	case bel:
		return cyrBelarusian
	case ukr && !rus:
		return cyrUkrainian
	}
	return cyrRussian
}

// cyrBase is the BGN/PCGN-like table for lower-case Cyrillic а..я (U+0430..U+044F).
var cyrBase = [32]string{
	"a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
	"r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
}

// cyrExt covers U+0450..U+045F (ѐ ё ђ ѓ є ѕ і ї ј љ њ ћ ќ ѝ ў џ).
var cyrExt = [16]string{
	"e", "e", "dj", "gj", "ye", "dz", "i", "yi", "j", "lj", "nj", "c", "kj", "i", "u", "dz",
}

func cyrillic(f *folder, run string) {
	if f.cyr == cyrUnknown {
		f.cyr = cyrillicMode(f.src)
	}
	for _, r := range run {
		r = unicode.ToLower(r)
		switch {
		case r >= 0x430 && r <= 0x44F:
			switch {
			case r == 'и' && f.cyr == cyrUkrainian:
				f.byte('y')
			case r == 'г' && (f.cyr == cyrUkrainian || f.cyr == cyrBelarusian):
				f.byte('h')
			case f.cyr == cyrSerbian && (r == 'ж' || r == 'х' || r == 'ц' || r == 'ч' || r == 'ш'):
				// Serbian/Macedonian Latin: ž h c č š, folded without diacritics
				f.byte(serbianLatin(r))
			default:
				f.str(cyrBase[r-0x430])
			}
		case r >= 0x450 && r <= 0x45F:
			f.str(cyrExt[r-0x450])
		default:
			switch r {
			case 'ґ':
				f.byte('g')
			case 'ғ':
				f.str("gh")
			case 'қ', 'ҡ':
				f.byte('k')
			case 'ң':
				f.str("ng")
			case 'ү', 'ұ':
				f.byte('u')
			case 'һ':
				f.byte('h')
			case 'ә':
				f.byte('a')
			case 'ө':
				f.byte('o')
			case 'ҳ':
				f.byte('h')
			case 'ҷ':
				f.byte('j')
			case 'ӣ':
				f.byte('i')
			case 'ӯ':
				f.byte('u')
			case 'ҫ':
				f.byte('s')
			case 'ӑ':
				f.byte('a')
			case 'ӗ':
				f.byte('e')
			case 'ӧ':
				f.byte('o')
			case 'ӱ':
				f.byte('u')
			default:
				latinRune(f, r)
			}
		}
	}
}

// Greek (ELOT 743-like).

var greekPlain = map[rune]rune{
	'ά': 'α', 'έ': 'ε', 'ή': 'η', 'ί': 'ι', 'ό': 'ο', 'ύ': 'υ', 'ώ': 'ω',
	'ϊ': 'ι', 'ϋ': 'υ', 'ΐ': 'ι', 'ΰ': 'υ', 'ς': 'σ', 'ϐ': 'β', 'ϑ': 'θ', 'ϕ': 'φ', 'ϖ': 'π', 'ϰ': 'κ', 'ϱ': 'ρ', 'ϲ': 'σ',
}

var greekTable = map[rune]string{
	'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i", 'θ': "th",
	'ι': "i", 'κ': "k", 'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o", 'π': "p",
	'ρ': "r", 'σ': "s", 'τ': "t", 'υ': "y", 'φ': "f", 'χ': "ch", 'ψ': "ps", 'ω': "o",
}

// greekVoiceless are the letters before which αυ/ευ/ηυ are read af/ef/if.
const greekVoiceless = "θκξπσςτφχψ"

func greekLower(r rune) (rune, bool) {
	r = unicode.ToLower(r)
	if r >= 0x1F00 && r <= 0x1FFF { // polytonic: strip via NFD base
		if d := []rune(decompose(r)); len(d) > 0 {
			r = unicode.ToLower(d[0])
		}
	}
	// a tonos or dialytika marks a vowel that does not form a digraph
	// with the previous vowel (e.g. "ϊ" in "Ευβοϊκός")
	diaer := r == 'ϊ' || r == 'ϋ' || r == 'ΐ' || r == 'ΰ'
	if p, ok := greekPlain[r]; ok {
		r = p
	}
	return r, diaer
}

func greek(f *folder, run string) {
	rs := make([]rune, 0, len(run)/2)
	diaer := make([]bool, 0, len(run)/2)
	for _, r := range run {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		l, d := greekLower(r)
		rs = append(rs, l)
		diaer = append(diaer, d)
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		var next rune
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		nextDiaer := i+1 < len(rs) && diaer[i+1]
		start := i == 0
		switch {
		case (r == 'α' || r == 'ε' || r == 'η') && next == 'υ' && !nextDiaer:
			f.str(greekTable[r])
			if i+2 >= len(rs) || strings.ContainsRune(greekVoiceless, rs[i+2]) {
				f.byte('f')
			} else {
				f.byte('v')
			}
			i++
			continue
		case r == 'ο' && next == 'υ' && !nextDiaer:
			f.str("ou")
			i++
			continue
		case r == 'γ' && (next == 'γ' || next == 'ξ' || next == 'χ'):
			f.byte('n')
			continue
		case r == 'μ' && next == 'π' && start:
			f.byte('b')
			i++
			continue
		case r == 'ν' && next == 'τ' && start:
			f.byte('d')
			i++
			continue
		}
		if t, ok := greekTable[r]; ok {
			f.str(t)
		} else {
			latinRune(f, r)
		}
	}
}

func decompose(r rune) string {
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	return string(nfd(buf[:n]))
}

// Armenian and Georgian: one table entry per lower-case letter.

var armenian = map[rune]string{
	'ա': "a", 'բ': "b", 'գ': "g", 'դ': "d", 'ե': "e", 'զ': "z", 'է': "e", 'ը': "y", 'թ': "t",
	'ժ': "zh", 'ի': "i", 'լ': "l", 'խ': "kh", 'ծ': "ts", 'կ': "k", 'հ': "h", 'ձ': "dz", 'ղ': "gh",
	'ճ': "ch", 'մ': "m", 'յ': "y", 'ն': "n", 'շ': "sh", 'ո': "o", 'չ': "ch", 'պ': "p", 'ջ': "j",
	'ռ': "r", 'ս': "s", 'վ': "v", 'տ': "t", 'ր': "r", 'ց': "ts", 'ւ': "v", 'փ': "p", 'ք': "k",
	'և': "ev", 'օ': "o", 'ֆ': "f",
}

var georgian = map[rune]string{
	'ა': "a", 'ბ': "b", 'გ': "g", 'დ': "d", 'ე': "e", 'ვ': "v", 'ზ': "z", 'თ': "t", 'ი': "i",
	'კ': "k", 'ლ': "l", 'მ': "m", 'ნ': "n", 'ო': "o", 'პ': "p", 'ჟ': "zh", 'რ': "r", 'ს': "s",
	'ტ': "t", 'უ': "u", 'ფ': "p", 'ქ': "k", 'ღ': "gh", 'ყ': "q", 'შ': "sh", 'ჩ': "ch", 'ც': "ts",
	'ძ': "dz", 'წ': "ts", 'ჭ': "ch", 'ხ': "kh", 'ჯ': "j", 'ჰ': "h", 'ჱ': "e", 'ჲ': "y", 'ჳ': "w", 'ჴ': "q", 'ჵ': "o",
}

func tableRun(f *folder, run string, t map[rune]string) {
	prev := rune(0)
	for _, r := range run {
		r = unicode.ToLower(r)
		if r >= 0x1C90 && r <= 0x1CBF { // Georgian Mtavruli -> Mkhedruli
			r = r - 0x1C90 + 0x10D0
		} else if r >= 0x10A0 && r <= 0x10C5 { // Asomtavruli
			r = r - 0x10A0 + 0x10D0
		}
		// Armenian "ու" is u
		if r == 'ւ' && prev == 'ո' {
			f.b[len(f.b)-1] = 'u'
			prev = r
			continue
		}
		prev = r
		if s, ok := t[r]; ok {
			f.str(s)
		} else if !unicode.Is(unicode.Mn, r) {
			latinRune(f, r)
		}
	}
}

func serbianLatin(r rune) byte {
	switch r {
	case 'ж':
		return 'z'
	case 'х':
		return 'h'
	case 'ш':
		return 's'
	}
	return 'c' // ц, ч
}
