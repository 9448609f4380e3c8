package regime

import (
	"fmt"
	"testing"

	"github.com/lexscreen/lexscreen"
)

// ownershipWorld is n listed persons, each owning 60% of a holding that owns
// 50% of an operating company: 3n entities, 2n ownership links (the SDN
// list has about 18,500 entries).
func ownershipWorld(n int) []*lexscreen.Entity {
	var out []*lexscreen.Entity
	for i := range n {
		p := &lexscreen.Entity{ID: fmt.Sprintf("us-ofac-sdn:%d", 100000+i), Source: "us-ofac-sdn", Schema: lexscreen.SchemaPerson,
			Names:        []lexscreen.Name{{Full: fmt.Sprintf("PERSON %d", i), Kind: lexscreen.NamePrimary}},
			Designations: []lexscreen.Designation{{Authority: "US-OFAC", List: "SDN", Program: "RUSSIA-EO14024", ListedOn: on("2022-04-06")}}}
		h := company(fmt.Sprintf("h%d", i), fmt.Sprintf("HOLDING %d", i), ownedBy(p, "60"))
		c := company(fmt.Sprintf("c%d", i), fmt.Sprintf("OPERATING %d", i), lexscreen.Link{Relation: "owned_by", TargetID: h.ID, Percent: "50"})
		out = append(out, p, h, c)
	}
	return out
}

// BenchmarkOwnershipBuild is the cost the graph adds to an index build.
func BenchmarkOwnershipBuild(b *testing.B) {
	ents := ownershipWorld(6000)
	b.ReportAllocs()
	for b.Loop() {
		ob := NewOwnershipBuilder()
		for _, e := range ents {
			ob.Add(e)
		}
		ob.Build()
	}
}

// BenchmarkEvaluateOwnership is one Evaluate of a listed person (the
// common case: no owners, the graph is looked up once) and of a company
// blocked through a chain, with and without the graph.
func BenchmarkEvaluateOwnership(b *testing.B) {
	ents := ownershipWorld(6000)
	ob := NewOwnershipBuilder()
	for _, e := range ents {
		ob.Add(e)
	}
	g := ob.Build()
	e, err := Load()
	if err != nil {
		b.Fatal(err)
	}
	op, _, _ := builtinOperator("us-bank")
	person, owned := ents[3000], ents[3002]
	for _, c := range []struct {
		name string
		ent  *lexscreen.Entity
		g    *OwnershipGraph
	}{{"listed-no-graph", person, nil}, {"listed-graph", person, g}, {"owned-chain-graph", owned, g}} {
		l := Listing{EntityID: c.ent.ID, Source: c.ent.Source, Names: []string{c.ent.Caption()}, Designations: c.ent.Designations, Ownership: c.g}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := e.Evaluate(op, d("2025-06-01"), l); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
