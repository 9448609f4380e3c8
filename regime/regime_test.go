package regime

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
)

func d(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func on(s string) lexscreen.DateValue {
	p, err := lexscreen.ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return lexscreen.Single(p)
}

func sdn(num, name, program string) Listing {
	return Listing{EntityID: "us-ofac-sdn:" + num, Source: "us-ofac-sdn", Names: []string{name},
		Designations: []lexscreen.Designation{{Authority: "US-OFAC", List: "SDN", Program: program}}}
}

func warrant(id, name, situation, code, date string, history ...string) Listing {
	l := Listing{EntityID: "icc-warrants:" + id, Source: "icc-warrants", Names: []string{name},
		Designations: []lexscreen.Designation{{Authority: "ICC", List: "ICC arrest warrants", Program: situation,
			LegalBasis: "Rome Statute art. 58", ListedOn: on(date), Reference: code}},
		Attributes: map[string][]string{"situation_code": {code}}}
	if len(history) == 0 {
		history = []string{date + " at_large [V]"}
	}
	l.Attributes["warrant_status_history"] = history
	return l
}

func ruCase(id, name, date string) Listing {
	return Listing{EntityID: "ru-icc-cases:" + id, Source: "ru-icc-cases", Names: []string{name},
		Designations: []lexscreen.Designation{{Authority: "RU", Program: "RU-ICC-CASES", ListedOn: on(date)}},
		Attributes:   map[string][]string{"hostile_listing": {"true"}, "listing_state": {"RU"}, "conviction_date": {"2025-12-12"}}}
}

var (
	khanSDN   = sdn("52965", "KHAN, Karim Asad Ahmad", "ICC-EO14203")
	khanRU    = ruCase("khan-karim", "Karim Asad Ahmad Khan", "2023-03-20")
	alHaq     = sdn("55413", "AL HAQ - LAW IN THE SERVICE OF MANKIND", "ICC-EO14203")
	albanese  = sdn("54707", "ALBANESE, Francesca Paola", "ICC-EO14203")
	prost     = sdn("54217", "PROST, Kimberly", "ICC-EO14203")
	damdin    = sdn("56682", "DAMDIN, Erdenebalsuren", "ICC-EO14203")
	putinSDN  = sdn("35096", "PUTIN, Vladimir Vladimirovich", "RUSSIA-EO14024")
	netanyahu = warrant("netanyahu-benjamin", "Benjamin Netanyahu", "State of Palestine", "ICC-01/18", "2024-11-21")
	putinICC  = warrant("putin-vladimir-vladimirovich", "Vladimir Vladimirovich Putin", "Ukraine", "ICC-01/22", "2023-03-17")
	duterte   = warrant("duterte-rodrigo-roa", "Rodrigo Roa Duterte", "Philippines", "ICC-01/21", "2025-03-07",
		"2025-03-07 at_large [M]", "2025-03-11 arrested_by_state PH [V]", "2025-03-12 in_icc_custody [V]")
	kushayb = warrant("abd-al-rahman-ali-muhammad-ali", "Ali Muhammad Ali Abd-Al-Rahman", "Darfur, Sudan", "ICC-02/05", "2007-04-27",
		"2007-04-27 at_large [M]", "2020-06-09 in_icc_custody [V]", "2025-10-06 convicted [V]")
	bashir  = warrant("al-bashir-omar-hassan-ahmad", "Omar Hassan Ahmad Al-Bashir", "Darfur, Sudan", "ICC-02/05", "2009-03-04", "2009-03-04 at_large [M]")
	elmasry = warrant("elmasry-njeem-osama", "Osama Elmasry Njeem", "Libya", "ICC-01/11", "2025-01-18",
		"2025-01-18 at_large [V]", "2025-01-19 arrested_by_state IT [V]", "2025-01-21 released IT [V]")
	akane        = ruCase("akane-tomoko", "Tomoko Akane", "2023-03-20")
	abramovichEU = Listing{EntityID: "eu-fsf:137652", Source: "eu-fsf", Names: []string{"Roman Arkadyevich ABRAMOVICH"},
		Designations: []lexscreen.Designation{{Authority: "EU", Program: "RUS", LegalBasis: "Council Regulation (EU) 269/2014", ListedOn: on("2022-03-15"), Measures: []string{"asset freeze"}}}}
	abramovichUK = Listing{EntityID: "gb-ofsi:14212", Source: "gb-ofsi", Names: []string{"Roman Arkadyevich ABRAMOVICH"},
		Designations: []lexscreen.Designation{{Authority: "GB-OFSI", List: "Consolidated List", Program: "Russia", ListedOn: on("2022-03-10"), Reference: "RUS0270"}}}
	putinEU = Listing{EntityID: "eu-fsf:135909", Source: "eu-fsf", Names: []string{"Vladimir Vladimirovich PUTIN"},
		Designations: []lexscreen.Designation{{Authority: "EU", Program: "UKR", ListedOn: on("2022-02-25")}}}
	putinUK = Listing{EntityID: "gb-ofsi:14196", Source: "gb-ofsi", Names: []string{"Vladimir Vladimirovich PUTIN"},
		Designations: []lexscreen.Designation{{Authority: "GB-OFSI", Program: "Russia", ListedOn: on("2022-02-25")}}}
	unListed = Listing{EntityID: "un-sc:6908048", Source: "un-sc", Names: []string{"EXAMPLE UN PERSON"},
		Designations: []lexscreen.Designation{{Authority: "UN-SC", Program: "DPRK", ListedOn: on("2017-06-02")}}}
	iranSDN = sdn("12345", "EXAMPLE IRAN BANK", "IRAN")
)

const euBlocks2027 = `# what-if: the EU adds EO 14203 to the Annex
blocking_statutes:
  - id: EU-2271-96
    annex_add:
      - program: ICC-EO14203
        effective_from: 2027-01-01
`

type tcase struct {
	id       string
	op       string
	date     string
	overlay  string
	listings []Listing
	include  []string
	exclude  []string
	conflict bool
}

func kinds(obs []lexscreen.Obligation) map[string]bool {
	m := map[string]bool{}
	for _, o := range obs {
		m[string(o.Kind)] = true
	}
	return m
}

func run(t *testing.T, cases []tcase) {
	t.Helper()
	base, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			e := base
			if c.overlay != "" {
				if e, err = Load([]byte(c.overlay)); err != nil {
					t.Fatal(err)
				}
			}
			op, err := ParseOperator(c.op)
			if err != nil {
				t.Fatal(err)
			}
			var all []lexscreen.Obligation
			var conflicts []lexscreen.Conflict
			for _, l := range c.listings {
				obs, conf, err := e.Evaluate(op, d(c.date), l)
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range obs {
					if o.Basis == "" || o.Source == "" || o.Explanation == "" || confRank[o.Confidence] == 0 || o.Authority == "" {
						t.Errorf("incomplete obligation %+v", o)
					}
					if o.Confidence == ConfMemory && !strings.Contains(o.Explanation, "UNCONFIRMED") {
						t.Errorf("[M] obligation not marked unconfirmed: %s", o.Explanation)
					}
				}
				all = append(all, obs...)
				conflicts = append(conflicts, conf...)
			}
			k := kinds(all)
			for _, want := range c.include {
				if !k[want] {
					t.Errorf("missing %s; got %v", want, summary(all))
				}
			}
			for _, no := range c.exclude {
				if k[no] {
					t.Errorf("unexpected %s; got %v", no, summary(all))
				}
			}
			if c.conflict != (len(conflicts) > 0) {
				t.Errorf("conflicts = %+v, want conflict %v", conflicts, c.conflict)
			}
		})
	}
}

