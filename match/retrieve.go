package match

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/lexscreen/lexscreen/names"
)

// tokMatch is a listed token a query token may stand for.
type tokMatch struct {
	id  uint32
	sim float64
	how string
}

// lookup finds the listed tokens a query token may stand for: the same
// token, the same phonetic key or skeleton, or one or two edits away.
func (ix *Index) lookup(t *tok) []tokMatch {
	lk := looker{ix: ix, t: t}
	if id, ok := ix.tokID(t.text); ok {
		lk.see(id)
		lk.out = append(lk.out, tokMatch{id, 1, howExact})
	}
	if t.kind == names.Initial || len(t.text) < 2 {
		return lk.out
	}
	for _, id := range ix.phonToks(t.phon) {
		lk.try(id)
	}
	if t.canon != "" {
		if id, ok := ix.tokID(t.canon); ok {
			lk.try(id)
		}
		for _, id := range ix.canonToks(t.canon) {
			lk.try(id)
		}
	}
	if len(t.skel) >= 3 && (t.abjad || !hasVowel(t.text)) {
		for _, id := range ix.skelToks(t.skel) {
			lk.try(id)
		}
	} else if len(t.skel) >= 3 {
		for _, id := range ix.skelToks(t.skel) {
			if !hasVowel(ix.tok(id).text) {
				lk.try(id)
			}
		}
	}
	if len(t.text) >= 3 {
		lk.probe(ix.seed.string(t.text)) // the query is a listed token with a letter deleted
		if len(t.text) >= 4 {
			// Both lost a letter (a substitution or transposition), or the
			// query has a letter added. The variants are built in a buffer
			// and hashed as bytes: no allocation per variant (the loops of
			// deleteVariants, inlined: its buffers escape).
			var buf1, buf2 [64]byte
			s := t.text
			if len(s) > len(buf1) {
				deleteVariants(s, func(v []byte) {
					lk.probe(ix.seed.bytes(v))
					if id, ok := ix.tokID(string(v)); ok {
						lk.try(id)
					}
				})
			} else {
				variant := func(v []byte) {
					h := ix.seed.bytes(v)
					if !ix.mayHold(h) {
						return // neither a deletion key nor a listed token
					}
					lk.probe(h)
					if id, ok := ix.tokID(string(v)); ok {
						lk.try(id)
					}
				}
				for i := 0; i < len(s); i++ {
					if i > 0 && s[i] == s[i-1] {
						continue // same variant as deleting s[i-1]
					}
					v1 := append(append(buf1[:0], s[:i]...), s[i+1:]...)
					variant(v1)
					if len(s) >= 8 {
						for j := i; j < len(v1); j++ {
							if j > i && v1[j] == v1[j-1] {
								continue
							}
							variant(append(append(buf2[:0], v1[:j]...), v1[j+1:]...))
						}
					}
				}
			}
		}
	}
	if len(t.text) >= 5 && len(t.canon) >= 4 && len(t.canon) <= 64 && !t.abjad {
		// One slip from a listed name in the canonical spelling (canonSlip):
		// the listed canonical spelling with a letter deleted is the
		// query's (a letter added), or both lost one (a letter changed).
		// Only such tokens are taken here, after the other ways.
		lk.canonOnly = true
		// (Listed tokens spelt canonically have their letters' keys.)
		lk.probe(ix.canonSeed.string(t.canon))
		lk.probe(ix.seed.string(t.canon))
		oneDeleted(t.canon, func(v []byte) {
			lk.probe(ix.canonSeed.bytes(v))
			lk.probe(ix.seed.bytes(v))
			for _, id := range ix.canonToks(string(v)) {
				lk.try(id)
			}
		})
	}
	out := lk.out
	slices.SortFunc(out, func(a, b tokMatch) int {
		switch {
		case a.sim > b.sim:
			return -1
		case a.sim < b.sim:
			return 1
		}
		// Equally similar: the more common listed spelling first.
		if da, db := ix.tok(a.id).df, ix.tok(b.id).df; da != db {
			return int(db - da)
		}
		return int(a.id) - int(b.id)
	})
	if len(out) > maxLookups {
		out = out[:maxLookups]
	}
	return out
}

// looker is the state of one lookup.
type looker struct {
	ix    *Index
	t     *tok
	out   []tokMatch
	nseen int
	seen  [64]uint32 // the listed tokens tried, the first 64
	more  []uint32   // and the others
	ct    tok
	// canonOnly: try takes only tokens one slip away in the canonical
	// spelling (canonSlip), and leaves the others untried.
	canonOnly bool
}

// see records that listed token id was tried, and reports whether it was
// already.
func (lk *looker) see(id uint32) bool {
	if slices.Contains(lk.seen[:lk.nseen], id) || slices.Contains(lk.more, id) {
		return true
	}
	if lk.nseen < len(lk.seen) {
		lk.seen[lk.nseen] = id
		lk.nseen++
	} else {
		lk.more = append(lk.more, id)
	}
	return false
}

// try compares the query token with listed token id, once.
func (lk *looker) try(id uint32) {
	if lk.canonOnly && !canonSlip(lk.t.canon, lk.ix.tok(id).canon) {
		return
	}
	if lk.see(id) {
		return
	}
	ti := lk.ix.tok(id)
	lk.ct.text, lk.ct.phon, lk.ct.skel, lk.ct.canon, lk.ct.facts = ti.text, ti.phon, ti.skel, ti.canon, ti.facts
	if s, how := tokenSim(lk.t, &lk.ct); s >= minPairSim {
		lk.out = append(lk.out, tokMatch{id, s, how})
	}
}

