package names

import (
	"strings"
)

// greekEndings drops the nominative endings of Greek names from each folded
// word of five letters or more: -os, -as, -is, -es, -ou (Αλέξανδρος ->
// "alexandr", Γιώργος -> "giorg", Παπαδόπουλος -> "papadopoul"), and -aios.
func greekEndings(base string) []string {
	ws := strings.Fields(base)
	changed := false
	for i, w := range ws {
		if len(w) < 5 {
			continue
		}
		for _, suf := range [...]string{"aios", "os", "as", "is", "es", "ou"} {
			if strings.HasSuffix(w, suf) {
				ws[i] = w[:len(w)-len(suf)]
				changed = true
				break
			}
		}
	}
	if !changed {
		return nil
	}
	return []string{strings.Join(ws, " ")}
}
