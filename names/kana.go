package names

import "strings"

// hiragana U+3041..U+3096 in modified Hepburn. Katakana U+30A1..U+30F6 are
// mapped onto the same table.
var kanaTable = [...]string{
	"a", "a", "i", "i", "u", "u", "e", "e", "o", "o", // ぁ..お
	"ka", "ga", "ki", "gi", "ku", "gu", "ke", "ge", "ko", "go",
	"sa", "za", "shi", "ji", "su", "zu", "se", "ze", "so", "zo",
	"ta", "da", "chi", "ji", "", "tsu", "zu", "te", "de", "to", "do", // っ is ""
	"na", "ni", "nu", "ne", "no",
	"ha", "ba", "pa", "hi", "bi", "pi", "fu", "bu", "pu", "he", "be", "pe", "ho", "bo", "po",
	"ma", "mi", "mu", "me", "mo",
	"ya", "ya", "yu", "yu", "yo", "yo",
	"ra", "ri", "ru", "re", "ro",
	"wa", "wa", "i", "e", "o", "n", "vu", "ka", "ke",
}

// kana writes Hepburn romaji for a run of hiragana/katakana: yōon (きゃ kya,
// しゃ sha), sokuon (っ doubles the next consonant, っち -> tchi), the small
// vowels of loanwords (ティ ti, ファ fa, ウィ wi, シェ she), and long vowels
// collapsed (ー dropped, ou/oo/uu/aa/ii/ee -> single vowel, as in passports):
// ウラジーミル・プーチン -> "urajimiru puchin", さとう -> "sato".
func kana(f *folder, run string) {
	var syl []string
	gem := false
	for _, r := range run {
		k := r
		switch {
		case r >= 0x30A1 && r <= 0x30F6:
			k = r - 0x60
		case r >= 0x30F7 && r <= 0x30FA:
			syl = append(syl, [...]string{"va", "vi", "ve", "vo"}[r-0x30F7])
			continue
		case r == 0x30FC: // ー long vowel mark
			continue
		case r == 0x309D || r == 0x30FD || r == 0x309E || r == 0x30FE: // iteration marks
			if len(syl) > 0 {
				syl = append(syl, syl[len(syl)-1])
			}
			continue
		}
		if k < 0x3041 || k > 0x3096 {
			flushKana(f, syl)
			syl = syl[:0]
			uni(f, r)
			continue
		}
		s := kanaTable[k-0x3041]
		n := len(syl)
		switch k {
		case 0x3063: // small tsu
			gem = true
			continue
		case 0x3083, 0x3085, 0x3087: // small ya yu yo
			if n > 0 && len(syl[n-1]) >= 2 && strings.HasSuffix(syl[n-1], "i") {
				p := syl[n-1][:len(syl[n-1])-1]
				if strings.HasSuffix(p, "sh") || strings.HasSuffix(p, "ch") || strings.HasSuffix(p, "j") {
					syl[n-1] = p + s[1:]
				} else {
					syl[n-1] = p + s
				}
				continue
			}
		case 0x3041, 0x3043, 0x3045, 0x3047, 0x3049: // small vowels
			if n > 0 {
				p := syl[n-1]
				switch {
				case p == "u":
					syl[n-1] = "w" + s
					continue
				case len(p) >= 2 && isVowel(p[len(p)-1]):
					syl[n-1] = p[:len(p)-1] + s
					continue
				}
			}
		}
		if gem && s != "" && !isVowel(s[0]) {
			if strings.HasPrefix(s, "ch") {
				s = "t" + s
			} else {
				s = s[:1] + s
			}
		}
		gem = false
		syl = append(syl, s)
	}
	flushKana(f, syl)
}

func isVowel(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' }

// flushKana joins the syllables, collapses long vowels and writes them.
func flushKana(f *folder, syl []string) {
	if len(syl) == 0 {
		return
	}
	s := strings.Join(syl, "")
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if n := len(b); n > 0 && isVowel(c) {
			p := b[n-1]
			long := p == c || (p == 'o' && c == 'u' && (i+1 >= len(s) || !isVowel(s[i+1])))
			if long && (n < 2 || !isVowel(b[n-2])) {
				continue
			}
		}
		b = append(b, c)
	}
	f.str(string(b))
}