func summary(obs []lexscreen.Obligation) []string {
	var s []string
	for _, o := range obs {
		s = append(s, string(o.Kind)+"("+o.Authority+", "+o.Confidence+")")
	}
	return s
}

// The 12 scenarios of shared/legal/scenarios.yaml.
func TestScenarios(t *testing.T) {
	khan := []Listing{khanSDN, khanRU}
	putin := []Listing{putinSDN, putinEU, putinUK, putinICC}
	run(t, []tcase{
		{id: "p01-us-bank-icc-prosecutor", op: "us-bank", date: "2025-12-30", listings: khan, include: []string{"BLOCK", "REPORT"}, exclude: []string{"FREEZE", "DO_NOT_COMPLY"}},
		{id: "p02-eu-bank-icc-prosecutor", op: "eu-bank", date: "2025-12-30", listings: khan, include: []string{"RISK"}, exclude: []string{"BLOCK", "FREEZE", "DO_NOT_COMPLY"}},
		{id: "p03-eu-subsidiary-of-us-bank", op: "eu-subsidiary-of-us-bank", date: "2025-12-30", listings: khan, include: []string{"BLOCK"}, exclude: []string{"DO_NOT_COMPLY"}},
		{id: "p04-what-if-eu-blocking-statute", op: "eu-bank", date: "2027-02-01", overlay: euBlocks2027, listings: khan, include: []string{"DO_NOT_COMPLY", "NOTIFY"}, exclude: []string{"BLOCK", "FREEZE"}},
		{id: "p05-uk-firm-ngo", op: "uk-firm", date: "2025-10-01", listings: []Listing{alHaq}, include: []string{"RISK"}, exclude: []string{"BLOCK", "FREEZE"}},
		{id: "p06-hungary-netanyahu-2025", op: "border:HU", date: "2025-04-03", listings: []Listing{netanyahu}, include: []string{"ARREST_AND_SURRENDER"}},
		{id: "p07-mongolia-putin-2024", op: "border:MN", date: "2024-09-03", listings: putin, include: []string{"ARREST_AND_SURRENDER"}},
		{id: "p08-russia-not-a-party", op: "border:RU", date: "2025-01-01", listings: putin, exclude: []string{"ARREST_AND_SURRENDER"}},
		{id: "p09-burundi-left-before-warrant", op: "border:BI", date: "2024-01-01", listings: putin, exclude: []string{"ARREST_AND_SURRENDER"}},
		{id: "p10-eu-bank-eu-listed-oligarch", op: "eu-bank", date: "2024-06-01", listings: []Listing{abramovichEU, abramovichUK}, include: []string{"FREEZE"}, exclude: []string{"BLOCK"}},
		{id: "p11-us-bank-eu-only-listing", op: "us-bank", date: "2024-06-01", listings: []Listing{abramovichEU, abramovichUK}, exclude: []string{"BLOCK", "FREEZE"}},
		{id: "p12-russian-case-against-icc-judge", op: "eu-bank", date: "2026-01-15", listings: []Listing{akane}, include: []string{"NO_LEGAL_EFFECT"}, exclude: []string{"FREEZE", "BLOCK", "ARREST_AND_SURRENDER"}},
	})
}

