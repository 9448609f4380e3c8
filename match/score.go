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
	rules      []lexscreen.RuleHit // with explain: the rules that fired
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
	return stringSim(a, b)
}

// alignNames aligns query tokens with listed tokens regardless of order and
// scores the alignment: the weighted share of the name both sides agree on.
// The rules it applies are named, each in the file of its concern
// (rules.go): pairing words (pairCandidates, pairSimOf, pairWeightOf),
// query words the listed name lacks (extraCost), listed words the query
// lacks (missingCost), and rules on the whole name (numbersFor,
// initialClash, applyNameRules). With explain, the alignment keeps its
// token pairs and the rules that fired.
func alignNames(q, c []tok, qj []qJoin, schema lexscreen.Schema, listedLegal []string, explain bool) alignment {
	// Single letters are initials only in persons' names: "MONICA S" is a
	// ship, not Monica S(oprano).
	person := schema == lexscreen.SchemaPerson || schema == lexscreen.SchemaUnknown || schema == ""
	if qj == nil {
		qj = queryJoins(q)
	}
	// (Most names are short: the pairings and flags live on the stack.)
	var candBuf [24]pairing
	cands := pairCandidates(candBuf[:0], q, c, qj, person)
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
	chosen := choosePairs(chosenBuf[:0], cands, qUsed, cUsed)

	var al alignment
	qLeft, cLeft := unaligned(q, qUsed, names.Word), unaligned(c, cUsed, names.Word)
	f := alignFacts{person: person, schema: schema, listedLegal: listedLegal, swapped: qLeft > 0 && cLeft > 0,
		cLeft: cLeft, q: q, c: c, qUsed: qUsed, cUsed: cUsed}
	clash := initialClash(&f, qLeft)
	f.numbers = numbersFor(&f, &al, explain)
	for j := range c {
		if cUsed[j] && c[j].kind == names.Word {
			f.coveredWords++
		}
	}
	// A name of one word on each side (a ship's, a firm's short name or
	// acronym) has no other word to tell a slip from another name.
	oneWord := wordCount(q) == 1 && wordCount(c) == 1
	var num, den float64
	for _, p := range chosen {
		var wq, wc float64
		qtext, ctext := "", ""
		for k := 0; k < p.qn; k++ {
			wq += weightOf(&q[p.qi+k], f.numbers)
			if explain {
				qtext += q[p.qi+k].text
			}
		}
		for k := 0; k < p.cn; k++ {
			wc += weightOf(&c[p.cj+k], f.numbers)
			if explain {
				ctext += c[p.cj+k].text
			}
		}
		if explain {
			explainPair(p, q, c, qtext, ctext, &al)
		}
		w := pairWeightOf(p, wq, wc, &al, explain, qtext, ctext)
		sim := pairSimOf(p, q, c, person, oneWord, &al, explain)
		num += w * pairCurve(sim)
		den += w
		initial := p.how == howInitial
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
		w, pen := extraCost(q, i, &f, &al, explain)
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
		w, pen := missingCost(c, j, &f, &al, explain)
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
	applyNameRules(&al, &f, clash, num, den, dropped, droppedSurname, chosen, explain)
	return al
}

// choosePairs appends to chosen the candidate pairs, best first, that
// share no token with a pair chosen before, marking their tokens used,
// and sorts them by query position.
func choosePairs(chosen, cands []pairing, qUsed, cUsed []bool) []pairing {
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
	return chosen
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

func round3(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }
