package match

import (
	"bytes"
	"cmp"
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/bundled"
	"github.com/lexscreen/lexscreen/internal/binfile"
	"github.com/lexscreen/lexscreen/source/formats"
)

// unEntities are the entities of the bundled UN list (about a thousand).
func unEntities(t *testing.T) []*lexscreen.Entity {
	var es []*lexscreen.Entity
	for _, l := range bundled.Lists() {
		if l.Source != "un-sc" {
			continue
		}
		if _, err := formats.ByID(l.Format).Parse(context.Background(), l.SourceFiles(), func(e *lexscreen.Entity) error {
			es = append(es, e)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if len(es) < 500 {
		t.Fatalf("%d UN entities", len(es))
	}
	return es
}

// encoded is the persisted form of ix.
func encoded(ix *Index) []byte {
	w := binfile.NewWriter()
	ix.Encode(w)
	return w.Bytes(FormatVersion, "k")
}

// Room made for too few or far more entities than are
// added changes nothing of the index.
func TestBuilderGrowSameIndex(t *testing.T) {
	es := unEntities(t)
	build := func(grow int) []byte {
		b := NewBuilder(nil)
		b.KeepAttributes("warrant_status")
		b.Grow(grow)
		for _, e := range es {
			b.Add(e)
		}
		return encoded(b.Build())
	}
	want := build(0)
	for _, n := range []int{len(es) / 3, 50 * len(es)} {
		if got := build(n); !bytes.Equal(got, want) {
			t.Errorf("Grow(%d): index differs (%d bytes, want %d)", n, len(got), len(want))
		}
	}
}

// The deletion pairs come out sorted by hash and id, each once, from
// buckets of every size (a few pairs, or many sharing a bucket).
func TestSortedDels(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	b := newBuilder(nil)
	var want []delPair
	for i := range 20000 {
		h := r.Uint64()
		switch i % 4 {
		case 1:
			h = h>>20 | 7<<delShift // one crowded bucket
		case 2:
			h = h&^(1<<delShift-1) | uint64(r.IntN(40)) // equal hashes, other ids
		}
		id := uint32(r.IntN(300))
		for range 1 + i%3 { // some pairs twice or thrice
			b.addDel(h, id)
		}
		want = append(want, delPair{h, id})
	}
	slices.SortFunc(want, func(a, c delPair) int {
		return cmp.Or(cmp.Compare(a.h, c.h), cmp.Compare(a.id, c.id))
	})
	want = slices.Compact(want)
	keys, ids := b.sortedDels()
	if len(keys) != len(want) || len(ids) != len(want) {
		t.Fatalf("%d pairs, want %d", len(keys), len(want))
	}
	for i, d := range want {
		if keys[i] != d.h || ids[i] != d.id {
			t.Fatalf("pair %d: (%x, %d), want (%x, %d)", i, keys[i], ids[i], d.h, d.id)
		}
	}
}