// mayHold reports whether h may be the hash of a deletion key or of a
// listed token; false for most others.
func (ix *Index) mayHold(h uint64) bool {
	return ix.delFilter[h&delFilterMask>>6]&(1<<(h&63)) != 0
}

// probe tries the listed tokens with a deletion variant of hash h.
func (lk *looker) probe(h uint64) {
	ix := lk.ix
	if !ix.mayHold(h) {
		return // no listed token has this variant: most probes end here
	}
	lo, hi := int(ix.delBucket[h>>delShift]), int(ix.delBucket[h>>delShift+1])
	// Binary search for the first key >= h in the bucket.
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ix.delKeys[m] < h {
			lo = m + 1
		} else {
			hi = m
		}
	}
	for i := lo; i < len(ix.delKeys) && ix.delKeys[i] == h; i++ {
		lk.try(ix.delIDs[i])
	}
}

// lookupCache keeps the lookups of query tokens across screenings: names
// repeat from one screening to the next (given names, family names, the
// words of firms' names), and a lookup is a pure function of the index and
// of the token's text, kind and script flags (its keys, nicknames and
// whether it is listed derive from its text). Any other field of tok that
// lookup comes to read must be part of lookupKey.
type lookupCache struct {
	m sync.Map // lookupKey -> []tokMatch, never changed once stored
	n atomic.Int64
}

type lookupKey struct {
	text       string
	kind       names.TokenKind
	abjad, cjk bool
}

// lookupCacheMax bounds the tokens a matcher keeps the lookups of (50,000
// people's names hold 21,500 tokens, whose lookups take 5 MB); later tokens
// are looked up each time.
const lookupCacheMax = 1 << 15

func (c *lookupCache) lookup(ix *Index, t *tok) []tokMatch {
	k := lookupKey{t.text, t.kind, t.abjad, t.cjk}
	if v, ok := c.m.Load(k); ok {
		return v.([]tokMatch)
	}
	ms := ix.lookup(t)
	if c.n.Load() < lookupCacheMax {
		if _, loaded := c.m.LoadOrStore(k, ms); !loaded {
			c.n.Add(1)
		}
	}
	return ms
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
		for i := range sc.cells {
			sc.cells[i].stamp = 0
		}
		sc.epoch = 1
	}
	sc.touched = sc.touched[:0]
	type qt struct {
		matches []tokMatch
		w       float32
		rep     int // earlier query tokens with the same text
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
		rep := 0
		for j := range i {
			if v[j].text == v[i].text {
				rep++
			}
		}
		qs = append(qs, qt{ms, v[i].weight, rep}) // particles count little
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
			if ix.tok(tm.id).df > commonDF && qi > 0 && len(sc.touched) > 0 {
				boostOnly = true
			}
		}
		// Each query token adds its best contribution to a name once, so
		// that variants of one token don't add up.
		sc.tokEpoch++
		if sc.tokEpoch == 0 {
			for i := range sc.cells {
				sc.cells[i].tokStamp = 0
			}
			sc.tokEpoch = 1
		}
		for _, tm := range q.matches {
			// A listed spelling counts no more than the query word is rare:
			// the rare "Mohamoud" must not outrank the exact "Mohammadi".
			c := min(ix.tok(tm.id).weight, q.w) * float32(tm.sim*tm.sim)
			for _, nid := range ix.posting(tm.id) {
				if q.rep > 0 && ix.occurrences(nid, tm.id) <= q.rep {
					// A word written twice in the query ("Abdullah
					// ABDULLAH") finds the second time only names that
					// hold it twice.
					continue
				}
				cl := &sc.cells[nid]
				if cl.stamp != sc.epoch {
					if boostOnly {
						continue
					}
					cl.stamp = sc.epoch
					cl.acc = 0
					sc.touched = append(sc.touched, nid)
				}
				if cl.tokStamp == sc.tokEpoch {
					if c > cl.tokBest {
						cl.acc += c - cl.tokBest
						cl.tokBest = c
					}
					continue
				}
				cl.tokStamp, cl.tokBest = sc.tokEpoch, c
				cl.acc += c
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
				for _, t := range ix.name(nid).toks {
					if ix.tok(t.id).text[0] == c {
						sc.cells[nid].acc += 0.15
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
		sc.cells[nid].acc -= 0.01 * float32(ix.nameLen[nid])
	}
	out := topK(sc.touched, sc.cells, k)
	n := 0
	for _, id := range out {
		if sc.cells[id].acc >= 0.25*total {
			out[n] = id
			n++
		}
	}
	return out[:n]
}

// occurrences counts the tokens of name nid that are token id.
func (ix *Index) occurrences(nid, id uint32) int {
	n := 0
	for _, t := range ix.name(nid).toks {
		if t.id == id {
			n++
		}
	}
	return n
}

// topK moves the k names with the highest accumulated score to the front
// of ids (ties by id, for determinism) and returns them.
func topK(ids []uint32, cells []cell, k int) []uint32 {
	if len(ids) <= k {
		return ids
	}
	less := func(a, b uint32) bool {
		return cells[a].acc > cells[b].acc || cells[a].acc == cells[b].acc && a < b
	}
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

// candidatesFor is how many candidate names a query variant scores:
// candidateK, or initialsK when it has initials, which tell apart names
// that the other words reach equally ("HUSSEIN A. A." among the many
// Husseins).
func candidatesFor(v []tok) int {
	for i := range v {
		if v[i].kind == names.Initial {
			return initialsK
		}
	}
	return candidateK
}

const initialsK = 150

// candidateK is how many candidate names per query variant are scored.
const candidateK = 60
