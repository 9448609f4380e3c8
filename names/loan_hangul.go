package names

import (
	"strings"
)

// hangulLoan romanises a Hangul word as a transcription of a foreign name:
// the epenthetic vowel ㅡ (eu) dropped after a consonant when no final
// consonant follows it in the syllable, ㄹ read l (ㄹㄹ one l), ㅓ o,
// ㅐ e, final ㅅ t, ㅍ p, and the initial consonants at their plain values
// (블라디미르 -> "bladimir", 푸틴 -> "putin").
func hangulLoan(w string, v bool) string {
	var b []byte
	prevT := -1
	rs := []rune(w)
	for i, r := range rs {
		if r < 0xAC00 || r > 0xD7A3 {
			return ""
		}
		idx := int(r - 0xAC00)
		l, vw, t := idx/(21*28), (idx/28)%21, idx%28
		init := hangulInitials[l]
		switch l {
		case 5: // ㄹ
			init = "l"
			if prevT == 8 {
				init = "" // ㄹㄹ: one l, already written
			} else if len(b) > 0 && (isVowel(b[len(b)-1]) || prevT == 0) {
				init = "r" // between vowels, and in a cluster (트러 tr)
			}
		case 1:
			init = "k"
		case 4:
			init = "t"
		case 8:
			init = "p"
		case 10:
			init = "s"
		case 13:
			init = "j"
		case 7:
			if v {
				init = "v"
			}
		}
		vs := hangulVowels[vw]
		switch vs {
		case "eo":
			vs = "o"
		case "ae":
			vs = "e"
		case "eu":
			if l != 11 { // not after the silent ㅇ: an epenthetic vowel
				vs = ""
			} else {
				vs = "u"
			}
		case "ui":
			vs = "i"
		case "wo":
			vs = "wo"
		}
		if vs == "i" && t == 0 && l == 14 && i == len(rs)-1 && i >= 2 {
			vs = "" // final 치: -ch (비치 -vich)
		}
		fin := hangulFinals[t]
		switch t {
		case 8: // ㄹ
			fin = "l"
			if i+1 < len(rs) {
				nidx := int(rs[i+1] - 0xAC00)
				if rs[i+1] >= 0xAC00 && rs[i+1] <= 0xD7A3 && nidx/(21*28) == 5 {
					fin = "l"
				}
			}
		case 19, 20: // ㅅ ㅆ
			fin = "t"
		}
		b = append(b, init...)
		b = append(b, vs...)
		b = append(b, fin...)
		prevT = t
	}
	return string(b)
}

// koreanLoanVariants returns the loan-word readings (ㅂ read b, and v) of
// a Hangul name that looks like a transcribed foreign name: a word of more
// than four syllables, or a syllable with the epenthetic vowel ㅡ after a
// consonant and no final (르 드 트 프 스 크 브 ...), rare in Korean names.
func koreanLoanVariants(s string) []string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return nil
	}
	loan := false
	for _, w := range words {
		n := 0
		for _, r := range w {
			n++
			if r >= 0xAC00 && r <= 0xD7A3 {
				idx := int(r - 0xAC00)
				if (idx/28)%21 == 18 && idx%28 == 0 && idx/(21*28) != 11 {
					loan = true
				}
			}
		}
		if n > 4 {
			loan = true
		}
	}
	if !loan {
		return nil
	}
	var out []string
	for _, v := range []bool{false, true} {
		var parts []string
		for _, w := range words {
			p := hangulLoan(w, v)
			if p == "" {
				return out
			}
			parts = append(parts, p)
		}
		out = appendUnique(out, Fold(strings.Join(parts, " ")))
	}
	return out
}
