package match

import (
	"fmt"
	"slices"
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
const DefaultThreshold = 0.77

// DefaultLimit is how many matches a screening returns at most, best first.
// Every match above the threshold is an alert, so the limit is generous.
const DefaultLimit = 25

// Matcher screens queries against one Index. It is safe for concurrent use.
type Matcher struct {
	ix      *Index
	scratch sync.Pool
	lookups lookupCache
	names   nameCache
}

// New returns a Matcher over ix.
func New(ix *Index) *Matcher {
	m := &Matcher{ix: ix}
	m.scratch.New = func() any {
		n := ix.numNames()
		return &scratch{cells: make([]cell, n)}
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
	cells    []cell // by name id
	epoch    uint32
	touched  []uint32
	tokEpoch uint32
	ctoks    []tok // the tokens of the listed name being aligned
	// The alignments of the query's variants with names alike (pass 1).
	aligned map[alignKey]alignment
}

// alignKey names the alignment of a query variant with a name and the
// names alike (Index.nameRep) for an entity type.
type alignKey struct {
	rep    uint32
	vi     int
	schema lexscreen.Schema
}

// cell is what candidate retrieval accumulates for one name, kept together
// so that a name costs one cache line.
type cell struct {
	acc   float32 // evidence for the name
	stamp uint32  // epoch of the query variant that touched the name
	// For the query token being accumulated: the stamp of the token that
	// last added to a name and what it added, so that several variants
	// of one query token ("omar" finding "omar" and "umar") count once.
	tokStamp uint32
	tokBest  float32
}

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
	// The name's readings and the listed names they align with depend on
	// the name alone: a name screened before (a customer book repeats
	// names) reuses them (nameCache). Only the name's work needs the
	// scratch, a cell per listed name: a cached name takes none, so a
	// burst of screenings of known names allocates no scratch each.
	nw := m.names.get(q)
	if nw == nil {
		sc := m.scratch.Get().(*scratch)
		nw = m.screenName(q, sc)
		m.scratch.Put(sc)
		m.names.put(q, nw)
	}
	pqv := *nw.pq
	pq := &pqv
	pq.setFacts(q)
	if err := pq.check(q); err != nil {
		return nil, err
	}
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
		for _, eid := range m.ix.idEntities(id) {
			er := m.ix.entity(eid)
			if _, ok := best[eid]; ok || !schemaCompatible(pq.schema, er.ref.Schema) {
				continue
			}
			if mt, ok := m.identifierMatch(pq, er); ok {
				best[eid] = &pick{score: mt.Score, byID: &mt}
			}
		}
	}
	for _, h := range nw.hits {
		nr := m.ix.name(h.nid)
		if b, ok := best[nr.entity]; ok && b.score >= 0.999 {
			continue
		}
		vi, al := int(h.vi), h.al
		er := m.ix.entity(nr.entity)
		score := m.finish(pq, vi, al, nr.full, nr.kind, er, legalPair{pq.legal[vi], nr.legal}, false).Score
		if b, ok := best[nr.entity]; !ok || score > b.score {
			best[nr.entity] = &pick{score: score, nameScore: al.score, vi: vi, nid: h.nid}
		}
	}
	// Rank the entities above the threshold, keep the best Limit, and
	// explain only those.
	type ranked struct {
		eid uint32
		p   *pick
	}
	var top []ranked
	for eid, b := range best {
		if b.score >= opts.Threshold {
			top = append(top, ranked{eid, b})
		}
	}
	slices.SortFunc(top, func(a, b ranked) int {
		switch {
		case a.p.score > b.p.score:
			return -1
		case a.p.score < b.p.score:
			return 1
		}
		return strings.Compare(m.ix.entity(a.eid).ref.ID, m.ix.entity(b.eid).ref.ID)
	})
	if len(top) > opts.Limit {
		top = top[:opts.Limit]
	}
	out := make([]lexscreen.Match, 0, len(top))
	var ctoks []tok
	for _, t := range top {
		if t.p.byID != nil {
			out = append(out, *t.p.byID)
			continue
		}
		nr := m.ix.name(t.p.nid)
		er := m.ix.entity(nr.entity)
		ctoks = m.ix.nameToks(nr, ctoks)
		al := alignNames(pq.variants[t.p.vi], ctoks, pq.joins[t.p.vi], er.ref.Schema, nr.legalText, true)
		out = append(out, m.finish(pq, t.p.vi, al, nr.full, nr.kind, er, legalPair{pq.legal[t.p.vi], nr.legal}, true))
	}
	return out, nil
}

