package uscsl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"github.com/lexscreen/lexscreen/internal/sharedtest"
	"os"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

const excerpt = "testdata/consolidated-excerpt.csv"

func parseBytes(t testing.TB, b []byte) ([]*lexscreen.Entity, error) {
	t.Helper()
	var out []*lexscreen.Entity
	err := parseReader(context.Background(), "consolidated.csv", bytes.NewReader(b), func(e *lexscreen.Entity) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

func parseExcerpt(t *testing.T) map[string]*lexscreen.Entity {
	t.Helper()
	var list []*lexscreen.Entity
	meta, err := FormatCSL.Parse(context.Background(), []source.File{source.OSFile(excerpt)}, func(e *lexscreen.Entity) error {
		list = append(list, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if meta.Source != SourceID {
		t.Fatalf("Meta.Source = %q", meta.Source)
	}
	if len(list) != 19 {
		t.Fatalf("parsed %d entities, want 19", len(list))
	}
	m := map[string]*lexscreen.Entity{}
	for _, e := range list {
		if m[e.ID] != nil {
			t.Fatalf("duplicate id %s", e.ID)
		}
		m[e.ID] = e
	}
	return m
}

func nameList(e *lexscreen.Entity) string {
	var s []string
	for _, n := range e.Names {
		s = append(s, string(n.Kind)+":"+n.Full)
	}
	return strings.Join(s, "|")
}

func TestExcerpt(t *testing.T) {
	m := parseExcerpt(t)
	get := func(id string) *lexscreen.Entity {
		t.Helper()
		e := m[id]
		if e == nil {
			t.Fatalf("missing %s", id)
		}
		return e
	}

	// One OFAC entity on two lists: two entities, list-qualified ids.
	sdn, ssi := get("us-csl:sdn-17013"), get("us-csl:ssi-17013")
	if sdn.Designations[0].List != "Specially Designated Nationals (SDN)" || ssi.Designations[0].List != "Sectoral Sanctions Identifications List (SSI)" {
		t.Errorf("lists %q %q", sdn.Designations[0].List, ssi.Designations[0].List)
	}
	if len(sdn.Designations) != 2 || sdn.Designations[0].Program != "UKRAINE-EO13662" || sdn.Designations[1].Program != "RUSSIA-EO14024" ||
		sdn.Designations[0].Authority != "US-OFAC" || sdn.Designations[0].Reference != "17013" {
		t.Errorf("sdn-17013 designations %+v", sdn.Designations)
	}
	wantIDs := map[string]string{"registration:Registration ID": "1027739609391/RU", "tax_id:Tax ID No.": "7702070139/RU",
		"lei:Legal Entity Number": "253400V1H6ART1UQ0N98/", "bic:SWIFT/BIC": "VTBRRUMM/"}
	found := 0
	for _, id := range sdn.Identifiers {
		if w, ok := wantIDs[string(id.Kind)+":"+id.Label]; ok {
			found++
			if got := id.Number + "/" + id.Country.Code; got != w {
				t.Errorf("sdn-17013 %s = %s, want %s", id.Label, got, w)
			}
		}
	}
	if found != len(wantIDs) {
		t.Errorf("sdn-17013 identifiers %+v", sdn.Identifiers)
	}
	if len(sdn.Contacts) != 2 || sdn.Contacts[0] != (lexscreen.Contact{Kind: "website", Value: "www.vtb.com"}) {
		t.Errorf("contacts %+v", sdn.Contacts)
	}
	if a := sdn.Attributes["organization_established_date"]; len(a) != 1 || a[0] != "17 Oct 1990" {
		t.Errorf("established %q", a)
	}
	if a := sdn.Attributes["secondary_sanctions_risk"]; len(a) != 2 {
		t.Errorf("secondary_sanctions_risk %q", a)
	}
	if sdn.Schema != lexscreen.SchemaOrganization || len(sdn.Addresses) != 12 || sdn.Addresses[0].Country.Code != "RU" {
		t.Errorf("sdn-17013 schema %s addresses %d", sdn.Schema, len(sdn.Addresses))
	}

	z := get("us-csl:sdn-9647")
	if got := nameList(z); got != "primary:ZAHHAR, Mahmoud Khaled|alias:AL ZAHAR, Mahmoud Khaled|alias:ZAHAR, Mahmoud|alias:AL-ZAHAR, Mahmoud" {
		t.Errorf("9647 names %s", got)
	}
	if z.Schema != lexscreen.SchemaPerson || z.Gender != "male" || len(z.BirthDates) != 1 || z.BirthDates[0].String() != "1945" ||
		z.BirthDates[0].From.Precision() != "year" || len(z.Nationalities) != 1 || z.Nationalities[0].Code != "PS" ||
		z.BirthPlaces[0].Text != "Gaza Strip" || z.Remarks != "(Linked To: HAMAS)" {
		t.Errorf("sdn-9647 %+v", z)
	}
	if get("us-csl:plc-9647").Names[0].Full != "Mahmoud Khaled ZAHHAR" {
		t.Error("plc-9647 name")
	}

	if e := get("us-csl:sdn-15962"); len(e.BirthDates) != 1 || e.BirthDates[0].String() != "1961..1962" ||
		e.Identifiers[0] != (lexscreen.Identifier{Kind: lexscreen.IDPassport, Label: "Passport", Number: "U14624657", Country: lexscreen.Country{Code: "IR", Name: "Iran"}}) {
		t.Errorf("sdn-15962 %+v %+v", e.BirthDates, e.Identifiers)
	}
	if e := get("us-csl:sdn-7782"); e.BirthDates[0].String() != "~1951" || e.BirthPlaces[0].Country.Code != "BA" {
		t.Errorf("sdn-7782 %+v", e.BirthDates)
	}
	if e := get("us-csl:sdn-6923"); len(e.BirthDates) != 2 || e.BirthDates[1].String() != "1965-07-11" || e.Citizenships[0].Code != "SA" {
		t.Errorf("sdn-6923 %+v %+v", e.BirthDates, e.Citizenships)
	}
	if e := get("us-csl:sdn-4249"); e.Schema != lexscreen.SchemaVessel || e.Identifiers[0].Kind != lexscreen.IDIMO || e.Identifiers[0].Number != "7206512" ||
		e.Attributes["call_sign"][0] != "CL2059" || e.Attributes["vessel_type"][0] != "Tug" || e.Attributes["flag"][0] != "Cuba" || e.Countries[0].Code != "CU" {
		t.Errorf("sdn-4249 %+v", e)
	}
	if e := get("us-csl:sdn-15432"); e.Schema != lexscreen.SchemaAircraft || e.Attributes["aircraft_model"][0] != "IL-76TD" || e.Identifiers[0].Kind != lexscreen.IDOther {
		t.Errorf("sdn-15432 %+v", e)
	}
	if e := get("us-csl:sdn-25308"); e.Identifiers[2].Kind != lexscreen.IDCrypto || e.Identifiers[2].Number != "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h" {
		t.Errorf("sdn-25308 %+v", e.Identifiers)
	}
	if e := get("us-csl:sdn-49064"); e.Attributes["organization_type"][0] != "Accounting, bookkeeping and auditing activities; tax consultancy" {
		t.Errorf("sdn-49064 continuation item %q", e.Attributes["organization_type"])
	}
	if e := get("us-csl:cmic-30882"); e.Designations[0].Program != "CMIC-EO13959" || e.Attributes["listing_date_cmic"][0] != "2021-06-03" {
		t.Errorf("cmic %+v", e.Designations)
	}

	el := get("us-csl:el-2bcef566bd77afd68139a7bbdde0f4efbf4d1f32b905aee9cfe65e17")
	if d := el.Designations[0]; d.Authority != "US-BIS" || d.List != "Entity List (EL)" || d.LegalBasis != "85 FR 14794" || d.ListedOn.String() != "2020-03-16" {
		t.Errorf("EL designation %+v", d)
	}
	if el.Attributes["license_policy"][0] != "Case-by-Case review for licenses for the safety of civil aviation of aircraft." {
		t.Errorf("EL license policy %q", el.Attributes["license_policy"])
	}
	dpl := get("us-csl:dpl-278be3e06d711cd8c6ea146bcd625d9f17cc901b980ea83daec759d2")
	if dpl.Designations[0].Authority != "US-BIS" || dpl.Attributes["end_date"][0] != "2056-06-29" || dpl.Names[0].Full != "I. ASH" {
		t.Errorf("DPL %+v", dpl)
	}
	if e := get("us-csl:dtc-02f3240bf51743e3af37b9377b80c0d2"); e.Designations[0].Authority != "US-DDTC" || e.Schema != lexscreen.SchemaOrganization {
		t.Errorf("DTC %+v", e.Designations)
	}
	if e := get("us-csl:isn-2446250b546e45b90dd23fc576a4f02f49339d19d9b2f08f26674679"); e.Designations[0].Authority != "US-ISN" ||
		e.Designations[0].Program != "Chemical and Biological Weapons Act" || e.Designations[0].ListedOn.String() != "1994-02-08" {
		t.Errorf("ISN %+v", e.Designations)
	}
	if e := get("us-csl:uvl-1b5979e8fd3920a1a0985bf5088dad930a6a5562d1513f9e4b015e42"); e.Schema != lexscreen.SchemaUnknown || e.Addresses[0].Country.Code != "AM" {
		t.Errorf("UVL %+v", e)
	}
}

func TestDeterministic(t *testing.T) {
	b, _ := os.ReadFile(excerpt)
	a1, err1 := parseBytes(t, b)
	a2, err2 := parseBytes(t, b)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	j1, _ := json.Marshal(a1)
	j2, _ := json.Marshal(a2)
	if !bytes.Equal(j1, j2) {
		t.Fatal("two parses differ")
	}
}

func TestErrors(t *testing.T) {
	b, _ := os.ReadFile(excerpt)
	s := string(b)
	header := s[:strings.Index(s, "\n")+1]
	cut := strings.Index(s, "VTB BANK PUBLIC")
	tests := []struct{ name, doc, want string }{
		{"truncated", s[:cut], "row 7"},
		{"short row", header + `"1","Entity List (EL) - Bureau of Industry and Security","x"` + "\n", "row 1: 3 columns, want 29"},
		{"wrong header", "a,b,c\n1,2,3\n", `missing column "_id"`},
		{"garbage", "\x00\x01garbage", `missing column "_id"`},
		{"empty", "", "empty file"},
		{"header only", header, "no data rows"},
		{"bad quote", header + `"1","x"y",` + strings.Repeat(`"",`, 26) + `""` + "\n", "row 1"},
		{"no name", header + `"1","Entity List (EL) - Bureau of Industry and Security"` + strings.Repeat(`,""`, 27) + "\n", "empty name"},
	}
	for _, tc := range tests {
		_, err := parseBytes(t, []byte(tc.doc))
		sharedtest.LocatedError(t, tc.name, err, "consolidated.csv", tc.want)
	}
}

func TestCancel(t *testing.T) {
	b, _ := os.ReadFile(excerpt)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	doc := string(b)
	lines := strings.SplitAfter(doc, "\n")
	var big strings.Builder
	big.WriteString(lines[0])
	for i := 0; i < 300; i++ {
		big.WriteString(lines[1])
	}
	err := parseReader(ctx, "x.csv", strings.NewReader(big.String()), func(*lexscreen.Entity) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestSniff(t *testing.T) {
	b, _ := os.ReadFile(excerpt)
	if !FormatCSL.Sniff("consolidated.csv", b[:8192]) {
		t.Error("excerpt not sniffed")
	}
	for _, h := range []string{"\"Name\"\t\"Street_Address\"", "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\"", "<data-set>", "_id,name\n"} {
		if FormatCSL.Sniff("x.csv", []byte(h)) {
			t.Errorf("sniffed %q", h)
		}
	}
}

func TestParseIDs(t *testing.T) {
	e := &lexscreen.Entity{}
	parseIDs(e, "Passport, A123, RU; Gender, Female; Nationality Country, IR; Email Address, a@b.c; Vessel Registration Identification, IMO 9187629; Executive Order 13846 information:, LOANS FROM UNITED STATES FINANCIAL INSTITUTIONS - Sec. 5(a)(i); orphan")
	if e.Gender != "female" || len(e.Nationalities) != 1 || e.Nationalities[0].Code != "IR" || len(e.Contacts) != 1 {
		t.Errorf("facts %+v", e)
	}
	if len(e.Identifiers) != 2 || e.Identifiers[0].Number != "A123" || e.Identifiers[0].Country.Code != "RU" || e.Identifiers[1].Number != "9187629" {
		t.Errorf("identifiers %+v", e.Identifiers)
	}
	if a := e.Attributes["executive_order_13846_information"]; len(a) != 1 || a[0] != "LOANS FROM UNITED STATES FINANCIAL INSTITUTIONS - Sec. 5(a)(i); orphan" {
		t.Errorf("attributes %q", e.Attributes)
	}
}

// TestRealFile parses the whole published list when the shared data folder
// is present (see internal/sharedtest).
func TestRealFile(t *testing.T) {
	path := sharedtest.Path(t, "data/lists/us_csl/2025-05/consolidated.csv")
	ids := map[string]bool{}
	auth := map[string]int{}
	_, err := FormatCSL.Parse(context.Background(), []source.File{source.OSFile(path)}, func(e *lexscreen.Entity) error {
		if ids[e.ID] {
			t.Errorf("duplicate id %s", e.ID)
		}
		ids[e.ID] = true
		auth[e.Designations[0].Authority]++
		if strings.Contains(e.ID, "~") {
			t.Errorf("disambiguated id %s", e.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 23432 {
		t.Errorf("parsed %d entities, want 23432 (README)", len(ids))
	}
	if auth["US-OFAC"] != 18366 || auth["US-BIS"] != 4134 || auth["US-DDTC"] != 771 || auth["US-ISN"] != 161 {
		t.Errorf("authorities %v", auth)
	}
}

func FuzzParse(f *testing.F) {
	b, _ := os.ReadFile(excerpt)
	s := string(b)
	lines := strings.SplitAfter(s, "\n")
	f.Add([]byte(lines[0] + lines[1] + lines[2]))
	f.Add([]byte(lines[0] + `"1","Specially Designated Nationals (SDN) - Treasury Department","1","Individual","A; B","X","","a, b, CC; PS","","2001-01-01",""` + strings.Repeat(`,""`, 10) + `,"Y; Z","RU","01 Jan 1960 to 31 Dec 1960; circa 1951","IR","","","Passport, 1, RU; Gender, Male; x"` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		es, err := parseBytes(t, data)
		if err != nil {
			var le *lexscreen.Error
			if !errors.As(err, &le) {
				t.Fatalf("unlocated error %v", err)
			}
			return
		}
		for _, e := range es {
			if e.ID == "" || len(e.Names) == 0 || len(e.Designations) == 0 {
				t.Fatalf("bad entity %+v", e)
			}
		}
	})
}