// Other cases following the same law.
func TestHeldBackStyle(t *testing.T) {
	run(t, []tcase{
		// Dates around US designations.
		{id: "before-khan-designation", op: "us-bank", date: "2025-02-05", listings: []Listing{khanSDN}, exclude: []string{"BLOCK", "REPORT"}},
		{id: "on-khan-designation", op: "us-bank", date: "2025-02-06", listings: []Listing{khanSDN}, include: []string{"BLOCK", "REPORT"}},
		{id: "before-damdin-designation", op: "us-bank", date: "2025-12-17", listings: []Listing{damdin}, exclude: []string{"BLOCK"}},
		{id: "prost-us-bank", op: "us-bank", date: "2025-09-01", listings: []Listing{prost}, include: []string{"BLOCK", "REPORT"}},
		{id: "prost-canadian-bank", op: "testdata/ca-bank.yaml", date: "2025-09-01", listings: []Listing{prost}, include: []string{"RISK"}, exclude: []string{"BLOCK", "FREEZE"}},
		{id: "eu-bank-not-yet-annexed-2026", op: "eu-bank", date: "2026-06-01", overlay: euBlocks2027, listings: []Listing{khanSDN}, include: []string{"RISK"}, exclude: []string{"DO_NOT_COMPLY"}},
		{id: "eu-subsidiary-conflict-once-annexed", op: "eu-subsidiary-of-us-bank", date: "2027-02-01", overlay: euBlocks2027, listings: []Listing{khanSDN}, include: []string{"BLOCK", "DO_NOT_COMPLY", "NOTIFY"}, conflict: true},
		{id: "us-bank-unaffected-by-eu-annex", op: "us-bank", date: "2027-02-01", overlay: euBlocks2027, listings: []Listing{khanSDN}, include: []string{"BLOCK"}, exclude: []string{"DO_NOT_COMPLY"}},
		// Albanese: listed, then enjoined.
		{id: "albanese-listed-2025", op: "us-bank", date: "2025-08-01", listings: []Listing{albanese}, include: []string{"BLOCK"}},
		{id: "albanese-enjoined-2026", op: "us-bank", date: "2026-05-13", listings: []Listing{albanese}, include: []string{"RISK"}, exclude: []string{"BLOCK"}},
		// The appellate stay restored the designation (RESEARCH.md s.1.3): BLOCK again, not RISK forever.
		{id: "albanese-restored-2026", op: "us-bank", date: "2026-05-20", listings: []Listing{albanese}, include: []string{"BLOCK"}, exclude: []string{"RISK"}},
		{id: "albanese-relisted-overlay", op: "us-bank", date: "2026-07-02", overlay: "designations:\n  - {ent_num: 54707, history: [{date: 2026-07-01, status: relisted}]}\n", listings: []Listing{albanese}, include: []string{"BLOCK"}},
		// Overriding a designation date.
		{id: "designation-date-override", op: "us-bank", date: "2025-02-10", overlay: "designations:\n  - {entity_id: \"us-ofac-sdn:52965\", designated: 2025-03-01}\n", listings: []Listing{khanSDN}, exclude: []string{"BLOCK"}},
		// Blocking statute already in force for Iran.
		{id: "eu-bank-iran-sdn", op: "eu-bank", date: "2024-01-01", listings: []Listing{iranSDN}, include: []string{"DO_NOT_COMPLY", "NOTIFY"}, exclude: []string{"BLOCK"}},
		{id: "eu-bank-iran-before-2018-annex", op: "eu-bank", date: "2018-01-01", listings: []Listing{iranSDN}, exclude: []string{"DO_NOT_COMPLY"}},
		{id: "uk-firm-iran-sdn", op: "uk-firm", date: "2024-01-01", listings: []Listing{iranSDN}, include: []string{"DO_NOT_COMPLY", "NOTIFY"}},
		// UK operator with UK-listed persons.
		{id: "uk-firm-abramovich", op: "uk-firm", date: "2024-06-01", listings: []Listing{abramovichEU, abramovichUK}, include: []string{"FREEZE", "REPORT"}, exclude: []string{"BLOCK"}},
		{id: "uk-firm-before-uk-listing", op: "uk-firm", date: "2022-03-01", listings: []Listing{abramovichUK}, exclude: []string{"FREEZE"}},
		{id: "uk-firm-putin-sdn-only-risk", op: "uk-firm", date: "2024-06-01", listings: []Listing{putinSDN}, include: []string{"RISK"}, exclude: []string{"BLOCK"}},
		// UN listing implemented by the EU.
		{id: "eu-bank-un-listing", op: "eu-bank", date: "2024-06-01", listings: []Listing{unListed}, include: []string{"FREEZE"}},
		{id: "us-bank-un-listing-risk", op: "us-bank", date: "2024-06-01", listings: []Listing{unListed}, include: []string{"RISK"}, exclude: []string{"FREEZE"}},
		// Rome Statute membership over time.
		// Art. 12(3): Ukraine's declaration of 2015 bound it to cooperate under Part 9 before it became a party.
		{id: "ukraine-before-membership-art12-3", op: "border:UA", date: "2024-12-31", listings: []Listing{putinICC}, include: []string{"ARREST_AND_SURRENDER"}},
		{id: "ukraine-member-2025", op: "border:UA", date: "2025-01-01", listings: []Listing{putinICC}, include: []string{"ARREST_AND_SURRENDER"}},
		{id: "tajikistan-putin-2025", op: "border:TJ", date: "2025-10-09", listings: []Listing{putinICC}, include: []string{"ARREST_AND_SURRENDER"}},
		{id: "hungary-after-repealed-withdrawal", op: "border:HU", date: "2026-08-01", listings: []Listing{netanyahu}, include: []string{"ARREST_AND_SURRENDER"}},
		{id: "hungary-withdrawal-what-if-art127-2", op: "border:HU", date: "2026-08-01", overlay: "states_parties:\n  - {iso2: HU, withdrawal_effective: 2026-06-02}\n", listings: []Listing{netanyahu}, include: []string{"ARREST_AND_SURRENDER"}},
		{id: "niger-pending-withdrawal-still-party", op: "border:NE", date: "2027-01-01", listings: []Listing{netanyahu}, include: []string{"ARREST_AND_SURRENDER"}},
		{id: "niger-after-withdrawal-later-proceedings", op: "border:NE", date: "2027-07-01", listings: []Listing{netanyahu}, include: []string{"ARREST_AND_SURRENDER"}},
		{id: "before-warrant", op: "border:HU", date: "2024-11-20", listings: []Listing{netanyahu}, exclude: []string{"ARREST_AND_SURRENDER"}},
		{id: "israel-not-party", op: "border:IL", date: "2025-04-03", listings: []Listing{netanyahu}, exclude: []string{"ARREST_AND_SURRENDER"}},
		{id: "us-not-party", op: "border:US", date: "2025-04-03", listings: []Listing{netanyahu}, exclude: []string{"ARREST_AND_SURRENDER"}},
		// Philippines: withdrawn 2019-03-17, proceedings begun before (art. 127(2)).
		{id: "philippines-duterte-art127-2", op: "border:PH", date: "2025-03-10", listings: []Listing{duterte}, include: []string{"ARREST_AND_SURRENDER"}},
		{id: "philippines-duterte-in-custody", op: "border:PH", date: "2025-04-01", listings: []Listing{duterte}, exclude: []string{"ARREST_AND_SURRENDER"}},
		{id: "philippines-putin-later-proceedings", op: "border:PH", date: "2025-03-10", listings: []Listing{putinICC}, exclude: []string{"ARREST_AND_SURRENDER"}},
		// Warrant status.
		{id: "kushayb-convicted", op: "border:DE", date: "2026-01-01", listings: []Listing{kushayb}, exclude: []string{"ARREST_AND_SURRENDER"}},
		{id: "kushayb-at-large-2019", op: "border:DE", date: "2019-01-01", listings: []Listing{kushayb}, include: []string{"ARREST_AND_SURRENDER"}},
		{id: "elmasry-released-italy", op: "border:IT", date: "2025-01-22", listings: []Listing{elmasry}, include: []string{"ARREST_AND_SURRENDER"}},
		{id: "warrant-status-overlay", op: "border:MN", date: "2027-06-01", overlay: "warrants:\n  - {entity_id: \"icc-warrants:putin-vladimir-vladimirovich\", history: [{date: 2027-01-01, status: in_icc_custody}]}\n", listings: []Listing{putinICC}, exclude: []string{"ARREST_AND_SURRENDER"}},
		{id: "sudan-unsc-referral", op: "border:SD", date: "2024-01-01", listings: []Listing{bashir}, include: []string{"ARREST_AND_SURRENDER"}},
		{id: "canada-border-putin", op: "border:CA", date: "2024-01-01", listings: []Listing{putinICC}, include: []string{"ARREST_AND_SURRENDER"}},
		// Hostile listings.
		{id: "ru-khan-us-bank", op: "us-bank", date: "2026-01-15", listings: []Listing{khanRU}, include: []string{"NO_LEGAL_EFFECT"}, exclude: []string{"BLOCK"}},
		{id: "ru-akane-border-nl", op: "border:NL", date: "2026-01-15", listings: []Listing{akane}, include: []string{"NO_LEGAL_EFFECT"}, exclude: []string{"ARREST_AND_SURRENDER"}},
		{id: "ru-akane-border-ru", op: "border:RU", date: "2026-01-15", listings: []Listing{akane}, include: []string{"RISK"}, exclude: []string{"NO_LEGAL_EFFECT", "ARREST_AND_SURRENDER"}},
		// A bank has no duty from an ICC warrant.
		{id: "eu-bank-icc-warrant", op: "eu-bank", date: "2025-01-01", listings: []Listing{netanyahu}, exclude: []string{"FREEZE", "ARREST_AND_SURRENDER", "BLOCK"}},
	})
}

