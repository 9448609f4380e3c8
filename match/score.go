package match

import (
	"slices"
	"strings"
	"sync"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/countries"
	"github.com/lexscreen/lexscreen/names"
)

// tok is one token being compared, query side or listed side.
type tok struct {
	abjad bool // transliterated from a script that does not write short vowels (Arabic, Hebrew)
	cjk   bool // a syllable of a name written in Chinese, Korean or Japanese script
	// Query tokens: the listed tokens found for it by lookup (looked is
	// true once done). Listed tokens: the token id in the index.
	looks   []tokMatch
	looked  bool
	nicks   []string // query tokens: the names this one may stand for
	id      uint32
	indexed bool
	text    string
	kind    names.TokenKind
	part    lexscreen.NamePartKind
	weight  float32
	phon    string
	skel    string
	canon   string // translitCanon(text)
	// legalish: a query word that looks like a misspelt legal-form word; a
	// listed name without it loses little.
	legalish bool
	// known: a query token that listed names hold as it is, so a real name
	// rather than a slip ("yang" is not a misspelt "wang").
	known bool
	place bool // names a country or region (placeWord)
	// title: a query word that is a title in other positions ("Saheb
	// Agha" for the listed "Agha Saheb", where Saheb follows the name).
	title bool
	// flipped: a query word read backwards (query.reversedReading).
	flipped bool
	// rejoined: a query word made of two syllables the query broke
	// elsewhere than listed names do (query.addRejoined); it aligns only
	// with the same letters.
	rejoined bool
	// surname: a listed token that is one of the two surnames of a
	// Spanish or Portuguese name (markSurnames).
	surname bool
	// facts: what pairSim asks of the text, when worked out beforehand.
	facts tokFacts
}

// How a pair of tokens matched.
const (
	howExact    = "exact"
	howPhonetic = "phonetic"
	howTranslit = "translit"
	howFuzzy    = "fuzzy"
	howInitial  = "initial"
	howJoined   = "joined"
	howNickname = "nickname"
	howAcronym  = "acronym"
	howAbbrev   = "abbreviation"
	howMissing  = "missing" // a listed token the query lacks
	howExtra    = "extra"   // a query token the listed name lacks
)

// misspeltLegal reports whether a query word is one of a listed name's
// legal forms misspelt or transliterated: one slip from it with the same
// first letter ("ink" for "inc", "plk" for "plc"), the same in the
// transliteration-canonical spelling ("toff" for "tov"), or vowels for
// vowels ("uo" for "ooo").
func misspeltLegal(q *tok, forms []string) bool {
	t := q.text
	if t == "" {
		return false
	}
	tc := q.canon
	if tc == "" {
		tc = translitCanon(t)
	}
	for _, w := range forms {
		switch {
		case len(w) < 2 || len(t) < 2:
		case t[0] == w[0] && levenshtein(t, w, 1) <= 1, tc == translitCanon(w):
			return true
		case !strings.ContainsAny(t, consonants) && !strings.ContainsAny(w, consonants):
			return true
		}
	}
	// A word of the legal form written out, maybe misspelt: "OPEN JOINT
	// STOCK KOMPANY" for the listed "OJSC", "COMMERCIAL BAN" for "JSCB",
	// "OBSCHCHESTVO S ..." for "OOO", "TOFF" for "TOV".
	for _, f := range forms {
		for _, w := range legalAliasWords(f) {
			if t == w.text {
				return true
			}
			if len(t) >= 3 && len(w.text) == 3 && t[0] == w.text[0] && levenshtein(tc, w.canon, 1) <= 1 {
				return true
			}
			if len(t) < 3 || len(w.text) < 4 || len(t) == 3 && len(w.text) != 4 {
				continue
			}
			if t[0] == w.text[0] && levenshtein(t, w.text, 1) <= 1 {
				return true
			}
			if tc == w.canon || len(t) >= 6 && levenshtein(tc, w.canon, 1) <= 1 {
				return true
			}
		}
	}
	return false
}

// aliasWord is a word of a legal form's aliases with its
// transliteration-canonical spelling.
type aliasWord struct{ text, canon string }

var aliasWordCache sync.Map // compare form -> []aliasWord