// nameToks returns the tokens of a listed name for alignment, in buf when
// it is long enough (alignNames neither keeps nor changes them).
func (ix *Index) nameToks(nr *nameRec, buf []tok) []tok {
	if cap(buf) < len(nr.toks) {
		buf = make([]tok, len(nr.toks), max(len(nr.toks), 16))
	}
	c := buf[:len(nr.toks)]
	for i, t := range nr.toks {
		ti := ix.tok(t.id)
		w := ti.weight
		if t.kind == names.Stop {
			w *= 0.3
		}
		c[i] = tok{text: ti.text, kind: t.kind, part: t.part, weight: w, phon: ti.phon, skel: ti.skel, canon: ti.canon, place: ti.place, abjad: nr.abjad,
			id: t.id, indexed: true, surname: t.surname, facts: ti.facts}
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

// finish applies secondary evidence to a name alignment of the query's
// variant vi and builds the match.
func (m *Matcher) finish(pq *query, vi int, al alignment, full string, kind lexscreen.NameKind, er *entityRec, lp legalPair, explain bool) lexscreen.Match {
	ex := lexscreen.Explanation{MatchedName: full, NameKind: kind, NameScore: round3(al.score), Tokens: al.pairs, Rules: al.rules}
	score := al.score
	if kind == lexscreen.NameWeakAlias {
		ex.Evidence = append(ex.Evidence, lexscreen.Evidence{Kind: "weak_alias", Effect: -0.08,
			Detail: "matched a weak alias, which the publisher marks as too broad to rely on alone"})
	}
	if pq.reversed[vi] {
		ex.Evidence = append(ex.Evidence, lexscreen.Evidence{Kind: "reversed", Effect: reversedEffect,
			Detail: "some words of the query match only read backwards (text direction lost, or typed backwards)"})
	}
	if al.oneSurname {
		ex.Evidence = append(ex.Evidence, lexscreen.Evidence{Kind: "one_surname", Effect: -oneSurnameCost,
			Detail: "the query gives one of the listed two surnames (and maybe not every given name), as Spanish and Portuguese names are customarily written"})
	}
	if ev, ok := lp.evidence(); ok {
		ex.Evidence = append(ex.Evidence, ev)
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
	s += fmt.Sprintf(" => %.2f", score)
	if rs := ruleNamesOf(ex.Rules); len(rs) > 0 {
		s += " (rules: " + strings.Join(rs, ", ") + ")"
	}
	return s
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

// reversedEffect is what reading query words backwards costs a match.
const reversedEffect = -0.02

// acceptable reports whether an alignment of a query with a listed name
// is one that screening scores: some word of the name aligned, half of
// the name agreed on at least, and no word read backwards left alone.
func acceptable(al alignment) bool {
	return al.strong > 0 && al.score >= 0.5 && !al.loose
}

// ScorePair scores a query against one entity that need not be indexed
// (for validating the matcher on labelled pairs): the score that
// screening q would give e if e were listed, 0 when screening would not
// score it at all. Token rarity comes from the index.
func (m *Matcher) ScorePair(q lexscreen.Query, e *lexscreen.Entity) float64 {
	mt, ok := m.ExplainPair(q, e)
	if !ok {
		return 0
	}
	return mt.Score
}

// ExplainPair is ScorePair with the explanation; ok is false when
// screening would not score e at all. It reads e as the index reads a
// listed entity (Builder.Add) and scores it as ScreenWith scores a
// candidate: the same alignment, acceptance and evidence, the best of its
// names and of the query's readings, an identifier match unless a name
// scores higher. Only candidate retrieval is left out (e is the candidate).
func (m *Matcher) ExplainPair(q lexscreen.Query, e *lexscreen.Entity) (lexscreen.Match, bool) {
	pq, err := m.prepare(q)
	if err != nil || !schemaCompatible(pq.schema, e.Schema) {
		return lexscreen.Match{}, false
	}
	b := newBuilder(nil)
	b.Add(e)
	markLearnedSurnames(b.ix, b.surnameCands, m.ix.surnameWord)
	tmp := b.ix
	if len(tmp.entities) == 0 {
		return lexscreen.Match{}, false
	}
	er := &tmp.entities[0]
	byID, found := m.identifierMatch(pq, er)
	best, bestVi, bestNi := byID.Score, -1, -1
	toks := make([][]tok, len(tmp.names))
	for ni := range tmp.names {
		toks[ni] = m.pairToks(tmp, &tmp.names[ni])
		for vi, v := range pq.variants {
			if !variantFits(pq.vschemas[vi], e.Schema) {
				continue
			}
			nr := &tmp.names[ni]
			al := alignNames(v, toks[ni], pq.joins[vi], e.Schema, nr.legalText, false)
			if !acceptable(al) {
				continue
			}
			score := m.finish(pq, vi, al, nr.full, nr.kind, er, legalPair{pq.legal[vi], nr.legal}, false).Score
			if !found || score > best {
				best, bestVi, bestNi, found = score, vi, ni, true
			}
		}
	}
	if !found {
		return lexscreen.Match{}, false
	}
	if bestVi < 0 {
		return byID, true
	}
	nr := &tmp.names[bestNi]
	al := alignNames(pq.variants[bestVi], toks[bestNi], pq.joins[bestVi], e.Schema, nr.legalText, true)
	return m.finish(pq, bestVi, al, nr.full, nr.kind, er, legalPair{pq.legal[bestVi], nr.legal}, true), true
}

// pairToks returns the tokens of a name of a one-entity index for
// alignment, as Index.nameToks does, with the rarity of the matcher's
// index.
func (m *Matcher) pairToks(tmp *Index, nr *nameRec) []tok {
	c := make([]tok, len(nr.toks))
	for i, t := range nr.toks {
		ti := &tmp.toks[t.id]
		w := m.ix.weightOf(ti.text)
		if t.kind == names.Stop {
			w *= 0.3
		}
		c[i] = tok{text: ti.text, kind: t.kind, part: t.part, weight: w, phon: ti.phon, skel: ti.skel, canon: ti.canon, place: ti.place, abjad: nr.abjad,
			surname: t.surname}
		if id, ok := m.ix.tokID(ti.text); ok {
			// The query's lookups name the matcher's tokens.
			c[i].id, c[i].indexed = id, true
		}
	}
	return c
}
