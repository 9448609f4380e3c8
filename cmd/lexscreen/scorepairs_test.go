package main

import (
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/match"
)

// score-pairs scores what screen gives: each pair's name2, read as
// score-pairs reads it (pairEntity), is listed in an index, name1 is
// screened against it, and the screened score is the pair's score.
func TestScorePairsIsScreen(t *testing.T) {
	pairs := []struct {
		id, name1, name2 string
		schema           lexscreen.Schema
	}{
		{"p1", "Nicolas Maduro", "MADURO MOROS, Nicolas", lexscreen.SchemaPerson},
		{"p2", "Hugo Carvajal", "CARVAJAL BARRIOS, Hugo Armando", lexscreen.SchemaPerson},
		{"p3", "Diosdado Cabello", "Diosdado Cabello Rondon", lexscreen.SchemaPerson},
		{"p4", "Olaf Scholz", "Olaf Scholz", lexscreen.SchemaPerson},
		{"p5", "Kim Jon-gun", "KIM, Jong Un", lexscreen.SchemaPerson},
		{"p6", "Siemens AG", "Siemens Aktiengesellschaft", lexscreen.SchemaOrganization},
		{"p7", "Volga Trading Bank", "Volga Trading Bank GmbH", lexscreen.SchemaOrganization},
		{"p8", "Nordwind Holdings PLK", "Nordwind Holdings PLC", lexscreen.SchemaOrganization},
		{"p9", "Ocean Star", "OCEAN STAR 2", lexscreen.SchemaVessel},
	}
	b := match.NewBuilder(nil)
	for _, p := range pairs {
		b.Add(pairEntity("pair:"+p.id, p.name2, p.schema))
	}
	m := match.New(b.Build())
	for _, p := range pairs {
		q := lexscreen.Query{Name: p.name1, Schema: p.schema}
		ms, err := m.ScreenWith(q, match.Options{Threshold: 0.01, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		screened := -1.0
		for _, mt := range ms {
			if mt.Entity.ID == "pair:"+p.id {
				screened = mt.Score
			}
		}
		if got := m.ScorePair(q, pairEntity("pair:"+p.id, p.name2, p.schema)); got != screened {
			t.Errorf("%s %q ~ %q: score-pairs %.3f, screen %.3f", p.id, p.name1, p.name2, got, screened)
		}
	}
	// A person's "LAST, First" name is read as the list reads it.
	e := pairEntity("x", "MADURO MOROS, Nicolas", lexscreen.SchemaPerson)
	if ps := e.Names[0].Parts; len(ps) != 2 || ps[1].Kind != lexscreen.PartFamily || ps[1].Value != "MADURO MOROS" {
		t.Errorf("parts of MADURO MOROS, Nicolas: %v", ps)
	}
	if ps := pairEntity("y", "ACME, Inc.", lexscreen.SchemaOrganization).Names[0].Parts; ps != nil {
		t.Errorf("an organisation's name got parts %v", ps)
	}
}
