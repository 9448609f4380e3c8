package names

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Cyrillic and Greek letters that look like Latin letters.
//
// Source: Unicode Technical Standard #39 (Unicode Security Mechanisms),
// confusables.txt, the entries whose source is a Cyrillic or Greek letter
// and whose prototype is one ASCII letter (for example "0430 ; 0061 ; MA
// # ( а → a ) CYRILLIC SMALL LETTER A → LATIN SMALL LETTER A"). Two
// deliberate departures, because a name is read, not compared as a
// skeleton: the capital-I shapes (Cyrillic І and Ӏ, Greek Ι), whose TR39
// prototype is "l" (TR39 also maps Latin I to l), are read as I; and the
// case of the letter is kept (Fold lower-cases afterwards).
var lookalikeStrict = map[rune]rune{
	// Cyrillic, lower case
	'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x',
	'ѕ': 's', 'і': 'i', 'ј': 'j', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'һ': 'h',
	'ӏ': 'i', 'г': 'r', 'ѵ': 'v', 'ү': 'y', 'ҽ': 'e', 'ѡ': 'w',
	// Cyrillic, capitals
	'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O',
	'Р': 'P', 'С': 'C', 'Т': 'T', 'У': 'Y', 'Х': 'X', 'Ѕ': 'S', 'І': 'I',
	'Ј': 'J', 'Ү': 'Y', 'Ѵ': 'V', 'Ԝ': 'W', 'Ԍ': 'G', 'Ӏ': 'I', 'Ь': 'b',
	// Greek, capitals
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K',
	'Μ': 'M', 'Ν': 'N', 'Ο': 'O', 'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X',
	'Ϲ': 'C', 'Ϳ': 'J', 'Ϻ': 'M', 'Ϝ': 'F',
	// Greek, lower case
	'α': 'a', 'γ': 'y', 'ι': 'i', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'σ': 'o',
	'υ': 'u', 'ϲ': 'c', 'ϳ': 'j', 'ϱ': 'p',
}

// lookalikeLoose are lower-case letters shaped like small capitals or
// italics of a Latin letter, which TR39 maps to no ASCII letter but a
// reader takes for one inside a Latin word (Vladimiг Рutiп). They are
// folded only in a word that also holds Latin letters.
var lookalikeLoose = map[rune]rune{
	'к': 'k', 'м': 'm', 'т': 't', 'п': 'n', 'в': 'b',
	'κ': 'k', 'τ': 't', 'χ': 'x', 'ε': 'e', 'ω': 'w', 'η': 'n',
}

// latinToCyrillic and latinToGreek read the Latin look-alikes in a word
// that is mostly Cyrillic or Greek as the letters of that script (Пyтин
// with a Latin y is Путин). Latin letters missing here (i, j, s, whose
// Cyrillic look-alikes would change the language Fold guesses) stay Latin.
var latinToCyrillic = map[rune]rune{
	'a': 'а', 'e': 'е', 'o': 'о', 'p': 'р', 'c': 'с', 'y': 'у', 'x': 'х',
	'k': 'к', 'm': 'м', 't': 'т', 'n': 'п', 'ë': 'ё', 'Ë': 'Ё', 'r': 'г', 'b': 'в',
	'A': 'А', 'B': 'В', 'E': 'Е', 'K': 'К', 'M': 'М', 'H': 'Н', 'O': 'О',
	'P': 'Р', 'C': 'С', 'T': 'Т', 'X': 'Х', 'Y': 'У',
}

var latinToGreek = map[rune]rune{
	'A': 'Α', 'B': 'Β', 'E': 'Ε', 'Z': 'Ζ', 'H': 'Η', 'I': 'Ι', 'K': 'Κ',
	'M': 'Μ', 'N': 'Ν', 'O': 'Ο', 'P': 'Ρ', 'T': 'Τ', 'Y': 'Υ', 'X': 'Χ',
	'a': 'α', 'o': 'ο', 'p': 'ρ', 'i': 'ι', 'v': 'ν', 'u': 'υ', 'y': 'γ',
	'k': 'κ', 't': 'τ', 'x': 'χ', 'e': 'ε', 'w': 'ω', 'n': 'η',
}

// hasCyrillicLookalike and hasGreekLookalike are the Latin letters some
// Cyrillic or Greek letter of lookalikeStrict imitates. A Latin letter
// outside them (u, n, t, f, g, l ... in Cyrillic) makes its word Latin.
var hasCyrillicLookalike, hasGreekLookalike = func() (cyr, grk map[rune]bool) {
	cyr, grk = map[rune]bool{}, map[rune]bool{}
	for from, to := range lookalikeStrict {
		if unicode.Is(unicode.Cyrillic, from) {
			cyr[to] = true
		} else {
			grk[to] = true
		}
	}
	cyr['ë'], cyr['Ë'] = true, true // ё
	return cyr, grk
}()

