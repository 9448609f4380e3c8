package match

import (
	"slices"
	"sync"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/names"
)

// RetrievalKey is a word, or an identifier, by which screening a query can
// retrieve a listed entity: the unit of a reverse index (an index of the
// queries, queried with listed entities).
type RetrievalKey struct {
	Text   string
	Abjad  bool // read from a name in a script without short vowels
	CJK    bool // a syllable of a Chinese, Korean or Japanese name
	Number bool // a number word ("5", "fifth")
	ID     bool // Text is a normalised identifier number
}

var (
	emptyOnce    sync.Once
	emptyMatcher *Matcher
)

// RetrievalKeys returns every key by which screening q against any index
// could retrieve a listed entity: each word of each reading of the name
// (transliterations, words spelled out, a CJK name's joined syllables) but
// initials, which retrieve nothing; each word read backwards and each two
// short words run together (readings that depend on the index); and the
// normalised identifiers. The keys depend on q alone, never on an index,
// so that an index of them survives list updates. They are a superset:
// Matcher.Retrieves tells which of them an index answers.
func RetrievalKeys(q lexscreen.Query) ([]RetrievalKey, error) {
	emptyOnce.Do(func() { emptyMatcher = New(NewBuilder(nil).Build()) })
	pq, err := emptyMatcher.prepare(q)
	if err != nil {
		return nil, err
	}
	var out []RetrievalKey
	add := func(k RetrievalKey) {
		if k.Text != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	for _, v := range pq.variants {
		for _, t := range v {
			if t.kind != names.Initial {
				add(RetrievalKey{Text: t.text, Abjad: t.abjad, CJK: t.cjk, Number: t.kind == names.Number})
			}
		}
	}
	// Readings that forward screening builds only when the index holds
	// their words: taken whatever the index.
	if len(q.Parts) == 0 {
		name := names.Clean(q.Name)
		for _, schema := range []lexscreen.Schema{lexscreen.SchemaPerson, lexscreen.SchemaOrganization} {
			base := canonicalWords(mergeAcronyms(names.Tokenize(name, schema), schema))
			// Titles and legal forms retrieve nothing beside a name word
			// (screening drops them from its readings).
			hasWord := slices.ContainsFunc(base, func(t names.Token) bool {
				return t.Kind == names.Word && !names.LegalFormWords()[t.Text]
			})
			for i, t := range base {
				if t.Kind == names.Initial || t.Text == "" || hasWord && (t.Kind == names.Title || t.Kind == names.LegalForm) {
					continue
				}
				add(RetrievalKey{Text: t.Text, Abjad: pq.abjad, CJK: pq.cjk, Number: t.Kind == names.Number})
				if len(t.Text) >= 4 && isLetters(t.Text) {
					r := []byte(t.Text)
					slices.Reverse(r)
					add(RetrievalKey{Text: string(r)})
				}
				if i+1 < len(base) {
					c := base[i+1]
					if c.Kind != names.Initial && len(t.Text) <= 6 && len(c.Text) <= 6 && len(t.Text)+len(c.Text) >= 5 &&
						isLetters(t.Text) && isLetters(c.Text) {
						add(RetrievalKey{Text: t.Text + c.Text})
					}
				}
			}
		}
	}
	for _, id := range pq.ids {
		add(RetrievalKey{Text: id, ID: true})
	}
	return out, nil
}

// Retrieves reports whether a query holding key k could retrieve an
// entity of m's index by it: an identifier listed, or a query word that
// looks up at least one listed word (the same lookup screening does).
func (m *Matcher) Retrieves(k RetrievalKey) bool {
	if k.ID {
		return len(m.ix.idEntities(k.Text)) > 0
	}
	t := tok{text: k.Text, kind: names.Word, abjad: k.Abjad, cjk: k.CJK, looked: true, nicks: nicksOf(k.Text)}
	if k.Number {
		t.kind = names.Number
	}
	if len(t.text) >= 2 {
		t.phon, t.skel, t.canon = names.Phonetic(t.text), names.Skeleton(t.text), translitCanon(t.text)
		if t.phon == "" {
			t.phon = t.text
		}
	}
	return len(m.ix.lookup(&t)) > 0
}

// RetrievedEntities calls fn with the id of every entity of m's index
// that a query holding key k could retrieve by it.
func (m *Matcher) RetrievedEntities(k RetrievalKey, fn func(entityID string)) {
	if k.ID {
		for _, eid := range m.ix.idEntities(k.Text) {
			fn(m.ix.entity(eid).ref.ID)
		}
		return
	}
	t := tok{text: k.Text, kind: names.Word, abjad: k.Abjad, cjk: k.CJK, looked: true, nicks: nicksOf(k.Text)}
	if k.Number {
		t.kind = names.Number
	}
	if len(t.text) >= 2 {
		t.phon, t.skel, t.canon = names.Phonetic(t.text), names.Skeleton(t.text), translitCanon(t.text)
		if t.phon == "" {
			t.phon = t.text
		}
	}
	var seen []uint32
	for _, tm := range m.ix.lookup(&t) {
		for _, nid := range m.ix.posting(tm.id) {
			eid := m.ix.name(nid).entity
			if !slices.Contains(seen, eid) {
				seen = append(seen, eid)
				fn(m.ix.entity(eid).ref.ID)
			}
		}
	}
}

// Prepared is a query read once for scoring against several entities
// (PairScorer).
type Prepared struct{ pq *query }

// Prepare reads q as screening does; it fails only on invalid queries.
func (m *Matcher) Prepare(q lexscreen.Query) (*Prepared, error) {
	pq, err := m.prepare(q)
	if err != nil {
		return nil, err
	}
	return &Prepared{pq}, nil
}

// PairScorer scores prepared queries against one entity that need not be
// indexed, as ExplainPair does (the score screening would give the pair),
// with the entity read once. Safe for concurrent use.
type PairScorer struct {
	m    *Matcher
	tmp  *Index
	toks [][]tok
}

// NewPairScorer reads e for scoring with m's token rarity.
func (m *Matcher) NewPairScorer(e *lexscreen.Entity) *PairScorer {
	b := newBuilder(nil)
	b.Add(e)
	markLearnedSurnames(b.ix, b.surnameCands, m.ix.surnameWord)
	ps := &PairScorer{m: m, tmp: b.ix}
	for ni := range ps.tmp.names {
		ps.toks = append(ps.toks, m.pairToks(ps.tmp, &ps.tmp.names[ni]))
	}
	return ps
}

// Score returns the score screening p would give the entity, and false
// when screening would not score it at all (ExplainPair without the
// explanation). p must come from the same Matcher.
func (ps *PairScorer) Score(p *Prepared) (float64, bool) {
	pq, m, tmp := p.pq, ps.m, ps.tmp
	if len(tmp.entities) == 0 {
		return 0, false
	}
	er := &tmp.entities[0]
	if !schemaCompatible(pq.schema, er.ref.Schema) {
		return 0, false
	}
	byID, found := m.identifierMatch(pq, er)
	best := byID.Score
	for ni := range tmp.names {
		nr := &tmp.names[ni]
		for vi, v := range pq.variants {
			if !variantFits(pq.vschemas[vi], er.ref.Schema) {
				continue
			}
			al := alignNames(v, ps.toks[ni], pq.joins[vi], er.ref.Schema, nr.legalText, false)
			if !acceptable(al) {
				continue
			}
			score := m.finish(pq, vi, al, nr.full, nr.kind, er, legalPair{pq.legal[vi], nr.legal}, false).Score
			if !found || score > best {
				best, found = score, true
			}
		}
	}
	return best, found
}

// NameWords counts the words of q's name that are names (not initials,
// titles, particles or legal forms), the fewest of its readings as a
// person's and as an organisation's name: a lower bound on the words that
// screening aligns.
func NameWords(q lexscreen.Query) int {
	name := names.Clean(q.Name)
	best := -1
	for _, schema := range []lexscreen.Schema{lexscreen.SchemaPerson, lexscreen.SchemaOrganization} {
		n := 0
		for _, t := range names.Tokenize(name, schema) {
			if t.Kind == names.Word {
				n++
			}
		}
		if best < 0 || n < best {
			best = n
		}
	}
	return max(best, 0)
}
