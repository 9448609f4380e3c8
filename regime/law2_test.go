package regime

import (
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
)

// Issue 12 items 3, 6 and 7: Blocking Statute coverage (art. 11 of Reg
// 2271/96), travel bans (DENY_ENTRY) and rejected transfers (REJECT).

const prof = "testdata/law2/"

var (
	unTravel = Listing{EntityID: "un-sc:QDi.999", Source: "un-sc", Names: []string{"EXAMPLE ISIL PERSON"}, Schema: lexscreen.SchemaPerson,
		Designations: []lexscreen.Designation{{Authority: "UN-SC", Program: "Al-Qaida", ListedOn: on("2015-09-23"), Measures: []string{"asset freeze", "travel ban", "arms embargo"}}}}
	unEntity = Listing{EntityID: "un-sc:QDe.999", Source: "un-sc", Names: []string{"EXAMPLE FRONT"}, Schema: lexscreen.SchemaOrganization,
		Designations: []lexscreen.Designation{{Authority: "UN-SC", Program: "Al-Qaida", ListedOn: on("2015-09-23"), Measures: []string{"asset freeze", "arms embargo"}}}}
	euTravel = Listing{EntityID: "eu-tb:1", Source: "eu-travel-bans", Names: []string{"EXAMPLE EU PERSON"}, Schema: lexscreen.SchemaPerson,
		Designations: []lexscreen.Designation{{Authority: "EU", Program: "RUS", ListedOn: on("2022-03-15"), Measures: []string{"Travel ban"}}}}
	ukTravel = Listing{EntityID: "gb-fcdo:RUS0085", Source: "gb-fcdo", Names: []string{"EXAMPLE UK PERSON"}, Schema: lexscreen.SchemaPerson,
		Designations: []lexscreen.Designation{{Authority: "GB-FCDO", Program: "The Russia (Sanctions) (EU Exit) Regulations 2019", ListedOn: on("2020-12-31"), Measures: []string{"Asset freeze", "Travel Ban"}}}}
	alHaqOrg = func() Listing { l := alHaq; l.Schema = lexscreen.SchemaOrganization; return l }()
	consRU   = Listing{EntityID: "us-ofac-cons:1", Source: "us-ofac-cons", Names: []string{"EXAMPLE SSI BANK"},
		Designations: []lexscreen.Designation{{Authority: "US-OFAC", List: "SSI", Program: "UKRAINE-EO13662"}}}
)

const ukBlocksICC2027 = `# what-if: the UK adds EO 14203 to its retained Annex
blocking_statutes:
  - id: UK-PTI
    annex_add:
      - program: ICC-EO14203
        effective_from: 2027-01-01
`

func TestBlockingStatuteArt11(t *testing.T) {
	run(t, []tcase{
		// art. 11 second indent: a legal person incorporated in the Union, from the day the ITSR entered the Annex.
		{id: "eu-incorporated-iran", op: "eu-bank", date: "2019-01-01", listings: []Listing{iranSDN}, include: []string{"DO_NOT_COMPLY", "NOTIFY"}},
		{id: "eu-incorporated-before-annex", op: "eu-bank", date: "2018-08-06", listings: []Listing{iranSDN}, exclude: []string{"DO_NOT_COMPLY", "NOTIFY"}},
		// A bank incorporated outside the Union is not covered although it acts there (art. 17(e) of 269/2014 is not the test).
		{id: "non-eu-bank-acting-in-eu", op: prof + "ch-bank-de-branch.yaml", date: "2019-01-01", listings: []Listing{iranSDN}, exclude: []string{"DO_NOT_COMPLY", "NOTIFY"}},
		// First indent needs residence and nationality: a French national living in the US is not covered.
		{id: "eu-national-abroad", op: prof + "fr-national-in-us.yaml", date: "2019-01-01", listings: []Listing{iranSDN}, exclude: []string{"DO_NOT_COMPLY"}},
		// Fourth and fifth indents: a non-EU national resident or working in the Union is covered.
		{id: "non-eu-national-in-eu", op: prof + "us-national-in-de.yaml", date: "2019-01-01", listings: []Listing{iranSDN}, include: []string{"DO_NOT_COMPLY", "NOTIFY", "BLOCK"}, conflict: true}, // a US national is also a US person
		// UK retained version: ITSR in the UK Annex from 2019-02-01.
		{id: "uk-firm-iran", op: "uk-firm", date: "2019-02-01", listings: []Listing{iranSDN}, include: []string{"DO_NOT_COMPLY"}},
		{id: "uk-firm-iran-before", op: "uk-firm", date: "2019-01-31", listings: []Listing{iranSDN}, exclude: []string{"DO_NOT_COMPLY"}},
		{id: "uk-sub-conflict", op: prof + "uk-sub.yaml", date: "2027-02-01", overlay: ukBlocksICC2027, listings: []Listing{khanSDN}, include: []string{"BLOCK", "DO_NOT_COMPLY"}, conflict: true},
	})
}

