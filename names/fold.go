package names

import (
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-unidecode/table"
	"golang.org/x/text/unicode/norm"
)

// folder accumulates the folded output: lower-case ASCII letters and digits,
// single spaces between words, no leading space. Apostrophe-like marks are
// dropped; any other byte becomes a word separator.
type folder struct {
	b     []byte
	space bool   // last byte written is a space
	src   string // the whole (NFKC) input, for script-wide decisions
	cyr   int    // Cyrillic variant of src, computed on first need
	fa    int    // 0 unknown, 1 Arabic, 2 Persian/Urdu letters present in src
}

func nfd(b []byte) []byte { return norm.NFD.Bytes(b) }

func (f *folder) sep() {
	if len(f.b) > 0 && !f.space {
		f.b = append(f.b, ' ')
		f.space = true
	}
}

func (f *folder) byte(c byte) {
	switch {
	case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		f.b = append(f.b, c)
		f.space = false
	case c >= 'A' && c <= 'Z':
		f.b = append(f.b, c+('a'-'A'))
		f.space = false
	case c == '\'' || c == '`':
		// dropped inside words: O'Brien -> obrien
	default:
		f.sep()
	}
}

func (f *folder) str(s string) {
	for i := 0; i < len(s); i++ {
		f.byte(s[i])
	}
}

func (f *folder) result() string {
	b := f.b
	if n := len(b); n > 0 && b[n-1] == ' ' {
		b = b[:n-1]
	}
	return string(b)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Fold returns the canonical Latin form of a name for matching: the name
// read as Clean reads it (invisible characters dropped, NFKC, look-alike
// letters read as Latin), case folded, diacritics removed (ä->a, ø->o,
// ß->ss, ł->l, đ->d, æ->ae, ı->i), every script transliterated to lower-case ASCII Latin, apostrophes
// and similar marks dropped inside words (O'Brien -> obrien), hyphens, dots,
// commas and other punctuation turned into spaces, digits kept, runs of
// spaces collapsed, trimmed. The result only holds [a-z0-9 ] and
// Fold(Fold(s)) == Fold(s).
//
// Transliteration per script (see doc.go for the tables' choices):
// Cyrillic (BGN/PCGN-like, with Ukrainian/Belarusian detection), Greek
// (ELOT 743-like), Arabic/Persian/Urdu (consonantal table), Hebrew, Armenian,
// Georgian (tables), Chinese (pinyin without tones, one syllable per
// character, space separated), Korean Hangul (Revised Romanization, one
// syllable per block, space separated), Japanese kana (Hepburn, long vowels
// collapsed); everything else through unidecode.
func Fold(s string) string {
	if cleanASCII(s) {
		f := folder{b: make([]byte, 0, len(s))}
		f.str(s)
		return f.result()
	}
	s = Clean(s) // NFKC, without invisible characters and look-alikes
	if isASCII(s) {
		f := folder{b: make([]byte, 0, len(s))}
		f.str(s)
		return f.result()
	}
	f := folder{b: make([]byte, 0, len(s)+8), src: s}
	foldInto(&f, s)
	return f.result()
}

// foldInto transliterates s (already NFKC) into f.
func foldInto(f *folder, s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			f.byte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if cls, _ := abugidaScript(r); cls != nil {
			j := abugidaRunEnd(s, i+size, r)
			abugida(f, s[i:j])
			i = j
			continue
		}
		sc := scriptOf(r)
		switch sc {
		case scCyrl, scGrek, scArab, scHebr, scArmn, scGeor, scKana, scHang, scHani:
			j := runEnd(s, i+size, sc)
			translitRun(f, sc, s[i:j])
			i = j
			continue
		}
		latinRune(f, r)
		i += size
	}
}

// runEnd returns the end of the run of script sc starting before i; combining
// marks and (for kana/Han) the prolonged sound mark stay in the run.
func runEnd(s string, i, sc int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r < 0x80 {
			return i
		}
		rs := scriptOf(r)
		if rs != sc && !(rs == scNone && unicode.Is(unicode.Mn, r)) {
			return i
		}
		i += size
	}
	return i
}

func translitRun(f *folder, sc int, run string) {
	switch sc {
	case scCyrl:
		cyrillic(f, run)
	case scGrek:
		greek(f, run)
	case scArab:
		arabic(f, run)
	case scHebr:
		hebrew(f, run)
	case scArmn:
		tableRun(f, run, armenian)
	case scGeor:
		tableRun(f, run, georgian)
	case scKana:
		kana(f, run)
	case scHang:
		hangul(f, run)
	case scHani:
		han(f, run)
	}
}

// latinRune folds one non-ASCII rune outside the specially handled scripts.
func latinRune(f *folder, r rune) {
	switch r {
	case 'ß', 'ẞ':
		f.str("ss")
		return
	case 'ı':
		f.byte('i')
		return
	case 'ʼ', 'ʻ', 'ʽ', '’', '‘', '´', '′', 'ʹ', 'ʾ', 'ʿ', '‛', 'ˈ':
		return // apostrophe-like: dropped
	}
	if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == 0x200C || r == 0x200D || r == 0xFEFF || r == 0xAD {
		return // combining marks, joiners, soft hyphen
	}
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		f.sep() // punctuation, symbols, spaces (e.g. the katakana middle dot)
		return
	}
	uni(f, r)
}

// uni writes the unidecode transliteration of r.
func uni(f *folder, r rune) {
	if r > 0xeffff {
		return
	}
	if tb, ok := table.Tables[r>>8]; ok {
		if p := int(r & 0xff); p < len(tb) {
			f.str(tb[p])
		}
	}
}
