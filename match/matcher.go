package match

import (
	"fmt"
	"hash/maphash"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/names"
)

// Version names the matching algorithm; results record it.
const Version = "lexscreen-match/1"

// DefaultThreshold is the calibrated score from which a candidate is a
// match. Scores are calibrated so that this one threshold serves persons,
// organisations, vessels and aircraft.
const DefaultThreshold = 0.75

// DefaultLimit is how many matches a screening returns at most, best first.
// Every match above the threshold is an alert, so the limit is generous.
const DefaultLimit = 25

// Matcher screens queries against one Index. It is safe for concurrent use.
type Matcher struct {
	ix      *Index
	scratch sync.Pool
}

// New returns a Matcher over ix.
func New(ix *Index) *Matcher {
	m := &Matcher{ix: ix}
	m.scratch.New = func() any {
		n := len(ix.names)
		return &scratch{acc: make([]float32, n), stamp: make([]uint32, n), tokStamp: make([]uint32, n), tokBest: make([]float32, n)}
	}
	return m
}

// Index returns the index the matcher uses.
func (m *Matcher) Index() *Index { return m.ix }

// Threshold returns the default decision threshold.
func (m *Matcher) Threshold() float64 { return DefaultThreshold }

// Options tune one screening.
type Options struct {
	Threshold float64 // 0: DefaultThreshold
	Limit     int     // most matches returned; 0: DefaultLimit
}

// scratch is per-goroutine working memory for candidate retrieval.
type scratch struct {
	acc     []float32
	stamp   []uint32
	epoch   uint32
	touched []uint32
	// For the query token being accumulated: the stamp of the token that
	// last added to a name and what it added, so that several variants
	// of one query token ("omar" finding "omar" and "umar") count once.
	tokStamp []uint32
	tokBest  []float32
	tokEpoch uint32
}

// query is a prepared query.
type query struct {
	abjad     bool // the name is written in a script without short vowels
	cjk       bool // the name is written in Chinese, Korean or Japanese script
	variants  [][]tok
	vschemas  []lexscreen.Schema // schema each variant was tokenized for
	lookups   [][][]tokMatch     // per variant, per token: the listed tokens it may stand for
	schema    lexscreen.Schema
	dob       lexscreen.PartialDate
	hasDOB    bool
	countries []string
	ids       []string
}

// prepare normalises a query. Non-Latin names get transliteration variants.
func (m *Matcher) prepare(q lexscreen.Query) (*query, error) {
	pq := &query{schema: q.Schema, countries: countryCodes(q.Countries)}
	switch names.Script(q.Name) {
	case "Arab", "Hebr", "Syrc", "Thaa":
		pq.abjad = true
	case "Hani", "Hang", "Jpan", "Kore":
		pq.cjk = true
	}
	if q.BirthDate != "" {
		d, err := lexscreen.ParseISODate(q.BirthDate)
		if err != nil {
			return nil, lexscreen.Errorf(lexscreen.EINVALID, "dob: %v", err)
		}
		pq.dob, pq.hasDOB = d, true
	}
	for _, id := range q.Identifiers {
		if n := normID(id); len(n) >= 4 {
			pq.ids = append(pq.ids, n)
		}
	}
	schemas := []lexscreen.Schema{q.Schema}
	if q.Schema == "" || q.Schema == lexscreen.SchemaUnknown {
		// Unknown type: read the name both as a person's (no legal forms:
		// "N. A. Budarina" is a person with initials) and as an organisation's.
		schemas = []lexscreen.Schema{lexscreen.SchemaPerson, lexscreen.SchemaOrganization}
	}
	var base []names.Token
	for _, schema := range schemas {
		if len(q.Parts) > 0 {
			base = names.TokenizeParts(q.Parts, schema)
		} else {
			base = names.Tokenize(q.Name, schema)
		}
		pq.add(m.ix, base, schema)
	}
	schema := q.Schema
	if schema == "" || schema == lexscreen.SchemaUnknown {
		schema = lexscreen.SchemaPerson // names in Han or Hangul script on lists are persons' names
	}
	switch names.Script(q.Name) {
	case "Hang", "Kore":
		for _, v := range names.KoreanVariants(q.Name) {
			pq.add(m.ix, names.Tokenize(v, lexscreen.SchemaPerson), lexscreen.SchemaPerson)
		}
	case "Hani", "Jpan":
		// Chinese names are written surname + given name; romanised, the
		// given name's syllables are joined: 习近平 -> "xi jinping".
		if len(base) >= 3 {
			joined := []names.Token{base[0], {Text: joinTexts(base[1:]), Kind: names.Word, Pos: 1}}
			pq.add(m.ix, joined, schema)
		}
		if len(base) >= 2 {
			pq.add(m.ix, []names.Token{{Text: joinTexts(base), Kind: names.Word}}, schema)
		}
	}
	if len(pq.variants) == 0 && len(pq.ids) == 0 {
		if strings.TrimSpace(q.Name) == "" {
			return nil, lexscreen.Errorf(lexscreen.EINVALID, "nothing to screen: give a name or an identifier")
		}
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "the name %q has nothing to match on (no letters or digits)", q.Name)
	}
	return pq, nil
}

