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

// ---- European names written in Arabic script ----

// arabicLoanVariants reads the words of an Arabic-script name that look like
// transcriptions of European names (arabicForeignWord) with the vowels
// such transcriptions write: و after a consonant o (and أو at the start of a
// word before a consonant), ي between consonants e in the first reading and
// i in the second, ز after a vowel letter at the end of a word or before a
// vowel letter s: ماري تيريز أدينا أوندوا -> "mari teres adena ondoa",
// "mari tiris adina ondoa". Other words keep their Fold reading. Nil when no
// word looks foreign: Arabic names (محمد، حسين، عبد الله) have no other
// reading.
func arabicLoanVariants(s string) []string {
	words := strings.Fields(s)
	var foreign []bool
	any := false
	for _, w := range words {
		fw := arabicForeignWord([]rune(w))
		foreign = append(foreign, fw)
		any = any || fw
	}
	if !any {
		return nil
	}
	var out []string
	for _, e := range []bool{true, false} {
		var f folder
		f.src = s
		for i, w := range words {
			f.sep()
			if foreign[i] {
				f.str(arabicLoanWord([]rune(w), e))
			} else {
				arabic(&f, w)
			}
		}
		out = appendUnique(out, f.result())
	}
	return out
}

// arabic letter classes for arabicForeignWord and arabicLoanWord
const (
	arC = iota // consonant
	arA        // alef
	arW        // waw
	arY        // ya
)

func arabicClass(r rune) int {
	switch {
	case isArabicAlef(r):
		return arA
	case isArabicWaw(r):
		return arW
	case isArabicYa(r):
		return arY
	}
	return arC
}

// arabicVowelAt reports whether the letter at i is written for a vowel: an
// alef inside the word, a waw or ya after a consonant that no alef follows
// (جواد: w).
func arabicVowelAt(w []rune, i int) bool {
	switch arabicClass(w[i]) {
	case arA:
		return i > 0
	case arW, arY:
		// a final alef after it is a vowel of its own (أوندوا Ondoa)
		return i > 0 && arabicClass(w[i-1]) == arC && (i+1 == len(w) || arabicClass(w[i+1]) != arA || i+2 == len(w) && isArabicWaw(w[i]))
	}
	return false
}

// arabicForeignWord reports whether an Arabic-script word looks like the
// transcription of a European name rather than an Arabic (or Persian) one.
// Transcriptions write every vowel, Arabic names their long vowels only, in
// the places the patterns of Arabic words put them. A word of four letters
// or more, without the article, the letters of Arabic sounds (ح ع ص ض ط ظ ق
// ث ذ), hamza, ة or ى, looks foreign with one of:
//   - أو at the start before a consonant (أوباما، أوندوا، أوربان);
//   - a final ا or و after a consonant and another vowel letter before it,
//     in a word of five letters or more (أدينا، أنجيلا، كاسترو، نيكولا);
//   - a vowel letter followed by three consonants (ميركل، روبرت);
//   - و or ي for a vowel, one consonant, then ي for a vowel before another
//     consonant (تيريز، بوتين، ميدفيديف); or و for a vowel, one consonant, ا
//     (دونالد، موغابي).
//
// Arabic names such as سامي (a final ي), سليمان and هارون (ي or ا before the
// ا or و) keep their reading.
func arabicForeignWord(w []rune) bool {
	n := len(w)
	if n < 4 || strings.HasPrefix(string(w), "ال") {
		return false
	}
	for _, r := range w {
		if strings.ContainsRune("حعصضطظقثذءئؤأإآةى\u200c", r) && !(r == 'أ' && w[0] == r) && !(r == 'إ' && w[0] == r) && !(r == 'آ' && w[0] == r) {
			return false
		}
		if !(r >= 0x620 && r <= 0x64A || r == 'ی' || r == 'ک' || r == 'گ' || r == 'پ' || r == 'چ' || r == 'ژ' || r == 'ڤ') {
			return false
		}
	}
	if isArabicAlef(w[0]) && isArabicWaw(w[1]) && arabicClass(w[2]) == arC {
		return true
	}
	last := arabicClass(w[n-1])
	if n >= 5 && (last == arA || last == arW) && arabicClass(w[n-2]) == arC {
		for i := 1; i < n-2; i++ {
			if arabicVowelAt(w, i) {
				return true
			}
		}
	}
	for i := 1; i < n; i++ {
		if !arabicVowelAt(w, i) {
			continue
		}
		run := 0
		for j := i + 1; j < n && arabicClass(w[j]) == arC && !(j == n-1 && w[j] == 'ه'); j++ {
			run++
		}
		if run >= 3 {
			return true
		}
		if i+2 < n && arabicClass(w[i+1]) == arC && arabicVowelAt(w, i+2) {
			third := arabicClass(w[i+2])
			if third == arY && i+3 < n && arabicClass(w[i+3]) == arC && arabicClass(w[i]) != arA {
				return true
			}
			if third == arA && arabicClass(w[i]) == arW {
				return true
			}
		}
	}
	return false
}

// arabicLoanWord romanises a word that arabicForeignWord accepts, with the
// vowels of European names (see arabicLoanVariants); e reads ي between
// consonants e, else i.
func arabicLoanWord(w []rune, e bool) string {
	var b strings.Builder
	n := len(w)
	for i := 0; i < n; i++ {
		r := w[i]
		switch {
		case i == 0 && isArabicAlef(r) && n > 2 && isArabicWaw(w[1]) && arabicClass(w[2]) == arC:
			b.WriteByte('o')
			i++
		case i == 0 && isArabicAlef(r):
			if r == 'إ' {
				b.WriteByte('i')
			} else {
				b.WriteByte('a')
			}
		case isArabicWaw(r):
			if arabicVowelAt(w, i) {
				b.WriteByte('o')
			} else if i > 0 && arabicClass(w[i-1]) == arC {
				b.WriteByte('u')
			} else {
				b.WriteByte('w')
			}
		case isArabicYa(r):
			switch {
			case !arabicVowelAt(w, i):
				b.WriteByte('y')
			case i == n-2 && w[n-1] == 'ه':
				b.WriteByte('e') // خوسيه José
				i++
			case e && i+1 < n && arabicClass(w[i+1]) == arC:
				b.WriteByte('e')
			default:
				b.WriteByte('i')
			}
		case r == 'ز' && i > 0 && arabicVowelAt(w, i-1) && (i+1 == n || arabicVowelAt(w, i+1)):
			b.WriteByte('s')
		case r == 'ه' && i == n-1 && i > 0:
			b.WriteByte('e') // خوسيه José
		default:
			b.WriteString(arabicTable[r])
		}
	}
	return b.String()
}
