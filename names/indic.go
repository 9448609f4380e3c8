package names

import (
	"strings"
	"unicode/utf8"
)

// Abugidas: the Brahmic scripts of India (Devanagari, Bengali, Gurmukhi,
// Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam), Sinhala, Khmer and
// Myanmar. A consonant letter carries an inherent vowel ("a") unless a vowel
// sign (matra), a virama or a subscript sign follows it. Romanisation choices
// are the customary ones for names (Hunterian-like, no diacritics): long and
// short vowels alike (ā a, ī i, ū u), retroflex and dental alike (ṭ t, ḍ d,
// ṇ n), ś/ṣ sh, c ch, ñ/ṅ n, anusvara n (m before p/b/m), visarga h, nukta
// letters q kh gh z r rh f; the word-final inherent vowel is dropped in
// Hindi, Bengali, Punjabi, Gujarati and Khmer (राम -> "ram"), kept in the
// Dravidian scripts, Oriya, Sinhala and Myanmar, which write a final
// consonant with an explicit virama when it has no vowel.

// akind classifies one abugida rune.
type akind uint8

const (
	akOther   akind = iota // not part of a word: a separator
	akCons                 // consonant with inherent vowel
	akVowel                // independent vowel
	akMatra                // dependent vowel sign
	akVirama               // kills the inherent vowel
	akNasal                // anusvara, candrabindu, tippi
	akVisarga              // visarga: h
	akNukta                // modifies the previous consonant
	akDigit                // digit (latin string is the ASCII digit)
	akDead                 // consonant without vowel (chillu, khanda ta)
	akGem                  // doubles the next consonant (Gurmukhi addak)
	akSkip                 // ignored (tone and length marks, joiners)
	akAsat                 // Myanmar asat: final consonant of a rhyme
)

// brahmicCons are the consonants at offsets 0x15..0x39 of every Brahmic block.
var brahmicCons = [...]string{
	"k", "kh", "g", "gh", "n", "ch", "chh", "j", "jh", "n", // 15..1E
	"t", "th", "d", "dh", "n", "t", "th", "d", "dh", "n", "n", // 1F..29
	"p", "ph", "b", "bh", "m", "y", "r", "r", "l", "l", "zh", "v", // 2A..35
	"sh", "sh", "s", "h", // 36..39
}

// brahmicVowels are the independent vowels at offsets 0x05..0x14.
var brahmicVowels = [...]string{
	"a", "a", "i", "i", "u", "u", "ri", "li", "e", "e", "e", "ai", "o", "o", "o", "au",
}

// brahmicMatras are the vowel signs at offsets 0x3E..0x4C.
var brahmicMatras = [...]string{
	"a", "i", "i", "u", "u", "ri", "ri", "e", "e", "e", "ai", "o", "o", "o", "au",
}