func joinTexts(ts []names.Token) string {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString(t.Text)
	}
	return b.String()
}

func (pq *query) add(ix *Index, in []names.Token, schema lexscreen.Schema) {
	in = canonicalWords(mergeAcronyms(in, schema))
	var v []tok
	var looks [][]tokMatch
	var pre [][]tokMatch
	for i := range in {
		t := tok{text: in[i].Text, kind: in[i].Kind, abjad: pq.abjad, cjk: pq.cjk, nicks: nicksOf(in[i].Text), looked: true}
		if len(t.text) >= 2 && t.kind != names.Initial && t.kind != names.Title && t.kind != names.LegalForm {
			t.phon, t.skel = names.Phonetic(t.text), names.Skeleton(t.text)
			if t.phon == "" {
				t.phon = t.text
			}
		}
		pre = append(pre, ix.lookup(&t))
	}
	in = markParticles(ix, in, schema, pre)
	for i, t := range in {
		if t.Kind == names.Title || t.Kind == names.LegalForm || t.Text == "" {
			continue
		}
		qt := tok{text: t.Text, kind: t.Kind, part: t.Part, abjad: pq.abjad, cjk: pq.cjk, nicks: nicksOf(t.Text)}
		if len(t.Text) >= 2 && t.Kind != names.Initial {
			qt.phon, qt.skel = names.Phonetic(t.Text), names.Skeleton(t.Text)
			if qt.phon == "" {
				qt.phon = t.Text
			}
		}
		ms := pre[i]
		// Rarity: of the token itself when listed, else of the listed token
		// it most resembles (a misspelt "Limitted" is as common as
		// "Limited"), else that of a name the lists do not hold.
		switch {
		case len(ms) > 0 && (ms[0].sim == 1 || ms[0].sim >= 0.85):
			qt.weight = ix.toks[ms[0].id].weight
		default:
			qt.weight = unknownWeight
		}
		if t.Kind == names.Stop {
			qt.weight *= 0.3
		}
		qt.looks, qt.looked = ms, true
		v = append(v, qt)
		looks = append(looks, ms)
	}
	if len(v) > 0 {
		for i, o := range pq.variants {
			if sameTexts(o, v) {
				if pq.vschemas[i] != schema {
					// The person and the organisation readings agree:
					// one variant serves every entity type.
					pq.vschemas[i] = ""
				}
				return
			}
		}
		pq.variants = append(pq.variants, v)
		pq.lookups = append(pq.lookups, looks)
		pq.vschemas = append(pq.vschemas, schema)
	}
}

func sameTexts(a, b []tok) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].text != b[i].text || a[i].kind != b[i].kind {
			return false
		}
	}
	return true
}

// unknownWeight is the rarity weight of a query token that no listed name
// holds or resembles.
const unknownWeight = 0.8

// vesselPrefixes are ship-type prefixes written before vessel names.
var vesselPrefixes = map[string]bool{"mv": true, "mt": true, "ms": true, "ss": true, "fv": true, "mmv": true, "mts": true}

// legalLookalike reports whether a token closely resembles a legal-form
// word ("kompany" ~ "company").
func legalLookalike(ix *Index, ms []tokMatch) bool {
	for _, m := range ms {
		if m.sim >= 0.9 && ix.toks[m.id].legal && len(ix.toks[m.id].text) >= 6 {
			return true
		}
	}
	return false
}

