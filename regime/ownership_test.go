package regime

import (
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
)

// Synthetic owners (own examples): an SDN person, an SDN company, an EU
// and a UK listed person, a UN listed company, and one listed only in 2026.
var (
	volkovSDN = &lexscreen.Entity{ID: "us-ofac-sdn:90001", Source: "us-ofac-sdn", Schema: lexscreen.SchemaPerson,
		Names:        []lexscreen.Name{{Full: "VOLKOV, Arkady Petrovich", Kind: lexscreen.NamePrimary}},
		Designations: []lexscreen.Designation{{Authority: "US-OFAC", List: "SDN", Program: "RUSSIA-EO14024", ListedOn: on("2022-04-06")}}}
	nordgasSDN = &lexscreen.Entity{ID: "us-ofac-sdn:90002", Source: "us-ofac-sdn", Schema: lexscreen.SchemaOrganization,
		Names:        []lexscreen.Name{{Full: "NORDGAS HOLDING AO", Kind: lexscreen.NamePrimary}},
		Designations: []lexscreen.Designation{{Authority: "US-OFAC", List: "SDN", Program: "RUSSIA-EO14024", ListedOn: on("2023-02-24")}}}
	lateSDN = &lexscreen.Entity{ID: "us-ofac-sdn:90003", Source: "us-ofac-sdn", Schema: lexscreen.SchemaPerson,
		Names:        []lexscreen.Name{{Full: "KARIMOV, Timur", Kind: lexscreen.NamePrimary}},
		Designations: []lexscreen.Designation{{Authority: "US-OFAC", List: "SDN", Program: "RUSSIA-EO14024", ListedOn: on("2026-03-01")}}}
	volkovEU = &lexscreen.Entity{ID: "eu-fsf:99001", Source: "eu-fsf", Schema: lexscreen.SchemaPerson,
		Names:        []lexscreen.Name{{Full: "Arkady Petrovich VOLKOV", Kind: lexscreen.NamePrimary}},
		Designations: []lexscreen.Designation{{Authority: "EU", Program: "RUS", ListedOn: on("2022-03-15")}}}
	sorokinEU = &lexscreen.Entity{ID: "eu-fsf:99002", Source: "eu-fsf", Schema: lexscreen.SchemaPerson,
		Names:        []lexscreen.Name{{Full: "Igor SOROKIN", Kind: lexscreen.NamePrimary}},
		Designations: []lexscreen.Designation{{Authority: "EU", Program: "RUS", ListedOn: on("2022-03-15")}}}
	volkovUK = &lexscreen.Entity{ID: "gb-ofsi:99003", Source: "gb-ofsi", Schema: lexscreen.SchemaPerson,
		Names:        []lexscreen.Name{{Full: "VOLKOV, Arkady", Kind: lexscreen.NamePrimary}},
		Designations: []lexscreen.Designation{{Authority: "GB-OFSI", Program: "Russia", ListedOn: on("2022-03-24")}}}
	unFront = &lexscreen.Entity{ID: "un-sc:99004", Source: "un-sc", Schema: lexscreen.SchemaOrganization,
		Names:        []lexscreen.Name{{Full: "KORYO SHIPPING TRADING CORPORATION", Kind: lexscreen.NamePrimary}},
		Designations: []lexscreen.Designation{{Authority: "UN-SC", Program: "DPRK", ListedOn: on("2017-08-05")}}}
)

// company is an unlisted company of the "test" source with ownership links.
func company(key, name string, links ...lexscreen.Link) *lexscreen.Entity {
	return &lexscreen.Entity{ID: "test:" + key, Source: "test", Schema: lexscreen.SchemaOrganization,
		Names: []lexscreen.Name{{Full: name, Kind: lexscreen.NamePrimary}}, Links: links}
}

func ownedBy(owner *lexscreen.Entity, pct string) lexscreen.Link {
	return lexscreen.Link{Relation: "owned_by", TargetID: owner.ID, Percent: pct}
}

