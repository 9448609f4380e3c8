package uk

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/lexscreen/lexscreen/internal/sharedtest"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

func memFile(name string, data []byte) source.File {
	return source.File{Name: name, Path: name, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
}

func parseAll(t *testing.T, f source.Format, files ...source.File) (source.Meta, map[string]*lexscreen.Entity, []string) {
	t.Helper()
	got := map[string]*lexscreen.Entity{}
	var order []string
	meta, err := f.Parse(context.Background(), files, func(e *lexscreen.Entity) error {
		if got[e.ID] != nil {
			t.Errorf("%s emitted twice", e.ID)
		}
		got[e.ID] = e
		order = append(order, e.ID)
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", f.ID, err)
	}
	return meta, got, order
}

func codes(cs []lexscreen.Country) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Code)
	}
	return out
}

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

func TestOFSICSV(t *testing.T) {
	meta, got, order := parseAll(t, FormatOFSICSV, source.OSFile("testdata/ofsi_ConList_excerpt.csv"))
	eq(t, "meta.Source", meta.Source, "gb-ofsi")
	eq(t, "meta.Published", meta.Published.Format("2006-01-02"), "2024-01-25")
	eq(t, "count", len(got), 10)
	eq(t, "first", order[0], "gb-ofsi:15672")

	e := got["gb-ofsi:15672"] // Mian Abdul HAQ, Global Human Rights
	eq(t, "schema", e.Schema, lexscreen.SchemaPerson)
	eq(t, "caption", e.Caption(), "Mian Abdul HAQ")
	eq(t, "aliases", sharedtest.Names(e, lexscreen.NameAlias), []string{"Mian MITHOO", "Mian MITHU", "Mian MITTO", "Mian MITTU"})
	eq(t, "parts", sharedtest.FindName(e, "Mian Abdul HAQ").Parts, []lexscreen.NamePart{{Kind: "given", Value: "Mian"}, {Kind: "middle", Value: "Abdul"}, {Kind: "family", Value: "HAQ"}})
	eq(t, "gender", e.Gender, "male")
	eq(t, "nationality", codes(e.Nationalities), []string{"PK"})
	eq(t, "designation", e.Designations[0].Program+"|"+e.Designations[0].Reference+"|"+e.Designations[0].ListedOn.String()+"|"+e.Designations[0].Authority,
		"Global Human Rights|GHR0086|2022-12-09|GB-OFSI")
	if !strings.HasPrefix(e.Remarks, "(UK Sanctions List Ref):GHR0086.") {
		t.Errorf("remarks %q", e.Remarks)
	}

	e = got["gb-ofsi:15890"] // Cyrillic non-Latin name
	n := sharedtest.FindName(e, "ЗАДАЧИН Андрей Андреевич")
	if n == nil || n.Script != "Cyrl" || n.Lang != "ru" || n.Kind != lexscreen.NameAlias {
		t.Errorf("non-Latin name = %+v", n)
	}
	eq(t, "dob", sharedtest.Dates(e.BirthDates), []string{"1990-08-22"})

	e = got["gb-ofsi:13651"] // ship AKTIVA
	eq(t, "ship schema", e.Schema, lexscreen.SchemaVessel)
	eq(t, "imo", e.Identifiers[0], lexscreen.Identifier{Kind: lexscreen.IDIMO, Label: "IMO number", Number: "7408873"})
	eq(t, "flag", e.Attributes["flag"], []string{"North Korea"})
	eq(t, "year", e.Attributes["build_year"], []string{"1975"})
	eq(t, "ship ref", e.Designations[0].Reference, "DPR0100")

	e = got["gb-ofsi:12425"] // Al-Watan: contacts from Other Information
	eq(t, "contacts", e.Contacts, []lexscreen.Contact{{Kind: "phone", Value: "+963 11 2137400"}, {Kind: "website", Value: "www.alwatan.sy"}})
	eq(t, "entity type", e.Attributes["entity_type"], []string{"Private"})

	e = got["gb-ofsi:13189"] // has an FKA
	if len(sharedtest.Names(e, lexscreen.NameFormer)) == 0 {
		t.Errorf("13189: no former name in %+v", e.Names)
	}
	e = got["gb-ofsi:13378"] // low quality alias, year-only DOB
	if len(sharedtest.Names(e, lexscreen.NameWeakAlias)) == 0 {
		t.Errorf("13378: no weak alias in %+v", e.Names)
	}
	for _, d := range e.BirthDates {
		if strings.HasPrefix(d.Text, "00/00/") && d.From.Precision() != "year" {
			t.Errorf("13378: %q parsed as %s", d.Text, d.String())
		}
	}
	e = got["gb-ofsi:7059"] // "(1) X (2) Y" nationalities
	if len(e.Nationalities) < 2 {
		t.Errorf("7059 nationalities %+v", e.Nationalities)
	}
	e = got["gb-ofsi:16310"] // Chinese script
	hani := false
	for _, n := range e.Names {
		hani = hani || n.Script == "Hani"
	}
	if !hani {
		t.Errorf("16310: no Hani name in %+v", e.Names)
	}
	e = got["gb-ofsi:13312"] // several passports
	pp := 0
	for _, id := range e.Identifiers {
		if id.Kind == lexscreen.IDPassport {
			pp++
		}
	}
	if pp < 2 {
		t.Errorf("13312 passports %+v", e.Identifiers)
	}
}

