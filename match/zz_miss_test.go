package match

import (
	"fmt"
	"os"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/quality"
)

func TestZZMisses(t *testing.T) {
	if os.Getenv("MISSES") == "" {
		t.Skip()
	}
	ix, es := bundledIndex(t)
	m := New(ix)
	byID := map[string]*lexscreen.Entity{}
	for _, e := range es {
		byID[e.ID] = e
	}
	for _, v := range quality.Variants(es, 5000, 1) {
		found := false
		ms := m.Screen(v.Query)
		for _, mt := range ms {
			found = found || mt.Entity.ID == v.EntityID
		}
		if found {
			continue
		}
		mt, _ := m.ExplainPair(v.Query, byID[v.EntityID])
		fmt.Printf("%.3f %-20s %q <- %q %s\n", mt.Score, v.Kind, v.Query.Name, v.Original, mt.Explanation.Summary)
	}
}
