package match

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/bundled"
	"github.com/lexscreen/lexscreen/source/formats"
)

func TestDbgFull(t *testing.T) {
	qs := os.Getenv("DBGQ")
	if qs == "" {
		t.Skip()
	}
	b := NewBuilder(nil)
	for _, l := range bundled.Lists() {
		f := formats.ByID(l.Format)
		f.Parse(context.Background(), l.SourceFiles(), func(e *lexscreen.Entity) error { b.Add(e); return nil })
	}
	ix := b.Build()
	m := New(ix)
	for _, q := range strings.Split(qs, "|") {
		pq, _ := m.prepare(lexscreen.Query{Name: q})
		for i, v := range pq.variants {
			fmt.Println(q, pq.vschemas[i], v)
			for j, l := range pq.lookups[i] {
				fmt.Print("   ", v[j].text, ":")
				for _, x := range l {
					fmt.Printf(" %s/%.2f/df%d", ix.toks[x.id].text, x.sim, ix.toks[x.id].df)
				}
				fmt.Println()
			}
		}
		ms, _ := m.ScreenWith(lexscreen.Query{Name: q}, Options{Threshold: 0.1, Limit: 3})
		for _, mt := range ms {
			fmt.Println("  ", mt.Entity.ID, mt.Score, mt.Explanation.Summary)
		}
	}
}