func TestListingDateUnknown(t *testing.T) {
	e, _ := Load()
	op, _ := ParseOperator("us-bank")
	l := putinSDN
	l.FirstSeen = d("2022-03-01")
	obs, _, err := e.Evaluate(op, d("2022-02-01"), l)
	if err != nil || !kinds(obs)["BLOCK"] {
		t.Fatalf("want BLOCK reported, got %v %v", summary(obs), err)
	}
	for _, o := range obs {
		if !strings.Contains(o.Explanation, "Listing date unknown") || o.Confidence == ConfVerified {
			t.Errorf("want listing date unknown with lower confidence: %s %s", o.Confidence, o.Explanation)
		}
	}
	obs, _, _ = e.Evaluate(op, d("2022-03-02"), l)
	for _, o := range obs {
		if strings.Contains(o.Explanation, "Listing date unknown") || o.Confidence != ConfVerified {
			t.Errorf("after first snapshot: %s %s", o.Confidence, o.Explanation)
		}
	}
}

func TestDeadlines(t *testing.T) {
	e, _ := Load()
	op, _ := ParseOperator("us-bank")
	obs, _, _ := e.Evaluate(op, d("2025-12-30"), khanSDN)
	for _, o := range obs {
		if o.Kind == "REPORT" && !strings.Contains(o.Deadline, "2026-01-14") { // 1 Jan holiday, weekends
			t.Errorf("REPORT deadline = %q", o.Deadline)
		}
	}
	ov, _ := Load([]byte(euBlocks2027))
	op, _ = ParseOperator("eu-bank")
	obs, _, _ = ov.Evaluate(op, d("2027-02-01"), khanSDN)
	for _, o := range obs {
		if o.Kind == "NOTIFY" && (!strings.Contains(o.Deadline, "2027-03-03") || o.Authority != "European Commission") {
			t.Errorf("NOTIFY = %+v", o)
		}
	}
}