// brahmic classifies a rune of one of the nine Brahmic blocks (U+0900..U+0D7F).
func brahmic(r rune) (akind, string) {
	base := r &^ 0x7F
	o := r - base
	switch {
	case o >= 0x15 && o <= 0x39:
		s := brahmicCons[o-0x15]
		if base == 0xB80 && o == 0x1A { // Tamil ச is s in names (Selvam, Subramaniam)
			s = "s"
		}
		return akCons, s
	case o >= 0x05 && o <= 0x14:
		return akVowel, brahmicVowels[o-0x05]
	case o >= 0x3E && o <= 0x4C:
		return akMatra, brahmicMatras[o-0x3E]
	case o == 0x4D:
		return akVirama, ""
	case o == 0x01 || o == 0x02:
		return akNasal, "n"
	case o == 0x03:
		return akVisarga, "h"
	case o == 0x3C:
		return akNukta, ""
	case o >= 0x66 && o <= 0x6F:
		return akDigit, string(rune('0' + o - 0x66))
	case o == 0x60:
		return akVowel, "ri"
	case o == 0x61:
		return akVowel, "li"
	case o == 0x62 || o == 0x63:
		return akMatra, "li"
	case o >= 0x51 && o <= 0x57, o == 0x00, o == 0x3D:
		return akSkip, ""
	}
	switch r {
	case 0x904:
		return akVowel, "e"
	case 0x958, 0x959, 0x95A, 0x95B, 0x95C, 0x95D, 0x95E, 0x95F:
		return akCons, [...]string{"q", "kh", "gh", "z", "r", "rh", "f", "y"}[r-0x958]
	case 0x972:
		return akVowel, "a"
	case 0x979:
		return akCons, "z"
	case 0x97A:
		return akCons, "y"
	case 0x97B, 0x97C, 0x97E, 0x97F:
		return akCons, [...]string{"g", "j", "", "d", "b"}[r-0x97B]
	case 0x9DC:
		return akCons, "r"
	case 0x9DD:
		return akCons, "rh"
	case 0x9DF:
		return akCons, "y"
	case 0x9CE:
		return akDead, "t"
	case 0x9F0:
		return akCons, "r"
	case 0x9F1:
		return akCons, "w"
	case 0x9D7, 0xBD7:
		return akSkip, "" // au length marks
	case 0xA59, 0xA5A, 0xA5B, 0xA5C, 0xA5E:
		return akCons, [...]string{"kh", "gh", "z", "r", "", "f"}[r-0xA59]
	case 0xA70:
		return akNasal, "n"
	case 0xA71:
		return akGem, ""
	case 0xA72, 0xA73:
		return akVowel, ""
	case 0xA75:
		return akCons, "y"
	case 0xB5C:
		return akCons, "r"
	case 0xB5D:
		return akCons, "rh"
	case 0xB5F:
		return akCons, "y"
	case 0xB71:
		return akCons, "w"
	case 0xC58, 0xC59, 0xC5A:
		return akCons, [...]string{"ts", "dz", "r"}[r-0xC58]
	case 0xD54, 0xD55, 0xD56:
		return akDead, [...]string{"m", "y", "zh"}[r-0xD54]
	case 0xD7A, 0xD7B, 0xD7C, 0xD7D, 0xD7E, 0xD7F:
		return akDead, [...]string{"n", "n", "r", "l", "l", "k"}[r-0xD7A]
	case 0xD4E:
		return akSkip, "" // dot reph
	}
	return akOther, ""
}

// sinhalaCons/sinhalaVowels/sinhalaMatras cover U+0D9A..U+0DC6, U+0D85..U+0D96, U+0DCF..U+0DDF.
var sinhalaCons = [...]string{
	"k", "kh", "g", "gh", "n", "ng", "ch", "chh", "j", "jh", "n", "gn", "nj", // 9A..A6
	"t", "th", "d", "dh", "n", "nd", "t", "th", "d", "dh", "n", "", "nd", // A7..B3
	"p", "ph", "b", "bh", "m", "mb", "y", "r", "", "l", "", "", "v", "sh", "sh", "s", "h", "l", "f", // B4..C6
}

var sinhalaVowels = [...]string{"a", "a", "ae", "ae", "i", "i", "u", "u", "ri", "ri", "li", "li", "e", "e", "ai", "o", "o", "au"}

var sinhalaMatras = [...]string{"a", "ae", "ae", "i", "i", "u", "", "u", "", "ri", "e", "e", "ai", "o", "o", "au", "li"} // CF..DF

func sinhala(r rune) (akind, string) {
	switch {
	case r >= 0xD9A && r <= 0xDC6:
		if s := sinhalaCons[r-0xD9A]; s != "" {
			return akCons, s
		}
	case r >= 0xD85 && r <= 0xD96:
		return akVowel, sinhalaVowels[r-0xD85]
	case r >= 0xDCF && r <= 0xDDF:
		return akMatra, sinhalaMatras[r-0xDCF]
	case r == 0xDF2 || r == 0xDF3:
		return akMatra, "ri"
	case r == 0xDCA:
		return akVirama, ""
	case r == 0xD82:
		return akNasal, "n"
	case r == 0xD83:
		return akVisarga, "h"
	case r >= 0xDE6 && r <= 0xDEF:
		return akDigit, string(rune('0' + r - 0xDE6))
	case r == 0xD81:
		return akSkip, ""
	}
	return akOther, ""
}