// markParticles turns words that carry little identity in names of
// organisations, vessels and aircraft into particles: a vessel prefix
// ("MV GAS DIOR") and legal-form words left over when a legal form was not
// recognised whole ("Limited Liabbilty Company"). looks, when given, are the
// listed tokens each token may stand for (so a misspelt legal-form word is
// recognised); persons' names are left alone.
func markParticles(ix *Index, ts []names.Token, schema lexscreen.Schema, looks [][]tokMatch) []names.Token {
	if schema == lexscreen.SchemaPerson || len(ts) < 2 {
		return ts
	}
	var out []names.Token
	mark := func(i int) {
		if out == nil {
			out = slices.Clone(ts)
		}
		out[i].Kind = names.Stop
	}
	for i, t := range ts {
		if t.Kind != names.Word {
			continue
		}
		switch {
		case i == 0 && vesselPrefixes[t.Text]:
			mark(i)
		case names.LegalFormWords()[t.Text]:
			mark(i)
		case looks != nil && len(t.Text) >= 6 && legalLookalike(ix, looks[i]):
			mark(i)
		}
	}
	if out == nil {
		return ts
	}
	// A name made only of particles keeps its words.
	for _, t := range out {
		if t.Kind == names.Word {
			return out
		}
	}
	return ts
}

// tokMatch is a listed token a query token may stand for.
type tokMatch struct {
	id  uint32
	sim float64
	how string
}

// lookup finds the listed tokens a query token may stand for: the same
// token, the same phonetic key or skeleton, or one or two edits away.
func (ix *Index) lookup(t *tok) []tokMatch {
	var out []tokMatch
	var seenBuf [64]uint32
	seen := seenBuf[:0]
	try := func(id uint32) {
		if slices.Contains(seen, id) {
			return
		}
		seen = append(seen, id)
		ti := &ix.toks[id]
		ct := tok{text: ti.text, phon: ti.phon, skel: ti.skel}
		if s, how := tokenSim(t, &ct); s >= minPairSim {
			out = append(out, tokMatch{id, s, how})
		}
	}
	if id, ok := ix.vocab[t.text]; ok {
		seen = append(seen, id)
		out = append(out, tokMatch{id, 1, howExact})
	}
	if t.kind == names.Initial || len(t.text) < 2 {
		return out
	}
	for _, id := range ix.phon[t.phon] {
		try(id)
	}
	if len(t.skel) >= 3 && (t.abjad || !hasVowel(t.text)) {
		for _, id := range ix.skel[t.skel] {
			try(id)
		}
	} else if len(t.skel) >= 3 {
		for _, id := range ix.skel[t.skel] {
			if !hasVowel(ix.toks[id].text) {
				try(id)
			}
		}
	}
	if len(t.text) >= 3 {
		probe := func(v string) {
			h := maphash.String(ix.seed, v)
			lo, hi := ix.delBucket[h>>delShift], ix.delBucket[h>>delShift+1]
			keys := ix.delKeys[lo:hi]
			i := int(lo) + sort.Search(len(keys), func(i int) bool { return keys[i] >= h })
			for ; i < int(hi) && ix.delKeys[i] == h; i++ {
				try(ix.delIDs[i])
			}
		}
		probe(t.text) // the query is a listed token with a letter deleted
		if len(t.text) >= 4 {
			forDeletes(t.text, func(v string) {
				probe(v) // both lost a letter: a substitution or transposition
				if id, ok := ix.vocab[v]; ok {
					try(id) // the query has a letter added
				}
			})
		}
	}
	slices.SortFunc(out, func(a, b tokMatch) int {
		switch {
		case a.sim > b.sim:
			return -1
		case a.sim < b.sim:
			return 1
		}
		// Equally similar: the more common listed spelling first.
		if da, db := ix.toks[a.id].df, ix.toks[b.id].df; da != db {
			return int(db - da)
		}
		return int(a.id) - int(b.id)
	})
	if len(out) > maxLookups {
		out = out[:maxLookups]
	}
	return out
}

// maxLookups bounds the listed tokens one query token may stand for.
const maxLookups = 64

// commonDF is the document frequency from which a token only strengthens
// candidates that rarer tokens found, instead of proposing its own.
const commonDF = 2000