func TestBlockingCitations(t *testing.T) {
	e, err := Load([]byte(ukBlocksICC2027))
	if err != nil {
		t.Fatal(err)
	}
	eu, _ := ParseOperator("eu-bank")
	obs, _, _ := e.Evaluate(eu, d("2019-01-01"), iranSDN)
	for _, o := range obs {
		if o.Kind == "DO_NOT_COMPLY" && (strings.Contains(o.Explanation, "art. 17") || !strings.Contains(o.Explanation, "art. 11")) {
			t.Errorf("EU coverage must cite art. 11 of Reg 2271/96, not art. 17: %s", o.Explanation)
		}
	}
	uk, err := ParseOperator(prof + "uk-sub.yaml")
	if err != nil {
		t.Fatal(err)
	}
	obs, conf, _ := e.Evaluate(uk, d("2027-02-01"), khanSDN)
	if len(conf) == 0 || !hasWayOut(conf[0], "Secretary of State (UK)", "uk-blocking-authorisation") || hasWayOut(conf[0], "European Commission", "") {
		t.Errorf("UK conflict must name the Secretary of State's authorisation, not the Commission's: %+v", conf)
	}
	for _, o := range obs {
		if o.Kind == "DO_NOT_COMPLY" && strings.Contains(o.Explanation, "Commission may authorise") {
			t.Errorf("UK DO_NOT_COMPLY cites the Commission: %s", o.Explanation)
		}
	}
}

func TestDenyEntry(t *testing.T) {
	run(t, []tcase{
		// EO 14203 s.4 suspends entry into the US of designees, from their designation.
		{id: "us-border-khan", op: "border:US", date: "2025-03-01", listings: []Listing{khanSDN}, include: []string{"DENY_ENTRY"}, exclude: []string{"BLOCK"}},
		{id: "us-border-before-designation", op: "border:US", date: "2025-02-05", listings: []Listing{khanSDN}, exclude: []string{"DENY_ENTRY"}},
		{id: "us-ban-not-german", op: "border:DE", date: "2025-03-01", listings: []Listing{khanSDN}, exclude: []string{"DENY_ENTRY", "BLOCK"}},
		{id: "us-border-entity", op: "border:US", date: "2025-10-01", listings: []Listing{alHaqOrg}, exclude: []string{"DENY_ENTRY"}},
		{id: "us-border-other-program", op: "border:US", date: "2025-03-01", listings: []Listing{putinSDN}, exclude: []string{"DENY_ENTRY"}},
		{id: "us-border-enjoined", op: "border:US", date: "2026-05-13", listings: []Listing{albanese}, include: []string{"RISK"}, exclude: []string{"DENY_ENTRY"}},
		// Restored after the appellate stay (date not captured): the ban applies again, at [D].
		{id: "us-border-restored", op: "border:US", date: "2026-06-01", listings: []Listing{albanese}, include: []string{"DENY_ENTRY"}},
		// UN travel bans bind every State (Charter art. 25), only where the measures carry one.
		{id: "un-ban-japan", op: "border:JP", date: "2020-01-01", listings: []Listing{unTravel}, include: []string{"DENY_ENTRY"}},
		{id: "un-ban-before-listing", op: "border:JP", date: "2015-09-22", listings: []Listing{unTravel}, exclude: []string{"DENY_ENTRY"}},
		{id: "un-no-measure", op: "border:JP", date: "2020-01-01", listings: []Listing{unListed, unEntity}, exclude: []string{"DENY_ENTRY"}},
		// EU admission restrictions bind Member States' borders only.
		{id: "eu-ban-france", op: "border:FR", date: "2023-01-01", listings: []Listing{euTravel}, include: []string{"DENY_ENTRY"}},
		{id: "eu-ban-not-swiss", op: "border:CH", date: "2023-01-01", listings: []Listing{euTravel}, exclude: []string{"DENY_ENTRY"}},
		{id: "eu-freeze-only", op: "border:FR", date: "2023-01-01", listings: []Listing{abramovichEU}, exclude: []string{"DENY_ENTRY", "FREEZE"}},
		// UK travel bans bind the UK border.
		{id: "uk-ban-uk", op: "border:GB", date: "2021-01-01", listings: []Listing{ukTravel}, include: []string{"DENY_ENTRY"}},
		{id: "uk-ban-not-france", op: "border:FR", date: "2021-01-01", listings: []Listing{ukTravel}, exclude: []string{"DENY_ENTRY"}},
		// A bank never gets DENY_ENTRY.
		{id: "bank-no-entry", op: "uk-firm", date: "2021-01-01", listings: []Listing{ukTravel}, include: []string{"FREEZE"}, exclude: []string{"DENY_ENTRY"}},
	})
	e, _ := Load()
	op, _ := ParseOperator("border:US")
	obs, _, _ := e.Evaluate(op, d("2025-03-01"), khanSDN)
	for _, o := range obs {
		if o.Kind == "DENY_ENTRY" && (!strings.Contains(o.Basis, "s.4") || !strings.Contains(o.Explanation, "Headquarters Agreement") || !strings.Contains(o.Explanation, "Secretary of State")) {
			t.Errorf("EO 14203 DENY_ENTRY must cite s.4 and its exceptions: %+v", o)
		}
	}
	op, _ = ParseOperator("border:JP")
	obs, _, _ = e.Evaluate(op, d("2020-01-01"), unTravel)
	for _, o := range obs {
		if o.Kind == "DENY_ENTRY" && (o.Confidence != ConfMemory || !strings.Contains(o.Explanation, "own nationals") || !strings.Contains(o.Explanation, "judicial process")) {
			t.Errorf("UN DENY_ENTRY must give its exemptions and stay [M]: %+v", o)
		}
	}
}

