package match

import "strings"

// translitCanon writes a folded Latin token in one spelling of the ways
// transliteration systems and languages write the same sounds, keeping the
// vowels (unlike the phonetic key): "dzhamal" and "jamal", "aly" and "ali",
// "steel" and "stil", "maks" and "max", "gulph" and "gulf", "kompany" and
// "company", "yan" and "ian", "sotnikoff" and "sotnikov". Two tokens with
// the same form are transliteration variants of one name ("li" and "lee").
// It returns "" for single letters.
func translitCanon(t string) string {
	if len(t) < 2 {
		return ""
	}
	b := make([]byte, 0, len(t)+2)
	n := len(t)
	has := func(i int, s string) bool { return n-i >= len(s) && t[i:i+len(s)] == s }
	for i := 0; i < n; {
		c := t[i]
		switch {
		case has(i, "dzh"):
			b, i = append(b, 'j'), i+3
		case has(i, "dj"):
			b, i = append(b, 'j'), i+2
		case has(i, "tch"):
			b, i = append(b, 'c', 'h'), i+3
		case has(i, "sch"):
			b, i = append(b, 's', 'h'), i+3
		case has(i, "kh"):
			b, i = append(b, 'h'), i+2
		case has(i, "ph"):
			b, i = append(b, 'f'), i+2
		case has(i, "ck"):
			b, i = append(b, 'k'), i+2
		case has(i, "ks"):
			b, i = append(b, 'x'), i+2
		case has(i, "ee"):
			b, i = append(b, 'i'), i+2
		case has(i, "oo"), has(i, "ou"):
			b, i = append(b, 'u'), i+2
		case c == 'w':
			b, i = append(b, 'v'), i+1
		case c == 'q':
			b, i = append(b, 'k'), i+1
		case c == 'c' && (i+1 == n || strings.IndexByte("aouklrt", t[i+1]) >= 0):
			b, i = append(b, 'k'), i+1
		case c == 'y' && i > 0:
			b, i = append(b, 'i'), i+1
		default:
			b, i = append(b, c), i+1
		}
		// Doubled letters are written once.
		if k := len(b); k >= 2 && b[k-1] == b[k-2] && b[k-1] >= 'a' && b[k-1] <= 'z' {
			b = b[:k-1]
		}
	}
	s := string(b)
	// Beginnings and endings.
	switch {
	case len(s) > 2 && (s[0] == 'i' || s[0] == 'j') && (s[1] == 'a' || s[1] == 'u' || s[1] == 'o'):
		s = "y" + s[1:] // "ian" = "jan" = "yan", "jurij" = "yurij" (y of the start is kept above)
	case strings.HasPrefix(s, "ye") && len(s) > 3:
		s = s[1:] // "yevgeny" = "evgeny"
	}
	for _, e := range [][2]string{{"skii", "ski"}, {"ii", "i"}, {"of", "ov"}, {"iev", "ev"}} {
		if strings.HasSuffix(s, e[0]) && len(s) > len(e[0])+1 {
			s = s[:len(s)-len(e[0])] + e[1]
			break
		}
	}
	if s == t {
		return t
	}
	return s
}