// lookalikeWord is what foldConfusables knows of one word.
type lookalikeWord struct {
	start, end int // byte offsets in the name
	latin      int // Latin letters
	latinOnly  int // Latin letters no Cyrillic (Greek) letter imitates
	cg         int // Cyrillic and Greek letters
	strict     int // Cyrillic or Greek letters in lookalikeStrict
	cgOnly     int // Cyrillic or Greek letters that imitate no Latin letter
	cyr, grk   int // Cyrillic and Greek letters
	action     uint8
}

// What foldConfusables does to a word.
const (
	keepWord  = iota
	toLatin   // look-alikes become Latin letters
	toNative  // Latin look-alikes become letters of the word's script
	ambiguous // every letter has a look-alike in the other script: the name decides
	wholeWord // a word of strict look-alikes only: Latin if the name is Latin
)

// foldConfusables reads look-alike letters as the letters they imitate
// (see Clean). s is NFKC.
//
// A word that mixes Latin with Cyrillic or Greek letters is read in the
// script of its letters that have no look-alike in the other ("Рutin" has
// u, t, n: Latin; "ТAMБOB" has Б: Cyrillic). When every letter has one
// ("Mаксім", "СOОK"), the other words of the name decide: a name with
// words really in Cyrillic or Greek reads it so (the EU list writes
// "Mаксім Уладзіміравіч" with a Latin M), one with Latin words reads it in
// Latin, one with both by the more numerous letters, and one with neither
// in Latin.
func foldConfusables(s string) string {
	var latin, nCyr, nGrk int
	for _, r := range s {
		switch scriptOf(r) {
		case scLatn:
			latin++
		case scCyrl:
			nCyr++
		case scGrek:
			nGrk++
		}
	}
	if latin == 0 || nCyr+nGrk == 0 {
		return s
	}
	latinHas := hasCyrillicLookalike
	if nGrk > nCyr {
		latinHas = hasGreekLookalike
	}
	var ws []lookalikeWord
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		w := lookalikeWord{start: i}
		for i < len(s) {
			r, size = utf8.DecodeRuneInString(s[i:])
			if !unicode.IsLetter(r) && !unicode.IsMark(r) {
				break
			}
			i += size
			switch scriptOf(r) {
			case scLatn:
				w.latin++
				if !latinHas[r] {
					w.latinOnly++
				}
				continue
			case scCyrl:
				w.cyr++
			case scGrek:
				w.grk++
			default:
				continue
			}
			w.cg++
			switch {
			case lookalikeStrict[r] != 0:
				w.strict++
			case lookalikeLoose[r] == 0:
				w.cgOnly++
			}
		}
		w.end = i
		switch {
		case w.cg == 0:
		case w.latin == 0:
			if w.strict == w.cg {
				w.action = wholeWord
			}
		case w.cgOnly == 0 && w.latinOnly > 0:
			w.action = toLatin
		case w.cgOnly > 0 && w.latinOnly == 0:
			w.action = toNative
		case w.cgOnly == 0 && w.latinOnly == 0:
			w.action = ambiguous
		case w.cg > w.latin: // both kinds: the more numerous
			w.action = toNative
		default:
			w.action = toLatin
		}
		ws = append(ws, w)
	}
	// What the name is written in, from the words that can only be read
	// one way.
	var latinWord, nativeWord bool
	for _, w := range ws {
		switch {
		case w.action == toNative, w.latin == 0 && w.cgOnly > 0:
			nativeWord = true
		case w.action == toLatin, w.cg == 0 && w.latinOnly > 0:
			latinWord = true
		}
	}
	var b strings.Builder
	last := 0
	for _, w := range ws {
		action := w.action
		switch action {
		case ambiguous:
			switch {
			case nativeWord && !latinWord:
				action = toNative
			case latinWord && !nativeWord:
				action = toLatin
			case nativeWord && w.cg > w.latin:
				action = toNative
			default:
				// Nothing decides ("OМЅКІY-119"): Latin, the script
				// of the lists and the one disguised.
				action = toLatin
			}
		case wholeWord:
			if nativeWord || !latinWord {
				continue
			}
			action = toLatin
		}
		var table map[rune]rune
		switch action {
		case toNative:
			table = latinToCyrillic
			if w.grk > w.cyr {
				table = latinToGreek
			}
		case toLatin:
		default:
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:w.start])
		for _, r := range s[w.start:w.end] {
			if table != nil {
				if c, ok := table[r]; ok {
					r = c
				}
			} else if c, ok := lookalikeStrict[r]; ok {
				r = c
			} else if c, ok := lookalikeLoose[r]; ok {
				r = c
			}
			b.WriteRune(r)
		}
		last = w.end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}
