package match

import (
	"slices"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/names"
)

// tok is one token being compared, query side or listed side.
type tok struct {
	text   string
	kind   names.TokenKind
	part   lexscreen.NamePartKind
	weight float32
	phon   string
	skel   string
}

// How a pair of tokens matched.
const (
	howExact    = "exact"
	howPhonetic = "phonetic"
	howTranslit = "translit"
	howFuzzy    = "fuzzy"
	howInitial  = "initial"
	howJoined   = "joined"
	howMissing  = "missing" // a listed token the query lacks
	howExtra    = "extra"   // a query token the listed name lacks
)

// tokenSim compares two folded tokens.
func tokenSim(a, b *tok) (float64, string) {
	if a.text == b.text {
		return 1, howExact
	}
	la, lb := len(a.text), len(b.text)
	if la == 0 || lb == 0 {
		return 0, ""
	}
	if a.kind == names.Initial || b.kind == names.Initial || la == 1 || lb == 1 {
		if a.text[0] == b.text[0] {
			return 0.8, howInitial
		}
		return 0, ""
	}
	s := 0.5*editSim(a.text, b.text) + 0.5*jaroWinkler(a.text, b.text)
	how := howFuzzy
	if a.phon != "" && a.phon == b.phon && s < 0.92 {
		s, how = max(s, 0.92), howPhonetic
	}
	if len(a.skel) >= 2 && a.skel == b.skel && (!hasVowel(a.text) || !hasVowel(b.text)) && s < 0.9 {
		s, how = max(s, 0.9), howTranslit
	}
	return s, how
}

func hasVowel(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'a', 'e', 'i', 'o', 'u':
			return true
		}
	}
	return false
}

// pairCurve turns a token similarity into its contribution: near matches
// count almost fully, weaker ones much less.
func pairCurve(s float64) float64 {
	if s >= 1 {
		return 1
	}
	return s * s
}

// minPairSim is the least similarity for two tokens to be aligned.
const minPairSim = 0.7

type alignment struct {
	score  float64 // 0..1
	pairs  []lexscreen.TokenAlignment
	strong int // aligned tokens that are not initials or particles
}

// alignNames aligns query tokens with listed tokens regardless of order and
// scores the alignment: the weighted share of the name both sides agree on.
// Listed tokens the query lacks cost by their role: little for middle names,
// more for a given name, fully for a family name.
func alignNames(q, c []tok, schema lexscreen.Schema) alignment {
	type cand struct {
		i, j int
		sim  float64
		how  string
	}
	var cands []cand
	for i := range q {
		for j := range c {
			s, how := tokenSim(&q[i], &c[j])
			if s >= minPairSim {
				cands = append(cands, cand{i, j, s, how})
			}
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		switch {
		case a.sim > b.sim:
			return -1
		case a.sim < b.sim:
			return 1
		}
		return 0
	})
	qUsed := make([]int, len(q)) // index+1 of the listed token, 0 if none
	cUsed := make([]int, len(c))
	qSim := make([]float64, len(q))
	qHow := make([]string, len(q))
	for _, p := range cands {
		if qUsed[p.i] != 0 || cUsed[p.j] != 0 {
			continue
		}
		qUsed[p.i], cUsed[p.j] = p.j+1, p.i+1
		qSim[p.i], qHow[p.i] = p.sim, p.how
	}
	// Joined or split tokens: "abu bakr" ~ "abubakr".
	joined := map[int]int{} // query index -> partner query index joined with it
	for i := 0; i+1 < len(q); i++ {
		if qUsed[i] != 0 || qUsed[i+1] != 0 {
			continue
		}
		jt := tok{text: q[i].text + q[i+1].text}
		for j := range c {
			if cUsed[j] != 0 {
				continue
			}
			if s := 0.5*editSim(jt.text, c[j].text) + 0.5*jaroWinkler(jt.text, c[j].text); s >= 0.9 {
				qUsed[i], qUsed[i+1], cUsed[j] = j+1, j+1, i+1
				qSim[i], qSim[i+1], qHow[i], qHow[i+1] = s, s, howJoined, howJoined
				joined[i] = i + 1
				break
			}
		}
	}
	for j := 0; j+1 < len(c); j++ {
		if cUsed[j] != 0 || cUsed[j+1] != 0 {
			continue
		}
		jt := c[j].text + c[j+1].text
		for i := range q {
			if qUsed[i] != 0 {
				continue
			}
			if s := 0.5*editSim(q[i].text, jt) + 0.5*jaroWinkler(q[i].text, jt); s >= 0.9 {
				qUsed[i], cUsed[j], cUsed[j+1] = j+1, i+1, i+1
				qSim[i], qHow[i] = s, howJoined
				break
			}
		}
	}

	person := schema == lexscreen.SchemaPerson
	var num, den float64
	var al alignment
	for i := range q {
		w := float64(q[i].weight)
		if qUsed[i] == 0 {
			pen := 1.0
			switch {
			case q[i].kind == names.Initial:
				pen = 0.4
			case q[i].kind == names.Stop:
				pen = 0.3
			case person && i > 0 && i < len(q)-1:
				pen = 0.6 // an extra middle name in the query
			}
			den += w * pen
			al.pairs = append(al.pairs, lexscreen.TokenAlignment{Query: q[i].text, How: howExtra, Weight: round3(w)})
			continue
		}
		j := qUsed[i] - 1
		w = (w + float64(c[j].weight)) / 2
		if q[i].kind == names.Initial || c[j].kind == names.Initial {
			w = min(w, 0.3)
		}
		num += w * pairCurve(qSim[i])
		den += w
		if qHow[i] != howInitial && q[i].kind != names.Stop && c[j].kind != names.Stop {
			al.strong++
		}
		al.pairs = append(al.pairs, lexscreen.TokenAlignment{Query: q[i].text, Listed: c[j].text, How: qHow[i],
			Similarity: round3(qSim[i]), Weight: round3(w)})
	}
	for j := range c {
		if cUsed[j] != 0 {
			continue
		}
		w := float64(c[j].weight)
		pen := missingPenalty(c, j, person)
		den += w * pen
		al.pairs = append(al.pairs, lexscreen.TokenAlignment{Listed: c[j].text, How: howMissing, Weight: round3(w * pen)})
	}
	if den > 0 {
		al.score = num / den
	}
	return al
}

// missingPenalty is the share of a listed token's weight that counts against
// a query that lacks it.
func missingPenalty(c []tok, j int, person bool) float64 {
	t := c[j]
	switch {
	case t.kind == names.Stop:
		return 0.15
	case t.kind == names.Initial:
		return 0.1
	case !person:
		return 0.7
	}
	switch t.part {
	case lexscreen.PartFamily:
		return 1
	case lexscreen.PartGiven:
		if j == firstOfPart(c, lexscreen.PartGiven) {
			return 0.6
		}
		return 0.2
	case lexscreen.PartMiddle, lexscreen.PartPatronymic, lexscreen.PartMatronymic:
		return 0.2
	}
	if j == 0 || j == len(c)-1 {
		return 0.7
	}
	return 0.2
}

func firstOfPart(c []tok, k lexscreen.NamePartKind) int {
	for i, t := range c {
		if t.part == k {
			return i
		}
	}
	return -1
}

func round3(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }
