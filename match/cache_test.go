package match

import (
	"reflect"
	"testing"
)

// TestLookupCacheSameResults screens the same queries on a fresh matcher and
// on one whose lookup cache holds every token already: the results must be
// the same.
func TestLookupCacheSameResults(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes the bundled lists")
	}
	ix, es := bundledIndex(t)
	qs := benchQueries(es, 300)
	warm := New(ix)
	for _, q := range qs {
		warm.Screen(q)
	}
	if warm.lookups.n.Load() == 0 {
		t.Fatal("nothing cached")
	}
	for _, q := range qs {
		if got, want := warm.Screen(q), New(ix).Screen(q); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: cached lookups give %v, fresh ones %v", q.Name, got, want)
		}
	}
}