func TestOFSICSVDeterministic(t *testing.T) {
	var outs [2][]byte
	for i := range outs {
		_, _, order := parseAll(t, FormatOFSICSV, source.OSFile("testdata/ofsi_ConList_excerpt.csv"))
		var buf bytes.Buffer
		FormatOFSICSV.Parse(context.Background(), []source.File{source.OSFile("testdata/ofsi_ConList_excerpt.csv")}, func(e *lexscreen.Entity) error {
			b, _ := json.Marshal(e)
			buf.Write(b)
			return nil
		})
		outs[i] = append([]byte(strings.Join(order, ",")), buf.Bytes()...)
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Fatal("two parses differ")
	}
}

// TestOFSIXLSX writes the real CSV excerpt rows into a workbook and checks
// the XLSX parser yields the same entities.
func TestOFSIXLSX(t *testing.T) {
	raw, err := os.ReadFile("testdata/ofsi_ConList_excerpt.csv")
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	cr := newCSVRows("test.csv", bytes.NewReader(raw))
	cr.r.ReuseRecord = false
	for {
		rec, _, err := cr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, rec)
	}
	x := excelize.NewFile()
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, c := range r {
			cells[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if !FormatOFSIXLSX.Sniff("ConList.xlsx", buf.Bytes()[:min(buf.Len(), 8192)]) {
		t.Error("sniff xlsx")
	}
	meta, gotX, _ := parseAll(t, FormatOFSIXLSX, memFile("ConList.xlsx", buf.Bytes()))
	_, gotC, _ := parseAll(t, FormatOFSICSV, memFile("ConList.csv", raw))
	eq(t, "xlsx published", meta.Published.Format("2006-01-02"), "2024-01-25")
	eq(t, "xlsx entities", len(gotX), len(gotC))
	for id, e := range gotC {
		if !reflect.DeepEqual(e, gotX[id]) {
			t.Errorf("%s differs between CSV and XLSX", id)
		}
	}
}

func TestFCDOODS(t *testing.T) {
	meta, got, order := parseAll(t, FormatFCDOODS, source.OSFile("testdata/fcdo_UK_Sanctions_List_excerpt.ods"))
	eq(t, "meta", meta.Source+"|"+meta.Published.Format("2006-01-02"), "gb-fcdo|2022-11-30")
	eq(t, "order", order, []string{"gb-fcdo:AFG0001", "gb-fcdo:DPR0075", "gb-fcdo:RUS0085", "gb-fcdo:AQD0145", "gb-fcdo:BEL0065"})
	checkFCDO(t, got, true)

	e := got["gb-fcdo:AFG0001"]
	eq(t, "AFG0001 caption", e.Caption(), "HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE")
	eq(t, "AFG0001 schema", e.Schema, lexscreen.SchemaOrganization)
	n := sharedtest.FindName(e, "حاجی خيرالله و حاجی ستار صرافی")
	if n == nil || n.Script != "Arab" {
		t.Errorf("AFG0001 Arabic name %+v", n)
	}
	eq(t, "AFG0001 ref", e.Designations[0].Reference, "AFG0001")
	eq(t, "AFG0001 listed", e.Designations[0].ListedOn.String(), "2012-06-29")
	if len(e.Addresses) < 2 || len(e.Contacts) < 2 {
		t.Errorf("AFG0001 addresses %d contacts %d", len(e.Addresses), len(e.Contacts))
	}
	e = got["gb-fcdo:BEL0065"]
	if len(e.Identifiers) == 0 || e.Identifiers[0].Kind != lexscreen.IDRegistration || !strings.Contains(e.Identifiers[0].Number, "190950894") {
		t.Errorf("BEL0065 identifiers %+v", e.Identifiers)
	}
}

// checkFCDO checks RUS0085 and DPR0075, common to the ODS, CSV and XML
// test documents.
func checkFCDO(t *testing.T, got map[string]*lexscreen.Entity, table bool) {
	t.Helper()
	e := got["gb-fcdo:RUS0085"]
	if e == nil {
		t.Fatal("RUS0085 missing")
	}
	eq(t, "RUS0085 schema", e.Schema, lexscreen.SchemaPerson)
	want := []string{"1973", "1969-08-29"}
	if !table { // the CSV document keeps one row per name, so only the first DOB
		want = want[:1]
	}
	eq(t, "RUS0085 dobs", sharedtest.Dates(e.BirthDates), want)
	eq(t, "RUS0085 nationality", codes(e.Nationalities), []string{"UA"})
	eq(t, "RUS0085 gender", e.Gender, "male")
	n := sharedtest.FindName(e, "Олег Євгенович БУГРОВ")
	if n == nil || n.Script != "Cyrl" {
		t.Errorf("RUS0085 Cyrillic name %+v", n)
	}
	d := e.Designations[0]
	eq(t, "RUS0085 designation", []any{d.Authority, d.Program, d.Reference, d.ListedOn.String(), d.Measures},
		[]any{"GB-FCDO", "The Russia (Sanctions) (EU Exit) Regulations 2019", "RUS0085", "2020-12-31", []string{"Asset freeze", "Travel Ban"}})
	eq(t, "RUS0085 ofsi id", e.Attributes["ofsi_group_id"], []string{"13177"})
	eq(t, "RUS0085 address", e.Addresses[0].Full, "St. Petersburg, Russia")
	eq(t, "RUS0085 birthplace", e.BirthPlaces[0].City, "Sverdlovsk, Luhansk")

	e = got["gb-fcdo:DPR0075"]
	eq(t, "DPR0075 schema", e.Schema, lexscreen.SchemaVessel)
	eq(t, "DPR0075 names", []string{e.Caption(), sharedtest.Names(e, lexscreen.NameAlias)[0]}, []string{"Petrel 8", "Jal Vahini"})
	eq(t, "DPR0075 imo", e.Identifiers[0].Kind, lexscreen.IDIMO)
	eq(t, "DPR0075 imo number", e.Identifiers[0].Number, "IMO9562233")
	eq(t, "DPR0075 flag", codes(e.Countries), []string{"KM"})
	eq(t, "DPR0075 type", e.Attributes["vessel_type"], []string{"Bulk Carrier"})
	eq(t, "DPR0075 owner", e.Attributes["owner"], []string{"Global United Shipping India"})
}

func TestFCDOCSV(t *testing.T) {
	meta, got, _ := parseAll(t, FormatFCDOCSV, source.OSFile("testdata/fcdo_UK-Sanctions-List_excerpt.csv"))
	eq(t, "published", meta.Published.Format("2006-01-02"), "2022-11-30")
	eq(t, "count", len(got), 5)
	checkFCDO(t, got, false)
}

func TestFCDOXML(t *testing.T) {
	meta, got, _ := parseAll(t, FormatFCDOXML, source.OSFile("testdata/fcdo_UK-Sanctions-List_excerpt.xml"))
	eq(t, "published", meta.Published.Format("2006-01-02"), "2022-11-30")
	eq(t, "count", len(got), 2)
	checkFCDO(t, got, true)
	e := got["gb-fcdo:RUS0085"]
	eq(t, "RUS0085 primary parts", sharedtest.FindName(e, "Oleg Yevgenyevich BUGROV").Parts,
		[]lexscreen.NamePart{{Kind: "given", Value: "Oleg"}, {Kind: "middle", Value: "Yevgenyevich"}, {Kind: "family", Value: "BUGROV"}})
	eq(t, "RUS0085 weak", sharedtest.Names(e, lexscreen.NameWeakAlias), []string{"Oleh Yevhenovych BUHROV"})
	eq(t, "RUS0085 lang", sharedtest.FindName(e, "Олег Євгенович БУГРОВ").Lang, "uk")
	eq(t, "RUS0085 passport", e.Identifiers[0], lexscreen.Identifier{Kind: lexscreen.IDPassport, Label: "PassportNumber",
		Number: "EC0123456", Note: "Ukraine", Country: lexscreen.Country{Code: "UA", Name: "Ukraine"}})
	eq(t, "RUS0085 remarks", e.Designations[0].Remarks, "Former 'Defence Minister' of the so called Luhansk People's Republic.")
}

func TestSniff(t *testing.T) {
	read := func(p string) []byte {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b[:min(len(b), 8192)]
	}
	files := map[string][]byte{
		"ConList.csv":             read("testdata/ofsi_ConList_excerpt.csv"),
		"UK-Sanctions-List.csv":   read("testdata/fcdo_UK-Sanctions-List_excerpt.csv"),
		"UK-Sanctions-List.xml":   read("testdata/fcdo_UK-Sanctions-List_excerpt.xml"),
		"UK_Sanctions_List.ods":   read("testdata/fcdo_UK_Sanctions_List_excerpt.ods"),
		"sdn.csv":                 []byte("36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- \r\n"),
		"consolidated.xml":        []byte(`<?xml version="1.0"?><CONSOLIDATED_LIST><INDIVIDUALS>`),
		"ConList_2.xlsx.txt":      []byte("hello"),
		"UK_Sanctions_List_2.ods": []byte("PK\x03\x04garbage"),
	}
	want := map[string]string{
		"ConList.csv": "uk-ofsi-csv", "UK-Sanctions-List.csv": "uk-fcdo-csv", "UK-Sanctions-List.xml": "uk-fcdo-xml",
		"UK_Sanctions_List.ods": "uk-fcdo-ods",
	}
	for name, head := range files {
		var hits []string
		for _, f := range []source.Format{FormatOFSICSV, FormatOFSIXLSX, FormatFCDOODS, FormatFCDOCSV, FormatFCDOXML} {
			if f.Sniff(name, head) {
				hits = append(hits, f.ID)
			}
		}
		w := []string(nil)
		if want[name] != "" {
			w = []string{want[name]}
		}
		eq(t, "sniff "+name, hits, w)
	}
}

func TestErrors(t *testing.T) {
	csvData, _ := os.ReadFile("testdata/ofsi_ConList_excerpt.csv")
	xmlData, _ := os.ReadFile("testdata/fcdo_UK-Sanctions-List_excerpt.xml")
	odsData, _ := os.ReadFile("testdata/fcdo_UK_Sanctions_List_excerpt.ods")
	lines := strings.SplitAfter(string(csvData), "\r\n")
	// a row with a column missing
	bad := strings.Join(lines[:5], "") + "X,Y,Z\r\n" + strings.Join(lines[5:], "")
	trunc := string(csvData[:len(csvData)/2]) + "\"unterminated"
	cases := []struct {
		name string
		f    source.Format
		data []byte
		want string
	}{
		{"ConList.csv", FormatOFSICSV, []byte(bad), "row 6: 3 columns, want 36"},
		{"ConList.csv", FormatOFSICSV, []byte(trunc), "row "},
		{"ConList.csv", FormatOFSICSV, []byte("garbage\x00\x01\nmore,garbage\n"), "no header row"},
		{"ConList.csv", FormatOFSICSV, nil, "no header row"},
		{"ConList.xlsx", FormatOFSIXLSX, []byte("PK\x03\x04 not a zip"), "not a readable XLSX"},
		{"UK.xml", FormatFCDOXML, xmlData[:len(xmlData)*2/3], "unexpected end of file inside"},
		{"UK.xml", FormatFCDOXML, []byte("<sdnList></sdnList>"), "want <Designations>"},
		{"UK.xml", FormatFCDOXML, []byte("\x00\x01garbage"), ""},
		{"UK.ods", FormatFCDOODS, odsData[:len(odsData)/2], "not a readable ODS"},
		{"UK.ods", FormatFCDOODS, []byte("garbage"), "not a readable ODS"},
	}
	for _, c := range cases {
		_, err := c.f.Parse(context.Background(), []source.File{memFile(c.name, c.data)}, func(*lexscreen.Entity) error { return nil })
		if err == nil {
			t.Errorf("%s %s: no error", c.f.ID, c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.name) {
			t.Errorf("%s: error %q, want it to name the file and contain %q", c.f.ID, err, c.want)
		}
	}
}

func TestODSTruncatedContent(t *testing.T) {
	// a whole zip whose content.xml stops inside a row
	content := `<?xml version="1.0"?><office:document-content xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S"><table:table-row><table:table-cell><text:p>Unique ID</text:p></table:table-cell><table:table-cell><text:p>Name 6</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell><text:p>RUS1</text:p></table:table-cell><table:table-cell><text:p>A`
	data := odsZip(t, content)
	_, err := FormatFCDOODS.Parse(context.Background(), []source.File{memFile("t.ods", data)}, func(*lexscreen.Entity) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "unexpected end of file inside <table:table-row 2") {
		t.Fatalf("err = %v", err)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := FormatFCDOODS.Parse(ctx, []source.File{source.OSFile("testdata/fcdo_UK_Sanctions_List_excerpt.ods")}, func(*lexscreen.Entity) error { return nil })
	if err == nil {
		t.Fatal("no error after cancel")
	}
}

func TestHelpers(t *testing.T) {
	eq(t, "split", splitMulti("(1) Uganda (2) Kenya (3)Uganda"), []string{"Uganda", "Kenya", "Uganda"})
	eq(t, "split1", splitMulti("1) Saudi Arabia 2) Qatar"), []string{"Saudi Arabia", "Qatar"})
	eq(t, "nosplit", splitMulti("Cleric (1) of X"), []string{"Cleric (1) of X"})
	for in, want := range map[string]string{"00/00/1994": "1994", "dd/mm/1950": "1950", "dd/05/1950": "1950-05",
		"09/1962": "1962-09", "12/05/1994": "1994-05-12", "1960": "1960", "44927": "2023-01-01"} {
		v, ok := parseUKDate(in)
		if !ok || v.String() != want {
			t.Errorf("parseUKDate(%q) = %q %v, want %q", in, v.String(), ok, want)
		}
	}
	eq(t, "kinds", []lexscreen.NameKind{nameKind("Primary name", ""), nameKind("Primary Name Variation", "Good quality"),
		nameKind("AKA", "Low quality"), nameKind("ALias", "Low quality a.k.a"), nameKind("FKA", "")},
		[]lexscreen.NameKind{"primary", "alias", "weak_alias", "weak_alias", "former"})
	eq(t, "scripts", []string{source.Script("Иван"), source.Script("محمد"), source.Script("金正恩"), source.Script("Ivan"), source.Script("Ελένη")},
		[]string{"Cyrl", "Arab", "Hani", "", "Grek"})
}

// sharedDir is the folder of real list files (see internal/sharedtest).
func sharedDir(t *testing.T) string { return sharedtest.Path(t, "data", "lists") }

// TestRealFiles parses each real UK file completely and checks its entity
// count against shared/data/lists/README.md. The FCDO ODS of 2022-11-30 holds
// 3,728 distinct Unique IDs (its Entity/Individual/Ship sheets: 672 + 3,019
// + 37); README's 3,729 counts one more, apparently a repeated header row.
func TestRealFiles(t *testing.T) {
	dir := sharedDir(t)
	cases := []struct {
		path string
		f    source.Format
		want int
	}{
		{"uk/ofsi/2024-01-25/ConList.csv", FormatOFSICSV, 4254},
		{"uk/ofsi/2025-04-10/ConList.xlsx", FormatOFSIXLSX, 4686},
		{"uk/ofsi/2025-04-10/ConList_DERIVED_excerpt.csv", FormatOFSICSV, 106},
		{"uk/fcdo/2022-11-30/UK_Sanctions_List.ods", FormatFCDOODS, 3728},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			if testing.Short() && strings.HasSuffix(c.path, ".ods") {
				t.Skip("ODS takes ~20 s")
			}
			file := source.OSFile(filepath.Join(dir, c.path))
			head := make([]byte, 8192)
			rc, err := file.Open()
			if err != nil {
				t.Fatal(err)
			}
			n, _ := io.ReadFull(rc, head)
			rc.Close()
			if !c.f.Sniff(file.Name, head[:n]) {
				t.Errorf("%s does not sniff %s", c.f.ID, c.path)
			}
			count := 0
			meta, err := c.f.Parse(context.Background(), []source.File{file}, func(e *lexscreen.Entity) error {
				count++
				if e.Caption() == "" || len(e.Designations) == 0 {
					t.Errorf("%s: no caption or designation", e.ID)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if count != c.want {
				t.Errorf("%s: %d entities, want %d", c.path, count, c.want)
			}
			if meta.Published.IsZero() {
				t.Errorf("%s: no publication date", c.path)
			}
		})
	}
}
