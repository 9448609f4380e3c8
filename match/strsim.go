package match

// Similarity of two folded tokens, on bytes (tokens are lower-case ASCII
// after names.Fold).

// levenshtein returns the optimal-string-alignment distance of a and b
// (insertions, deletions, substitutions and adjacent transpositions), or
// max+1 as soon as it exceeds max.
func levenshtein(a, b string, max int) int {
	la, lb := len(a), len(b)
	if la > lb {
		a, b, la, lb = b, a, lb, la
	}
	if lb-la > max {
		return max + 1
	}
	if la == 0 {
		return lb
	}
	var buf [3 * 64]int
	var prev2, prev, cur []int
	if lb+1 <= 64 {
		prev2, prev, cur = buf[0:lb+1], buf[64:64+lb+1], buf[128:128+lb+1]
	} else {
		prev2, prev, cur = make([]int, lb+1), make([]int, lb+1), make([]int, lb+1)
	}
	for j := 0; j <= lb; j++ {
		prev[j] = j
	}
	for i := 1; i <= la; i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := prev[j] + 1
			if w := cur[j-1] + 1; w < v {
				v = w
			}
			if w := prev[j-1] + cost; w < v {
				v = w
			}
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				if w := prev2[j-2] + 1; w < v {
					v = w
				}
			}
			cur[j] = v
			if v < rowMin {
				rowMin = v
			}
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[lb]
}

// jaroWinkler returns the Jaro-Winkler similarity of a and b in 0..1.
func jaroWinkler(a, b string) float64 {
	if a == b {
		return 1
	}
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	window := max(la, lb)/2 - 1
	if window < 0 {
		window = 0
	}
	var ma, mb [64]bool
	if la > 64 || lb > 64 {
		return editSim(a, b)
	}
	matches := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-window), min(lb, i+window+1)
		for j := lo; j < hi; j++ {
			if !mb[j] && a[i] == b[j] {
				ma[i], mb[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	trans, k := 0, 0
	for i := 0; i < la; i++ {
		if !ma[i] {
			continue
		}
		for !mb[k] {
			k++
		}
		if a[i] != b[k] {
			trans++
		}
		k++
	}
	m := float64(matches)
	jaro := (m/float64(la) + m/float64(lb) + (m-float64(trans)/2)/m) / 3
	prefix := 0
	for prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}

// editSim is 1 - distance/longer length.
func editSim(a, b string) float64 {
	l := max(len(a), len(b))
	if l == 0 {
		return 1
	}
	d := levenshtein(a, b, l)
	return 1 - float64(d)/float64(l)
}
