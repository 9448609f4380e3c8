package lexscreen

import "strings"

// normalizeWord lower-cases and trims s and collapses inner white space.
func normalizeWord(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}