// world builds the graph of the entities and returns the listing of the last one.
func world(ents ...*lexscreen.Entity) Listing {
	b := NewOwnershipBuilder()
	for _, e := range ents {
		b.Add(e)
	}
	g := b.Build()
	last := ents[len(ents)-1]
	return Listing{EntityID: last.ID, Source: last.Source, Names: []string{last.Caption()}, Designations: last.Designations,
		Schema: last.Schema, Ownership: g}
}

func TestOwnershipRules(t *testing.T) {
	e, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	usBank, _, _ := builtinOperator("us-bank")
	euBank, _, _ := builtinOperator("eu-bank")
	ukFirm, _, _ := builtinOperator("uk-firm")
	// Holding company owned 60% by an SDN: itself blocked, so what it owns counts whole.
	hold60 := company("h60", "BALTIC INVEST HOLDING LLC", ownedBy(volkovSDN, "60"))
	hold40 := company("h40", "PECHORA CAPITAL LLC", ownedBy(volkovSDN, "40"))
	cycleA := company("ca", "AMUR TRADE LLC", ownedBy(volkovSDN, "30"), lexscreen.Link{Relation: "owned_by", TargetID: "test:cb", Percent: "70"})
	cycleB := company("cb", "ZEYA TRADE LLC", lexscreen.Link{Relation: "owned_by", TargetID: "test:ca", Percent: "100"})
	cases := []struct {
		name     string
		op       Operator
		date     string
		ents     []*lexscreen.Entity
		want     string // kind that must be there with the ownership rule ("" none)
		rule     string // the rule whose citation the obligation's basis carries
		explains []string
		conf     string // expected confidence ("" any)
		not      []string
	}{
		{"US: exactly 50% by one SDN blocks (50% or more)", usBank, "2025-06-01",
			[]*lexscreen.Entity{volkovSDN, company("a", "SEVER LOGISTIKA OOO", ownedBy(volkovSDN, "50"))},
			"BLOCK", "us-50-percent", []string{"blocked by ownership, via VOLKOV, Arkady Petrovich (50%)", "RUSSIA-EO14024"}, ConfVerified, nil},
		{"US: 49% by one SDN does not block", usBank, "2025-06-01",
			[]*lexscreen.Entity{volkovSDN, company("b", "SEVER LOGISTIKA OOO", ownedBy(volkovSDN, "49"))},
			"NO_LEGAL_EFFECT", "us-50-percent", []string{"49%", "short of the 50% or more"}, "", []string{"BLOCK"}},
		{"US: 30% + 25% by two SDNs block in the aggregate", usBank, "2025-06-01",
			[]*lexscreen.Entity{volkovSDN, nordgasSDN, company("c", "URAL METALS JSC", ownedBy(volkovSDN, "30"), ownedBy(nordgasSDN, "25"))},
			"BLOCK", "us-50-percent", []string{"55% in the aggregate", "NORDGAS HOLDING AO (25%)"}, "", nil},
		{"US: indirect, 60% of B, B 50% of C: C is blocked", usBank, "2025-06-01",
			[]*lexscreen.Entity{volkovSDN, hold60, company("d", "BALTIC SHIPPING LLC", lexscreen.Link{Relation: "owned_by", TargetID: hold60.ID, Percent: "50"})},
			"BLOCK", "us-50-percent", []string{"via BALTIC INVEST HOLDING LLC (50%), itself blocked by ownership: via VOLKOV, Arkady Petrovich (60%)"}, ConfDerived, nil},
		{"US: indirect through a 40% holding does not block", usBank, "2025-06-01",
			[]*lexscreen.Entity{volkovSDN, hold40, company("e", "PECHORA SHIPPING LLC", lexscreen.Link{Relation: "owned_by", TargetID: hold40.ID, Percent: "100"})},
			"", "", nil, "", []string{"BLOCK", "RISK"}},
		{"US: share unknown is a risk, never assumed", usBank, "2025-06-01",
			[]*lexscreen.Entity{volkovSDN, company("f", "TAIGA TIMBER LLC", ownedBy(volkovSDN, ""))},
			"RISK", "us-50-percent", []string{"share unknown", "not assumed to reach 50% or more"}, ConfDerived, []string{"BLOCK"}},
		{"US: control without ownership does not block", usBank, "2025-06-01",
			[]*lexscreen.Entity{volkovSDN, company("g", "TAIGA TIMBER LLC", lexscreen.Link{Relation: "owned_or_controlled_by", TargetID: volkovSDN.ID})},
			"RISK", "us-50-percent", []string{"ownership only, not control"}, "", []string{"BLOCK"}},
		{"US: a holding that ended before the date counts for nothing", usBank, "2025-06-01",
			[]*lexscreen.Entity{volkovSDN, company("h", "VOLGA AGRO LLC", lexscreen.Link{Relation: "owned_by", TargetID: volkovSDN.ID, Percent: "100", Start: "2015-01-10", End: "2021-12-31"})},
			"", "", nil, "", []string{"BLOCK", "RISK"}},
		{"US: the owner is not yet listed on the date", usBank, "2025-06-01",
			[]*lexscreen.Entity{lateSDN, company("i", "KAMA CHEMICALS LLC", ownedBy(lateSDN, "100"))},
			"", "", nil, "", []string{"BLOCK", "RISK"}},
		{"US: the same owner listed, on a later date", usBank, "2026-06-01",
			[]*lexscreen.Entity{lateSDN, company("j", "KAMA CHEMICALS LLC", ownedBy(lateSDN, "100"))},
			"BLOCK", "us-50-percent", []string{"KARIMOV, Timur (100%)", "since 2026-03-01"}, "", nil},
		{"US: a non-US bank is not bound: designation risk", euBank, "2025-06-01",
			[]*lexscreen.Entity{volkovSDN, company("k", "SEVER LOGISTIKA OOO", ownedBy(volkovSDN, "75"))},
			"RISK", "us-nonus-risk", []string{"blocked by ownership, via VOLKOV, Arkady Petrovich (75%)"}, "", []string{"BLOCK"}},
		{"US: an ownership cycle ends (30% direct, 70% via a company it owns)", usBank, "2025-06-01",
			[]*lexscreen.Entity{volkovSDN, cycleB, cycleA},
			"NO_LEGAL_EFFECT", "us-50-percent", []string{"30%"}, "", []string{"BLOCK"}},
		{"EU: exactly 50% is not more than 50%", euBank, "2025-06-01",
			[]*lexscreen.Entity{volkovEU, company("l", "ODER HANDEL GMBH", ownedBy(volkovEU, "50"))},
			"NO_LEGAL_EFFECT", "eu-ownership-control", []string{"short of the more than 50%"}, "", []string{"FREEZE"}},
		{"EU: 51% by one listed person freezes", euBank, "2025-06-01",
			[]*lexscreen.Entity{volkovEU, company("m", "ODER HANDEL GMBH", ownedBy(volkovEU, "51"))},
			"FREEZE", "eu-ownership-control", []string{"frozen as owned or controlled by listed persons, via Arkady Petrovich VOLKOV (51%)"}, ConfMemory, nil},
		{"EU: control alone freezes", euBank, "2025-06-01",
			[]*lexscreen.Entity{volkovEU, company("n", "ODER HANDEL GMBH", lexscreen.Link{Relation: "owned_or_controlled_by", TargetID: volkovEU.ID})},
			"FREEZE", "eu-ownership-control", []string{"owned or controlled: share not given"}, "", nil},
		{"EU: 30% + 30% by two listed persons is a risk, not a freeze", euBank, "2025-06-01",
			[]*lexscreen.Entity{volkovEU, sorokinEU, company("o", "ELBE ROHSTOFFE GMBH", ownedBy(volkovEU, "30"), ownedBy(sorokinEU, "30"))},
			"RISK", "eu-ownership-control", []string{"only when their holdings are added up", "case by case"}, ConfMemory, []string{"FREEZE"}},
		{"EU: a UN listing counts, the EU implements it", euBank, "2025-06-01",
			[]*lexscreen.Entity{unFront, company("p", "PYONG TRADING LTD", ownedBy(unFront, "100"))},
			"FREEZE", "eu-ownership-control", []string{"KORYO SHIPPING TRADING CORPORATION (100%), listed by UN-SC"}, "", nil},
		{"UK: 75% by a designated person freezes", ukFirm, "2025-06-01",
			[]*lexscreen.Entity{volkovUK, company("q", "THAMES COMMODITIES LTD", ownedBy(volkovUK, "75"))},
			"FREEZE", "uk-ownership-control", []string{"via VOLKOV, Arkady (75%)"}, ConfMemory, nil},
		{"UK: an EU listing alone does not freeze in the UK", ukFirm, "2025-06-01",
			[]*lexscreen.Entity{volkovEU, company("r", "THAMES COMMODITIES LTD", ownedBy(volkovEU, "75"))},
			"", "", nil, "", []string{"FREEZE", "RISK"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := world(c.ents...)
			obs, _, err := e.Evaluate(c.op, d(c.date), l)
			if err != nil {
				t.Fatal(err)
			}
			var hit *lexscreen.Obligation
			for i, o := range obs {
				if c.want != "" && string(o.Kind) == c.want && strings.Contains(o.Basis, e.rules[c.rule].Citation) {
					hit = &obs[i]
				}
				for _, k := range c.not {
					if string(o.Kind) == k {
						t.Errorf("unexpected %s: %s", k, o.Explanation)
					}
				}
			}
			if c.want == "" {
				return
			}
			if hit == nil {
				t.Fatalf("no %s under %s in %+v", c.want, c.rule, obs)
			}
			for _, s := range c.explains {
				if !strings.Contains(hit.Explanation, s) {
					t.Errorf("explanation lacks %q: %s", s, hit.Explanation)
				}
			}
			if c.conf != "" && hit.Confidence != c.conf {
				t.Errorf("confidence %s, want %s", hit.Confidence, c.conf)
			}
		})
	}
}

