package regime

import (
	"context"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
	"github.com/lexscreen/lexscreen/source/ftm"
)

// TestOwnershipRealFtM reads a real OpenSanctions excerpt (testdata,
// from shared/data/ftm/yente_zala_entities.ftm.json): Alexander ZAKHAROV,
// listed by OFAC (no date given), the UK (2023-12-06) and the EU
// (2025-02-24), held 75% of OOO "SPS" from 2020-01-10 to 2022-11-22 and
// 100% of OOO "TsST" from 2013-06-06 to 2019-08-02, neither company listed.
func TestOwnershipRealFtM(t *testing.T) {
	b := NewOwnershipBuilder()
	byName := map[string]*lexscreen.Entity{}
	_, err := ftm.FormatJSON.Parse(context.Background(), []source.File{source.OSFile("testdata/zala_ownership_excerpt.ftm.json")}, func(e *lexscreen.Entity) error {
		b.Add(e)
		byName[e.Caption()] = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	g := b.Build()
	if g.Edges() != 2 || g.Unresolved != 0 {
		t.Fatalf("edges %d, unresolved %d; want 2, 0", g.Edges(), g.Unresolved)
	}
	listing := func(name string) Listing {
		e := byName[name]
		if e == nil {
			t.Fatalf("no entity %q", name)
		}
		return Listing{EntityID: e.ID, Source: e.Source, Names: []string{e.Caption()}, Designations: e.Designations, Schema: e.Schema, Ownership: g}
	}
	sps := listing(`ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "СПС"`)
	tsst := listing(`ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ЦСТ"`)
	e, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		op, date string
		l        Listing
		want     string // an ownership obligation kind, "" none
		text     string
	}{
		{"us-bank", "2022-06-01", sps, "BLOCK", "blocked by ownership, via Alexander Vyacheslavovich ZAKHAROV (75%), listed by US-OFAC under RUSSIA-EO14024 (listing date not given)"},
		{"us-bank", "2023-06-01", sps, "", ""},  // the holding ended on 2022-11-22
		{"uk-firm", "2022-06-01", sps, "", ""},  // listed in the UK only from 2023-12-06
		{"eu-bank", "2022-06-01", sps, "", ""},  // listed in the EU only from 2025-02-24
		{"us-bank", "2025-06-01", tsst, "", ""}, // the holding ended in 2019
		{"us-bank", "2019-01-01", tsst, "BLOCK", "ZAKHAROV (100%)"},
	}
	for _, c := range cases {
		op, _, _ := builtinOperator(c.op)
		obs, _, err := e.Evaluate(op, d(c.date), c.l)
		if err != nil {
			t.Fatal(err)
		}
		// The rule of the operator's own jurisdiction (a non-US operator gets
		// the US designation risk besides).
		auth := map[string]string{"us-bank": "US-OFAC", "uk-firm": "GB-OFSI", "eu-bank": "EU"}[c.op]
		var got *lexscreen.Obligation
		for i, o := range obs {
			if o.Authority == auth && strings.Contains(o.Explanation, "by ownership") || strings.Contains(o.Explanation, "owned or controlled by listed") {
				if o.Kind == "BLOCK" || o.Kind == "FREEZE" || o.Kind == "RISK" {
					got = &obs[i]
				}
			}
		}
		switch {
		case c.want == "" && got != nil:
			t.Errorf("%s %s %s: unexpected %s: %s", c.op, c.date, c.l.Names[0], got.Kind, got.Explanation)
		case c.want != "" && got == nil:
			t.Errorf("%s %s %s: no %s in %+v", c.op, c.date, c.l.Names[0], c.want, obs)
		case c.want != "":
			if !strings.Contains(got.Explanation, c.text) {
				t.Errorf("%s %s: explanation lacks %q: %s", c.op, c.date, c.text, got.Explanation)
			}
			// The owner's OFAC listing date is not given: derived, not verified.
			if got.Confidence != ConfDerived || !strings.Contains(got.Explanation, "listing date of Alexander Vyacheslavovich ZAKHAROV is not given") {
				t.Errorf("%s %s: confidence %s, want D with the reason: %s", c.op, c.date, got.Confidence, got.Explanation)
			}
		}
	}
}