func TestReject(t *testing.T) {
	run(t, []tcase{
		// 31 CFR 501.604: a US payment processor rejects what it may not process but cannot block.
		{id: "us-bank", op: "us-bank", date: "2025-03-01", listings: []Listing{putinSDN}, include: []string{"BLOCK", "REJECT", "REPORT"}},
		{id: "us-firm-no-payments", op: prof + "us-nopay.yaml", date: "2025-03-01", listings: []Listing{putinSDN}, include: []string{"BLOCK"}, exclude: []string{"REJECT"}},
		{id: "us-bank-declared-no-payments", op: prof + "us-bank-nopay.yaml", date: "2025-03-01", listings: []Listing{putinSDN}, include: []string{"BLOCK"}, exclude: []string{"REJECT"}},
		{id: "us-firm-payments", op: prof + "us-payfirm.yaml", date: "2025-03-01", listings: []Listing{putinSDN}, include: []string{"BLOCK", "REJECT"}},
		{id: "eu-bank-not-us-bound", op: "eu-bank", date: "2025-03-01", listings: []Listing{putinSDN}, exclude: []string{"REJECT", "BLOCK"}},
		{id: "eu-sub-eo14203", op: "eu-subsidiary-of-us-bank", date: "2025-03-01", listings: []Listing{khanSDN}, include: []string{"BLOCK", "REJECT"}},
		{id: "enjoined", op: "us-bank", date: "2026-05-13", listings: []Listing{albanese}, exclude: []string{"REJECT", "BLOCK"}},
		{id: "non-sdn", op: "us-bank", date: "2025-03-01", listings: []Listing{consRU}, exclude: []string{"REJECT", "BLOCK"}},
	})
	e, _ := Load()
	op, _ := ParseOperator("us-bank")
	obs, _, _ := e.Evaluate(op, d("2025-03-01"), putinSDN)
	for _, o := range obs {
		if o.Kind == "REJECT" && (!strings.Contains(o.Basis, "501.604") || !strings.Contains(o.Explanation, "no blocked person has an interest") || !strings.Contains(o.Deadline, "10 business days")) {
			t.Errorf("REJECT must cite 501.604, say when it applies and carry the 10-day report: %+v", o)
		}
	}
}

// hasWayOut reports whether a conflict offers a way out granted by from
// (and resting on rule, unless rule is "").
func hasWayOut(c lexscreen.Conflict, from, rule string) bool {
	for _, w := range c.WaysOut {
		if w.From == from && (rule == "" || w.Rule == rule) {
			return true
		}
	}
	return false
}
