package monitor

import (
	"context"
	"runtime"
	"slices"
	"sync"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/match"
)

// candidate is a subject of the book (its position) that reverse
// retrieval found for some of the entities screened (their positions in
// the delta's Screened list).
type candidate struct {
	pos      uint32
	entities []uint16
}

// reverseCandidates returns, in book order, the subjects that screening
// could retrieve one of es for, with those entities: the keys of the book
// that an index of es answers, and the subjects holding them.
func (bi *BookIndex) reverseCandidates(ctx context.Context, es []*lexscreen.Entity, workers int) ([]candidate, error) {
	if len(es) == 0 {
		return nil, nil
	}
	if !bi.keyed {
		return nil, lexscreen.Errorf(lexscreen.EINTERNAL, "monitoring: a delta run was given a book read without its index (monitor.LoadSubjects); it needs monitor.BuildIndex")
	}
	if len(es) > 1<<16 {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "%d listed entities changed at once: more than a delta run takes (65,536); run a full re-screen", len(es))
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	b := match.NewBuilder(nil)
	pos := map[string]uint16{}
	for i, e := range es {
		b.Add(e)
		pos[e.ID] = uint16(i)
	}
	dm := match.New(b.Build())
	hits := make([][]uint16, len(bi.keyList)) // by key: the entities it retrieves
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(bi.keyList); i += workers {
				if i%4096 == w && ctx.Err() != nil {
					return
				}
				dm.RetrievedEntities(bi.keyList[i], func(id string) { hits[i] = append(hits[i], pos[id]) })
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The fewest name words of each entity's names.
	entWords := make([]int, len(es))
	for i, e := range es {
		entWords[i] = -1
		for _, n := range e.Names {
			if w := match.NameWords(lexscreen.Query{Name: n.Full, Schema: e.Schema}); entWords[i] < 0 || w < entWords[i] {
				entWords[i] = w
			}
		}
	}
	// Count, for each subject and entity, the subject's keys that
	// retrieve the entity.
	type hit struct {
		ent uint16
		n   uint16
	}
	counts := map[uint32][]hit{}
	for k, ents := range hits {
		for _, p := range bi.postings[k] {
			cur := counts[p]
		next:
			for _, e := range ents {
				for j := range cur {
					if cur[j].ent == e {
						cur[j].n++
						continue next
					}
				}
				cur = append(cur, hit{e, 1})
			}
			counts[p] = cur
		}
	}
	// A subject is a candidate for an entity when its keys retrieve the
	// entity by as many words as screening would need to align: two, or
	// fewer when the subject's name or one of the entity's names has fewer
	// name words (a surname alone, a one-word firm).
	bySubject := map[uint32][]uint16{}
	for p, hs := range counts {
		for _, h := range hs {
			need := min(2, int(bi.words[p]), max(entWords[h.ent], 0))
			if int(h.n) >= need {
				bySubject[p] = append(bySubject[p], h.ent)
			}
		}
	}
	out := make([]candidate, 0, len(bySubject))
	for p, ents := range bySubject {
		slices.Sort(ents)
		out = append(out, candidate{p, ents})
	}
	slices.SortFunc(out, func(a, b candidate) int { return int(a.pos) - int(b.pos) })
	return out, nil
}

// pairFilter keeps the candidates that score at or above the threshold
// with one of their entities, as screening would score the pair
// (match.PairScorer with the full index's token rarity): only those are
// screened forward.
type pairFilter struct {
	m         *match.Matcher
	scorers   []*match.PairScorer
	threshold float64
}

func newPairFilter(m *match.Matcher, es []*lexscreen.Entity, threshold float64) *pairFilter {
	if threshold <= 0 {
		threshold = match.DefaultThreshold
	}
	f := &pairFilter{m: m, threshold: threshold}
	for _, e := range es {
		f.scorers = append(f.scorers, m.NewPairScorer(e))
	}
	return f
}

// keep returns the candidates (of subjects) that may match, on workers
// goroutines, in order, and how many pairs were scored.
func (f *pairFilter) keep(ctx context.Context, subjects []lexscreen.Subject, cands []candidate, workers int) ([]lexscreen.Subject, int) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ok := make([]bool, len(cands))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(cands); i += workers {
				if ctx.Err() != nil {
					return
				}
				p, err := f.m.Prepare(subjects[cands[i].pos].Query)
				if err != nil {
					ok[i] = true // screened forward, which says why it can't be
					continue
				}
				for _, e := range cands[i].entities {
					if s, scored := f.scorers[e].Score(p); scored && s >= f.threshold {
						ok[i] = true
						break
					}
				}
			}
		}()
	}
	wg.Wait()
	var out []lexscreen.Subject
	pairs := 0
	for i, c := range cands {
		pairs += len(c.entities)
		if ok[i] {
			out = append(out, subjects[c.pos])
		}
	}
	return out, pairs
}