// candidates returns the names most worth scoring for one query variant.
func (m *Matcher) candidates(v []tok, looks [][]tokMatch, sc *scratch, k int) []uint32 {
	ix := m.ix
	sc.epoch++
	if sc.epoch == 0 { // wrapped: clear stamps
		clear(sc.stamp)
		sc.epoch = 1
	}
	sc.touched = sc.touched[:0]
	type qt struct {
		matches []tokMatch
		w       float32
	}
	qs := make([]qt, 0, len(v))
	for i := range v {
		if v[i].kind == names.Initial {
			continue
		}
		ms := looks[i]
		if len(ms) == 0 {
			continue
		}
		qs = append(qs, qt{ms, ix.toks[ms[0].id].weight})
	}
	// Rarest first, so common tokens can be limited to boosting.
	slices.SortFunc(qs, func(a, b qt) int {
		switch {
		case a.w > b.w:
			return -1
		case a.w < b.w:
			return 1
		}
		return 0
	})
	for qi, q := range qs {
		boostOnly := false
		for _, tm := range q.matches {
			if ix.toks[tm.id].df > commonDF && qi > 0 && len(sc.touched) > 0 {
				boostOnly = true
			}
		}
		// Each query token adds its best contribution to a name once, so
		// that variants of one token don't add up.
		sc.tokEpoch++
		if sc.tokEpoch == 0 {
			clear(sc.tokStamp)
			sc.tokEpoch = 1
		}
		for _, tm := range q.matches {
			c := ix.toks[tm.id].weight * float32(tm.sim*tm.sim)
			for _, nid := range ix.postings[tm.id] {
				if sc.stamp[nid] != sc.epoch {
					if boostOnly {
						continue
					}
					sc.stamp[nid] = sc.epoch
					sc.acc[nid] = 0
					sc.touched = append(sc.touched, nid)
				}
				if sc.tokStamp[nid] == sc.tokEpoch {
					if c > sc.tokBest[nid] {
						sc.acc[nid] += c - sc.tokBest[nid]
						sc.tokBest[nid] = c
					}
					continue
				}
				sc.tokStamp[nid], sc.tokBest[nid] = sc.tokEpoch, c
				sc.acc[nid] += c
			}
		}
	}
	// Initials cannot find names, but they tell names apart: "Kim S."
	// prefers the Kims whose other name starts with S.
	var initials []byte
	for i := range v {
		if v[i].kind == names.Initial {
			initials = append(initials, v[i].text[0])
		}
	}
	if len(initials) > 0 {
		for _, nid := range sc.touched {
			for _, c := range initials {
				for _, t := range ix.names[nid].toks {
					if ix.toks[t.id].text[0] == c {
						sc.acc[nid] += 0.15
						break
					}
				}
			}
		}
	}
	// A name whose accumulated evidence is well below what the query could
	// reach cannot score as a match: leave it unscored.
	var total float32
	for _, q := range qs {
		total += q.w
	}
	// Among names the query reaches equally, prefer the shorter ones: they
	// leave fewer listed words unmatched ("OCEAN INC." before "WEALTHY
	// OCEAN ENTERPRISES LTD.").
	for _, nid := range sc.touched {
		sc.acc[nid] -= 0.01 * float32(len(ix.names[nid].toks))
	}
	out := topK(sc.touched, sc.acc, k)
	n := 0
	for _, id := range out {
		if sc.acc[id] >= 0.25*total {
			out[n] = id
			n++
		}
	}
	return out[:n]
}

// topK moves the k names with the highest accumulated score to the front
// of ids (ties by id, for determinism) and returns them.
func topK(ids []uint32, acc []float32, k int) []uint32 {
	if len(ids) <= k {
		return ids
	}
	less := func(a, b uint32) bool { return acc[a] > acc[b] || acc[a] == acc[b] && a < b }
	// quickselect
	lo, hi := 0, len(ids)-1
	for lo < hi {
		p := ids[(lo+hi)/2]
		i, j := lo, hi
		for i <= j {
			for less(ids[i], p) {
				i++
			}
			for less(p, ids[j]) {
				j--
			}
			if i <= j {
				ids[i], ids[j] = ids[j], ids[i]
				i++
				j--
			}
		}
		switch {
		case k-1 <= j:
			hi = j
		case k-1 >= i:
			lo = i
		default:
			lo = hi
		}
	}
	return ids[:k]
}

// candidateK is how many candidate names per query variant are scored.
const candidateK = 60

// Screen returns the matches of q at the default threshold, best first.
func (m *Matcher) Screen(q lexscreen.Query) []lexscreen.Match {
	ms, _ := m.ScreenWith(q, Options{})
	return ms
}

