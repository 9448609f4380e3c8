package names

import (
	"cmp"
	"slices"
	"strings"
)

// hanLoanVariants reads a Han name written as a Chinese transcription of a
// foreign name (more than 4 characters, or words separated by a middle dot):
// the pinyin of each part joined into one word ("beilake aobama"), then up
// to maxHanLoan readings through the transcription table (loanHanTable), the
// likeliest first: 贝拉克·奥巴马 -> "belak obama", "barak obama" ...;
// 唐纳德·特朗普 -> "donad tramp"; 弗拉基米尔·普京 -> "flakimir pujin".
// Every dotted name is read so, other names of more than 4 characters, or
// of 4 in two words. See hanLoanWord for the rules. The readings are close
// to the Latin spelling but seldom equal to it (Donald is 唐纳德 "donad"):
// a matcher needs its ordinary spelling tolerance for them (LoanReadings).
func hanLoanVariants(s string) []string {
	words, n, ok := hanWords(s)
	if !ok {
		return nil
	}
	if !hanDotted(s) && (n <= 3 || (len(words) == 1 && n <= 4)) || n < 2 {
		return nil
	}
	var joined []string
	for _, w := range words {
		var f folder
		for _, r := range w {
			if !firstPinyin(&f, r) {
				return nil
			}
		}
		joined = append(joined, strings.ReplaceAll(f.result(), " ", ""))
	}
	out := []string{strings.Join(joined, " ")}
	russian := false
	for _, w := range words {
		russian = russian || russianEnding(w)
	}
	per := make([][]loanReading, len(words))
	for i, w := range words {
		per[i] = hanLoanWord(w, russian)
		if len(per[i]) == 0 {
			return out
		}
	}
	return appendUnique(out, combineLoanWords(per, maxHanLoan)...)
}

// hanDotted reports whether s has the middle dot that separates the parts
// of a foreign name transcribed in Chinese (乔·拜登); Chinese, Korean and
// Japanese names written in Han characters do not use it.
func hanDotted(s string) bool {
	return strings.ContainsAny(s, "\u00B7\u2027\u2022")
}

// maxHanLoan is the number of table readings of a transcribed name.
const maxHanLoan = 4

// loanReading is one reading of a word with its cost (0 for the likeliest).
type loanReading struct {
	s    string
	cost float64
}

// russianEnding reports whether a transcribed word has an ending of the
// Russian table: -ov/-ev (夫 after o or e), -ova (娃), -sky (斯基, 茨基), -vich (维奇),
// -enko (科 after 申, 连, 琴).
func russianEnding(w []rune) bool {
	n := len(w)
	if n < 2 {
		return false
	}
	switch w[n-1] {
	case '夫':
		// -ov, -ev (诺夫 nov, 耶夫 yev, 科夫 kov), not Joseph, Adolf (瑟夫, 道夫)
		return strings.ContainsRune("诺諾罗羅洛耶科托莫列乔喬切采戈多索佐博波沃霍涅韦韋杰傑谢謝", w[n-2])
	case '娃':
		return true
	case '基':
		return w[n-2] == '斯' || w[n-2] == '茨'
	case '奇':
		return w[n-2] == '维' || w[n-2] == '維'
	case '科':
		return strings.ContainsRune("申连連琴", w[n-2])
	}
	return false
}

// loanOptions returns the table readings of a Han character, or one made
// from its pinyin (final ng read n, x sh, q ch, zh j, c ts; ao, ou o; ei
// e), or nil.
func loanOptions(r rune) []string {
	loanHanOnce.Do(loadLoanHan)
	if o, ok := loanHanMap[r]; ok {
		return o
	}
	p := pinyinOf(r)
	if len(p) == 0 {
		return nil
	}
	py := p[0]
	for _, rp := range [...][2]string{{"zh", "j"}, {"x", "sh"}, {"q", "ch"}, {"c", "ts"}} {
		if strings.HasPrefix(py, rp[0]) {
			py = rp[1] + py[len(rp[0]):]
			break
		}
	}
	py = strings.TrimSuffix(py, "g") // ang eng ing ong -> an en in on
	for _, rp := range [...][2]string{{"ao", "o"}, {"ou", "o"}, {"ei", "e"}, {"ian", "ian"}} {
		py = strings.Replace(py, rp[0], rp[1], 1)
	}
	return []string{py}
}

