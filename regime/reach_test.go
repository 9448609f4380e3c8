package regime

import (
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
)

// Listings under programs whose US reach goes beyond the general US-person
// definition (31 CFR 560.215, 515.329), and programs cited by their own authority.
var (
	bankSepahIFSR  = sdn("10635", "BANK SEPAH", "IFSR")                              // Iranian bank, IFSR tag: an Iran-program listing
	nioc           = sdn("13285", "NATIONAL IRANIAN OIL COMPANY", "IRAN")            // Government of Iran (EO 13599)
	havanaShipping = sdn("1208", "EMPRESA DE NAVEGACION MAMBISA", "CUBA")            // Cuban state shipping line (CACR)
	bnc            = sdn("306", "BANCO NACIONAL DE CUBA", "CUBA")                    // in the bundled SDN file
	sdgtAbbas      = sdn("2674", "ABBAS, Abu", "SDGT")                               // in the bundled SDN file
	ukraineEO13661 = sdn("15582", "ROTENBERG, Arkady Romanovich", "UKRAINE-EO13661") // EO 13661 designee (2014)
	unknownProgram = sdn("99999", "EXAMPLE TRADING LLC", "MADE-UP-PROGRAM-EO99999")  // a program the data does not know
)

// TestReachPerProgram: 31 CFR 560.215 (Iran) and 515.329 (Cuba) bind foreign
// entities owned or controlled by US persons; their laws are in the Annex of
// Reg. 2271/96 (ITSR since 2018-08-07, CACR since 1996, the latter [M]) and of
// the UK's retained version (ITSR since 2019-02-01; Cuba entry [M]), so a
// US-owned EU or UK subsidiary is caught between BLOCK and DO_NOT_COMPLY.
func TestReachPerProgram(t *testing.T) {
	run(t, []tcase{
		{id: "eu-sub-iran-ifsr", op: "eu-subsidiary-of-us-bank", date: "2025-03-01", listings: []Listing{bankSepahIFSR}, include: []string{"BLOCK", "DO_NOT_COMPLY", "NOTIFY"}, conflict: true},
		{id: "eu-sub-iran-goi", op: "eu-subsidiary-of-us-bank", date: "2019-06-01", listings: []Listing{nioc}, include: []string{"BLOCK", "DO_NOT_COMPLY"}, conflict: true},
		// Before the 2018 Annex amendment the ITSR were not annexed: US duty, no EU prohibition.
		{id: "eu-sub-iran-before-2018-annex", op: "eu-subsidiary-of-us-bank", date: "2018-08-06", listings: []Listing{nioc}, include: []string{"BLOCK"}, exclude: []string{"DO_NOT_COMPLY"}},
		{id: "eu-sub-cuba", op: "eu-subsidiary-of-us-bank", date: "2025-03-01", listings: []Listing{havanaShipping}, include: []string{"BLOCK", "DO_NOT_COMPLY", "NOTIFY"}, conflict: true},
		{id: "eu-bank-no-us-parent-iran", op: "eu-bank", date: "2025-03-01", listings: []Listing{bankSepahIFSR}, include: []string{"RISK", "DO_NOT_COMPLY"}, exclude: []string{"BLOCK", "REJECT"}},
		{id: "eu-bank-no-us-parent-cuba", op: "eu-bank", date: "2025-03-01", listings: []Listing{bnc}, include: []string{"RISK"}, exclude: []string{"BLOCK", "REJECT"}},
		{id: "uk-sub-iran", op: prof + "uk-sub.yaml", date: "2025-03-01", listings: []Listing{nioc}, include: []string{"BLOCK", "DO_NOT_COMPLY", "NOTIFY"}, conflict: true},
		// The UK's ITSR entry dates from the 2018 Amendment Order, in force 2019-02-01.
		{id: "uk-sub-iran-before-uk-annex", op: prof + "uk-sub.yaml", date: "2019-01-15", listings: []Listing{nioc}, include: []string{"BLOCK"}, exclude: []string{"DO_NOT_COMPLY"}},
		{id: "uk-sub-cuba", op: prof + "uk-sub.yaml", date: "2025-03-01", listings: []Listing{bnc}, include: []string{"BLOCK", "DO_NOT_COMPLY"}, conflict: true},
		// EO 13661 has no subsidiary reach: a US-owned EU subsidiary is not a US person for it.
		{id: "eu-sub-ukraine-no-reach", op: "eu-subsidiary-of-us-bank", date: "2025-03-01", listings: []Listing{ukraineEO13661}, include: []string{"RISK"}, exclude: []string{"BLOCK", "DO_NOT_COMPLY"}},
		{id: "eu-sub-sdgt-no-reach", op: "eu-subsidiary-of-us-bank", date: "2025-03-01", listings: []Listing{sdgtAbbas}, include: []string{"RISK"}, exclude: []string{"BLOCK"}},
	})
	e, _ := Load()
	op, _ := ParseOperator("eu-subsidiary-of-us-bank")
	obs, conf, _ := e.Evaluate(op, d("2025-03-01"), bankSepahIFSR)
	block := find(obs, "BLOCK")
	if block == nil || !strings.Contains(block.Basis, "560.215") || !strings.Contains(block.Basis, "31 CFR part 560") {
		t.Errorf("Iran BLOCK for a subsidiary must cite 31 CFR 560.215: %+v", block)
	}
	dnc := find(obs, "DO_NOT_COMPLY")
	if dnc == nil || !strings.Contains(dnc.Basis, "art. 5") || !strings.Contains(dnc.Explanation, "Iranian Transactions") {
		t.Errorf("DO_NOT_COMPLY must rest on art. 5 of 2271/96 and name the ITSR: %+v", dnc)
	}
	if len(conf) != 1 || !strings.Contains(conf[0].Explanation, "560.215") || !strings.Contains(conf[0].Explanation, "EU-2271-96") {
		t.Errorf("conflict must name 560.215 and the Blocking Statute: %+v", conf)
	}
	obs, _, _ = e.Evaluate(op, d("2025-03-01"), bnc)
	if b := find(obs, "BLOCK"); b == nil || !strings.Contains(b.Basis, "515.329") || !strings.Contains(b.Basis, "31 CFR part 515") {
		t.Errorf("Cuba BLOCK for a subsidiary must cite 31 CFR 515.329: %+v", b)
	}
}

