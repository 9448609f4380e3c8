package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Clean returns a name as it should be read for matching, before anything
// else looks at it (folding, script detection, variants):
//
//   - Invisible characters are dropped, so that they neither split nor join
//     words: Unicode format characters (category Cf: zero-width space U+200B,
//     word joiner U+2060, the bidi controls U+200E-U+200F, U+202A-U+202E and
//     U+2066-U+2069, byte-order mark U+FEFF, soft hyphen U+00AD, tag
//     characters ...) and control characters (Cc: NUL, BEL ...). Tab,
//     newline, carriage return, vertical tab, form feed and NEL become a
//     space. The zero-width non-joiner and joiner (U+200C, U+200D) are kept
//     between two letters of a script where they are spelling (Arabic and
//     Persian, Indic, Sinhala, Khmer, Myanmar ...: the Persian می‌خواهم), and
//     dropped anywhere else.
//   - Compatibility forms are folded (NFKC): fullwidth ＰＵＴＩＮ, mathematical
//     𝐏𝐔𝐓𝐈𝐍, ligatures, superscripts.
//   - Letters that only look Latin are read as the Latin letter they imitate
//     (see confusables.go): in a Latin word written with some Cyrillic or
//     Greek look-alikes ("Vlаdimir" with a Cyrillic а, "РUTIN" with a
//     Cyrillic Р), and in a word made wholly of look-alikes in a name that
//     is otherwise Latin ("Vladimir РОТ"). A Cyrillic or Greek word written
//     with some Latin look-alikes gets them read in its own script instead
//     ("Пyтин" is Путин; the EU list's "ТAMБOB" is ТАМБОВ). A name written
//     wholly in Cyrillic or Greek is left as it is, and keeps its
//     transliteration (Владимир Путин, КОРОТКОВ).
//
// Clean keeps the case and everything else; invalid UTF-8 bytes become
// U+FFFD (which Fold reads as a separator, as it does the bytes).
// Clean(Clean(s)) == Clean(s).
// An ASCII string without control characters is returned as it is.
func Clean(s string) string {
	if cleanASCII(s) {
		return s
	}
	s = dropInvisible(s)
	if !norm.NFKC.IsNormalString(s) {
		s = norm.NFKC.String(s)
		// NFKC maps a few compatibility characters to spaces or
		// letters, never to a format or control character, but a
		// composition may bring two joining letters next to a kept
		// joiner: drop again, which is cheap when there is nothing to do.
		s = dropInvisible(s)
	}
	if t := foldConfusables(s); t != s {
		// A letter that became Latin may compose with the accent
		// after it (Cyrillic е + U+0301 is é).
		s = norm.NFKC.String(t)
	}
	return s
}

// cleanASCII reports whether s is printable ASCII (no control characters,
// not even a tab).
func cleanASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// spaceControl reports whether a control character separates words.
func spaceControl(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', 0x85, 0x1c, 0x1d, 0x1e, 0x1f:
		return true
	}
	return false
}

// invisible reports whether r is a format or control character.
func invisible(r rune) bool {
	if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
		return true
	}
	if r < 0xad {
		return false
	}
	return unicode.Is(unicode.Cf, r)
}

// joinerScript reports whether a zero-width joiner or non-joiner next to r
// may be spelling: r is a letter or mark of a script that joins its letters
// or forms conjuncts (not Latin, Cyrillic, Greek, CJK or common).
func joinerScript(r rune) bool {
	if !unicode.IsLetter(r) && !unicode.IsMark(r) {
		return false
	}
	if r < 0x590 || unicode.Is(unicode.Latin, r) || unicode.Is(unicode.Cyrillic, r) || unicode.Is(unicode.Greek, r) {
		return false
	}
	switch scriptOf(r) {
	case scHani, scHang, scKana:
		return false
	}
	return true
}

// dropInvisible removes format and control characters (keeping joiners
// between letters of joining scripts), turns line and tab controls into
// spaces and invalid UTF-8 bytes into U+FFFD.
func dropInvisible(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if invisible(r) || r == utf8.RuneError && size == 1 {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	var prev rune // last rune written, 0 at the start
	if i > 0 {
		prev, _ = utf8.DecodeLastRuneInString(s[:i])
	}
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if !invisible(r) {
			// (An invalid byte becomes U+FFFD, a separator to Fold as
			// before, so that dropping a character between two invalid
			// bytes cannot make them a valid character.)
			b.WriteRune(r)
			prev = r
			continue
		}
		switch {
		case spaceControl(r):
			b.WriteByte(' ')
			prev = ' '
		case r == 0x200C || r == 0x200D:
			// Kept between two letters of a joining script; the next
			// visible rune decides.
			j := i
			for j < len(s) {
				n, sz := utf8.DecodeRuneInString(s[j:])
				if !invisible(n) {
					break
				}
				j += sz
			}
			next, _ := utf8.DecodeRuneInString(s[j:])
			if j < len(s) && joinerScript(prev) && joinerScript(next) {
				b.WriteRune(r)
				// prev stays the letter: a second joiner in a row
				// is kept too, as typed.
			}
		}
	}
	return b.String()
}