func TestRulesComplete(t *testing.T) {
	e, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	rules := e.Rules()
	if len(rules) < 25 {
		t.Fatalf("only %d rules", len(rules))
	}
	for _, r := range rules {
		if r.Citation == "" || r.Source == "" || confRank[r.Confidence] == 0 || r.Text == "" || r.Title == "" {
			t.Errorf("rule %s incomplete: %+v", r.ID, r)
		}
	}
	text := e.String()
	for _, want := range []string{"[M: UNCONFIRMED]", "31 CFR 501.603", "Rome Statute art. 127(2)", "EU-2271-96", "us-ofac-sdn:52965"} {
		if !strings.Contains(text, want) {
			t.Errorf("rendering lacks %q", want)
		}
	}
	if strings.Contains(text, "ICC-EO14203  from") {
		t.Error("EO 14203 must not be in the Annex today")
	}
}

func TestOverlayErrors(t *testing.T) {
	cases := []struct{ ov, want string }{
		{"blocking_statutes:\n  - id: EU-2271-96\n    anex_add: []\n", "line 3: field anex_add not found"},
		{"blocking_statutes:\n  - id: EU-2271-96\n    annex_add:\n      - {program: ICC-EO14203, effective_from: 2027-13-01}\n", "line 4: invalid date \"2027-13-01\""},
		{"blocking_statutes:\n  - id: EU-9999\n    annex_add: [{program: X, effective_from: 2027-01-01}]\n", "unknown statute \"EU-9999\""},
		{"blocking_statutes:\n  - id: EU-2271-96\n    annex_add: [{effective_from: 2027-01-01}]\n", "program and effective_from are required"},
		{"states_parties:\n  - {iso2: ZZ, entry_into_force: 2020-01-01}\n", "invalid country code \"ZZ\""},
		{"warrants:\n  - {entity_id: \"icc-warrants:x\", history: [{date: 2027-01-01, status: escaped}]}\n", "invalid status \"escaped\""},
		{"designations:\n  - {ent_num: 1, history: [{date: 2027-01-01, status: listed, confidence: X}]}\n", "line 2: invalid confidence \"X\""},
		{"blocking_statutes: [\n", "line"},
	}
	for _, c := range cases {
		_, err := Load([]byte(c.ov))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("overlay %q: error %v, want %q", c.ov, err, c.want)
		}
		if err != nil && lexscreen.ErrorCode(err) != lexscreen.EINVALID {
			t.Errorf("code %q", lexscreen.ErrorCode(err))
		}
	}
	if _, err := Load([]byte("")); err != nil {
		t.Errorf("empty overlay: %v", err)
	}
}

