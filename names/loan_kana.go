package names

import (
	"strings"
)

// kanaLoanVariant reads katakana words as transcriptions of foreign names:
// Hepburn with chi -> ti, ji -> di, an epenthetic u (after most consonants)
// or o (after t, d) dropped before a consonant or at the end of the word
// unless a long-vowel mark follows it, and a word-initial ウ before a
// consonant read v (ウラジーミル -> "vladimir"). Returned twice: with r, and
// with r read l except at the end of a word ("donald", "vladimir").
func kanaLoanVariant(s string) []string {
	var rw, lw, lw2 []string
	for w := range strings.FieldsFuncSeq(s, func(r rune) bool {
		return r == ' ' || r == 0x30FB || r == 0xB7 || r == 0xFF65 || r == '=' || r == 0x30A0 || r == 0x3000
	}) {
		if !hasKatakana(w) {
			f := Fold(w)
			rw, lw, lw2 = append(rw, f), append(lw, f), append(lw2, f)
			continue
		}
		r := loanKana(w)
		rw = append(rw, r)
		l, l2 := []byte(r), []byte(r)
		for i := 0; i < len(l)-1; i++ {
			if l[i] == 'r' {
				l[i] = 'l'
				if i == 0 || isVowel(l2[i-1]) {
					l2[i] = 'l'
				}
			}
		}
		lw = append(lw, string(l))
		lw2 = append(lw2, string(l2))
	}
	r := Fold(strings.Join(rw, " "))
	if r == "" {
		return nil
	}
	return appendUnique(nil, r, Fold(strings.Join(lw, " ")), Fold(strings.Join(lw2, " ")))
}

func hasKatakana(s string) bool {
	for _, r := range s {
		if r >= 0x30A1 && r <= 0x30FA {
			return true
		}
	}
	return false
}

// loanKana romanises one katakana word with the loan-word rules.
func loanKana(w string) string {
	type syl struct {
		raw  []rune
		long bool
	}
	var ss []syl
	var gem bool
	for _, r := range w {
		switch {
		case r == 0x30FC:
			if len(ss) > 0 {
				ss[len(ss)-1].long = true
			}
		case r == 0x30C3 || r == 0x3063:
			gem = true
		case strings.ContainsRune("ャュョァィゥェォゃゅょぁぃぅぇぉヮ", r) && len(ss) > 0:
			ss[len(ss)-1].raw = append(ss[len(ss)-1].raw, r)
		default:
			var raw []rune
			if gem {
				raw = append(raw, 0x30C3)
				gem = false
			}
			ss = append(ss, syl{raw: append(raw, r)})
		}
	}
	roms := make([]string, len(ss))
	for i, s := range ss {
		roms[i] = Fold(string(s.raw))
	}
	var b strings.Builder
	for i, s := range ss {
		rm := roms[i]
		switch {
		case strings.HasSuffix(rm, "chi") && len(rm) == 3:
			rm = "ti"
		case rm == "ji":
			rm = "di"
		}
		if rm == "" {
			continue
		}
		var next string
		if i+1 < len(roms) {
			next = roms[i+1]
		}
		nextCons := next == "" || !isVowel(next[0]) && next[0] != 'y'
		if i == 0 && rm == "u" && i+1 < len(roms) && next != "" && !isVowel(next[0]) && next != "n" {
			b.WriteByte('v')
			continue
		}
		if !s.long && len(rm) >= 2 && nextCons && next != "n" {
			last := rm[len(rm)-1]
			p := rm[len(rm)-2]
			end := next == ""
			nextR := strings.HasPrefix(next, "r")
			if last == 'u' && strings.IndexByte("rskgbpfmzth", p) >= 0 && (end || nextR || p == 'r' || p == 's') ||
				last == 'o' && (p == 't' || p == 'd') && (end || nextR) {
				rm = rm[:len(rm)-1]
				if rm == "ts" {
					rm = "t"
				}
			}
		}
		if rm == "n" && next != "" && strings.IndexByte("pbm", next[0]) >= 0 {
			rm = "m"
		}
		b.WriteString(rm)
	}
	return b.String()
}