// Khmer: consonants U+1780..U+17A2 (a-series and o-series read alike),
// independent vowels U+17A3..U+17B3, vowel signs U+17B6..U+17C5, nikahit ṃ,
// reahmuk h, coeng (subscript consonant) as a virama.
var khmerCons = [...]string{
	"k", "kh", "k", "kh", "ng", "ch", "chh", "ch", "chh", "nh", // 1780..1789
	"d", "th", "d", "th", "n", "t", "th", "t", "th", "n", // 178A..1793
	"b", "ph", "p", "ph", "m", "y", "r", "l", "v", "sh", "s", "s", "h", "l", "", // 1794..17A2
}

var khmerVowels = [...]string{"a", "a", "i", "i", "i", "u", "u", "u", "ou", "ry", "ry", "ly", "ly", "e", "ai", "ao", "ao", "au"} // 17A3..17B4? (17B4/5 invisible)

var khmerMatras = [...]string{"a", "i", "i", "eu", "eu", "u", "u", "ua", "oe", "uea", "ie", "e", "ae", "ai", "ao", "au"} // 17B6..17C5

func khmer(r rune) (akind, string) {
	switch {
	case r >= 0x1780 && r <= 0x17A2:
		return akCons, khmerCons[r-0x1780]
	case r >= 0x17A3 && r <= 0x17B3:
		return akVowel, khmerVowels[r-0x17A3]
	case r >= 0x17B6 && r <= 0x17C5:
		return akMatra, khmerMatras[r-0x17B6]
	case r == 0x17D2:
		return akVirama, ""
	case r == 0x17C6:
		return akNasal, "m"
	case r == 0x17C7:
		return akVisarga, "h"
	case r == 0x17CC:
		return akMatra, "r" // robat
	case r == 0x17CD:
		return akNukta, "" // toandakhiat: the letter is silent
	case r >= 0x17E0 && r <= 0x17E9:
		return akDigit, string(rune('0' + r - 0x17E0))
	case r >= 0x17B4 && r <= 0x17D1, r == 0x17DD:
		return akSkip, ""
	}
	return akOther, ""
}

// Myanmar: consonants U+1000..U+1021, vowels, medials (ျ ြ y, ွ w), asat,
// stacker (virama), tone marks skipped.
var myanmarCons = [...]string{
	"k", "kh", "g", "gh", "ng", "s", "hs", "z", "z", "ny", "ny", // 1000..100A
	"t", "ht", "d", "d", "n", "t", "ht", "d", "d", "n", // 100B..1014
	"p", "hp", "b", "b", "m", "y", "y", "l", "w", "th", "h", "l", "", // 1015..1021
}

func myanmar(r rune) (akind, string) {
	switch {
	case r >= 0x1000 && r <= 0x1021:
		return akCons, myanmarCons[r-0x1000]
	case r >= 0x1023 && r <= 0x102A:
		return akVowel, [...]string{"i", "i", "u", "u", "e", "", "o", "aw"}[r-0x1023]
	case r >= 0x102B && r <= 0x1032:
		return akMatra, [...]string{"a", "a", "i", "i", "u", "u", "e", "ai"}[r-0x102B]
	case r == 0x1039:
		return akVirama, ""
	case r == 0x103A:
		return akAsat, ""
	case r == 0x1036:
		return akNasal, "n"
	case r == 0x103B || r == 0x103C:
		return akMatra, "y+" // medial: consonant cluster, keeps the inherent vowel
	case r == 0x103D:
		return akMatra, "w+"
	case r >= 0x1040 && r <= 0x1049:
		return akDigit, string(rune('0' + r - 0x1040))
	case r == 0x103F:
		return akCons, "th"
	case r == 0x103E:
		return akMatra, "h+" // medial ha: hl, hm, hn
	case r == 0x1037 || r == 0x1038 || r == 0x1033 || r == 0x1034 || r == 0x1035:
		return akSkip, ""
	}
	return akOther, ""
}

