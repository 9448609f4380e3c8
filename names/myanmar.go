package names

import (
	"strings"
)

// myanmarYaAsRa reads the y of a Myanmar name as r (ya -> ra), unless
// the name writes ရ too.
func myanmarYaAsRa(s, base string) string {
	if strings.ContainsRune(s, 'ရ') {
		return base // both letters present: the writer told them apart
	}
	return strings.ReplaceAll(base, "y", "r")
}

// myanmarSyllables writes a Myanmar name one syllable per word ("aung san
// su kyi"): a syllable starts at a consonant or independent vowel that is
// not stacked (after ္), not followed by asat, and not after a medial.
func myanmarSyllables(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if i > 0 && (r >= 0x1000 && r <= 0x102A) {
			prev := rs[i-1]
			stacked := prev == 0x1039
			closing := i+1 < len(rs) && (rs[i+1] == 0x103A || rs[i+1] == 0x1039)
			if !stacked && !closing && prev >= 0x1000 && prev <= 0x109F {
				b.WriteByte(' ')
			}
		}
		b.WriteRune(r)
	}
	return Fold(b.String())
}
