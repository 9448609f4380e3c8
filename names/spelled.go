package names

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// minSpelled is the least number of single letters read as one word.
const minSpelled = 3

// JoinSpelled reads a word spelt out letter by letter as one word: every run
// of at least three single letters separated each time by the same
// separator (dots, spaces, hyphens, or a mix such as ". ") becomes the
// letters written together. A change of separator ends a run, so
// "V.L.A.D.I.M.I.R P.U.T.I.N" is "VLADIMIR PUTIN"; "P U T I N", "P-U-T-I-N"
// and "P. U. T. I. N." are "PUTIN". ok is false when s has no such run.
//
// Real initials and acronyms read the same way ("J. R. R. Tolkien" ->
// "JRR. Tolkien", "U.S.A." -> "USA."), so this is an extra reading of a
// query, never a replacement for the name as written. Letters that spell a
// legal form ("S.A.R.L.", "B.V.B.A") are left as they are, for the
// tokenizer reads them so. s should be Clean.
func JoinSpelled(s string) (joined string, ok bool) {
	if len(s) < 2*minSpelled-1 {
		return s, false
	}
	var b strings.Builder
	last := 0 // s[:last] is in b or still to be copied
	for i := 0; i < len(s); {
		start, end, next := singleLetter(s, i)
		if start < 0 {
			break
		}
		// Collect the run that starts with the letter at start.
		letters := []string{s[start:end]}
		sep := ""
		runEnd := end
		j := end
		for {
			k := j
			for k < len(s) && isSpellSep(s[k]) {
				k++
			}
			if k == j || k == len(s) {
				break
			}
			if sep == "" {
				sep = s[j:k]
			} else if s[j:k] != sep {
				break
			}
			le := letterAt(s, k)
			if le < 0 {
				break
			}
			letters = append(letters, s[k:le])
			runEnd, j = le, le
		}
		if len(letters) < minSpelled {
			i = next
			continue
		}
		if spelledLegalForm(letters) {
			i = runEnd
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:start])
		for _, l := range letters {
			b.WriteString(l)
		}
		last, i = runEnd, runEnd
	}
	if last == 0 {
		return s, false
	}
	b.WriteString(s[last:])
	return b.String(), true
}

// spelledLegalForm reports whether letters are the initials of a legal
// form (L.L.C., B.V.B.A, O.O.O.), which stay as written: the tokenizer
// knows them so. A legal form written out and then spelt letter by letter
// (l.i.m.i.t.a.d.a) is joined like any word.
func spelledLegalForm(letters []string) bool {
	return IsLegalForm(strings.Join(letters, " ")) ||
		len(letters) <= 5 && IsLegalForm(strings.Join(letters, ""))
}

// isSpellSep reports whether c may separate spelt-out letters.
func isSpellSep(c byte) bool { return c == '.' || c == ' ' || c == '-' }

// singleLetter finds, from byte i on, the next letter that stands alone:
// one letter (with its combining marks) with no letter or digit right
// before or after it. It returns the letter's bytes [start, end) and where
// to look for the next one; start is -1 when there is none.
func singleLetter(s string, i int) (start, end, next int) {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i += size
			continue
		}
		// A word: its first letter and its end.
		w := i
		j := i + size
		for j < len(s) {
			m, sz := utf8.DecodeRuneInString(s[j:])
			if !unicode.IsMark(m) {
				break
			}
			j += sz
		}
		firstEnd := j
		n := 1
		for j < len(s) {
			m, sz := utf8.DecodeRuneInString(s[j:])
			if unicode.IsLetter(m) || unicode.IsDigit(m) {
				n++
			} else if !unicode.IsMark(m) {
				break
			}
			j += sz
		}
		if n == 1 && unicode.IsLetter(r) && (w == 0 || !wordRuneBefore(s, w)) {
			return w, firstEnd, j
		}
		i = j
	}
	return -1, -1, len(s)
}

// wordRuneBefore reports whether the rune before byte i is part of a word
// (an apostrophe joins: "d'A" is no single letter A).
func wordRuneBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r == '\'' || r == '’'
}

// letterAt returns the end of the single letter (with its marks) at byte
// i, or -1 when no letter standing alone starts there.
func letterAt(s string, i int) int {
	r, size := utf8.DecodeRuneInString(s[i:])
	if !unicode.IsLetter(r) {
		return -1
	}
	j := i + size
	for j < len(s) {
		m, sz := utf8.DecodeRuneInString(s[j:])
		if unicode.IsLetter(m) || unicode.IsDigit(m) {
			return -1
		}
		if !unicode.IsMark(m) {
			break
		}
		j += sz
	}
	return j
}
