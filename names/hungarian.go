package names

import (
	"strings"
)

// hungarianVariant rewrites Hungarian spelling of a (often transcribed)
// name: gy d, ty t, ny n, sz s, cs ch, zs zh, s sh. Only for names with
// Hungarian accented vowels and at least one of those digraphs; "" otherwise.
func hungarianVariant(s, base string) string {
	if !strings.ContainsAny(s, "őűŐŰöüáéíóúÖÜÁÉÍÓÚ") {
		return ""
	}
	found := false
	for _, d := range [...]string{"gy", "ty", "ny", "sz", "cs", "zs"} {
		if strings.Contains(base, d) {
			found = true
			break
		}
	}
	if !found {
		return ""
	}
	b := make([]byte, 0, len(base)+4)
	for i := 0; i < len(base); i++ {
		c := base[i]
		var n byte
		if i+1 < len(base) {
			n = base[i+1]
		}
		switch {
		case (c == 'g' || c == 't' || c == 'n') && n == 'y':
			if c == 'g' {
				c = 'd'
			}
			b = append(b, c)
			i++
		case c == 's' && n == 'z':
			b = append(b, 's')
			i++
		case c == 'c' && n == 's':
			b = append(b, "ch"...)
			i++
		case c == 'z' && n == 's':
			b = append(b, "zh"...)
			i++
		case c == 's':
			b = append(b, "sh"...)
		default:
			b = append(b, c)
		}
	}
	if v := string(b); v != base {
		return v
	}
	return ""
}