// abugidaScript returns the classifier and whether the word-final inherent
// vowel is dropped, for the block of r; nil when r is not in one.
func abugidaScript(r rune) (func(rune) (akind, string), bool) {
	switch {
	case r >= 0x900 && r <= 0xAFF: // Devanagari, Bengali, Gurmukhi, Gujarati
		return brahmic, true
	case r >= 0xB00 && r <= 0xD7F: // Oriya, Tamil, Telugu, Kannada, Malayalam
		return brahmic, false
	case r >= 0xD80 && r <= 0xDFF:
		return sinhala, false
	case r >= 0x1780 && r <= 0x17FF:
		return khmer, true
	case r >= 0x1000 && r <= 0x104F:
		return myanmar, false
	}
	return nil, false
}

// abugidaRunEnd returns the end of the run of runes of r's block starting at i
// (joiners included).
func abugidaRunEnd(s string, i int, first rune) int {
	lo, hi := first&^0x7F, first|0x7F
	switch {
	case first >= 0x1780 && first <= 0x17FF:
		lo, hi = 0x1780, 0x17FF
	case first >= 0x1000 && first <= 0x109F:
		lo, hi = 0x1000, 0x109F
	}
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !(r >= lo && r <= hi) && r != 0x200C && r != 0x200D {
			return i
		}
		i += size
	}
	return i
}

var (
	// Myanmar rhymes: inherent vowel + final, and vowel sign + final.
	myanmarRhymes      = map[string]string{"ng": "in", "k": "et", "t": "at", "n": "an", "m": "an", "p": "at", "ny": "i", "s": "it", "y": "e"}
	myanmarVowelRhymes = map[string]string{"ong": "aing", "ok": "aik", "in": "ein", "im": "ein", "ik": "eik", "it": "eik", "un": "on", "um": "on", "ut": "ok", "uk": "ok"}
	tamilVoiced        = map[string]string{"k": "g", "s": "j", "t": "d", "p": "b"}
)