// legalAliasWords returns names.LegalFormAliasWords(compare) with their
// canonical spellings, worked out once per legal form.
func legalAliasWords(compare string) []aliasWord {
	if v, ok := aliasWordCache.Load(compare); ok {
		return v.([]aliasWord)
	}
	var ws []aliasWord
	for _, w := range names.LegalFormAliasWords(compare) {
		ws = append(ws, aliasWord{w, translitCanon(w)})
	}
	aliasWordCache.Store(compare, ws)
	return ws
}

// unaligned counts the tokens of a kind left unaligned.
func unaligned(ts []tok, used []bool, kind names.TokenKind) int {
	n := 0
	for i := range ts {
		if !used[i] && ts[i].kind == kind {
			n++
		}
	}
	return n
}

// anyWord reports whether one of the tokens is not a particle ("van der
// bilt" written "vanderbilt" is a name, though "van" is a particle).
func anyWord(ts []tok) bool {
	for i := range ts {
		if ts[i].kind != names.Stop {
			return true
		}
	}
	return false
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
	return max(0, 1-1.5*(1-s))
}

// slipsApart reports whether two tokens are as far apart as typing slips
// make them: one edit (two in words of eight letters or more), on their
// letters or their transliteration-canonical spellings.
func slipsApart(a, b *tok) bool {
	x, y := a.text, b.text
	if a.canon != "" && b.canon != "" {
		x, y = a.canon, b.canon
	}
	if min(len(x), len(y)) >= 8 {
		return levenshtein(x, y, 2) <= 2 || levenshtein(a.text, b.text, 2) <= 2
	}
	return levenshtein(x, y, 1) <= 1 || levenshtein(a.text, b.text, 1) <= 1
}

// sameStartOtherEnd reports whether two words share their first three
// letters at least and differ in their last two.
func sameStartOtherEnd(a, b string) bool {
	if len(a) < 4 || len(b) < 4 || a[:3] != b[:3] {
		return false
	}
	return a[len(a)-2:] != b[len(b)-2:]
}

// familyFuzzyMin is the least plain string similarity at which a person's
// family name counts as the listed one misspelt.
const familyFuzzyMin = 0.86

// minPairSim is the least similarity for two tokens to be aligned.
const minPairSim = 0.7

type alignment struct {
	score  float64 // 0..1
	pairs  []lexscreen.TokenAlignment
	strong int // aligned tokens that are not initials or particles
	// loose: a query word read backwards found no partner of its own (it
	// is extra, or only part of an acronym or a join), so reading it
	// backwards explains nothing.
	loose bool
	// oneSurname: score is that of the listed two-surname name written
	// with one of them; finish charges oneSurnameCost for it.
	oneSurname bool
}

// pairing is a candidate alignment of query tokens qi..qi+qn-1 with listed
// tokens cj..cj+cn-1 (one side has one token; the other one or two, joined).
type pairing struct {
	qi, qn, cj, cn int
	sim            float64
	how            string
}

// qJoin is two or three adjacent query tokens written as one.
type qJoin struct {
	i, n       int
	text, skel string
}

// queryJoins lists the joined forms of a query's adjacent tokens; it is
// computed once per query variant.
func queryJoins(q []tok) []qJoin {
	out := []qJoin{}
	for n := 2; n <= 3; n++ {
		for i := 0; i+n <= len(q); i++ {
			if hasInitial(q[i : i+n]) {
				continue // "Komanoc V." is a name and an initial, not "komanocv"
			}
			jq := qJoin{i: i, n: n, text: joinTok(q[i : i+n])}
			if q[i].abjad {
				jq.skel = names.Skeleton(jq.text)
			}
			out = append(out, jq)
		}
	}
	return out
}

func anyStartsWith(q []tok, c byte) bool {
	for i := range q {
		if len(q[i].text) >= 5 && q[i].text[0] == c {
			return true
		}
	}
	return false
}

// hasInitial reports whether one of the tokens is an initial: an initial
// is never the end or the start of a word written apart.
func hasInitial(ts []tok) bool {
	for i := range ts {
		if ts[i].kind == names.Initial {
			return true
		}
	}
	return false
}

