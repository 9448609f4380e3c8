package regime

import (
	"context"
	"reflect"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/internal/binfile"
	"github.com/lexscreen/lexscreen/source"
	"github.com/lexscreen/lexscreen/source/ftm"
)

// An ownership graph read back from its bytes is the graph built: the
// real OpenSanctions excerpt (dated holdings, shares) and a made-up chain
// with a share not given, control and an open end.
func TestOwnershipPersistRoundTrip(t *testing.T) {
	real := NewOwnershipBuilder()
	_, err := ftm.FormatJSON.Parse(context.Background(), []source.File{source.OSFile("testdata/zala_ownership_excerpt.ftm.json")}, func(e *lexscreen.Entity) error {
		real.Add(e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	chain := NewOwnershipBuilder()
	chain.Add(&lexscreen.Entity{ID: "t:owner", Source: "t", Schema: lexscreen.SchemaPerson, Names: []lexscreen.Name{{Full: "Ivan Petrov"}},
		Designations: []lexscreen.Designation{{Authority: "EU", Measures: []string{"asset freeze"}}}})
	chain.Add(&lexscreen.Entity{ID: "t:co", Source: "t", Schema: lexscreen.SchemaOrganization, Names: []lexscreen.Name{{Full: "Alpha LLC"}},
		Links: []lexscreen.Link{{Relation: "owned_by", TargetID: "t:owner", Percent: "50.5", Start: "2021-03"},
			{Relation: "owned_or_controlled_by", Target: "Ivan Petrov"}, {Relation: "subsidiary_of", TargetID: "t:nobody", End: "2024"}}})
	for name, b := range map[string]*OwnershipBuilder{"real excerpt": real, "made-up chain": chain} {
		g := b.Build()
		w := binfile.NewWriter()
		g.Encode(w)
		_, r, err := binfile.Open(w.Bytes(1, ""), 1)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeOwnership(r)
		if err != nil || r.Done() != nil {
			t.Fatalf("%s: %v, %v", name, err, r.Done())
		}
		if g.Edges() == 0 || got.Edges() != g.Edges() || got.Unresolved != g.Unresolved || got.v == nil {
			t.Errorf("%s: read back %d edges, %d unresolved, built %d, %d", name, got.Edges(), got.Unresolved, g.Edges(), g.Unresolved)
		}
		if got.v.nodeIDs.Len() != len(g.nodes) || got.v.ownedIDs.Len() != len(g.owners) {
			t.Errorf("%s: read back %d nodes, %d owned, built %d, %d", name, got.v.nodeIDs.Len(), got.v.ownedIDs.Len(), len(g.nodes), len(g.owners))
		}
		for id, n := range g.nodes {
			if !reflect.DeepEqual(got.node(id), n) {
				t.Errorf("%s: node %s read back %+v, built %+v", name, id, got.node(id), n)
			}
		}
		for id, es := range g.owners {
			if !reflect.DeepEqual(got.ownersOf(id), es) || !got.owned(id) {
				t.Errorf("%s: holdings in %s read back %+v, built %+v", name, id, got.ownersOf(id), es)
			}
		}
		if got.node("t:no such entity") != nil || got.owned("t:no such entity") || got.ownersOf("t:no such entity") != nil {
			t.Errorf("%s: an entity not in the graph is found", name)
		}
	}
}