// TestProgramCitations: each OFAC program is cited by its own authority, the
// unknown one by the IEEPA fallback tagged [D]; mandatory secondary sanctions
// (IFCA/CISADA for Iran, EO 14114 for Russia) are told apart from designation risk.
func TestProgramCitations(t *testing.T) {
	e, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	bank, _ := ParseOperator("eu-bank")
	cases := []struct {
		l       Listing
		want    string
		notWant string
		second  string // a RISK naming this statute, or "" for none
	}{
		{sdgtAbbas, "EO 13224", "EO 14203", ""},
		{bnc, "31 CFR part 515", "EO 14203", ""},
		{ukraineEO13661, "EO 13661", "EO 14203", ""},
		{putinSDN, "EO 14024", "EO 14203", "EO 14114"},
		{bankSepahIFSR, "31 CFR part 560", "EO 14203", "IFCA"},
		{khanSDN, "EO 14203", "EO 13224", ""},
		{unknownProgram, "IEEPA", "EO 14203", ""},
	}
	for _, c := range cases {
		prog := c.l.Designations[0].Program
		obs, _, err := e.Evaluate(bank, d("2025-03-01"), c.l)
		if err != nil {
			t.Fatal(err)
		}
		var risk *lexscreen.Obligation
		var secondary []lexscreen.Obligation
		for i, o := range obs {
			if o.Kind != "RISK" || o.Authority != "US-OFAC" {
				continue
			}
			if strings.Contains(o.Basis, "IFCA") || strings.Contains(o.Basis, "EO 14114") {
				secondary = append(secondary, o)
			} else if risk == nil {
				risk = &obs[i]
			}
		}
		if risk == nil {
			t.Errorf("%s: no designation RISK: %v", prog, summary(obs))
			continue
		}
		if !strings.Contains(risk.Basis, c.want) || strings.Contains(risk.Basis, c.notWant) {
			t.Errorf("%s: RISK basis %q, want %q", prog, risk.Basis, c.want)
		}
		if prog == unknownProgram.Designations[0].Program && !strings.Contains(risk.Basis, "[D]") {
			t.Errorf("unknown program: fallback must be tagged [D]: %q", risk.Basis)
		}
		switch {
		case c.second == "" && len(secondary) > 0:
			t.Errorf("%s: no mandatory secondary sanctions, got %+v", prog, secondary)
		case c.second != "" && (len(secondary) != 1 || !strings.Contains(secondary[0].Explanation, c.second)):
			t.Errorf("%s: want one secondary-sanctions RISK naming %s, got %+v", prog, c.second, secondary)
		}
	}
	// A non-bank is not a foreign financial institution: designation risk only.
	firm, _ := ParseOperator("uk-firm")
	obs, _, _ := e.Evaluate(firm, d("2025-03-01"), bankSepahIFSR)
	for _, o := range obs {
		if o.Kind == "RISK" && strings.Contains(o.Basis, "IFCA") {
			t.Errorf("a non-bank gets no FFI secondary-sanctions RISK: %+v", o)
		}
	}
}

func find(obs []lexscreen.Obligation, kind string) *lexscreen.Obligation {
	for i := range obs {
		if string(obs[i].Kind) == kind {
			return &obs[i]
		}
	}
	return nil
}
