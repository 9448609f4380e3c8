package names

import (
	"strings"
)

// rendaku voices the first consonant of the second part of a compound
// (山田 yama + ta -> yamada).
func rendaku(s string) string {
	for _, p := range [...][2]string{{"ch", "j"}, {"sh", "j"}, {"ts", "z"}, {"k", "g"}, {"s", "z"}, {"t", "d"}, {"h", "b"}, {"f", "b"}} {
		if strings.HasPrefix(s, p[0]) {
			return p[1] + s[len(p[0]):]
		}
	}
	return s
}

// kunStem returns a native reading without the endings of verbs and
// adjectives that Unihan lists (futoi -> futo, futoru -> futo) when the
// reading is long; names use the stem.
func kunStem(k string) string {
	if len(k) > 4 {
		for _, suf := range [...]string{"ru", "i", "u", "su", "mu", "ku", "tsu"} {
			if strings.HasSuffix(k, suf) && len(k)-len(suf) >= 3 {
				return k[:len(k)-len(suf)]
			}
		}
	}
	return k
}

// charReadings returns the readings of one kanji used inside names: the
// name-element table first, then the first native and Sino-Japanese
// readings of Unihan.
func charReadings(r rune, given bool) []string {
	cjkOnce.Do(loadCJK)
	var out []string
	if given {
		out = append(out, jaElements[r]...)
	}
	if h, ok := cjkReadings[r]; ok {
		if len(h.kun) > 0 {
			out = appendUnique(out, kunStem(h.kun[0]))
		}
		if len(h.on) > 0 {
			out = appendUnique(out, collapseLong(h.on[0]))
		}
	}
	if !given {
		out = appendUnique(out, jaElements[r]...)
	}
	return out
}

// collapseLong writes long vowels single as passports do (rou -> ro, kyuu -> kyu).
func collapseLong(s string) string {
	s = strings.ReplaceAll(s, "ou", "o")
	s = strings.ReplaceAll(s, "uu", "u")
	s = strings.ReplaceAll(s, "oo", "o")
	return s
}

// composeReadings reads a run of kanji character by character (at most
// limit results), with rendaku on every character after the first as a
// second choice.
func composeReadings(rs []rune, given bool, limit int) []string {
	acc := []string{""}
	for i, r := range rs {
		cands := charReadings(r, given)
		if len(cands) == 0 {
			return nil
		}
		if len(cands) > 2 {
			cands = cands[:2]
		}
		var next []string
		for _, a := range acc {
			for _, c := range cands {
				next = appendUnique(next, a+c)
				if i > 0 && !given {
					next = appendUnique(next, a+rendaku(c))
				}
			}
		}
		if len(next) > limit {
			next = next[:limit]
		}
		acc = next
	}
	return acc
}

// givenReadings reads a given name: the table of given names, else a known
// name ending (子 ko, 郎 ro ...) after a table given name, else per character.
func givenReadings(rs []rune) []string {
	if g := jaGiven[string(rs)]; len(g) > 0 {
		return g
	}
	return composeReadings(rs, true, 3)
}

// japaneseKanjiVariants reads a name of 2 to 6 kanji (or kanji and kana) as
// a Japanese surname followed by a given name. A space, when present,
// separates them; otherwise the longest surname of the table that leaves a
// given name is used, else every split of 1 or 2 characters. Kana parts are
// folded as Hepburn.
func japaneseKanjiVariants(s string) []string {
	cjkOnce.Do(loadCJK)
	var words [][]rune
	var cur []rune
	for _, r := range s {
		switch {
		case isHan(r) || (r >= 0x3041 && r <= 0x30FA) || r == 0x30FC:
			if r == 0x3005 && len(cur) > 0 {
				r = cur[len(cur)-1]
			}
			cur = append(cur, r)
		case r == ' ' || r == 0x3000 || r == 0x30FB || r == 0xB7:
			if len(cur) > 0 {
				words = append(words, cur)
				cur = nil
			}
		default:
			return nil
		}
	}
	if len(cur) > 0 {
		words = append(words, cur)
	}
	total := 0
	for _, w := range words {
		total += len(w)
	}
	if total < 2 || total > 6 || len(words) > 2 {
		return nil
	}
	readPart := func(rs []rune, given bool) []string {
		hasKana := false
		for _, r := range rs {
			if !isHan(r) {
				hasKana = true
			}
		}
		if hasKana {
			if f := Fold(string(rs)); f != "" && !strings.Contains(f, " ") {
				return []string{f} // kana, or kanji the caller cannot split
			}
			return nil
		}
		if given {
			return givenReadings(rs)
		}
		if sr := jaSurnames[string(rs)]; len(sr) > 0 {
			return sr
		}
		return composeReadings(rs, false, 4)
	}
	var splits [][2][]rune
	if len(words) == 2 {
		splits = append(splits, [2][]rune{words[0], words[1]})
	} else {
		w := words[0]
		for n := min(jaMaxSur, len(w)-1); n >= 1; n-- {
			if jaSurnames[string(w[:n])] != nil {
				splits = append(splits, [2][]rune{w[:n], w[n:]})
				break
			}
		}
		// without a known surname the split is a guess: per-character
		// readings of an unknown surname are too unreliable to offer.
	}
	var out []string
	for _, sp := range splits {
		surs := readPart(sp[0], false)
		givs := readPart(sp[1], true)
		for i, sr := range surs {
			if i >= 3 {
				break
			}
			for j, g := range givs {
				if j >= 2 {
					break
				}
				out = appendUnique(out, Fold(sr+" "+g))
			}
		}
	}
	if len(out) > 6 {
		out = out[:6]
	}
	return out
}