// ScreenWith screens q with options. It fails only on invalid queries.
func (m *Matcher) ScreenWith(q lexscreen.Query, opts Options) ([]lexscreen.Match, error) {
	if opts.Threshold <= 0 {
		opts.Threshold = DefaultThreshold
	}
	if opts.Limit <= 0 {
		opts.Limit = DefaultLimit
	}
	pq, err := m.prepare(q)
	if err != nil {
		return nil, err
	}
	sc := m.scratch.Get().(*scratch)
	defer m.scratch.Put(sc)
	// Pass 1 scores candidates without building explanations; pass 2
	// explains the best name of each entity that matches.
	type pick struct {
		score, nameScore float64
		vi               int
		nid              uint32
		byID             *lexscreen.Match
	}
	best := map[uint32]*pick{}
	// Identifiers find entities on their own: a passport or IMO number
	// listed for an entity makes it a candidate whatever the name.
	for _, id := range pq.ids {
		for _, eid := range m.ix.ids[id] {
			er := &m.ix.entities[eid]
			if _, ok := best[eid]; ok || !schemaCompatible(pq.schema, er.ref.Schema) {
				continue
			}
			if mt, ok := m.identifierMatch(pq, er); ok {
				best[eid] = &pick{score: mt.Score, byID: &mt}
			}
		}
	}
	for vi, v := range pq.variants {
		for _, nid := range m.candidates(v, pq.lookups[vi], sc, candidateK) {
			nr := &m.ix.names[nid]
			er := &m.ix.entities[nr.entity]
			if !schemaCompatible(pq.schema, er.ref.Schema) || !variantFits(pq.vschemas[vi], er.ref.Schema) {
				continue
			}
			if b, ok := best[nr.entity]; ok && b.nameScore >= 0.999 {
				continue
			}
			al := alignNames(v, m.ix.nameToks(nr), er.ref.Schema, false)
			if al.strong == 0 || al.score < 0.5 {
				continue
			}
			score := m.finish(pq, al, nr.full, nr.kind, er, false).Score
			if b, ok := best[nr.entity]; !ok || score > b.score {
				best[nr.entity] = &pick{score: score, nameScore: al.score, vi: vi, nid: nid}
			}
		}
	}
	var out []lexscreen.Match
	for _, b := range best {
		if b.score < opts.Threshold {
			continue
		}
		if b.byID != nil {
			out = append(out, *b.byID)
			continue
		}
		nr := &m.ix.names[b.nid]
		er := &m.ix.entities[nr.entity]
		al := alignNames(pq.variants[b.vi], m.ix.nameToks(nr), er.ref.Schema, true)
		out = append(out, m.finish(pq, al, nr.full, nr.kind, er, true))
	}
	slices.SortFunc(out, func(a, b lexscreen.Match) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return strings.Compare(a.Entity.ID, b.Entity.ID)
	})
	if len(out) > opts.Limit {
		out = out[:opts.Limit]
	}
	return out, nil
}

func (ix *Index) nameToks(nr *nameRec) []tok {
	c := make([]tok, len(nr.toks))
	for i, t := range nr.toks {
		ti := &ix.toks[t.id]
		w := ti.weight
		if t.kind == names.Stop {
			w *= 0.3
		}
		c[i] = tok{text: ti.text, kind: t.kind, part: t.part, weight: w, phon: ti.phon, skel: ti.skel, abjad: nr.abjad,
			id: t.id, indexed: true}
	}
	return c
}

// variantFits says whether a query variant tokenized for one schema may be
// compared with an entity of another: person readings with persons,
// organisation readings with everything else.
func variantFits(v, e lexscreen.Schema) bool {
	if e == "" || e == lexscreen.SchemaUnknown || v == "" || v == lexscreen.SchemaUnknown {
		return true
	}
	return (v == lexscreen.SchemaPerson) == (e == lexscreen.SchemaPerson)
}

func schemaCompatible(q, e lexscreen.Schema) bool {
	if q == "" || q == lexscreen.SchemaUnknown || e == "" || e == lexscreen.SchemaUnknown || q == e {
		return true
	}
	return false
}