// joinReachable reports whether some query token may be compared with the
// listed tokens cs joined (the test alignNames makes before joinedSim:
// five letters or more, the same first letter, lengths within two), so
// that the joined text is built only when it may be.
func joinReachable(q, cs []tok) bool {
	n := 0
	for i := range cs {
		n += len(cs[i].text)
	}
	for i := range q {
		if len(q[i].text) >= 5 && absDiff(len(q[i].text), n) <= 2 && q[i].text[0] == cs[0].text[0] {
			return true
		}
	}
	return false
}

func joinTok(ts []tok) string {
	s := ""
	for _, t := range ts {
		s += t.text
	}
	return s
}

// initialsOf returns the first letters of tokens, or "" when one of them
// is a particle or a single letter already.
func initialsOf(ts []tok) string {
	b := make([]byte, 0, len(ts))
	for _, t := range ts {
		if len(t.text) < 2 || t.kind != names.Word {
			return ""
		}
		b = append(b, t.text[0])
	}
	return string(b)
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

func absDiff(a, b int) int {
	if a > b {
		return a - b
	}
	return b - a
}

func joinedSim(a, b string) float64 {
	if a == b {
		return 1
	}
	return 0.5*editSim(a, b) + 0.5*jaroWinkler(a, b)
}

// alignNames aligns query tokens with listed tokens regardless of order and
// scores the alignment: the weighted share of the name both sides agree on.
// Listed tokens the query lacks cost by their role (little for middle
// names, more for a given name, fully for a family name), and so do query
// tokens the listed name lacks; a middle name on each side that do not
// match (a different father's name) costs fully.
func alignNames(q, c []tok, qj []qJoin, schema lexscreen.Schema, listedLegal []string, explain bool) alignment {
	// Single letters are initials only in persons' names: "MONICA S" is a
	// ship, not Monica S(oprano).
	person := schema == lexscreen.SchemaPerson || schema == lexscreen.SchemaUnknown || schema == ""
	// (Most names are short: the pairings and flags live on the stack.)
	var candBuf [24]pairing
	cands := candBuf[:0]
	for i := range q {
		for j := range c {
			s, how := pairSim(&q[i], &c[j])
			if s < minPairSim && !person && (abbreviates(q[i].text, c[j].text) || abbreviates(c[j].text, q[i].text)) {
				s, how = 0.88, howAbbrev // "intl" ~ "international", "mfg" ~ "manufacturing"
			}
			if s >= minPairSim && (how != howInitial || person) {
				if rolesConflict(q[i].part, c[j].part) {
					// Both sides say which part is the family name, and they
					// disagree: "Ted (given) Doe (family)" is not "Doe (given)".
					s *= 0.8
				}
				cands = append(cands, pairing{i, 1, j, 1, s, how})
			}
		}
	}
	// Joined or split tokens: "abu bakr" ~ "abubakr", "van der bilt" ~
	// "vanderbilt"; two or three tokens on one side.
	if qj == nil {
		qj = queryJoins(q)
	}
	for _, jq := range qj {
		for j := range c {
			if len(c[j].text) >= 5 && absDiff(len(c[j].text), len(jq.text)) <= 2 && c[j].text[0] == jq.text[0] {
				s := joinedSim(jq.text, c[j].text)
				if jq.skel != "" && jq.skel == c[j].skel {
					s = max(s, 0.9)
				}
				if s >= 0.9 {
					cands = append(cands, pairing{jq.i, jq.n, j, 1, s + 0.001, howJoined})
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
				if len(q[i].text) >= 5 && absDiff(len(q[i].text), len(jt)) <= 2 && q[i].text[0] == jt[0] {
					if s := joinedSim(q[i].text, jt); s >= 0.9 {
						cands = append(cands, pairing{i, 1, j, n, s + 0.001, howJoined})
					}
				}
			}
		}
	}
	// Acronyms: "US" ~ "United States", "JC" ~ "Jean Claude", "PLA" ~
	// "People's Liberation Army".
	for i := range q {
		if n := len(q[i].text); n >= 2 && n <= 4 && isLetters(q[i].text) && !names.IsStopword(q[i].text) {
			for j := 0; j+n <= len(c); j++ {
				if initialsOf(c[j:j+n]) == q[i].text {
					// Three letters or four standing for a whole firm's
					// name are its usual short form; two are often
					// chance, and persons' initials are not names.
					sim := 0.9
					if n >= 3 && n == len(c) && !person {
						sim = 0.95
					}
					cands = append(cands, pairing{i, 1, j, n, sim, howAcronym})
				}
			}
		}
	}
	for j := range c {
		if n := len(c[j].text); n >= 2 && n <= 4 && isLetters(c[j].text) && !names.IsStopword(c[j].text) {
			for i := 0; i+n <= len(q); i++ {
				if initialsOf(q[i:i+n]) == c[j].text {
					cands = append(cands, pairing{i, n, j, 1, 0.9, howAcronym})
				}
			}
		}
	}
	slices.SortStableFunc(cands, func(a, b pairing) int {
		switch {
		case a.sim > b.sim:
			return -1
		case a.sim < b.sim:
			return 1
		}
		return (a.qn + a.cn) - (b.qn + b.cn)
	})
	var usedBuf [32]bool
	var qUsed, cUsed []bool
	if len(q)+len(c) <= len(usedBuf) {
		qUsed, cUsed = usedBuf[:len(q):len(q)], usedBuf[len(q):len(q)+len(c)]
	} else {
		qUsed, cUsed = make([]bool, len(q)), make([]bool, len(c))
	}
	var chosenBuf [12]pairing
	chosen := chosenBuf[:0]
	for _, p := range cands {
		free := true
		for k := 0; k < p.qn; k++ {
			free = free && !qUsed[p.qi+k]
		}
		for k := 0; k < p.cn; k++ {
			free = free && !cUsed[p.cj+k]
		}
		if !free {
			continue
		}
		for k := 0; k < p.qn; k++ {
			qUsed[p.qi+k] = true
		}
		for k := 0; k < p.cn; k++ {
			cUsed[p.cj+k] = true
		}
		chosen = append(chosen, p)
	}
	slices.SortFunc(chosen, func(a, b pairing) int { return a.qi - b.qi })

	// A substituted name part: a word unmatched on each side ("Mark
	// Albert Taylor" and "Mark John Taylor" are two people).
	qLeft, cLeft := unaligned(q, qUsed, names.Word), unaligned(c, cUsed, names.Word)
	swapped := qLeft > 0 && cLeft > 0
	// An initial on one side where the other has another name or initial
	// left over ("Hans O. Friedrich" and "Hans Joachim Friedrich", "William
	// G. Frost" and "William W. Frost"): the middle names disagree.
	initialClash := false
	if person {
		qInit, cInit := unaligned(q, qUsed, names.Initial), unaligned(c, cUsed, names.Initial)
		initialClash = qInit > 0 && cLeft+cInit > 0 || cInit > 0 && qLeft > 0
	}
	// Numbers in names of organisations: a number on one side only tells
	// another entity of a family ("Fund" and "Fund II", "Bowne Global
	// Solutions II"), while different numbers on each side are often a
	// series written differently ("Fund III" and "Fund IV" of one
	// manager), so they weigh little. Ships and aircraft: any number the
	// other side lacks tells another hull of a fleet ("Victory" and
	// "Victory 3", "Sea Star 5" and "Sea Star 6").
	numbers := numbersPlain
	if qn, cn := unmatchedNumber(q, qUsed), unmatchedNumber(c, cUsed); !person {
		vessel := schema == lexscreen.SchemaVessel || schema == lexscreen.SchemaAircraft
		switch {
		case qn && cn && !vessel:
			numbers = numbersLow
		case qn || cn:
			numbers = numbersStrict
		}
	}
	// Extra query names are cheap only when the listed name has at least
	// two words and all are found: "Rocco Lochel" is not the mononym
	// "ROCCO".
	coveredWords := 0
	for j := range c {
		if cUsed[j] && c[j].kind == names.Word {
			coveredWords++
		}
	}

	// A name of one word on each side (a ship's, a firm's short name or
	// acronym) has no other word to tell a slip from another name.
	oneWord := wordCount(q) == 1 && wordCount(c) == 1
	var num, den float64
	var al alignment
	for _, p := range chosen {
		var wq, wc float64
		qtext, ctext := "", ""
		for k := 0; k < p.qn; k++ {
			wq += weightOf(&q[p.qi+k], numbers)
			if explain {
				qtext += q[p.qi+k].text
			}
		}
		for k := 0; k < p.cn; k++ {
			wc += weightOf(&c[p.cj+k], numbers)
			if explain {
				ctext += c[p.cj+k].text
			}
		}
		w := (wq + wc) / 2
		initial := p.how == howInitial
		if initial {
			w = min(w, 0.3)
		}
		sim := p.sim
		if person && p.how == howFuzzy && sim < familyFuzzyMin && p.qn == 1 && p.cn == 1 && len(c) >= 2 && isFamily(c, p.cj) &&
			!slipsApart(&q[p.qi], &c[p.cj]) && sameStartOtherEnd(q[p.qi].text, c[p.cj].text) {
			// A family name that begins like the listed one but ends
			// otherwise, further apart than slips, is another family:
			// Castro and Castillo, Federer and Federman, Sanchez and
			// Sancho.
			sim = 0.5
		}
		if oneWord && p.how == howFuzzy && p.qn == 1 && p.cn == 1 && shortSlip(q[p.qi].text, c[p.cj].text) {
			sim = max(sim, shortSlipSim)
		}
		num += w * pairCurve(sim)
		den += w
		qw, cw := anyWord(q[p.qi:p.qi+p.qn]), anyWord(c[p.cj:p.cj+p.cn])
		if !initial && (qw && cw || (qw || cw) && p.how == howExact && p.qn == 1 && len(q[p.qi].text) >= 3) {
			// (A word the other side reads as a particle counts when it
			// is the same word: the listed "TORGOVIY DOM EPK" took "EPK"
			// for a legal form.)
			al.strong++
		}
		if p.qn > 1 || p.how == howAcronym || initial {
			for k := 0; k < p.qn; k++ {
				al.loose = al.loose || q[p.qi+k].flipped
			}
		}
		if explain {
			al.pairs = append(al.pairs, lexscreen.TokenAlignment{Query: qtext, Listed: ctext, How: p.how,
				Similarity: round3(min(1, p.sim)), Weight: round3(w)})
		}
	}
	for i := range q {
		if qUsed[i] {
			continue
		}
		al.loose = al.loose || q[i].flipped
		w := weightOf(&q[i], numbers)
		pen := 1.0
		switch {
		case numbers == numbersStrict && (q[i].kind == names.Number || romanNumeral(q[i].text)):
			// a number telling one entity of a family: "Fund I"
		case !person && len(listedLegal) > 0 && misspeltLegal(&q[i], listedLegal):
			pen = 0.1 // the listed name's legal form, misspelt: "OCEAN INK." for "OCEAN INC."
		case q[i].kind == names.Initial:
			pen = 0.4
		case i == 0 && q[i].kind == names.Stop && vesselPrefixes[q[i].text]:
			pen = 0 // "MV", "MT": the kind of ship, not its name
		case !person && leadingArticle(q, i):
			pen = 0 // "The Boeing Company" is "Boeing Company"
		case person && q[i].title:
			pen = 0.1 // an honorific, as "Saheb" in "Saheb Agha"
		case (schema == lexscreen.SchemaVessel || schema == lexscreen.SchemaAircraft) && q[i].kind == names.Stop &&
			!names.IsStopword(q[i].text) && !vesselPrefixes[q[i].text]:
			// Ships and aircraft have no legal forms: a word the query's
			// organisation reading took for one ("Lauren Dunn") is a word.
			w = max(w, unknownWeight)
		case q[i].kind == names.Stop, q[i].legalish:
			pen = 0.3
		case person && !swapped && !q[i].cjk && (cLeft == 0 && coveredWords >= 2 || i > 0 && i < len(q)-1):
			pen = 0.35 // an extra (middle) name in the query
		case !person && coveredWords >= 1 && q[i].place && !unmatchedPlace(c, cUsed):
			pen = 0.3 // "Deutsche Bank (Schweiz)": a country or region in a firm's name
		}
		if !person && sectorWords[q[i].text] && !(len(listedLegal) > 0 && misspeltLegal(&q[i], listedLegal)) {
			// "Deutsche Bank Trust Company" is not "Deutsche Bank"
			// (unless the word belongs to the listed legal form: "JOINT
			// STOK COMMERCIAL BANK" for "JSCB").
			w, pen = max(w, sectorWeight), 1
		}
		den += w * pen
		if explain {
			al.pairs = append(al.pairs, lexscreen.TokenAlignment{Query: q[i].text, How: howExtra, Weight: round3(w * pen)})
		}
	}
	// What the listed tokens that a two-surname name written with one
	// surname leaves out cost (oneSurnameDroppable).
	var dropped float64
	droppedSurname := false
	for j := range c {
		if cUsed[j] {
			continue
		}
		w := weightOf(&c[j], numbers)
		pen := missingPenalty(c, j, person)
		if !person && sectorWords[c[j].text] && unmatchedSector(q, qUsed) {
			// "China Construction Trust" is not "China Construction Bank".
			w, pen = max(w, sectorWeight), 0.8
		}
		if numbers == numbersStrict && (c[j].kind == names.Number || romanNumeral(c[j].text)) {
			pen = 1 // "Fund I": a numeral that tells one of a family, not an initial
		}
		if !person && coveredWords >= 1 && c[j].place && !unmatchedPlace(q, qUsed) {
			pen = min(pen, 0.3) // "FABERLIC EUROPE" for "Faberlic"
		}
		if swapped && c[j].kind == names.Word {
			pen = max(pen, 0.8)
		}
		if !person && leadingArticle(c, j) {
			pen = 0
		}
		den += w * pen
		if person && oneSurnameDroppable(c, j) {
			dropped += w * pen
			droppedSurname = droppedSurname || c[j].surname
		}
		if explain {
			al.pairs = append(al.pairs, lexscreen.TokenAlignment{Listed: c[j].text, How: howMissing, Weight: round3(w * pen)})
		}
	}
	if den > 0 {
		al.score = num / den
	}
	if initialClash {
		al.score *= initialClashFactor
	} else if droppedSurname && !swapped && den > dropped && oneSurnameWritten(chosen, c) {
		// A Spanish or Portuguese name written the customary way: a given
		// name and one of the two surnames ("Nicolás Maduro" for "MADURO
		// MOROS, Nicolás"; "Hugo Carvajal" for "CARVAJAL BARRIOS, Hugo
		// Armando"). The words so left out cost nothing; the reading
		// costs oneSurnameCost (finish).
		if s := num / (den - dropped); s-oneSurnameCost > al.score {
			al.score, al.oneSurname = s, true
		}
	}
	// A surname alone: a single rare word that is exactly the listed family
	// name ("Putin", "President Putin") is worth a review.
	if len(q) == 1 && len(chosen) == 1 && chosen[0].how == howExact && chosen[0].cn == 1 && person &&
		q[0].weight >= 0.75 && isFamily(c, chosen[0].cj) {
		al.score = max(al.score, 0.82)
	}
	return al
}

// wordCount counts the tokens that are words (not particles, legal forms,
// initials or numbers).
func wordCount(ts []tok) int {
	n := 0
	for i := range ts {
		if ts[i].kind == names.Word {
			n++
		}
	}
	return n
}

// shortSlip reports whether a word of three letters is one of four with a
// letter after the first left out ("mea" and "mena"). In a name of one
// word that is its likeliest reading (shortSlipSim), as leaving a letter
// out keeps the word's shape; among other words tokenSim's stricter
// reading stands. (A letter changed in a word of four is not a slip
// there: "Snoe" is not the ship "Snow".)
func shortSlip(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(a) == 3 && len(b) == 4 && a[0] == b[0] && levenshtein(a, b, 1) == 1
}

// shortSlipSim is the similarity of a one-word name and a listed one a
// typing slip apart (shortSlip).
const shortSlipSim = 0.86

// leadingArticle reports whether token i is the English article opening a
// firm's or a ship's name with more after it: it is no part of the name,
// which lists and customers write with it and without ("The Boeing
// Company", "Boeing Company").
func leadingArticle(ts []tok, i int) bool {
	return i == 0 && len(ts) > 1 && ts[0].text == "the"
}

// oneSurnameWritten reports whether the chosen pairings align a listed
// surname (markSurnames) and a listed given or middle name, each with a
// query word rather than an initial or an acronym.
func oneSurnameWritten(chosen []pairing, c []tok) bool {
	surname, given := false, false
	for _, p := range chosen {
		if p.how == howInitial || p.how == howAcronym {
			continue
		}
		for k := p.cj; k < p.cj+p.cn; k++ {
			switch {
			case c[k].surname:
				surname = true
			case c[k].kind == names.Word && (c[k].part == lexscreen.PartGiven || c[k].part == lexscreen.PartMiddle):
				given = true
			}
		}
	}
	return surname && given
}

// sectorWords name the business of a financial firm; a group's bank, trust,
// insurer and investment arm are separate firms, so such a word in a
// query that the listed name lacks, or one in place of another, weighs at
// least sectorWeight however common it is.
var sectorWords = map[string]bool{
	"bank": true, "banking": true, "trust": true, "capital": true, "holding": true, "holdings": true,
	"securities": true, "insurance": true, "assurance": true, "reinsurance": true, "investment": true,
	"investments": true, "finance": true, "financial": true, "leasing": true,
}

const sectorWeight = 0.4

// unmatchedSector reports whether an unaligned token is a sector word.
func unmatchedSector(ts []tok, used []bool) bool {
	for i := range ts {
		if !used[i] && sectorWords[ts[i].text] {
			return true
		}
	}
	return false
}

// initialClashFactor scales the score of persons' names whose middle names
// disagree through an initial.
const initialClashFactor = 0.9

// regionWords are names of regions and countries in their own languages
// that the country table (English names) lacks.
var regionWords = map[string]bool{
	"europe": true, "europa": true, "european": true, "asia": true, "asian": true, "africa": true, "african": true,
	"america": true, "americas": true, "eurasia": true, "pacific": true, "schweiz": true, "suisse": true,
	"svizzera": true, "deutschland": true, "nederland": true, "espana": true, "italia": true, "polska": true,
	"osterreich": true, "rossiya": true, "rossii": true, "turkiye": true, "misr": true, "emirates": true,
}

// placeWord reports whether a folded token names a country or a region
// ("europe", "schweiz", "iran"); in a firm's name such a word often tells
// a subsidiary or branch, not another firm. It is worked out once per
// listed token (index build) and once per query token (tok.place), as the
// country table is slow to consult.
func placeWord(t string) bool {
	return len(t) >= 4 && (regionWords[t] || countries.Code(t) != "")
}

// unmatchedPlace reports whether an unaligned token names a place: with
// one on each side ("(Spain)" and "(Netherlands)") the names are of two
// subsidiaries.
func unmatchedPlace(ts []tok, used []bool) bool {
	for i := range ts {
		if !used[i] && ts[i].place {
			return true
		}
	}
	return false
}

// isFamily reports whether listed token j is the family name: tagged so,
// or, with no tags, the last word.
func isFamily(c []tok, j int) bool {
	if c[j].part != "" {
		return c[j].part == lexscreen.PartFamily
	}
	for k := len(c) - 1; k >= 0; k-- {
		if c[k].kind == names.Word {
			return k == j
		}
	}
	return false
}

func unmatchedNumber(ts []tok, used []bool) bool {
	for i := range ts {
		if !used[i] && (ts[i].kind == names.Number || romanNumeral(ts[i].text)) {
			return true
		}
	}
	return false
}

// weightOf is a token's rarity weight in a name. Numbers and Roman
// numerals in names of organisations, vessels and aircraft follow the
// numbers rule of the alignment: weighing little (numbers), or, when
// they tell one entity of a family from another (strictNumbers: "Fund" and
// "Fund II"), at least as much as an ordinary word.
func weightOf(t *tok, numbers numberRule) float64 {
	w := float64(t.weight)
	if numbers != numbersPlain && (t.kind == names.Number || romanNumeral(t.text)) {
		if numbers == numbersLow {
			w *= 0.3
		} else {
			w = max(w, 0.8)
		}
	}
	return w
}

// numberRule says how numbers in a name weigh.
type numberRule uint8

const (
	numbersPlain  numberRule = iota // as their rarity says (persons' names)
	numbersLow                      // little: series written differently
	numbersStrict                   // as a distinctive word: one entity of a family
)

// romanNumeral reports whether s is a Roman numeral from 1 to 39.
func romanNumeral(s string) bool {
	switch strings.TrimLeft(s, "x") {
	case "", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix":
		return s != "" && len(s)-len(strings.TrimLeft(s, "x")) <= 3
	}
	return false
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
			return 0.45
		}
		return 0.2
	case lexscreen.PartMiddle, lexscreen.PartPatronymic, lexscreen.PartMatronymic:
		return 0.2
	}
	if j == 0 || j == len(c)-1 {
		return 0.55
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