func TestOperators(t *testing.T) {
	for _, spec := range []string{"us-bank", "eu-bank", "eu-subsidiary-of-us-bank", "uk-firm", "border:HU", "border:ca"} {
		if _, err := ParseOperator(spec); err != nil {
			t.Errorf("%s: %v", spec, err)
		}
	}
	bad := map[string]string{
		"":            "no operator given",
		"swiss-bank":  "unknown operator profile \"swiss-bank\"",
		"border:XX":   "invalid country code \"XX\"",
		"border:HUN":  "invalid country code \"HUN\"",
		"nofile.yaml": "cannot read operator profile",
		"border:":     "invalid country code",
		"border:EU":   "invalid country code \"EU\"",
	}
	for spec, want := range bad {
		_, err := ParseOperator(spec)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", spec, err, want)
		}
	}
	yamlBad := map[string]string{
		"role: bank\nincorporation: DE\ncolour: red\n":                             "line 3: field colour not found",
		"role: spaceship\nincorporation: DE\n":                                     "unknown role \"spaceship\"",
		"role: bank\nincorporation: Germany\n":                                     "incorporation: invalid country code \"Germany\"",
		"role: bank\nincorporation: DE\nparent: {country: US, relation: cousin}\n": "parent.relation",
		"role: border\n": "state: required",
		"role: bank\nincorporation: DE\ncurrency_nexus: [dollars]\n": "currency_nexus",
	}
	for y, want := range yamlBad {
		_, err := ParseOperatorYAML("p.yaml", []byte(y))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "p.yaml") {
			t.Errorf("%q: %v, want %q", y, err, want)
		}
	}
	// A custom German subsidiary of a US bank behaves like the built-in profile.
	dir := t.TempDir()
	p := filepath.Join(dir, "frankfurt.yaml")
	os.WriteFile(p, []byte("name: acme-frankfurt\nrole: bank\nincorporation: DE\nparent: {country: US}\nacts_in: [DE]\ncurrency_nexus: [EUR, USD]\n"), 0o644)
	op, err := ParseOperator(p)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := Load()
	obs, _, _ := e.Evaluate(op, d("2025-12-30"), khanSDN)
	if !kinds(obs)["BLOCK"] {
		t.Errorf("German subsidiary of US bank: %v", summary(obs))
	}
	// A German branch of a Swiss bank: EU-bound, not a US person.
	op, _ = ParseOperatorYAML("b.yaml", []byte("role: bank\nincorporation: CH\nacts_in: [DE]\n"))
	obs, _, _ = e.Evaluate(op, d("2024-06-01"), abramovichEU)
	if !kinds(obs)["FREEZE"] {
		t.Errorf("business done in the Union: %v", summary(obs))
	}
}

