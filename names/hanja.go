package names

import (
	"strings"
)

// hanjaVariants reads a Han name of 2 to 4 characters in Korean: every
// character must have a Korean reading. The Hangul string (both readings of
// the surname where it has two, e.g. 李 리/이) goes through KoreanVariants.
func hanjaVariants(s string) []string {
	words, n, ok := hanWords(s)
	if !ok {
		return nil
	}
	if n < 2 || n > 4 || len(words) > 2 {
		return nil
	}
	var surs []string
	var b strings.Builder
	first := true
	for wi, w := range words {
		if wi > 0 {
			b.WriteByte(' ')
		}
		for _, r := range w {
			h, ok := readingOf(r)
			if !ok || len(h.hangul) == 0 {
				return nil
			}
			if first {
				surs = h.hangul
				first = false
				b.WriteString("\x00")
				continue
			}
			b.WriteString(h.hangul[0])
		}
	}
	var out []string
	for i, sur := range surs {
		if i >= 2 {
			break
		}
		hg := strings.Replace(b.String(), "\x00", sur, 1)
		out = appendUnique(out, KoreanVariants(hg)...)
	}
	return out
}