// hanLoanWord reads one word of a transcribed name, character by character
// through loanOptions, and returns its likeliest readings (at most 4, the
// cheapest first). A reading costs nothing when every character takes its
// first sound; others cost more. Context changes the costs:
//   - a vowel marked droppable (pu~) is dropped at the end of the word and
//     before l or r (普京 "pujin" but 特朗普 "tranp");
//   - after t, d (a consonant alone) an l/r character reads r (特朗 "tr");
//   - 尔 (r or l) reads l after k and g (默克尔 "merkl");
//   - readings marked @ (the Russian table) are preferred in names with a
//     Russian ending, else dearer than the others;
//   - a word starting with a consonant alone gets an e (恩 "en").
//
// Then n before b, p, m is read m (特朗普 "tramp", 詹姆斯 "jams") and a
// doubled letter is written once (唐纳德 "donad").
func hanLoanWord(w []rune, russian bool) []loanReading {
	const beam = 8
	type state struct {
		b    string
		cost float64
	}
	states := []state{{}}
	for i, r := range w {
		opts := loanOptions(r)
		if len(opts) == 0 {
			return nil
		}
		last := i == len(w)-1
		nextLR := false
		if !last {
			if no := loanOptions(w[i+1]); len(no) > 0 && (no[0][0] == 'l' || no[0][0] == 'r') {
				nextLR = true
			}
		}
		type cand struct {
			s    string
			cost float64
		}
		var cands []cand
		hasRu, hasEnd := false, false
		for _, o := range opts {
			hasRu = hasRu || strings.HasSuffix(o, "@")
			hasEnd = hasEnd || strings.HasSuffix(o, "$")
		}
		for j, o := range opts {
			c := 0.0
			if j > 0 {
				c = 1 + 0.2*float64(j-1)
				if Phonetic(strings.TrimRight(o, "~@$")) == Phonetic(strings.TrimRight(opts[0], "~@$")) {
					// another vowel, or v for w, matters less to the matcher than another consonant
					c += 0.3
				}
			}
			if strings.HasSuffix(o, "$") {
				if !last || i == 0 {
					continue
				}
				cands = append(cands, cand{o[:len(o)-1], 0})
				continue
			} else if hasEnd && last && i > 0 {
				c++
			}
			if strings.HasSuffix(o, "@") {
				o = o[:len(o)-1]
				if russian {
					c = 0
				} else {
					c = 1.5
				}
			} else if russian && hasRu && j == 0 {
				c = 1
			}
			if strings.HasSuffix(o, "~") {
				o = o[:len(o)-1]
				bare := o[:len(o)-1]
				if i > 0 && last || nextLR {
					cands = append(cands, cand{bare, c}, cand{o, c + 1.5})
				} else {
					cands = append(cands, cand{o, c}, cand{bare, c + 2})
				}
				continue
			}
			cands = append(cands, cand{o, c})
		}
		var next []state
		for _, st := range states {
			for _, cd := range cands {
				frag, cost := cd.s, st.cost+cd.cost
				if i == 0 && len(w) > 1 && !hasVowelByte(frag) && (frag == "n" || frag == "r" || frag == "l" || frag == "m") {
					frag = "e" + frag
				}
				if p := st.b; p != "" && frag != "" {
					pl := p[len(p)-1]
					f0 := frag[0]
					afterStop := pl == 't' || pl == 'd' // 特, 德: no syllable ends in t or d
					switch {
					case afterStop && f0 == 'r':
						cost = st.cost + cd.cost - float64(min(1, int(cd.cost)))
					case afterStop && f0 == 'l':
						cost += 1
					}
					if (frag == "l" || frag == "r") && (pl == 'k' || pl == 'g') {
						if frag == "l" {
							cost = st.cost
						} else {
							cost = st.cost + 1
						}
					}
				}
				next = append(next, state{st.b + frag, cost})
			}
		}
		slices.SortStableFunc(next, func(a, b state) int { return cmp.Compare(a.cost, b.cost) })
		if len(next) > beam {
			next = next[:beam]
		}
		states = next
	}
	var out []loanReading
	for _, st := range states {
		s := loanPolish(st.b)
		if s == "" || slices.ContainsFunc(out, func(r loanReading) bool { return r.s == s }) {
			continue
		}
		out = append(out, loanReading{s, st.cost})
		if len(out) == 4 {
			break
		}
	}
	return out
}

func hasVowelByte(s string) bool {
	for i := 0; i < len(s); i++ {
		if isVowel(s[i]) {
			return true
		}
	}
	return false
}

// loanPolish reads n as m before b, p and m, and writes doubled letters once.
func loanPolish(s string) string {
	b := []byte(s)
	for i := 0; i+1 < len(b); i++ {
		if b[i] == 'n' && (b[i+1] == 'b' || b[i+1] == 'p' || b[i+1] == 'm') {
			b[i] = 'm'
		}
	}
	out := b[:0]
	for i, c := range b {
		if i > 0 && c == b[i-1] {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}

// combineLoanWords joins the readings of the words of a name into at most
// limit names: the cheapest combination first, then, of the cheapest
// remaining, the one with readings of words not used yet (changes in the
// earlier words first on a tie), so that each word's alternatives get a
// chance.
func combineLoanWords(per [][]loanReading, limit int) []string {
	type combo struct {
		idx  []int
		cost float64
	}
	combos := []combo{{}}
	for _, rs := range per {
		var next []combo
		for _, c := range combos {
			for j, r := range rs {
				idx := append(slices.Clone(c.idx), j)
				next = append(next, combo{idx, c.cost + r.cost})
			}
		}
		slices.SortStableFunc(next, func(a, b combo) int { return cmp.Compare(a.cost, b.cost) })
		if len(next) > 4*limit {
			next = next[:4*limit]
		}
		combos = next
	}
	used := make([]map[int]bool, len(per))
	for i := range used {
		used[i] = map[int]bool{}
	}
	var out []string
	for len(out) < limit && len(combos) > 0 {
		best, bestKey := -1, 0.0
		for k, c := range combos {
			novel := 0
			for i, j := range c.idx {
				if !used[i][j] {
					novel++
				}
			}
			key := c.cost - 0.5*float64(min(novel, 1))
			if best < 0 || key < bestKey-1e-9 || key < bestKey+1e-9 && earlierChange(c.idx, combos[best].idx) {
				best, bestKey = k, key
			}
		}
		c := combos[best]
		combos = slices.Delete(combos, best, best+1)
		parts := make([]string, len(c.idx))
		for i, j := range c.idx {
			parts[i] = per[i][j].s
			used[i][j] = true
		}
		out = appendUnique(out, strings.Join(parts, " "))
	}
	return out
}

// earlierChange reports whether a changes an earlier word than b.
func earlierChange(a, b []int) bool {
	for i := range a {
		if (a[i] != 0) != (b[i] != 0) {
			return a[i] != 0
		}
	}
	return false
}