// abugida writes the romanisation of a run of one abugida block.
func abugida(f *folder, run string) {
	first, _ := utf8.DecodeRuneInString(run)
	cls, dropFinal := abugidaScript(first)
	if cls == nil {
		return
	}
	tamil := first >= 0xB80 && first <= 0xBFF
	bengali := first >= 0x980 && first <= 0x9FF
	myan := first >= 0x1000 && first <= 0x109F
	var (
		w        []byte // the current word
		pending  bool   // last consonant still has its inherent vowel
		consAt   = -1   // start of the last consonant in w
		consOff  rune   // last consonant rune
		nasal    bool   // an anusvara waits for the next consonant
		gem      bool
		vowels   int  // vowels written in the word
		afterNas bool // the last consonant follows a nasal + virama (Tamil voicing)
		killed   bool // the last written sign is a virama
		cluster  bool // the last consonant ends a conjunct (C + virama + C)
	)
	flush := func() {
		if nasal {
			w = append(w, 'n')
			nasal = false
		}
		if pending && (!dropFinal || vowels == 0 || len(w) == 0 || cluster) {
			w = append(w, 'a')
		}
		f.str(string(w))
		w = w[:0]
		pending, consAt, nasal, gem, vowels, killed, cluster = false, -1, false, false, 0, false, false
	}
	for _, r := range run {
		k, s := cls(r)
		if bengali && r == 0x9AF && len(w) == 0 {
			s = "j"
		}
		switch k {
		case akOther:
			if r == 0x200C || r == 0x200D {
				continue
			}
			flush()
			f.sep()
			continue
		case akSkip:
			continue
		}
		wasKilled := killed
		killed = k == akVirama
		switch k {
		case akCons:
			if pending {
				w = append(w, 'a')
				vowels++
			}
			if nasal {
				if s == "p" || s == "ph" || s == "b" || s == "bh" || s == "m" {
					w = append(w, 'm')
				} else {
					w = append(w, 'n')
				}
				nasal = false
			}
			if tamil && s != "" {
				// Tamil writes voiced stops with the voiceless letters: after a
				// nasal, and k/t between vowels, they are voiced.
				prevVowel := len(w) > 0 && isVowel(w[len(w)-1])
				switch {
				case afterNas && (s == "k" || s == "s" || s == "t" || s == "p"):
					s = tamilVoiced[s]
				case prevVowel && s == "k":
					s = "g"
				}
			}
			afterNas = false
			if gem && s != "" {
				w = append(w, s[0])
			}
			gem = false
			cluster = wasKilled && consAt >= 0
			consAt, consOff = len(w), r
			w = append(w, s...)
			pending = true
		case akDead:
			if pending {
				w = append(w, 'a')
				vowels++
			}
			w = append(w, s...)
			pending, consAt = false, -1
		case akVowel:
			if pending {
				w = append(w, 'a')
			}
			pending, consAt = false, -1
			w = append(w, s...)
			vowels++
		case akMatra:
			if myan && len(s) == 2 && s[1] == '+' { // medial consonant
				if s[0] == 'h' && consAt >= 0 {
					w = append(w[:consAt], append([]byte{'h'}, w[consAt:]...)...)
					continue
				}
				w = append(w, s[0])
				continue
			}
			if r == 0x17CC { // Khmer robat: r after the vowel
				if pending {
					w = append(w, 'a')
					pending = false
				}
				w = append(w, 'r')
				continue
			}
			if !pending && consAt < 0 && len(w) > 0 && isVowel(w[len(w)-1]) && myan {
				// Myanmar two-part vowels: ေ+ာ aw, ိ+ု o
				switch {
				case w[len(w)-1] == 'e' && s == "a":
					w = append(w[:len(w)-1], "aw"...)
					continue
				case w[len(w)-1] == 'i' && s == "u":
					w = append(w[:len(w)-1], 'o')
					continue
				}
			}
			pending, consAt = false, -1
			w = append(w, s...)
			vowels++
		case akVirama:
			if consAt >= 0 && tamil {
				afterNas = consOff == 0xB99 || consOff == 0xB9E || consOff == 0xBA3 || consOff == 0xBA8 || consOff == 0xBAE
			}
			pending = false
		case akAsat:
			// Myanmar: the last consonant closes the syllable; an inherent
			// vowel before it takes the rhyme's customary spelling.
			if consAt < 1 {
				pending, consAt = false, -1
				continue
			}
			if consAt >= 2 && string(w[consAt:]) == "ng" && string(w[consAt-2:consAt]) == "aw" {
				w = append(w[:consAt-2], "aung"...) // ောင် aung
			} else if r := myanmarVowelRhymes[string(w[consAt-1:])]; r != "" {
				w = append(w[:consAt-1], r...) // vowel + final: ိုင် aing, ိန် ein, ုန် on
			} else if w[consAt-1] == 'a' {
				if rhyme := myanmarRhymes[string(w[consAt:])]; rhyme != "" {
					w = append(w[:consAt-1], rhyme...)
				}
			}
			pending, consAt = false, -1
		case akNasal:
			if pending {
				w = append(w, 'a')
				vowels++
				pending = false
			}
			if s == "m" { // Khmer nikahit
				w = append(w, 'm')
			} else {
				nasal = true
			}
			consAt = -1
		case akVisarga:
			if pending {
				w = append(w, 'a')
				vowels++
				pending = false
			}
			w = append(w, 'h')
			consAt = -1
		case akNukta:
			if consAt < 0 {
				continue
			}
			if r == 0x17CD { // Khmer toandakhiat: silent letter
				w = w[:consAt]
				pending, consAt = false, -1
				continue
			}
			var n string
			switch consOff & 0x7F {
			case 0x15:
				n = "q"
			case 0x16:
				n = "kh"
			case 0x17:
				n = "gh"
			case 0x1C:
				n = "z"
			case 0x21:
				n = "r"
			case 0x22:
				n = "rh"
			case 0x2B:
				n = "f"
			case 0x2F:
				n = "y"
			}
			if n != "" {
				w = append(w[:consAt], n...)
			}
		case akDigit:
			flush()
			f.str(s)
		case akGem:
			gem = true
		}
	}
	flush()
}

// bhToV reads bh as v at the start of a word before a consonant or vowel, as
// Hindi and Bengali transcribe a foreign v (भ्लादिमिर -> "vladimir").
func bhToV(base string) string {
	ws := strings.Fields(base)
	for i, w := range ws {
		if strings.HasPrefix(w, "bh") {
			ws[i] = "v" + w[2:]
		}
	}
	return strings.Join(ws, " ")
}
