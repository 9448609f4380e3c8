package quality

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/lexscreen/lexscreen"
)

// stub is a deliberately simple matcher for the tests: the Jaccard
// similarity of the lower-cased token sets of the query name and the best
// non-weak listed name.
type stub struct {
	threshold float64
	index     []*lexscreen.Entity
}

func stubTokens(s string) map[string]bool {
	m := map[string]bool{}
	for _, t := range strings.FieldsFunc(strings.ToLower(foldDiacritics(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		m[t] = true
	}
	return m
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for t := range a {
		if b[t] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

func (s *stub) Threshold() float64 { return s.threshold }

func (s *stub) best(q lexscreen.Query, e *lexscreen.Entity) (float64, string) {
	qt := stubTokens(q.Name)
	best, name := 0.0, ""
	for _, n := range e.Names {
		if n.Kind == lexscreen.NameWeakAlias {
			continue
		}
		if sc := jaccard(qt, stubTokens(n.Full)); sc > best {
			best, name = sc, n.Full
		}
	}
	return best, name
}

func (s *stub) ScorePair(q lexscreen.Query, e *lexscreen.Entity) float64 {
	sc, _ := s.best(q, e)
	return sc
}

func (s *stub) Screen(q lexscreen.Query) []lexscreen.Match {
	var out []lexscreen.Match
	for _, e := range s.index {
		sc, name := s.best(q, e)
		if sc < s.threshold {
			continue
		}
		ref := lexscreen.EntityRef{ID: e.ID, Source: e.Source, Schema: e.Schema, Name: e.Caption()}
		for _, n := range e.Names {
			ref.Names = append(ref.Names, n.Full)
		}
		out = append(out, lexscreen.Match{Entity: ref, Score: sc, Explanation: lexscreen.Explanation{MatchedName: name}})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out
}

func testEntities(t testing.TB) []*lexscreen.Entity {
	t.Helper()
	data, err := os.ReadFile("testdata/entities.json")
	if err != nil {
		t.Fatal(err)
	}
	var es []*lexscreen.Entity
	if err := json.Unmarshal(data, &es); err != nil {
		t.Fatal(err)
	}
	return es
}

func newStub(t testing.TB) *stub { return &stub{threshold: 0.5, index: testEntities(t)} }

// roundTrip checks a report marshals to JSON and has a readable form.
func roundTrip(t *testing.T, rep interface{ String() string }) {
	t.Helper()
	if _, err := json.Marshal(rep); err != nil {
		t.Fatalf("json: %v", err)
	}
	if s := rep.String(); len(s) < 20 {
		t.Fatalf("String too short: %q", s)
	}
}