// A listed entity is judged by its own listing: ownership adds no second block.
func TestOwnershipListedEntityNotDoubled(t *testing.T) {
	e, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	usBank, _, _ := builtinOperator("us-bank")
	sub := &lexscreen.Entity{ID: "us-ofac-sdn:90010", Source: "us-ofac-sdn", Schema: lexscreen.SchemaOrganization,
		Names:        []lexscreen.Name{{Full: "SEVER LOGISTIKA OOO", Kind: lexscreen.NamePrimary}},
		Designations: []lexscreen.Designation{{Authority: "US-OFAC", List: "SDN", Program: "RUSSIA-EO14024", ListedOn: on("2023-05-19")}},
		Links:        []lexscreen.Link{ownedBy(volkovSDN, "100")}}
	obs, _, err := e.Evaluate(usBank, d("2025-06-01"), world(volkovSDN, sub))
	if err != nil {
		t.Fatal(err)
	}
	blocks := 0
	for _, o := range obs {
		if o.Kind == "BLOCK" {
			blocks++
			if strings.Contains(o.Explanation, "by ownership") {
				t.Errorf("listed entity blocked by ownership too: %s", o.Explanation)
			}
		}
	}
	if blocks != 1 {
		t.Errorf("%d BLOCK obligations, want 1: %+v", blocks, obs)
	}
}

