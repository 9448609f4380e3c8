package match

import (
	"math/rand/v2"
	"testing"
)

// levenshteinTable is the plain table computation of the
// optimal-string-alignment distance, the reference for levenshtein.
func levenshteinTable(a, b string) int {
	la, lb := len(a), len(b)
	d := make([][]int, la+1)
	for i := range d {
		d[i] = make([]int, lb+1)
		d[i][0] = i
	}
	for j := 0; j <= lb; j++ {
		d[0][j] = j
	}
	for i := 1; i <= la; i++ {
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[la][lb]
}

// TestLevenshtein checks the fast paths (one edit, bit vectors, table)
// against the reference on random words over small alphabets, where
// repeated letters and transpositions are frequent.
func TestLevenshtein(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	word := func(alpha string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alpha[r.IntN(len(alpha))]
		}
		return string(b)
	}
	for n := 0; n < 100000; n++ {
		alpha := []string{"ab", "abc", "abcdefgh", "aeioustrnl"}[n%4]
		maxLen := []int{6, 12, 70}[n%3]
		a := word(alpha, r.IntN(maxLen+1))
		var b string
		if n%2 == 0 {
			b = word(alpha, r.IntN(maxLen+1))
		} else {
			// a few edits of a
			bs := []byte(a)
			for k := r.IntN(3); k >= 0 && len(bs) > 0; k-- {
				i := r.IntN(len(bs))
				switch r.IntN(4) {
				case 0:
					bs[i] = alpha[r.IntN(len(alpha))]
				case 1:
					bs = append(bs[:i], bs[i+1:]...)
				case 2:
					bs = append(bs[:i], append([]byte{alpha[r.IntN(len(alpha))]}, bs[i:]...)...)
				case 3:
					if i+1 < len(bs) {
						bs[i], bs[i+1] = bs[i+1], bs[i]
					}
				}
			}
			b = string(bs)
		}
		want := levenshteinTable(a, b)
		for _, max := range []int{0, 1, 2, 3, max(len(a), len(b))} {
			got := levenshtein(a, b, max)
			if want <= max && got != want || want > max && got <= max {
				t.Fatalf("levenshtein(%q, %q, %d) = %d, distance %d", a, b, max, got, want)
			}
		}
	}
}