// finish applies secondary evidence to a name alignment and builds the match.
func (m *Matcher) finish(pq *query, al alignment, full string, kind lexscreen.NameKind, er *entityRec, explain bool) lexscreen.Match {
	ex := lexscreen.Explanation{MatchedName: full, NameKind: kind, NameScore: round3(al.score), Tokens: al.pairs}
	score := al.score
	if kind == lexscreen.NameWeakAlias {
		ex.Evidence = append(ex.Evidence, lexscreen.Evidence{Kind: "weak_alias", Effect: -0.08,
			Detail: "matched a weak alias, which the publisher marks as too broad to rely on alone"})
	}
	ex.Evidence = append(ex.Evidence, evidence(pq, er)...)
	for _, ev := range ex.Evidence {
		score += ev.Effect
	}
	score = round3(min(1, max(0, score)))
	if !explain {
		return lexscreen.Match{Score: score}
	}
	ex.Summary = summary(ex, score)
	return lexscreen.Match{Entity: er.ref, Score: score, Explanation: ex,
		Designations: er.designations, Obligations: []lexscreen.Obligation{}}
}

func summary(ex lexscreen.Explanation, score float64) string {
	var parts []string
	for _, t := range ex.Tokens {
		switch t.How {
		case howExtra, howMissing:
		case howExact:
			parts = append(parts, t.Query)
		default:
			parts = append(parts, fmt.Sprintf("%s~%s (%s)", t.Query, t.Listed, t.How))
		}
	}
	s := fmt.Sprintf("name %.2f on %q [%s]", ex.NameScore, ex.MatchedName, strings.Join(parts, ", "))
	for _, ev := range ex.Evidence {
		s += fmt.Sprintf("; %s %+.2f", ev.Kind, ev.Effect)
	}
	return s + fmt.Sprintf(" => %.2f", score)
}

// identifierMatch scores an entity found by identifier alone: a name that
// also matches replaces this score when it is higher.
func (m *Matcher) identifierMatch(pq *query, er *entityRec) (lexscreen.Match, bool) {
	for _, id := range pq.ids {
		if slices.Contains(er.ids, id) {
			ex := lexscreen.Explanation{MatchedName: er.ref.Name, NameKind: lexscreen.NamePrimary, Tokens: []lexscreen.TokenAlignment{},
				Evidence: []lexscreen.Evidence{{Kind: "identifier", Effect: idOnlyScore,
					Detail: fmt.Sprintf("identifier %s is listed for the entity (no name compared)", id)}}}
			ex.Summary = fmt.Sprintf("identifier %s => %.2f", id, idOnlyScore)
			return lexscreen.Match{Entity: er.ref, Score: idOnlyScore, Explanation: ex, Designations: er.designations,
				Obligations: []lexscreen.Obligation{}}, true
		}
	}
	return lexscreen.Match{}, false
}

// idOnlyScore is the score of a match on an identifier alone.
const idOnlyScore = 0.9

// ScorePair scores a query against one entity that need not be indexed
// (for validating the matcher on labelled pairs). Token rarity comes from
// the index.
func (m *Matcher) ScorePair(q lexscreen.Query, e *lexscreen.Entity) float64 {
	mt, ok := m.ExplainPair(q, e)
	if !ok {
		return 0
	}
	return mt.Score
}

// ExplainPair is ScorePair with the explanation; ok is false when no name
// of e aligns with the query at all.
func (m *Matcher) ExplainPair(q lexscreen.Query, e *lexscreen.Entity) (lexscreen.Match, bool) {
	pq, err := m.prepare(q)
	if err != nil || !schemaCompatible(pq.schema, e.Schema) {
		return lexscreen.Match{}, false
	}
	b := newBuilder(nil)
	b.Add(e)
	tmp := b.ix
	er := &tmp.entities[0]
	var best lexscreen.Match
	found := false
	if len(pq.variants) == 0 {
		return m.identifierMatch(pq, er)
	}
	for ni := range tmp.names {
		nr := &tmp.names[ni]
		c := make([]tok, len(nr.toks))
		for i, t := range nr.toks {
			ti := &tmp.toks[t.id]
			w := m.ix.weightOf(ti.text)
			if t.kind == names.Stop {
				w *= 0.3
			}
			c[i] = tok{text: ti.text, kind: t.kind, part: t.part, weight: w, phon: ti.phon, skel: ti.skel, abjad: nr.abjad}
		}
		for vi, v := range pq.variants {
			if !variantFits(pq.vschemas[vi], e.Schema) {
				continue
			}
			al := alignNames(v, c, e.Schema, true)
			if al.strong == 0 {
				continue
			}
			mt := m.finish(pq, al, nr.full, nr.kind, er, true)
			if !found || mt.Score > best.Score {
				best, found = mt, true
			}
		}
	}
	return best, found
}