// Links written by name ("owned or controlled by NAME") resolve to the one
// listed entity of the same source bearing the name; an ambiguous or unknown
// name is counted, never guessed.
func TestOwnershipByName(t *testing.T) {
	owner := &lexscreen.Entity{ID: "gb-ofsi:1", Source: "gb-ofsi", Names: []lexscreen.Name{{Full: "Ivan PETROV", Kind: lexscreen.NamePrimary}},
		Designations: []lexscreen.Designation{{Authority: "GB-OFSI"}}}
	twin1 := &lexscreen.Entity{ID: "gb-ofsi:2", Source: "gb-ofsi", Names: []lexscreen.Name{{Full: "Oleg SIDOROV", Kind: lexscreen.NamePrimary}},
		Designations: []lexscreen.Designation{{Authority: "GB-OFSI"}}}
	twin2 := &lexscreen.Entity{ID: "gb-ofsi:3", Source: "gb-ofsi", Names: []lexscreen.Name{{Full: "Oleg Sidorov", Kind: lexscreen.NamePrimary}},
		Designations: []lexscreen.Designation{{Authority: "GB-OFSI"}}}
	a := &lexscreen.Entity{ID: "gb-ofsi:4", Source: "gb-ofsi", Links: []lexscreen.Link{{Relation: "owned_or_controlled_by", Target: "PETROV, Ivan"}}}
	a.Links = append(a.Links, lexscreen.Link{Relation: "owned_or_controlled_by", Target: "ivan petrov"})
	b := &lexscreen.Entity{ID: "gb-ofsi:5", Source: "gb-ofsi", Links: []lexscreen.Link{{Relation: "owned_or_controlled_by", Target: "Oleg SIDOROV"}}}
	ob := NewOwnershipBuilder()
	for _, e := range []*lexscreen.Entity{owner, twin1, twin2, a, b} {
		ob.Add(e)
	}
	g := ob.Build()
	if n := len(g.owners["gb-ofsi:4"]); n != 1 || g.owners["gb-ofsi:4"][0].owner != "gb-ofsi:1" {
		t.Errorf("owners of 4 = %+v, want gb-ofsi:1 once", g.owners["gb-ofsi:4"])
	}
	if len(g.owners["gb-ofsi:5"]) != 0 {
		t.Errorf("ambiguous name resolved: %+v", g.owners["gb-ofsi:5"])
	}
	// "PETROV, Ivan" is not written as the list writes the name: unresolved, counted.
	if g.Unresolved != 2 {
		t.Errorf("Unresolved = %d, want 2 (the reordered name and the ambiguous one)", g.Unresolved)
	}
}

