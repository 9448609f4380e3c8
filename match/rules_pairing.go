// Pairing rules: which query words pair with which listed words, and what
// a pair is worth. pairCandidates proposes the pairs; alignNames keeps the
// best that do not overlap and prices each (pairValue).

package match

import (
	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/names"
)

// Constants of the pairing rules.
const (
	// pair.abbreviation: "intl" ~ "international", "mfg" ~
	// "manufacturing" in names other than persons'.
	simAbbreviation = 0.88
	// pair.roles_conflict: both sides tag the parts of a name and one
	// calls family name what the other calls given name.
	rolesConflictFactor = 0.8
	// pair.joined_query_words and pair.joined_listed_words: "abu bakr" ~
	// "abubakr", "van der bilt" ~ "vanderbilt".
	joinedMinSim      = 0.9   // the least similarity of the joined text
	joinedSkeletonSim = 0.9   // abjad transliterations with the same consonants
	joinedPreference  = 0.001 // a joined pair outranks single pairs as alike
	joinMinLen        = 5     // the least length of the one word
	joinMaxLenDiff    = 2     // the most the lengths may differ
	// pair.acronym: "US" ~ "United States", "JC" ~ "Jean Claude", "PLA"
	// ~ "People's Liberation Army".
	simAcronym        = 0.9
	simFirmAcronym    = 0.95 // three or four letters for a whole firm's name: its usual short form
	acronymMinLen     = 2
	acronymMaxLen     = 4
	firmAcronymMinLen = 3
	initialWeightCap  = 0.3 // pair.initial_weight: the most an initial pair weighs
	simOtherFamily    = 0.5 // pair.other_family: Castro and Castillo
	// familyFuzzyMin is the least similarity at which a person's family
	// name counts as the listed one misspelt (pair.other_family).
	familyFuzzyMin = 0.86
	// shortSlipSim is the similarity of a one-word name and a listed one
	// a typing slip apart (pair.one_word_short_slip, shortSlip).
	shortSlipSim   = 0.86
	pairCurveSlope = 1.5 // pairCurve: how fast a pair's worth falls with its similarity
)

// pairCandidates appends to cands every pair of a query word (or two or
// three written apart, qj) and a listed word (or two or three) alike
// enough to align: single words by pairSim and the abbreviation rule, then
// joined words, then acronyms. Roles that conflict lower a single pair.
func pairCandidates(cands []pairing, q, c []tok, qj []qJoin, person bool) []pairing {
	for i := range q {
		for j := range c {
			s, how := pairSim(&q[i], &c[j])
			if s < minPairSim && !person && (abbreviates(q[i].text, c[j].text) || abbreviates(c[j].text, q[i].text)) {
				s, how = simAbbreviation, howAbbrev
			}
			if s >= minPairSim && (how != howInitial || person) {
				if rolesConflict(q[i].part, c[j].part) {
					// "Ted (given) Doe (family)" is not "Doe (given)".
					s *= rolesConflictFactor
				}
				cands = append(cands, pairing{i, 1, j, 1, s, how})
			}
		}
	}
	for _, jq := range qj {
		for j := range c {
			if len(c[j].text) >= joinMinLen && absDiff(len(c[j].text), len(jq.text)) <= joinMaxLenDiff && c[j].text[0] == jq.text[0] {
				s := joinedSim(jq.text, c[j].text)
				if jq.skel != "" && jq.skel == c[j].skel {
					s = max(s, joinedSkeletonSim)
				}
				if s >= joinedMinSim {
					cands = append(cands, pairing{jq.i, jq.n, j, 1, s + joinedPreference, howJoined})
				}
			}
		}
	}
	for n := 2; n <= 3; n++ {
		for j := 0; j+n <= len(c); j++ {
			if !anyStartsWith(q, c[j].text[0]) || hasInitial(c[j:j+n]) || !joinReachable(q, c[j:j+n]) {
				continue
			}
			jt := joinTok(c[j : j+n])
			for i := range q {
				if len(q[i].text) >= joinMinLen && absDiff(len(q[i].text), len(jt)) <= joinMaxLenDiff && q[i].text[0] == jt[0] {
					if s := joinedSim(q[i].text, jt); s >= joinedMinSim {
						cands = append(cands, pairing{i, 1, j, n, s + joinedPreference, howJoined})
					}
				}
			}
		}
	}
	for i := range q {
		if n := len(q[i].text); acronymOf(q[i].text) {
			for j := 0; j+n <= len(c); j++ {
				if initialsOf(c[j:j+n]) == q[i].text {
					// Two letters are often chance, and persons'
					// initials are not names.
					sim := simAcronym
					if n >= firmAcronymMinLen && n == len(c) && !person {
						sim = simFirmAcronym
					}
					cands = append(cands, pairing{i, 1, j, n, sim, howAcronym})
				}
			}
		}
	}
	for j := range c {
		if n := len(c[j].text); acronymOf(c[j].text) {
			for i := 0; i+n <= len(q); i++ {
				if initialsOf(q[i:i+n]) == c[j].text {
					cands = append(cands, pairing{i, n, j, 1, simAcronym, howAcronym})
				}
			}
		}
	}
	return cands
}

