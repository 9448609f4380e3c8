package ofac

import (
	"context"
	"errors"
	"github.com/lexscreen/lexscreen/internal/sharedtest"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// testdata/sdn holds real rows of the 2025-12-24 SDN set (sdn.csv renamed
// SDN.CSV to test case-insensitive names) and testdata/cons real rows of the
// 2025-12 Consolidated set, with their add/alt/comments rows.

func dirFiles(t testing.TB, dir string) []source.File {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no files in %s: %v", dir, err)
	}
	var fs []source.File
	for _, p := range paths {
		if strings.HasSuffix(strings.ToLower(p), ".csv") {
			fs = append(fs, source.OSFile(p))
		}
	}
	return fs
}

func memFile(name, content string) source.File {
	return source.File{Name: name, Path: name, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(content)), nil
	}}
}

func readFile(t testing.TB, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func parseAll(t testing.TB, files []source.File) (source.Meta, Stats, map[string]*lexscreen.Entity, []string) {
	t.Helper()
	got := map[string]*lexscreen.Entity{}
	var order []string
	m, st, err := ParseFiles(context.Background(), files, func(e *lexscreen.Entity) error {
		got[e.ID] = e
		order = append(order, e.ID)
		return nil
	}, Options{})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return m, st, got, order
}

func ent(t *testing.T, m map[string]*lexscreen.Entity, id string) *lexscreen.Entity {
	t.Helper()
	e := m[id]
	if e == nil {
		t.Fatalf("entity %s not found", id)
	}
	return e
}

func findID(e *lexscreen.Entity, number string) *lexscreen.Identifier {
	for i := range e.Identifiers {
		if e.Identifiers[i].Number == number {
			return &e.Identifiers[i]
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestSDNExcerpt(t *testing.T) {
	meta, st, got, order := parseAll(t, dirFiles(t, "testdata/sdn"))
	if meta.Source != SourceSDN || !meta.Published.IsZero() || meta.Declared != 0 {
		t.Errorf("meta = %+v", meta)
	}
	if len(got) != 17 || st.Entities != 17 {
		t.Fatalf("got %d entities, want 17", len(got))
	}
	if order[0] != "us-ofac-sdn:36" {
		t.Errorf("first entity %s, want file order starting with us-ofac-sdn:36", order[0])
	}
	if st.Comments != 1 || st.OrphanAddresses+st.OrphanAliases+st.OrphanComments != 0 {
		t.Errorf("stats = %+v", st)
	}

	t.Run("KHAN ICC", func(t *testing.T) {
		e := ent(t, got, "us-ofac-sdn:52965")
		if e.Source != "us-ofac-sdn" || e.Schema != lexscreen.SchemaPerson || e.Caption() != "KHAN, Karim Asad Ahmad" {
			t.Errorf("entity = %s %s %q", e.Source, e.Schema, e.Caption())
		}
		wantParts := []lexscreen.NamePart{{Kind: "given", Value: "Karim"}, {Kind: "middle", Value: "Asad Ahmad"}, {Kind: "family", Value: "KHAN"}}
		if !reflect.DeepEqual(e.Names[0].Parts, wantParts) || e.Names[0].Kind != lexscreen.NamePrimary || e.Names[0].Script != "" {
			t.Errorf("name = %+v", e.Names[0])
		}
		if len(e.BirthDates) != 1 || e.BirthDates[0].String() != "1970-03-30" || e.BirthDates[0].From.Precision() != "day" {
			t.Errorf("birth dates = %+v", e.BirthDates)
		}
		if len(e.BirthPlaces) != 1 || e.BirthPlaces[0].City != "Edinburgh" || e.BirthPlaces[0].Country.Code != "GB" {
			t.Errorf("birth places = %+v", e.BirthPlaces)
		}
		if len(e.Nationalities) != 1 || e.Nationalities[0].Code != "GB" || e.Gender != "male" {
			t.Errorf("nationalities %+v gender %q", e.Nationalities, e.Gender)
		}
		id := findID(e, "518353876")
		if id == nil || id.Kind != lexscreen.IDPassport || id.Label != "Passport" || id.Country.Code != "GB" {
			t.Errorf("passport = %+v", id)
		}
		if len(e.Addresses) != 1 || e.Addresses[0].City != "The Hague" || e.Addresses[0].Country.Code != "NL" || e.Addresses[0].Street != "" {
			t.Errorf("addresses = %+v", e.Addresses)
		}
		want := []lexscreen.Designation{{Authority: "US-OFAC", List: "SDN", Program: "ICC-EO14203", LegalBasis: "EO 14203"}}
		if !reflect.DeepEqual(e.Designations, want) {
			t.Errorf("designations = %+v", e.Designations)
		}
		if !strings.HasPrefix(e.Remarks, "DOB 30 Mar 1970; POB Edinburgh") {
			t.Errorf("remarks = %q", e.Remarks)
		}
	})

	t.Run("AL HAQ ICC NGO", func(t *testing.T) {
		e := ent(t, got, "us-ofac-sdn:55413")
		if e.Schema != lexscreen.SchemaOrganization || e.Caption() != "AL HAQ - LAW IN THE SERVICE OF MANKIND" || e.Names[0].Parts != nil {
			t.Errorf("entity = %s %+v", e.Schema, e.Names)
		}
		if len(e.Designations) != 1 || e.Designations[0].Program != "ICC-EO14203" || e.Designations[0].LegalBasis != "EO 14203" {
			t.Errorf("designations = %+v", e.Designations)
		}
		if len(e.Addresses) != 1 || e.Addresses[0].City != "Ramallah" || e.Addresses[0].Country != (lexscreen.Country{Name: "Region: West Bank"}) ||
			e.Addresses[0].Street != "54 Main Street 2nd Fl., Protestant Hall Bldg." {
			t.Errorf("addresses = %+v", e.Addresses)
		}
		if got := e.Attributes["organization_established_date"]; !reflect.DeepEqual(got, []string{"1979"}) {
			t.Errorf("established = %v", got)
		}
		if got := e.Attributes["target_type"]; !reflect.DeepEqual(got, []string{"Charity or Nonprofit Organization"}) {
			t.Errorf("target_type = %v", got)
		}
	})

	t.Run("BOSSA passport expiry", func(t *testing.T) {
		e := ent(t, got, "us-ofac-sdn:54215")
		id := findID(e, "DA023555")
		if id == nil || id.Country.Code != "UG" || id.Expires.String() != "2021-12-09" || !id.Issued.IsZero() {
			t.Errorf("passport = %+v", id)
		}
		if e.Gender != "female" || e.Designations[0].Program != "ICC-EO14203" {
			t.Errorf("gender %q designations %+v", e.Gender, e.Designations)
		}
	})

	t.Run("circa DOB and weak aliases", func(t *testing.T) {
		e := ent(t, got, "us-ofac-sdn:7848")
		if len(e.BirthDates) != 1 || !e.BirthDates[0].Circa || e.BirthDates[0].From != (lexscreen.PartialDate{Year: 1942}) || e.BirthDates[0].String() != "~1942" {
			t.Errorf("birth dates = %+v", e.BirthDates)
		}
		if w := sharedtest.Names(e, lexscreen.NameWeakAlias); !contains(w, "ABU BRAYS") || !contains(w, "ABU AHMAD") {
			t.Errorf("weak aliases = %v", w)
		}
		if e.BirthPlaces[0].City != "al-Dur" || e.BirthPlaces[0].Country.Code != "IQ" {
			t.Errorf("POB = %+v", e.BirthPlaces)
		}
	})

	t.Run("DOB range and titles", func(t *testing.T) {
		e := ent(t, got, "us-ofac-sdn:8868")
		if len(e.BirthDates) != 1 || e.BirthDates[0].String() != "1955..1957" || e.BirthDates[0].From.Precision() != "year" {
			t.Errorf("birth dates = %+v", e.BirthDates)
		}
		if !reflect.DeepEqual(e.Titles, []string{"Brigadier General", "Major General"}) {
			t.Errorf("titles = %q", e.Titles)
		}
	})

	t.Run("month-year DOB and individual aliases", func(t *testing.T) {
		e := ent(t, got, "us-ofac-sdn:6862")
		if len(e.BirthDates) != 1 || e.BirthDates[0].From != (lexscreen.PartialDate{Year: 1938, Month: 9}) {
			t.Errorf("birth dates = %+v", e.BirthDates)
		}
		aliases := sharedtest.Names(e, lexscreen.NameAlias)
		if len(aliases) != 29 || aliases[0] != "HAMIAH, Jamiel" {
			t.Fatalf("aliases = %d %v", len(aliases), aliases)
		}
		for _, n := range e.Names {
			if n.Full == "HAMIE, Jamil Abdulkarim" {
				want := []lexscreen.NamePart{{Kind: "given", Value: "Jamil"}, {Kind: "middle", Value: "Abdulkarim"}, {Kind: "family", Value: "HAMIE"}}
				if !reflect.DeepEqual(n.Parts, want) {
					t.Errorf("alias parts = %+v", n.Parts)
				}
			}
		}
	})

	t.Run("vessel", func(t *testing.T) {
		e := ent(t, got, "us-ofac-sdn:15036")
		if e.Schema != lexscreen.SchemaVessel {
			t.Errorf("schema = %s", e.Schema)
		}
		for k, v := range map[string]string{"call_sign": "T2EU4", "vessel_type": "Crude/Oil Products Tanker", "tonnage": "99,144", "grt": "56,068", "flag": "Iran"} {
			if got := e.Attributes[k]; !reflect.DeepEqual(got, []string{v}) {
				t.Errorf("attribute %s = %v, want %q", k, got, v)
			}
		}
		if got := e.Attributes["former_flag"]; !reflect.DeepEqual(got, []string{"Malta", "Tuvalu", "None Identified", "Tanzania"}) {
			t.Errorf("former_flag = %v", got)
		}
		if len(e.Countries) != 0 {
			t.Errorf("countries = %v (flag is an attribute)", e.Countries)
		}
		if id := findID(e, "IMO 9187629"); id == nil || id.Kind != lexscreen.IDIMO || id.Label != "Vessel Registration Identification" {
			t.Errorf("IMO = %+v", id)
		}
		if id := findID(e, "572469210"); id == nil || id.Kind != lexscreen.IDMMSI {
			t.Errorf("MMSI = %+v", id)
		}
		if f := sharedtest.Names(e, lexscreen.NameFormer); !reflect.DeepEqual(f, []string{"ABADAN", "SHONA"}) {
			t.Errorf("former names = %v", f)
		}
		if w := sharedtest.Names(e, lexscreen.NameWeakAlias); !reflect.DeepEqual(w, []string{"ALPHA"}) {
			t.Errorf("weak aliases (f.k.a.) = %v", w)
		}
		if !reflect.DeepEqual(e.Links, []lexscreen.Link{{Relation: "linked_to", Target: "NATIONAL IRANIAN TANKER COMPANY"}}) {
			t.Errorf("links = %+v", e.Links)
		}
	})

	t.Run("aircraft", func(t *testing.T) {
		e := ent(t, got, "us-ofac-sdn:15432")
		if e.Schema != lexscreen.SchemaAircraft {
			t.Errorf("schema = %s", e.Schema)
		}
		for k, v := range map[string]string{"aircraft_model": "IL-76TD", "aircraft_operator": "YAS AIR", "aircraft_msn": "1013409297",
			"aircraft_manufacture_date": "1991", "aircraft_construction_number": "8305"} {
			if got := e.Attributes[k]; !reflect.DeepEqual(got, []string{v}) {
				t.Errorf("attribute %s = %v, want %q", k, got, v)
			}
		}
	})

	t.Run("crypto", func(t *testing.T) {
		e := ent(t, got, "us-ofac-sdn:25308")
		id := findID(e, "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h")
		if id == nil || id.Kind != lexscreen.IDCrypto || id.Label != "Digital Currency Address - XBT" {
			t.Errorf("crypto = %+v", id)
		}
		if len(e.Citizenships) != 1 || e.Citizenships[0].Code != "CN" {
			t.Errorf("citizenships = %+v", e.Citizenships)
		}
		if p := e.BirthPlaces[0]; p.City != "Wuhan City" || p.Region != "Hubei" || p.Country.Code != "CN" {
			t.Errorf("POB = %+v", p)
		}
	})

	t.Run("multiple programs", func(t *testing.T) {
		e := ent(t, got, "us-ofac-sdn:10479")
		var progs []string
		for _, d := range e.Designations {
			progs = append(progs, d.Program)
		}
		if !reflect.DeepEqual(progs, []string{"SDGT", "NPWMD", "IRGC", "IFSR"}) {
			t.Errorf("programs = %v", progs)
		}
	})

	t.Run("contacts and ID dates", func(t *testing.T) {
		e := ent(t, got, "us-ofac-sdn:41301")
		want := []lexscreen.Contact{{Kind: "website", Value: "www.yolimachine.com"}, {Kind: "email", Value: "guoruiguang2016@126.com"},
			{Kind: "phone", Value: "8615815351839"}, {Kind: "phone", Value: "867523323959"}}
		if !reflect.DeepEqual(e.Contacts, want) {
			t.Errorf("contacts = %+v", e.Contacts)
		}
		id := findID(e, "44138119830415242X")
		if id == nil || id.Kind != lexscreen.IDNational || id.Issued.String() != "2016-03-18" || id.Expires.String() != "2036-03-18" || id.Country.Code != "CN" {
			t.Errorf("national id = %+v", id)
		}
	})

	t.Run("year DOBs and alt passport", func(t *testing.T) {
		e := ent(t, got, "us-ofac-sdn:6944")
		var dobs []string
		for _, d := range e.BirthDates {
			dobs = append(dobs, d.String())
		}
		if !reflect.DeepEqual(dobs, []string{"1969", "1963", "1964-02-11"}) {
			t.Errorf("DOBs = %v", dobs)
		}
		if id := findID(e, "G 649385"); id == nil || id.Issued.String() != "2006-09-08" || id.Expires.String() != "2011-07-17" {
			t.Errorf("alt passport = %+v", id)
		}
	})

	t.Run("remarks continued in sdn_comments", func(t *testing.T) {
		e := ent(t, got, "us-ofac-sdn:17016")
		if !strings.Contains(e.Remarks, "on or after the 'Effective Date (EO 14024 Directive)' associated with this name") {
			t.Errorf("continuation not joined without separator: %q", e.Remarks)
		}
		if id := findID(e, "253400WSS48YWMBUA688"); id == nil || id.Kind != lexscreen.IDLEI {
			t.Errorf("LEI from continuation = %+v", id)
		}
		if got := e.Attributes["listing_date"]; !reflect.DeepEqual(got, []string{"(EO 14024 Directive 3): 24 Feb 2022"}) {
			t.Errorf("listing_date = %v", got)
		}
		if len(e.Addresses) != 5 || e.Addresses[0].City != "Moscow 117420" || e.Addresses[0].Country.Code != "RU" {
			t.Errorf("addresses = %+v", e.Addresses)
		}
		if got := sharedtest.Names(e, lexscreen.NameFormer); len(got) != 2 {
			t.Errorf("former names = %v", got)
		}
	})
}

func TestConsExcerpt(t *testing.T) {
	meta, _, got, _ := parseAll(t, dirFiles(t, "testdata/cons"))
	if meta.Source != SourceCons || len(got) != 3 {
		t.Fatalf("meta %+v, %d entities", meta, len(got))
	}
	e := ent(t, got, "us-ofac-cons:9647")
	if e.Source != "us-ofac-cons" || e.Caption() != "ZAHHAR, Mahmoud Khaled" {
		t.Errorf("entity %s %q", e.Source, e.Caption())
	}
	if len(e.Designations) != 2 || !reflect.DeepEqual(e.Designations[0], lexscreen.Designation{Authority: "US-OFAC", List: "Consolidated", Program: "SDGT"}) ||
		e.Designations[1].Program != "NS-PLC" {
		t.Errorf("designations = %+v", e.Designations)
	}
	if len(e.Nationalities) != 1 || e.Nationalities[0].Code != "PS" {
		t.Errorf("nationalities = %+v", e.Nationalities)
	}
	if len(e.Addresses) != 1 || e.Addresses[0].Country != (lexscreen.Country{Name: "Region: Gaza"}) {
		t.Errorf("addresses = %+v", e.Addresses)
	}
	if w := sharedtest.Names(e, lexscreen.NameWeakAlias); !contains(w, "ZAHAR, Mahmoud") {
		t.Errorf("weak aliases = %v", w)
	}
	for _, n := range e.Names {
		if n.Full == "ZAHAR, Mahmoud" && !reflect.DeepEqual(n.Parts, []lexscreen.NamePart{{Kind: "given", Value: "Mahmoud"}, {Kind: "family", Value: "ZAHAR"}}) {
			t.Errorf("weak alias parts = %+v", n.Parts)
		}
	}
	if a := sharedtest.Names(e, lexscreen.NameAlias); !contains(a, "AL ZAHAR, Mahmoud Khaled") {
		t.Errorf("aliases = %v", a)
	}
	if !reflect.DeepEqual(e.Links, []lexscreen.Link{{Relation: "linked_to", Target: "HAMAS"}}) {
		t.Errorf("links = %+v", e.Links)
	}
	if e := ent(t, got, "us-ofac-cons:9639"); e.BirthPlaces[0].Text != "Shati" || e.BirthDates[0].String() != "1962" {
		t.Errorf("9639: %+v %+v", e.BirthPlaces, e.BirthDates)
	}
}

func TestDeterministic(t *testing.T) {
	var runs [2][]*lexscreen.Entity
	for i := range runs {
		_, _, err := ParseFiles(context.Background(), dirFiles(t, "testdata/sdn"), func(e *lexscreen.Entity) error {
			runs[i] = append(runs[i], e)
			return nil
		}, Options{})
		if err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(runs[0], runs[1]) {
		t.Fatal("two parses of the same files differ")
	}
}

func TestOrphans(t *testing.T) {
	prim := readFile(t, "testdata/sdn/SDN.CSV")
	var keep []string
	for _, l := range strings.Split(prim, "\r\n") {
		if strings.HasPrefix(l, "52965,") || strings.HasPrefix(l, "55413,") {
			keep = append(keep, l)
		}
	}
	files := []source.File{
		memFile("sdn.csv", strings.Join(keep, "\r\n")+"\r\n\x1a"),
		memFile("ADD.CSV", readFile(t, "testdata/sdn/add.csv")),
		memFile("alt.csv", readFile(t, "testdata/sdn/alt.csv")),
		memFile("sdn_comments.csv", readFile(t, "testdata/sdn/sdn_comments.csv")),
	}
	var warned string
	n := 0
	_, st, err := ParseFiles(context.Background(), files, func(*lexscreen.Entity) error { n++; return nil },
		Options{Warn: func(s string) { warned = s }})
	if err != nil || n != 2 {
		t.Fatalf("n=%d err=%v", n, err)
	}
	if st.OrphanAliases != 44 || st.OrphanComments != 1 || st.OrphanAddresses == 0 || st.Addresses != 2 || !strings.Contains(warned, "not in sdn.csv") {
		t.Errorf("stats %+v warning %q", st, warned)
	}
	// Through the Format too (no options): orphans never fail the parse.
	if _, err := FormatCSV.Parse(context.Background(), files, func(*lexscreen.Entity) error { return nil }); err != nil {
		t.Fatal(err)
	}
}

func TestErrors(t *testing.T) {
	prim := readFile(t, "testdata/sdn/SDN.CSV")
	cut := strings.Index(prim, "54215,") + 40
	tests := []struct {
		name  string
		files []source.File
		want  string
	}{
		{"both sets", []source.File{memFile("sdn.csv", prim), memFile("cons_prim.csv", prim)}, "SDN set and of the Consolidated set"},
		{"missing primary", []source.File{memFile("alt.csv", readFile(t, "testdata/sdn/alt.csv"))}, "SDN.CSV of this OFAC CSV set is missing"},
		{"missing cons primary", []source.File{memFile("CONS_ALT.CSV", "1,2,\"aka\",\"X\",-0- \r\n")}, "CONS_PRIM.CSV"},
		{"unknown file", []source.File{memFile("sdn.csv", prim), memFile("notes.txt", "x")}, "not a file of an OFAC CSV set"},
		{"duplicate file", []source.File{memFile("sdn.csv", prim), memFile("SDN.CSV", prim)}, "duplicate file"},
		{"no files", nil, "no OFAC CSV files"},
		{"truncated inside quoted field", []source.File{memFile("sdn.csv", prim[:cut])}, "sdn.csv:"},
		{"truncated at a line end", []source.File{memFile("sdn.csv", strings.TrimSuffix(strings.TrimSuffix(prim, "\x1a"), "\r\n"))}, "truncated"},
		{"wrong columns", []source.File{memFile("sdn.csv", "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\"\r\n")}, "row 1: 4 columns, want 12"},
		{"wrong columns later", []source.File{memFile("sdn.csv", prim), memFile("add.csv", "36,25,-0- ,\"Havana\",\"Cuba\",-0- \r\n36,26,\"Havana\"\r\n")}, "add.csv:2: row 2: 3 columns, want 6"},
		{"garbage", []source.File{memFile("sdn.csv", "\x00\x01\x02garbage\"\"\"\n\xff\xfe")}, "sdn.csv"},
		{"bad ent_num", []source.File{memFile("sdn.csv", strings.Replace(prim, "52965,", "5296X,", 1))}, "ent_num \"5296X\" is not a number"},
		{"duplicate ent_num", []source.File{memFile("sdn.csv", prim+strings.TrimSuffix(prim, "\x1a")[:strings.Index(prim, "\r\n")+2])}, "duplicate ent_num"},
		{"empty primary", []source.File{memFile("sdn.csv", "\x1a")}, "no records"},
		{"empty name", []source.File{memFile("sdn.csv", "1,-0- ,-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n")}, "empty SDN_Name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FormatCSV.Parse(context.Background(), tc.files, func(*lexscreen.Entity) error { return nil })
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			var le *lexscreen.Error
			if !errors.As(err, &le) || le.Code != lexscreen.EINVALID {
				t.Errorf("error %T %v is not an EINVALID *lexscreen.Error", err, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestEmitErrorAndCancel(t *testing.T) {
	stop := errors.New("stop")
	_, err := FormatCSV.Parse(context.Background(), dirFiles(t, "testdata/sdn"), func(*lexscreen.Entity) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("emit error = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = FormatCSV.Parse(ctx, dirFiles(t, "testdata/sdn"), func(*lexscreen.Entity) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled parse = %v", err)
	}
}

func TestSniff(t *testing.T) {
	prim := []byte(readFile(t, "testdata/sdn/SDN.CSV"))
	for _, tc := range []struct {
		name string
		head []byte
		want bool
	}{
		{"SDN.CSV", prim, true}, {"sdn.csv", prim[:100], true}, {"CONS_PRIM.CSV", prim, true},
		{"add.csv", []byte("36,25,-0- ,\"Havana\",\"Cuba\",-0- \r\n"), true}, {"Sdn_Comments.csv", []byte("17016,\"tive\"\r\n"), true},
		{"add.csv", []byte("\x1a"), true},
		{"sdn.xml", prim, false}, {"consolidated.csv", prim, false}, {"sdn.csv", []byte("<?xml version=\"1.0\"?><sdnList>"), false},
		{"sdn.csv", []byte("ent_num,SDN_Name\r\n"), false}, {"ConList.csv", []byte("Last Updated,01/02/2024\r\n"), false},
	} {
		if got := FormatCSV.Sniff(tc.name, tc.head); got != tc.want {
			t.Errorf("Sniff(%q, %.20q) = %v, want %v", tc.name, tc.head, got, tc.want)
		}
	}
	if FormatCSV.ID != "ofac-csv" || !FormatCSV.Grouped {
		t.Errorf("format = %+v", FormatCSV)
	}
}

func TestParseRemarks(t *testing.T) {
	var e lexscreen.Entity
	ParseRemarks("DOB 1973 to 1974; alt. DOB Aug 1960; POB Culiacan, Sinaloa, Mexico; nationality Korea, North; "+
		"Passport Z3079423 expires 01 Jan 2026 to 31 Dec 2026; Cedula No. V-8348784 (Venezuela); Tax ID No. AABA 670850 Y; "+
		"Registration Number HRA 738077 (Stuttgart) (Germany); Identification Number IMO 5342883; "+
		"Digital Currency Address - ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96; Nationality of Registration Russia; "+
		"Effective Date (EO 14024 Directive 2): 26 Mar 2022; Organization Type: Activities of holding companies; "+
		"Member of the State Duma of the Federal Assembly of the Russian Federation; Linked To: AL-JAMAL, Sa'id Ahmad Muhammad; "+
		"Telephone: 7812 3358979; Alt. Fax: 982188708911.", &e)
	var dobs []string
	for _, d := range e.BirthDates {
		dobs = append(dobs, d.String())
	}
	if !reflect.DeepEqual(dobs, []string{"1973..1974", "1960-08"}) {
		t.Errorf("DOBs = %v", dobs)
	}
	if p := e.BirthPlaces[0]; p.City != "Culiacan" || p.Region != "Sinaloa" || p.Country.Code != "MX" {
		t.Errorf("POB = %+v", p)
	}
	if e.Nationalities[0].Code != "KP" {
		t.Errorf("nationality = %+v", e.Nationalities)
	}
	if id := findID(&e, "Z3079423"); id == nil || id.Note != "expires 01 Jan 2026 to 31 Dec 2026" || !id.Expires.IsZero() {
		t.Errorf("passport = %+v", id)
	}
	if id := findID(&e, "V-8348784"); id == nil || id.Kind != lexscreen.IDNational || id.Country.Code != "VE" {
		t.Errorf("cedula = %+v", id)
	}
	if id := findID(&e, "AABA 670850 Y"); id == nil || id.Kind != lexscreen.IDTax {
		t.Errorf("tax id = %+v", id)
	}
	if id := findID(&e, "HRA 738077 (Stuttgart)"); id == nil || id.Country.Code != "DE" || id.Kind != lexscreen.IDRegistration {
		t.Errorf("registration = %+v", id)
	}
	if id := findID(&e, "IMO 5342883"); id == nil || id.Kind != lexscreen.IDIMO || id.Label != "Identification Number" {
		t.Errorf("IMO company number = %+v", id)
	}
	if id := findID(&e, "0x098B716B8Aaf21512996dC57EB0615e2383E2f96"); id == nil || id.Label != "Digital Currency Address - ETH" {
		t.Errorf("ETH = %+v", id)
	}
	if len(e.Countries) != 1 || e.Countries[0].Code != "RU" {
		t.Errorf("countries = %+v", e.Countries)
	}
	if e.Attributes["effective_date"][0] != "(EO 14024 Directive 2): 26 Mar 2022" || e.Attributes["organization_type"][0] != "Activities of holding companies" {
		t.Errorf("attributes = %v", e.Attributes)
	}
	if e.Links[0].Target != "AL-JAMAL, Sa'id Ahmad Muhammad" {
		t.Errorf("links = %+v", e.Links)
	}
	if !reflect.DeepEqual(e.Contacts, []lexscreen.Contact{{Kind: "phone", Value: "7812 3358979"}, {Kind: "fax", Value: "982188708911"}}) {
		t.Errorf("contacts = %+v", e.Contacts)
	}
	if !strings.Contains(e.Remarks, "Member of the State Duma") {
		t.Errorf("remarks lost text: %q", e.Remarks)
	}
	var empty lexscreen.Entity
	ParseRemarks("-0- ", &empty)
	if !reflect.DeepEqual(empty, lexscreen.Entity{}) {
		t.Errorf("null remarks filled %+v", empty)
	}
}

func TestHelpers(t *testing.T) {
	if got := Programs("IRAN] [SDGT] [IRGC] [IFSR"); !reflect.DeepEqual(got, []string{"IRAN", "SDGT", "IRGC", "IFSR"}) {
		t.Errorf("Programs = %v", got)
	}
	if got := Programs("-0- "); got != nil {
		t.Errorf("Programs(null) = %v", got)
	}
	for in, want := range map[string]string{"ICC-EO14203": "EO 14203", "RUSSIA-EO14024": "EO 14024", "SDGT": "", "CMIC-EO13959": "EO 13959", "561-Related": ""} {
		if got := LegalBasis(in); got != want {
			t.Errorf("LegalBasis(%q) = %q, want %q", in, got, want)
		}
	}
	if source.Script("Иван") != "Cyrl" || source.Script("محمد") != "Arab" || source.Script("金正恩") != "Hani" || source.Script("PEREZ") != "" {
		t.Error("scriptOf")
	}
	if PersonNameParts("ACME, ") != nil || PersonNameParts("NO COMMA") != nil {
		t.Error("PersonNameParts must not invent parts")
	}
}

// TestRealFiles parses every real OFAC CSV set when the shared data is there
// and checks the entity counts of /work/shared/data/lists/README.md.
func TestRealFiles(t *testing.T) {
	base := sharedtest.Path(t, "data", "lists", "us_ofac")
	for dir, want := range map[string]int{
		"sdn/2024-05-03": 14965,
		"sdn/2025-02-27": 16989,
		"sdn/2025-12-24": 18494,
		"cons/2025-12":   442,
	} {
		t.Run(dir, func(t *testing.T) {
			files := dirFiles(t, filepath.Join(base, dir))
			n, icc := 0, 0
			_, st, err := ParseFiles(context.Background(), files, func(e *lexscreen.Entity) error {
				n++
				for _, d := range e.Designations {
					if d.Program == "ICC-EO14203" {
						icc++
					}
				}
				return nil
			}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if n != want {
				t.Errorf("%s: %d entities, want %d", dir, n, want)
			}
			if dir == "sdn/2025-12-24" && icc != 15 {
				t.Errorf("ICC-EO14203 entities = %d, want 15", icc)
			}
			t.Logf("%s: %d entities, stats %+v", dir, n, st)
		})
	}
}

func BenchmarkParseSDN20251224(b *testing.B) {
	dir := sharedtest.Path(b, "data", "lists", "us_ofac", "sdn", "2025-12-24")
	files := dirFiles(b, dir)
	for b.Loop() {
		if _, _, err := ParseFiles(context.Background(), files, func(*lexscreen.Entity) error { return nil }, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzParse(f *testing.F) {
	prim := readFile(f, "testdata/sdn/SDN.CSV")
	alt := readFile(f, "testdata/sdn/alt.csv")
	f.Add(prim[:2000], alt[:500])
	f.Add("36,\"X\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1960; a.k.a. 'Y'.\"\r\n", "36,1,\"aka\",\"Z\",-0- \r\n")
	f.Add("\x1a", "")
	f.Fuzz(func(t *testing.T, p, a string) {
		files := []source.File{memFile("sdn.csv", p), memFile("alt.csv", a)}
		_, _ = FormatCSV.Parse(context.Background(), files, func(e *lexscreen.Entity) error {
			if e.ID == "" || len(e.Names) == 0 || e.Names[0].Kind != lexscreen.NamePrimary {
				t.Fatalf("bad entity %+v", e)
			}
			return nil
		})
	})
}

func FuzzParseRemarks(f *testing.F) {
	for _, s := range []string{
		"DOB 30 Mar 1970; POB Edinburgh, United Kingdom; nationality United Kingdom; Gender Male; Passport 518353876 (United Kingdom).",
		"Passport G 649385 issued 08 Sep 2006 expires 17 Jul 2011; a.k.a. 'X'; Linked To: Y.",
		"(((; ;;  ); Digital Currency Address - XBT abc", "Registration Number (x) (Germany) issued expires",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var e lexscreen.Entity
		ParseRemarks(s, &e)
		for _, d := range e.BirthDates {
			if !d.From.IsZero() && !d.From.Valid() {
				t.Fatalf("invalid date from %q", s)
			}
		}
	})
}
