package names

import (
	"strings"
	"unicode/utf8"
)

// Arabic, Persian and Urdu letters. Choices (matching relies on Skeleton, so
// vowels matter little):
//   - ا/أ/آ/ٱ -> a, إ -> i, ء dropped, ع dropped ("a" at word start), ئ dropped, ؤ -> u
//   - و -> w at word start or after alef (v in Persian/Urdu text), else u; ي/ی -> y at word start or
//     after alef/waw/ya, else i; ى -> a; ة -> a
//   - ث th, ح h, خ kh, ذ dh, ش sh, ص s, ض d, ط t, ظ z, غ gh, ق q
//   - Persian/Urdu: پ p, چ ch, ژ zh, گ g, ک k, ٹ t, ڈ d, ڑ r, ں n, ے e, ھ/ہ h
//   - the article "ال" at the start of a word is split off as "al"
//     (الرحمن -> "al rhmn"); "الله" -> "allah"; "عبدال..." -> "abd al ..."
//   - short-vowel marks (rare in names) fatha a, damma u, kasra i; other marks dropped
var arabicTable = map[rune]string{
	'ا': "a", 'أ': "a", 'إ': "i", 'آ': "a", 'ٱ': "a", 'ء': "", 'ؤ': "u", 'ئ': "",
	'ب': "b", 'ت': "t", 'ث': "th", 'ج': "j", 'ح': "h", 'خ': "kh", 'د': "d", 'ذ': "dh",
	'ر': "r", 'ز': "z", 'س': "s", 'ش': "sh", 'ص': "s", 'ض': "d", 'ط': "t", 'ظ': "z",
	'ع': "", 'غ': "gh", 'ف': "f", 'ق': "q", 'ك': "k", 'ل': "l", 'م': "m", 'ن': "n",
	'ه': "h", 'ى': "a", 'ة': "a",
	'پ': "p", 'چ': "ch", 'ژ': "zh", 'گ': "g", 'ک': "k", 'ٹ': "t", 'ڈ': "d", 'ڑ': "r",
	'ں': "n", 'ے': "e", 'ۓ': "e", 'ھ': "h", 'ہ': "h", 'ۀ': "e", 'ۃ': "a", 'ڤ': "v", 'ڨ': "g",
	'ڭ': "ng", 'ۆ': "o", 'ۇ': "u", 'ۈ': "yu", 'ۋ': "v", 'ې': "e", 'ڵ': "l", 'ڕ': "r", 'ێ': "e",
	'\u064E': "a", '\u064F': "u", '\u0650': "i", '\u0670': "a",
}

func isArabicWaw(r rune) bool { return r == 'و' || r == 'ۄ' || r == 'ۅ' }
func isArabicYa(r rune) bool  { return r == 'ي' || r == 'ی' || r == 'ې' || r == 'ۍ' }
func isArabicAlef(r rune) bool {
	return r == 'ا' || r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ'
}

// isPersian reports whether s uses letters specific to Persian/Urdu.
func isPersian(s string) bool {
	return strings.ContainsAny(s, "پچژگکیٹڈڑںےھہ")
}