// acronymOf reports whether a word may be an acronym: two to four letters,
// not a particle.
func acronymOf(t string) bool {
	n := len(t)
	return n >= acronymMinLen && n <= acronymMaxLen && isLetters(t) && !names.IsStopword(t)
}

// pairSimOf is the similarity a chosen pair of one query word and one
// listed word counts with, after the rules on the pair in its name:
// pair.other_family and pair.one_word_short_slip.
func pairSimOf(p pairing, q, c []tok, person, oneWord bool, al *alignment, explain bool) float64 {
	sim := p.sim
	if p.qn != 1 || p.cn != 1 || p.how != howFuzzy {
		return sim
	}
	qt, ct := &q[p.qi], &c[p.cj]
	if person && sim < familyFuzzyMin && len(c) >= 2 && isFamily(c, p.cj) && !slipsApart(qt, ct) && sameStartOtherEnd(qt.text, ct.text) {
		// pair.other_family: a family name that begins like the listed
		// one but ends otherwise, further apart than slips, is another
		// family: Castro and Castillo, Federer and Federman, Sanchez and
		// Sancho.
		sim = simOtherFamily
		al.hit(explain, rulePairOtherFamily, qt.text, ct.text, "similarity", sim)
	}
	if oneWord && shortSlip(qt.text, ct.text) {
		// pair.one_word_short_slip: in a name of one word, "mea" for
		// "mena" is likeliest a slip (shortSlip).
		sim = max(sim, shortSlipSim)
		al.hit(explain, rulePairShortSlip, qt.text, ct.text, "similarity at least", shortSlipSim)
	}
	return sim
}

// pairWeightOf is the weight a chosen pair counts with: the mean of its
// sides' weights, at most initialWeightCap for an initial
// (pair.initial_weight: "J." stands for many names).
func pairWeightOf(p pairing, wq, wc float64, al *alignment, explain bool, qtext, ctext string) float64 {
	w := (wq + wc) / 2
	if p.how == howInitial {
		w = min(w, initialWeightCap)
		al.hit(explain, rulePairInitialWeight, qtext, ctext, "weight at most", initialWeightCap)
	}
	return w
}

// explainPair records the rules that made a chosen pair's similarity:
// the token rules of two words, or the joining, acronym or abbreviation
// rule, and a roles conflict.
func explainPair(p pairing, q, c []tok, qtext, ctext string, al *alignment) {
	switch p.how {
	case howJoined:
		r := rulePairJoinedQuery
		if p.cn > 1 {
			r = rulePairJoinedListed
		}
		al.hit(true, r, qtext, ctext, "similarity", p.sim)
		return
	case howAcronym:
		al.hit(true, rulePairAcronym, qtext, ctext, "similarity", p.sim)
		return
	case howAbbrev:
		al.hit(true, rulePairAbbreviation, qtext, ctext, "similarity", simAbbreviation)
	default:
		s, fired := pairSimRules(&q[p.qi], &c[p.cj])
		if fired.has(ruleTokenStringSimilarity) && fired != ruleTokenStringSimilarity.set() {
			fired &^= ruleTokenStringSimilarity.set() // named by the rule that raised it
		}
		fired.each(func(r ruleID) { al.hit(true, r, qtext, ctext, "similarity", s) })
	}
	if rolesConflict(q[p.qi].part, c[p.cj].part) {
		al.hit(true, rulePairRolesConflict, qtext, ctext, "similarity x", rolesConflictFactor)
	}
}

// pairSimRules is pairSim with the token rules that decided: those of
// tokenSim on the listed token as lookup saw it, or on the token itself.
func pairSimRules(q, c *tok) (float64, ruleSet) {
	if q.looked && c.indexed && q.kind != names.Initial && c.kind != names.Initial && len(c.text) > 1 {
		for _, m := range q.looks {
			if m.id == c.id {
				ct := tok{text: c.text, phon: c.phon, skel: c.skel, canon: c.canon, facts: c.facts}
				s, _, fired := tokenSimRules(q, &ct)
				return s, fired
			}
		}
	}
	s, _, fired := tokenSimRules(q, c)
	return s, fired
}

// rolesConflict reports whether two tagged name parts play different roles:
// a family name against a given or middle name.
func rolesConflict(a, b lexscreen.NamePartKind) bool {
	if a == "" || b == "" || a == b {
		return false
	}
	return a == lexscreen.PartFamily || b == lexscreen.PartFamily
}

// pairCurve turns a token similarity into its contribution: near matches
// count almost fully, weaker ones much less.
func pairCurve(s float64) float64 {
	if s >= 1 {
		return 1
	}
	return max(0, 1-pairCurveSlope*(1-s))
}
