package match

import (
	"reflect"
	"testing"

	"github.com/lexscreen/lexscreen"
)

// TestNameCacheSameResults screens names several times with other dates of
// birth, countries and identifiers, on one matcher (whose name cache holds
// a name from its second screening on) and on fresh matchers: the results
// must be the same, matches, scores and explanations.
func TestNameCacheSameResults(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes the bundled lists")
	}
	ix, es := bundledIndex(t)
	var qs []lexscreen.Query
	// Listed persons with their own facts, and with facts that disagree.
	for _, e := range es {
		if len(qs) >= 240 {
			break
		}
		if e.Schema != lexscreen.SchemaPerson || len(e.BirthDates) == 0 || len(e.Identifiers) == 0 {
			continue
		}
		own := lexscreen.Query{Name: e.Caption(), BirthDate: e.BirthDates[0].From.String(), Identifiers: []string{e.Identifiers[0].Number}}
		if len(e.Nationalities) > 0 {
			own.Countries = []string{e.Nationalities[0].Code}
		}
		other := lexscreen.Query{Name: e.Caption(), BirthDate: "1931-02-03", Countries: []string{"NZ"}}
		typed := lexscreen.Query{Name: e.Caption(), Schema: lexscreen.SchemaPerson, BirthDate: "circa 1970"}
		qs = append(qs, own, other, own, typed, lexscreen.Query{Name: e.Caption()})
	}
	// Listed names misspelt, names on no list, a customer book's persons.
	for _, q := range benchQueries(es, 100) {
		qs = append(qs, q, lexscreen.Query{Name: q.Name, BirthDate: "1960", Countries: []string{"IR"}}, q)
	}
	for _, q := range bookQueries(3, 100) {
		qs = append(qs, q, q, lexscreen.Query{Name: q.Name, Schema: q.Schema})
	}
	// Queries that can't be screened fail alike, cached or not.
	qs = append(qs, lexscreen.Query{Name: "!!!"}, lexscreen.Query{Name: "!!!"}, lexscreen.Query{Name: "!!!", Identifiers: []string{"AB123456"}},
		lexscreen.Query{Name: " "}, lexscreen.Query{Name: " "})
	warm := New(ix)
	for i, q := range qs {
		got, gerr := warm.ScreenWith(q, Options{})
		want, werr := New(ix).ScreenWith(q, Options{})
		if (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
			t.Fatalf("query %d %+v: cached error %v, fresh %v", i, q, gerr, werr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("query %d %+v: cached name work gives\n%+v\nfresh\n%+v", i, q, got, want)
		}
	}
	if warm.names.kept() == 0 {
		t.Fatal("no name kept: the cache was not exercised")
	}
}

// TestNameCacheAdmission checks the cache's policy: a name is kept the
// second time it is seen, names with tagged parts never, and a full
// generation makes room without losing the names in use.
func TestNameCacheAdmission(t *testing.T) {
	var c nameCache
	nw := &nameWork{}
	q := lexscreen.Query{Name: "Maria Garcia Lopez", Schema: lexscreen.SchemaPerson}
	c.put(q, nw)
	if c.get(q) != nil {
		t.Fatal("a name seen once is kept")
	}
	c.put(q, nw)
	if c.get(q) != nw {
		t.Fatal("a name seen twice is not kept")
	}
	if c.get(lexscreen.Query{Name: q.Name}) != nil {
		t.Fatal("the same name untyped shares the typed name's work")
	}
	parts := lexscreen.Query{Name: "Maria Garcia", Parts: []lexscreen.NamePart{{Kind: lexscreen.PartGiven, Value: "Maria"}}}
	c.put(parts, nw)
	c.put(parts, nw)
	if c.get(parts) != nil {
		t.Fatal("a name with tagged parts is kept")
	}
	// Fill every generation many times over; the name in use stays.
	for i := range nameShards * nameCacheGen * 4 {
		o := lexscreen.Query{Name: "Customer " + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676%26)) + string(rune('a'+i/17576))}
		c.put(o, nw)
		c.put(o, nw)
		if c.get(q) != nw {
			t.Fatalf("after %d names, the name in use was dropped", i)
		}
	}
	if n := c.kept(); n > 2*nameShards*nameCacheGen {
		t.Fatalf("%d names kept, more than two generations", n)
	}
}
