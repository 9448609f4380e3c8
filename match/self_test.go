package match

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/lexscreen/lexscreen"
)

// Every name of every bundled entity, screened as it is written with the
// entity's type, finds that entity. The few that may not are aliases made
// of a title and one common name ("Sheikh HASSAN", "Hajji ABDALLAH"), whose
// candidates are crowded by everyone else of that name. Names made only of
// legal forms, titles or particles ("ANO", "THE LORD"), aircraft marks
// that look like legal forms ("EP-LDA") and names with a word written
// twice ("Abdullah ABDULLAH") once failed here.
func TestEveryListedNameFindsItself(t *testing.T) {
	if testing.Short() {
		t.Skip("screens every bundled name (about 80,000)")
	}
	ix, es := bundledIndex(t)
	m := New(ix)
	// A name listed for several entities (the same person on several
	// lists, namesakes) is screened once: a screening depends on the query
	// alone, so its matches answer for every entity that lists the name.
	type query struct {
		name   string
		schema lexscreen.Schema
	}
	var order []query
	listedBy := map[query][]string{}
	n := 0
	for _, e := range es {
		for _, nm := range e.Names {
			if nm.Kind == lexscreen.NameWeakAlias {
				continue
			}
			n++
			q := query{nm.Full, e.Schema}
			if _, ok := listedBy[q]; !ok {
				order = append(order, q)
			}
			listedBy[q] = append(listedBy[q], e.ID)
		}
	}
	// The queries are screened on every core (a Matcher is safe for
	// concurrent use); misses are reported in the order of the lists.
	missing := make([][]string, len(order))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(order); i = int(next.Add(1) - 1) {
				q := order[i]
				found := map[string]bool{}
				for _, mt := range m.Screen(lexscreen.Query{Name: q.name, Schema: q.schema}) {
					found[mt.Entity.ID] = true
				}
				for _, id := range listedBy[q] {
					if !found[id] {
						missing[i] = append(missing[i], id)
					}
				}
			}
		}()
	}
	wg.Wait()
	miss := 0
	for i, ids := range missing {
		for _, id := range ids {
			miss++
			t.Logf("not found: %s %s %q", id, order[i].schema, order[i].name)
		}
	}
	t.Logf("%d listed names screened as %d distinct queries, %d not found", n, len(order), miss)
	if max := n / 4000; miss > max { // 0.025%
		t.Errorf("%d of %d listed names do not find their own entity (at most %d may)", miss, n, max)
	}
}