func TestBadInput(t *testing.T) {
	e, _ := Load()
	op, _ := ParseOperator("us-bank")
	for _, dt := range []string{"1990-01-01", "2101-01-01"} {
		if _, _, err := e.Evaluate(op, d(dt), khanSDN); err == nil || !strings.Contains(err.Error(), "out of range") {
			t.Errorf("%s: %v", dt, err)
		}
	}
	if _, _, err := e.Evaluate(op, d("2025-01-01"), Listing{}); err == nil {
		t.Error("listing without id accepted")
	}
	if _, err := ParseDate("2025-02-30"); err == nil {
		t.Error("bad date accepted")
	}
	if _, _, err := e.Evaluate(Operator{Role: "bank"}, d("2025-01-01"), khanSDN); err == nil {
		t.Error("operator without incorporation accepted")
	}
}

func TestExposure(t *testing.T) {
	e, _ := Load([]byte(euBlocks2027))
	op, _ := ParseOperator("eu-subsidiary-of-us-bank")
	rep, err := e.Exposure(op, d("2027-02-01"), []Listing{khanSDN, khanRU, abramovichEU, netanyahu, putinSDN})
	if err != nil {
		t.Fatal(err)
	}
	// Khan's OFAC listing binds (EO 14203 s.8(c)) and is forbidden once
	// annexed: counted once, in conflict, not also under binding.
	if len(rep.Binding) != 1 || len(rep.InConflict) != 1 || len(rep.MustNotComply) != 0 || len(rep.RiskOnly) != 1 || len(rep.NoLegalEffect) != 1 || rep.NotApplicable != 1 {
		t.Errorf("report: %s", rep)
	}
	if !strings.Contains(rep.String(), "In conflict") || !strings.Contains(rep.String(), "Ways out") {
		t.Error(rep.String())
	}
}
