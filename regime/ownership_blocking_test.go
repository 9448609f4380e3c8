package regime

import (
	"strings"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
)

// TestOwnershipBlockMeetsBlockingStatute: a company blocked under a US
// program only through its owner is, for an EU subsidiary of a US bank, the
// same collision as a listed one when the program's law is in the Annex of
// Reg. 2271/96 (the ITSR since 7 August 2018): US law requires the block,
// the statute forbids complying with it. Before the ITSR entered the
// Annex there is no conflict (own example: a trading company 70% owned by
// an Iranian SDN).
func TestOwnershipBlockMeetsBlockingStatute(t *testing.T) {
	e, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	op, _, err := builtinOperator("eu-subsidiary-of-us-bank")
	if err != nil {
		t.Fatal(err)
	}
	owner := &lexscreen.Entity{ID: "us-ofac-sdn:90100", Source: "us-ofac-sdn", Schema: lexscreen.SchemaOrganization,
		Names:        []lexscreen.Name{{Full: "PERSIAN GULF PETRO TRADING CO", Kind: lexscreen.NamePrimary}},
		Designations: []lexscreen.Designation{{Authority: "US-OFAC", List: "SDN", Program: "IRAN", ListedOn: on("2012-07-12")}}}
	owned := company("ir70", "ADRIATIC CHEMICALS TRADING DOO", ownedBy(owner, "70"))
	l := world(owner, owned)

	obs, conflicts, err := e.Evaluate(op, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), l)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]lexscreen.Obligation{}
	for _, o := range obs {
		kinds[string(o.Kind)] = o
	}
	if _, ok := kinds["BLOCK"]; !ok {
		t.Fatalf("no BLOCK by ownership: %+v", obs)
	}
	dnc, ok := kinds["DO_NOT_COMPLY"]
	if !ok || !strings.Contains(dnc.Explanation, "not itself listed") || strings.Contains(dnc.Explanation, "ADRIATIC CHEMICALS TRADING DOO is listed") {
		t.Fatalf("DO_NOT_COMPLY missing or calling the owned company listed: %+v", dnc)
	}
	if len(conflicts) != 1 || len(conflicts[0].WaysOut) == 0 || conflicts[0].EntityID != owned.ID {
		t.Fatalf("want one conflict with ways out on the owned company: %+v", conflicts)
	}
	var both [2]bool
	for _, d := range conflicts[0].Duties {
		both[0] = both[0] || d.Kind == "BLOCK"
		both[1] = both[1] || d.Kind == "DO_NOT_COMPLY"
	}
	if !both[0] || !both[1] {
		t.Errorf("the conflict must join the block and the prohibition: %+v", conflicts[0].Duties)
	}

	// 2017: the ITSR was not yet in the Annex: a block, no prohibition.
	obs, conflicts, err = e.Evaluate(op, time.Date(2017, 3, 1, 0, 0, 0, 0, time.UTC), l)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range obs {
		if o.Kind == "DO_NOT_COMPLY" {
			t.Errorf("2017: DO_NOT_COMPLY before the ITSR entered the Annex: %s", o.Explanation)
		}
	}
	if len(conflicts) != 0 {
		t.Errorf("2017: conflicts %+v", conflicts)
	}
}
