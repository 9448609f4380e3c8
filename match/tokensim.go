// Similarity of a query token and a listed token: pairSim, and the tests
// the token rules (rules_tokens.go) make: transliteration, slips,
// patronymics, number words, abbreviations.

package match

import (
	"strconv"
	"strings"

	"github.com/lexscreen/lexscreen/names"
)

// pairSim compares a query token with a listed one, using what lookup
// already found when it can: lookup sees every listed token within reach
// (same token, phonetic key, skeleton, one or two edits), so a listed token
// it did not find is no match unless one of them is an initial.
func pairSim(q, c *tok) (float64, string) {
	if q.rejoined && q.text != c.text {
		return 0, ""
	}
	if q.looked && c.indexed && q.kind != names.Initial && c.kind != names.Initial && len(c.text) > 1 {
		for _, m := range q.looks {
			if m.id == c.id {
				return m.sim, m.how
			}
		}
		if len(q.looks) < maxLookups && !isNickname(q, c) && !sameSpellingTok(q, c) && !sameStem(q.text, c.text) &&
			(!q.isPatronymic() || !c.isPatronymic()) && !maybeFuzzy(q.text, c.text) {
			return 0, ""
		}
	}
	return tokenSim(q, c)
}

// nameSuffixes and namePrefixes are endings and beginnings that make
// names of other names: patronymics and family-name endings, and the
// Arabic theophoric "servant of" and "-ullah" forms.
var (
	nameSuffixes = []string{"sdottir", "dottir", "sson", "shvili", "dze", "enko",
		"opoulos", "poulos", "ullah", "ulla", "uddin", "zadeh", "zada", "escu", "owski", "ewski", "ovski", "evski"}
	namePrefixes = []string{"abdul", "abdel", "abdur", "abdal", "abdol"}
)

// differentStems reports whether two words share a name ending or
// beginning (nameSuffixes, namePrefixes) around stems more than two slips
// apart, so that what is alike is only the affix. Words one slip apart are left to the slip rules.
// (Slavic patronymics have their own rule: patronymic.)
func differentStems(a, b string) bool {
	if a[len(a)-1] != b[len(b)-1] && (a[0] != 'a' || b[0] != 'a') {
		return false // no ending in common, and no "abd" beginning
	}
	if levenshtein(a, b, 1) <= 1 {
		return false
	}
	for _, suf := range nameSuffixes {
		if strings.HasSuffix(a, suf) && strings.HasSuffix(b, suf) {
			return stemsDiffer(a[:len(a)-len(suf)], b[:len(b)-len(suf)])
		}
	}
	for _, pre := range namePrefixes {
		if strings.HasPrefix(a, pre) && strings.HasPrefix(b, pre) {
			return stemsDiffer(a[len(pre):], b[len(pre):])
		}
	}
	return false
}

func stemsDiffer(x, y string) bool {
	if x == y || translitCanon(x) == translitCanon(y) {
		return false
	}
	if min(len(x), len(y)) < 3 {
		return true
	}
	return levenshtein(x, y, 2) > 2
}

// canonSlip reports whether two transliteration-canonical spellings are
// one slip apart after the first letter: a letter added, or a letter
// typed with the key next to it (not a vowel for a vowel). Two letters
// swapped, other letters changed, a vowel added at the end, or another
// first letter make other names as often (Brian and Brain, Karol and
// Karlo, Kaila and Kaili, Nhase and Nhate, Kalum and Kalume, Avila and
// Lavila).
func canonSlip(a, b string) bool {
	if a == "" || b == "" || a[0] != b[0] || levenshtein(a, b, 1) != 1 {
		return false
	}
	if len(a) != len(b) {
		if len(a) > len(b) {
			a, b = b, a
		}
		return !(b[:len(a)] == a && isVowelByte(b[len(a)]))
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] {
			return a[i+1:] == b[i+1:] && !(isVowelByte(a[i]) && isVowelByte(b[i])) && keyNeighbours(a[i], b[i])
		}
	}
	return false
}

// qwertyRows are the letter rows of a QWERTY keyboard; each row sits
// about half a key to the right of the one above.
var qwertyRows = [3]string{"qwertyuiop", "asdfghjkl", "zxcvbnm"}

// keyNeighbours reports whether two lower-case letters are next to each
// other on a QWERTY keyboard (in a row, or diagonally across rows).
func keyNeighbours(a, b byte) bool {
	ra, ca := keyPos(a)
	rb, cb := keyPos(b)
	if ra < 0 || rb < 0 || a == b {
		return false
	}
	switch ra - rb {
	case 0:
		return ca-cb == 1 || cb-ca == 1
	case 1: // a on the row below b
		return ca == cb || ca == cb-1
	case -1:
		return cb == ca || cb == ca-1
	}
	return false
}

func keyPos(c byte) (row, col int) {
	for r, s := range qwertyRows {
		if i := strings.IndexByte(s, c); i >= 0 {
			return r, i
		}
	}
	return -1, -1
}

// canonSlipSim is the similarity of two words one slip apart in their
// transliteration-canonical spellings but not in their letters.
const canonSlipSim = 0.88

// phoneticLooseSim is the similarity of two words with the same sounds
// that are more than one slip apart.
const phoneticLooseSim = 0.88

// numberSpellings are the words that canonicalWords reads as each number.
var numberSpellings = func() map[string][]string {
	m := map[string][]string{}
	for w, v := range numberWords {
		if isLetters(w) {
			k := strconv.Itoa(v)
			m[k] = append(m[k], w)
		}
	}
	return m
}()

