package match

// Similarity of two folded tokens, on bytes (tokens are lower-case ASCII
// after names.Fold).

// levenshtein returns the optimal-string-alignment distance of a and b
// (insertions, deletions, substitutions and adjacent transpositions) when
// it is at most max, else a number above max (max+1 as soon as it exceeds
// max).
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
	if max == 1 {
		return osa1(a, b)
	}
	if lb <= 64 {
		if d := osaBits(a, b); d <= max {
			return d
		}
		return max + 1
	}
	return osaDP(a, b, max)
}

// osa1 is levenshtein(a, b, 1) for len(a) <= len(b) <= len(a)+1, without a
// table: 0 or 1 when that is the distance, else 2.
func osa1(a, b string) int {
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		switch {
		case i == len(a):
			return 0
		case a[i+1:] == b[i+1:]: // a substitution
			return 1
		case i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]: // a transposition
			return 1
		}
		return 2
	}
	if a[i:] == b[i+1:] { // b has a letter more
		return 1
	}
	return 2
}

// osaBits is the optimal-string-alignment distance of a and b, for
// 0 < len(a) <= len(b) <= 64, computed on bit vectors (Hyyrö's algorithm,
// "A bit-vector algorithm for computing Levenshtein and Damerau edit
// distances", 2003): one step per byte of b.
func osaBits(a, b string) int {
	m := len(a)
	var peq [256]uint64
	for i := 0; i < m; i++ {
		peq[a[i]] |= 1 << i
	}
	top := uint64(1) << (m - 1)
	pv, mv := ^uint64(0), uint64(0)
	var d0, prevEq uint64
	score := m
	for j := 0; j < len(b); j++ {
		eq := peq[b[j]]
		tr := ((^d0 & eq) << 1) & prevEq
		d0 = (((eq & pv) + pv) ^ pv) | eq | mv | tr
		hp := mv | ^(d0 | pv)
		hn := d0 & pv
		if hp&top != 0 {
			score++
		} else if hn&top != 0 {
			score--
		}
		hp = hp<<1 | 1
		hn <<= 1
		pv = hn | ^(d0 | hp)
		mv = hp & d0
		prevEq = eq
	}
	return score
}

// osaDP is levenshtein on a table, for long tokens.
func osaDP(a, b string, max int) int {
	la, lb := len(a), len(b)
	prev2, prev, cur := make([]int, lb+1), make([]int, lb+1), make([]int, lb+1)
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