func arabic(f *folder, run string) {
	if f.fa == 0 {
		f.fa = 1
		if isPersian(f.src) {
			f.fa = 2
		}
	}
	// words inside one run are separated by non-letters that are part of
	// the Arabic block (e.g. Arabic comma); handle them as separators.
	start := true
	prev := rune(0)
	for i := 0; i < len(run); {
		r, size := utf8.DecodeRuneInString(run[i:])
		if start {
			rest := run[i:]
			switch {
			case strings.HasPrefix(rest, "الله") && wordEnds(rest[len("الله"):]):
				f.str("allah")
				i += len("الله")
				prev = 'ه'
				start = false
				continue
			case strings.HasPrefix(rest, "عبدال") && len(rest) > len("عبدال")+1:
				f.str("abd")
				f.sep()
				i += len("عبد")
				continue // "ال..." handled as a new word start
			case strings.HasPrefix(rest, "ال") && len(rest) > len("ال")+2 && !wordEnds(rest[len("ال"):]):
				f.str("al")
				f.sep()
				i += len("ال")
				// the next letter starts the name proper
				continue
			}
		}
		i += size
		switch {
		case r >= 0x660 && r <= 0x669:
			f.byte(byte('0' + r - 0x660))
		case r >= 0x6F0 && r <= 0x6F9:
			f.byte(byte('0' + r - 0x6F0))
		case r == 0x640 || (r >= 0x64B && r <= 0x65F && r != 0x64E && r != 0x64F && r != 0x650):
			// tatweel, tanween, shadda, sukun and other marks: dropped
			continue
		case r == 'ع' && start:
			f.byte('a') // word-initial ayn carries a vowel: علي -> ali, عمر -> amr
		case isArabicWaw(r):
			if f.fa == 2 && (start || isArabicAlef(prev)) {
				f.byte('v') // Persian/Urdu vav is a consonant v
			} else if start || isArabicAlef(prev) {
				f.byte('w')
			} else {
				f.byte('u')
			}
		case isArabicYa(r):
			if start || isArabicAlef(prev) || isArabicWaw(prev) || isArabicYa(prev) {
				f.byte('y')
			} else {
				f.byte('i')
			}
		default:
			if t, ok := arabicTable[r]; ok {
				f.str(t)
			} else if scriptOf(r) == scNone {
				f.sep() // Arabic punctuation
				start = true
				prev = 0
				continue
			} else {
				uni(f, r)
			}
		}
		start = false
		prev = r
	}
}

// wordEnds reports whether s (the rest of a run) is empty or starts with a
// non-letter.
func wordEnds(s string) bool {
	if s == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s)
	return scriptOf(r) == scNone && r != 0x640 && !(r >= 0x64B && r <= 0x65F)
}

// Hebrew: consonantal table. א -> a, ע dropped, ו -> v at word start or
// doubled, else u; י -> y at word start or doubled, else i; ח -> h; כ/ך -> k;
// פ -> p (final ף -> f); צ/ץ -> ts; ש -> sh; ה at word end -> a; niqqud dropped.
var hebrewTable = map[rune]string{
	'א': "a", 'ב': "b", 'ג': "g", 'ד': "d", 'ה': "h", 'ז': "z", 'ח': "h", 'ט': "t",
	'כ': "k", 'ך': "k", 'ל': "l", 'מ': "m", 'ם': "m", 'נ': "n", 'ן': "n", 'ס': "s",
	'ע': "", 'פ': "p", 'ף': "f", 'צ': "ts", 'ץ': "ts", 'ק': "k", 'ר': "r", 'ש': "sh", 'ת': "t",
	'װ': "v", 'ױ': "oy", 'ײ': "ey",
}

func hebrew(f *folder, run string) {
	rs := make([]rune, 0, len(run)/2)
	for _, r := range run {
		if r >= 0x591 && r <= 0x5C7 && r != 0x5BE && r != 0x5C0 && r != 0x5C3 && r != 0x5C6 {
			continue // niqqud and cantillation
		}
		if r >= 0xFB1D { // presentation forms: base letter via NFD
			if d := []rune(decompose(r)); len(d) > 0 {
				r = d[0]
			}
		}
		rs = append(rs, r)
	}
	start := true
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		var next rune
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		last := i+1 >= len(rs) || scriptOf(next) == scNone
		switch {
		case r == 'ו':
			if next == 'ו' {
				f.byte('v')
				i++
			} else if start {
				f.byte('v')
			} else {
				f.byte('u')
			}
		case r == 'י':
			if next == 'י' {
				f.str("y")
				i++
			} else if start {
				f.byte('y')
			} else {
				f.byte('i')
			}
		case r == 'ה' && last && !start:
			f.byte('a')
		default:
			if t, ok := hebrewTable[r]; ok {
				f.str(t)
			} else if scriptOf(r) == scNone {
				f.sep()
				start = true
				continue
			} else {
				uni(f, r)
			}
		}
		start = false
	}
}