// FtM gives each Ownership on both sides (owned_by on the asset, owner_of on
// the owner): one holding, not two (which would double the share).
func TestOwnershipBothSidesOnce(t *testing.T) {
	owner := *volkovSDN
	owner.Links = []lexscreen.Link{{Relation: "owner_of", TargetID: "test:z", Percent: "30"}}
	asset := company("z", "DVINA FORESTRY LLC", ownedBy(volkovSDN, "30"))
	l := world(&owner, asset)
	if n := l.Ownership.Edges(); n != 1 {
		t.Fatalf("edges = %d, want 1", n)
	}
	e, _ := Load()
	usBank, _, _ := builtinOperator("us-bank")
	obs, _, _ := e.Evaluate(usBank, d("2025-06-01"), l)
	for _, o := range obs {
		if o.Kind == "BLOCK" {
			t.Errorf("30%% counted twice: %s", o.Explanation)
		}
	}
}

func TestParsePercent(t *testing.T) {
	for in, want := range map[string]float64{"51": 51, "50.5": 50.5, "100%": 100, " 25 % ": 25, "12,5": 12.5} {
		if got, ok := parsePercent(in); !ok || got != want {
			t.Errorf("parsePercent(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "abc", "-5", "150", "majority"} {
		if _, ok := parsePercent(in); ok {
			t.Errorf("parsePercent(%q) accepted", in)
		}
	}
}

func FuzzOwnershipPercentAndDates(f *testing.F) {
	for _, s := range []string{"51", "100%", "2019-08-02", "2019", "2019-13", "", "1e400", "NaN"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if p, ok := parsePercent(s); ok && (p < 0 || p > 100 || p != p) {
			t.Errorf("parsePercent(%q) = %v", s, p)
		}
		linkDate(s, true)
		linkDate(s, false)
	})
}