// numberWordSlip reports whether word w is one slip from a word spelling
// number n.
func numberWordSlip(n, w *tok) bool {
	if n.kind != names.Number || len(w.text) < 4 {
		return false
	}
	for _, s := range numberSpellings[n.text] {
		if levenshtein(w.text, s, 1) == 1 {
			return true
		}
	}
	return false
}

// abbreviates reports whether a is an abbreviation of the word b written
// by leaving letters out: the same first and last letters, the others in
// order ("intl" of "international", "mfg" of "manufacturing", "bros" of
// "brothers"), at least three letters and three fewer than b.
func abbreviates(a, b string) bool {
	if len(a) < 3 || len(b) < len(a)+3 || a[0] != b[0] || a[len(a)-1] != b[len(b)-1] || !isLetters(a) {
		return false
	}
	vowels := 0
	for i := 1; i < len(a); i++ {
		if isVowelByte(a[i]) {
			vowels++
		}
	}
	if vowels > 1 {
		return false // abbreviations keep consonants: "maria" is a name, not "maradiaga" cut short
	}
	j := 1
	for i := 1; i < len(a)-1; i++ {
		for j < len(b)-1 && b[j] != a[i] {
			j++
		}
		if j >= len(b)-1 {
			return false
		}
		j++
	}
	return true
}

// genderPair reports whether two names are the masculine and feminine
// forms of one name: a final o and a in Romance languages (Antonio,
// Antonia), and the French feminine endings (Michel, Michelle; Julien,
// Julienne; Louis, Louise; François, Françoise).
func genderPair(a, b string) bool {
	n := len(a)
	if n >= 4 && len(b) == n && a[:n-1] == b[:n-1] {
		x, y := a[n-1], b[n-1]
		return x == 'a' && y == 'o' || x == 'o' && y == 'a'
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) < 4 || !strings.HasPrefix(b, a) {
		return false
	}
	switch b[len(a):] {
	case "le":
		return strings.HasSuffix(a, "el")
	case "ne":
		return strings.HasSuffix(a, "ien")
	case "e":
		return strings.HasSuffix(a, "is")
	}
	return false
}

// transposed reports whether two equally long words differ by two
// adjacent letters swapped.
func transposed(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
}

// patronymicEndings are the spellings of the Slavic patronymic ending in
// the transliterations of several languages.
var patronymicEndings = []string{"owitsch", "ovitch", "owitsj", "ovitsj", "ovich", "ovych", "owich", "ovics", "ovitj",
	"owicz", "ovicz", "avich", "evich", "evych", "ievich", "ovic", "evic"}

// patronymic returns a Slavic patronymic with its ending written one way
// ("wladimirowitsch" -> "wladimirovich"), or "" for other tokens.
func patronymic(t string) string {
	if len(t) < 8 {
		return ""
	}
	for _, e := range patronymicEndings {
		if strings.HasSuffix(t, e) {
			stem := t[:len(t)-len(e)]
			if len(stem) >= 3 {
				return strings.ReplaceAll(stem, "w", "v") + "ovich"
			}
		}
	}
	return ""
}

// maybeFuzzy is a cheap test for long words that may still be spelling
// variants beyond the deletion index's reach ("sistesm" ~ "systems",
// "koncird" ~ "concord"): same sound to begin with, similar length.
func maybeFuzzy(a, b string) bool {
	if len(a) < 5 || len(b) < 5 || absDiff(len(a), len(b)) > 3 {
		return false
	}
	return soundClass(a[0]) == soundClass(b[0]) || a[len(a)-1] == b[len(b)-1] && a[len(a)-2] == b[len(b)-2]
}

// sameStem reports whether one token is the other with an inflected
// ending, which the deletion index does not reach ("putinas" ~ "putin").
func sameStem(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(a) >= 4 && len(b)-len(a) <= 2 && a[0] == b[0] && strings.HasPrefix(b, a) && inflection(b[len(a):])
}

// inflection reports whether letters added at the end of a name are a
// grammatical ending (Baltic -s, -as, -is; Slavic -a, -y, -i; French -e),
// not more name.
func inflection(suffix string) bool {
	for i := 0; i < len(suffix); i++ {
		switch suffix[i] {
		case 'a', 'e', 'i', 'o', 'u', 'y', 's':
		default:
			return false
		}
	}
	return true
}

// equalCollapsed reports whether a and b are the same once every run of
// one letter is written once ("joonng" ~ "jong", "uun" ~ "un"), without
// allocating: it runs on the hot path.
func equalCollapsed(a, b string) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if a[i] != b[j] {
			return false
		}
		c := a[i]
		for i < len(a) && a[i] == c {
			i++
		}
		for j < len(b) && b[j] == c {
			j++
		}
	}
	return i == len(a) && j == len(b)
}

// oneConsonantSwap reports whether two equally long tokens differ in one
// position only, where each has a consonant of the same sound class (v/w,
// k/c/q, s/z ...).
func oneConsonantSwap(a, b string) bool {
	diff := -1
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] {
			if diff >= 0 {
				return false
			}
			diff = i
		}
	}
	if diff < 0 || isVowelByte(a[diff]) || isVowelByte(b[diff]) {
		return false
	}
	return soundClass(a[diff]) == soundClass(b[diff])
}

func isVowelByte(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

func soundClass(c byte) byte {
	switch c {
	case 'v', 'w', 'f', 'b', 'p':
		return 'b'
	case 'k', 'c', 'q', 'g':
		return 'k'
	case 's', 'z', 'x':
		return 's'
	case 'd', 't':
		return 't'
	case 'j', 'y':
		return 'j'
	}
	return c
}

func hasVowel(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'a', 'e', 'i', 'o', 'u':
			return true
		}
	}
	return false
}
