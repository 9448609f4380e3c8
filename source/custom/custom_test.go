package custom

import (
	"bytes"
	"context"
	"errors"
	"github.com/lexscreen/lexscreen/internal/sharedtest"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
	"github.com/lexscreen/lexscreen/source/ftm"
)

func memFile(name, data string) source.File {
	return source.File{Name: name, Path: name, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(data)), nil
	}}
}

func parse(t *testing.T, f source.Format, file source.File) (source.Meta, []*lexscreen.Entity) {
	t.Helper()
	var out []*lexscreen.Entity
	meta, err := f.Parse(context.Background(), []source.File{file}, func(e *lexscreen.Entity) error {
		out = append(out, e)
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", file.Name, err)
	}
	return meta, out
}

func TestCSV(t *testing.T) {
	meta, got := parse(t, FormatCSV, source.OSFile("testdata/icc_warrants.csv"))
	if meta.Source != "icc-warrants" || meta.Declared != 5 || meta.Published.Format("2006-01-02") != "2025-01-15" {
		t.Errorf("Meta = %+v", meta)
	}
	if len(got) != 5 {
		t.Fatalf("got %d entities", len(got))
	}
	kony := got[0]
	if kony.ID != "icc-warrants:ICC-02/04-01/05" || kony.Source != "icc-warrants" || kony.Schema != lexscreen.SchemaPerson {
		t.Errorf("Kony = %s %s %s", kony.ID, kony.Source, kony.Schema)
	}
	if b := kony.BirthDates; len(b) != 1 || !b[0].Circa || b[0].From.String() != "1961" || b[0].From.Precision() != "year" || b[0].String() != "~1961" {
		t.Errorf("Kony dob = %+v", b)
	}
	if n := kony.Names[0]; n.Full != "Joseph Kony" || n.Kind != lexscreen.NamePrimary || len(n.Parts) != 2 || n.Parts[1] != (lexscreen.NamePart{Kind: lexscreen.PartFamily, Value: "Kony"}) {
		t.Errorf("Kony name = %+v", n)
	}
	if c := kony.Nationalities; len(c) != 1 || c[0].Code != "UG" {
		t.Errorf("Kony nationality = %+v", c)
	}
	if p := kony.BirthPlaces; len(p) != 1 || p[0].Text != "Odek, Uganda" || p[0].Country.Code != "UG" {
		t.Errorf("Kony birth place = %+v", p)
	}
	if d := kony.Designations; len(d) != 1 || d[0].Authority != "ICC" || d[0].Program != "Situation in Uganda" ||
		d[0].ListedOn.From.String() != "2005-07-08" || d[0].LegalBasis != "Rome Statute, art. 58" || d[0].Reference != "ICC-02/04-01/05" {
		t.Errorf("Kony designation = %+v", d)
	}
	if kony.Remarks != "Leader of the Lord's Resistance Army." {
		t.Errorf("Remarks = %q", kony.Remarks)
	}
	putin := got[1]
	if putin.Gender != "male" || putin.BirthDates[0].From.String() != "1952-10-07" || putin.Nationalities[0] != (lexscreen.Country{Code: "RU", Name: "Russia"}) {
		t.Errorf("Putin = %+v", putin)
	}
	if n := putin.Names[1]; n.Kind != lexscreen.NameAlias || n.Script != "Cyrl" || n.Full != "Владимир Владимирович Путин" {
		t.Errorf("Putin alias = %+v", n)
	}
	bashir := got[3]
	if bashir.Schema != lexscreen.SchemaPerson || len(bashir.Names) != 4 || bashir.Names[1].Script != "Arab" || bashir.Names[3].Kind != lexscreen.NameWeakAlias {
		t.Errorf("Bashir names = %+v", bashir.Names)
	}
	if id := bashir.Identifiers; len(id) != 1 || id[0].Kind != lexscreen.IDPassport || id[0].Number != "X1234567" || id[0].Country.Code != "SD" || id[0].Label != "passport" {
		t.Errorf("Bashir ids = %+v", id)
	}
	if d := bashir.Designations; len(d) != 2 || d[1].Program != "Genocide charges" || d[1].ListedOn.From.String() != "2009-03-04" {
		t.Errorf("Bashir designations = %+v", d)
	}
	if a := bashir.Addresses; len(a) != 1 || a[0].Country.Code != "SD" {
		t.Errorf("Bashir addresses = %+v", a)
	}
	saif := got[4]
	if b := saif.BirthDates[0]; b.From.String() != "1972" || b.To.String() != "1973" || b.String() != "1972..1973" {
		t.Errorf("Saif dob = %+v", b)
	}
	if id := saif.Identifiers[0]; id.Kind != lexscreen.IDNational || id.Country.Code != "LY" {
		t.Errorf("Saif id = %+v", id)
	}
}

func TestCSVSourceAndAttributes(t *testing.T) {
	data := "ID,Name,Type,Source,Risk Level\n1,ACME Trading LLC,Entity,bank-internal,high\n2,John Doe,,bank-internal,\n"
	meta, got := parse(t, FormatCSV, memFile("internal.csv", data))
	if meta.Source != "bank-internal" || got[0].ID != "bank-internal:1" || got[0].Schema != lexscreen.SchemaOrganization {
		t.Errorf("meta %+v, entity %+v", meta, got[0])
	}
	if got[0].Attributes["risk_level"][0] != "high" || got[1].Schema != lexscreen.SchemaUnknown {
		t.Errorf("attributes %+v, schema %s", got[0].Attributes, got[1].Schema)
	}
	meta, got = parse(t, FormatCSV, memFile("My Watch List.csv", "id,name\n1,Jane Roe\n"))
	if meta.Source != "custom-my-watch-list" || got[0].ID != "custom-my-watch-list:1" {
		t.Errorf("default source: %+v %s", meta, got[0].ID)
	}
}

func TestJSONDocument(t *testing.T) {
	meta, got := parse(t, FormatJSON, source.OSFile("testdata/icc_warrants.json"))
	if meta.Source != "icc-warrants" || meta.Declared != 2 || meta.Version != "2025-01-15" {
		t.Errorf("Meta = %+v", meta)
	}
	if len(got) != 2 {
		t.Fatalf("got %d", len(got))
	}
	k := got[0]
	if k.ID != "icc-warrants:ICC-02/04-01/05" || !k.BirthDates[0].Circa || k.BirthDates[0].From.Precision() != "year" ||
		k.Nationalities[0].Name != "Uganda" || k.Designations[0].ListedOn.From.String() != "2005-07-08" {
		t.Errorf("Kony = %+v", k)
	}
	b := got[1]
	if b.Names[0].Kind != lexscreen.NamePrimary || b.Names[1].Script != "Arab" || b.Names[1].Lang != "ar" ||
		b.Nationalities[0].Code != "SD" || b.Identifiers[0].Kind != lexscreen.IDPassport || b.Identifiers[0].Country.Code != "SD" {
		t.Errorf("Bashir = %+v", b)
	}
}

func TestJSONLines(t *testing.T) {
	meta, got := parse(t, FormatJSON, source.OSFile("testdata/pep.jsonl"))
	if meta.Source != "bank-pep" || len(got) != 2 || got[1].ID != "bank-pep:pep-2" || got[1].Schema != lexscreen.SchemaOrganization {
		t.Fatalf("meta %+v got %+v", meta, got)
	}
	if got[0].BirthDates[0].String() != "1970..1971" || got[1].Countries[0].Code != "CY" || got[1].Names[1].Kind != lexscreen.NameWeakAlias {
		t.Errorf("entities = %+v %+v", got[0], got[1])
	}
}

func TestJSONLongLines(t *testing.T) {
	long := strings.Repeat("x", 100<<10)
	lines := `{"id":"1","names":[{"full":"A"}],"remarks":"` + long + `"}` + "\n" + `{"id":"2","names":[{"full":"B"}]}` + "\n"
	_, got := parse(t, FormatJSON, memFile("long.jsonl", lines))
	if len(got) != 2 || len(got[0].Remarks) != len(long) {
		t.Fatalf("JSON lines with a long line: %d entities", len(got))
	}
	doc := `{"source":"long-list","entities":[{"id":"1","names":[{"full":"A"}],"remarks":"` + long + `"}]}`
	meta, got := parse(t, FormatJSON, memFile("long.json", doc))
	if len(got) != 1 || meta.Source != "long-list" {
		t.Fatalf("long document: %d entities, %+v", len(got), meta)
	}
}

func TestErrors(t *testing.T) {
	doc := func(ents string) string { return `{"source":"icc-warrants","entities":[` + ents + `]}` }
	cases := []struct {
		name, file, data, want string
		f                      source.Format
	}{
		{"no id column", "a.csv", "name,dob\nX,1960\n", "no \"id\" column", FormatCSV},
		{"missing name", "a.csv", "id,name\n1,\n", "a.csv:2 (name): missing name", FormatCSV},
		{"missing id", "a.csv", "id,name\n,X\n", "a.csv:2 (id): missing id", FormatCSV},
		{"duplicate id", "a.csv", "id,name\n1,X\n2,Y\n1,Z\n", "a.csv:4 (id): duplicate id \"1\" (first on line 2)", FormatCSV},
		{"bad date", "a.csv", "# source: icc-warrants\nid,name,dob\n1,X,1960-13-01\n", "a.csv:3 (dob): invalid date", FormatCSV},
		{"bad date text", "a.csv", "id,name,dob\n1,X,31 Aug 1960\n", "(dob): invalid date \"31 Aug 1960\"", FormatCSV},
		{"reversed range", "a.csv", "id,name,dob\n1,X,1974..1973\n", "ends before it starts", FormatCSV},
		{"unknown schema", "a.csv", "id,name,schema\n1,X,dog\n", "(schema): unknown schema \"dog\"", FormatCSV},
		{"wrong columns", "a.csv", "id,name,dob\n1,X\n", "a.csv:2: row has 2 columns, want 3", FormatCSV},
		{"bad id number", "a.csv", "id,name,id_numbers\n1,X,X123\n", "(id_numbers): invalid identifier", FormatCSV},
		{"bad gender", "a.csv", "id,name,gender\n1,X,dog\n", "(gender): invalid gender", FormatCSV},
		{"official source", "a.csv", "# source: us-ofac-sdn\nid,name\n1,X\n", "official list", FormatCSV},
		{"bad source", "a.csv", "id,name,source\n1,X,ICC Warrants\n", "(source): source id \"ICC Warrants\"", FormatCSV},
		{"mixed source", "a.csv", "id,name,source\n1,X,a-list\n2,Y,b-list\n", "a.csv:3 (source)", FormatCSV},
		{"count", "a.csv", "# count: 3\nid,name\n1,X\n", "declares 3 entities, found 1", FormatCSV},
		{"quote", "a.csv", "id,name\n1,\"X\n", "a.csv:2", FormatCSV},
		{"empty csv", "a.csv", "", "empty file", FormatCSV},
		{"json truncated", "a.json", doc(`{"id":"1","names":[{"full":"X"}]}`)[:40], "truncated", FormatJSON},
		{"json missing name", "a.json", doc(`{"id":"1","names":[]}`), "(entities[0] id=1 names): missing", FormatJSON},
		{"json missing id", "a.json", doc(`{"names":[{"full":"X"}]}`), "(entities[0] id): missing id", FormatJSON},
		{"json duplicate", "a.json", doc(`{"id":"1","names":[{"full":"X"}]},{"id":"1","names":[{"full":"Y"}]}`), "entities[1] id=1): duplicate id \"1\" (first at entities[0])", FormatJSON},
		{"json bad date", "a.json", doc(`{"id":"1","names":[{"full":"X"}],"birth_dates":[{"from":"1960-02-30"}]}`), "entities[0] birth_dates", FormatJSON},
		{"json unknown schema", "a.json", doc(`{"id":"1","schema":"dog","names":[{"full":"X"}]}`), "entities[0] id=1 schema): unknown schema", FormatJSON},
		{"json unknown field", "a.json", doc(`{"id":"1","names":[{"full":"X"}],"birthdate":"1960"}`), "unknown field", FormatJSON},
		{"json bad kind", "a.json", doc(`{"id":"1","names":[{"full":"X","kind":"nick"}]}`), "names[0].kind", FormatJSON},
		{"json source after", "a.json", `{"entities":[],"source":"x-list"}`, "must come before", FormatJSON},
		{"json no entities", "a.json", `{"source":"x-list"}`, "no \"entities\"", FormatJSON},
		{"json garbage", "a.json", "\x00garbage", "a.json", FormatJSON},
		{"jsonl bad", "a.jsonl", "{\"id\":\"1\",\"names\":[{\"full\":\"X\"}]}\n{\"id\":\"2\",\"names\":[{\"full\":\"\"}]}\n", "a.jsonl:2 (id=2 names[0].full): empty name", FormatJSON},
		{"jsonl truncated", "a.jsonl", "{\"id\":\"1\",\"names\":[{\"full\":\"X\"}]}\n{\"id\":\"2\",\"names\":[{\"fu", "a.jsonl:2", FormatJSON},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.f.Parse(context.Background(), []source.File{memFile(c.file, c.data)}, func(*lexscreen.Entity) error { return nil })
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			var le *lexscreen.Error
			if !errors.As(err, &le) || le.Code != lexscreen.EINVALID || le.File != c.file {
				t.Errorf("not a located EINVALID error: %#v", err)
			}
		})
	}
}

func TestSniff(t *testing.T) {
	icc, _ := os.ReadFile("testdata/icc_warrants.csv")
	doc, _ := os.ReadFile("testdata/icc_warrants.json")
	lines, _ := os.ReadFile("testdata/pep.jsonl")
	cases := []struct {
		name      string
		head      string
		csv, json bool
	}{
		{"icc_warrants.csv", string(icc), true, false},
		{"icc.json", string(doc), false, true},
		{"pep.jsonl", string(lines), false, true},
		{"eu_csl.csv", "\xEF\xBB\xBFfileGenerationDate;Entity_LogicalId;Entity_EU_ReferenceNumber;NameAlias_WholeName\n", false, false},
		{"sdn.csv", "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- \n", false, false},
		{"consolidated.csv", "_id,source,entity_number,type,programs,name,title\n", false, false},
		{"entities.ftm.json", `{"id": "NK-1", "caption": "X", "schema": "Person", "properties": {"name": ["X"]}}` + "\n", false, false},
		{"entities.delta.json", `{"op":"ADD","entity":{"id":"x"}}`, false, false},
		{"index.json", `{"datasets": [], "entities": 3}`, false, false},
		{"list.xml", "<id>name</id>", false, false},
	}
	for _, c := range cases {
		if got := FormatCSV.Sniff(c.name, []byte(c.head)); got != c.csv {
			t.Errorf("csv Sniff(%s) = %v", c.name, got)
		}
		if got := FormatJSON.Sniff(c.name, []byte(c.head)); got != c.json {
			t.Errorf("json Sniff(%s) = %v", c.name, got)
		}
	}
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{"1960": "1960", "1960-08": "1960-08", "1960-08-31": "1960-08-31", "~1951": "~1951", "1973..1974": "1973..1974", "~1950..1955": "~1950..1955"} {
		v, err := ParseDate(in)
		if err != nil || v.String() != want {
			t.Errorf("ParseDate(%q) = %q, %v", in, v.String(), err)
		}
	}
	for _, in := range []string{"", "60", "1960-8", "1960-02-30", "circa 1960", "1960-08-31T00:00", "1974..1973"} {
		if v, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) = %q, want error", in, v.String())
		}
	}
}

func TestCheckSourceID(t *testing.T) {
	for id, ok := range map[string]bool{"icc-warrants": true, "bank-pep-2025": true, "un-sc": false, "ftm-eu-fsf": false, "ICC": false, "-x": false, "a": false} {
		if err := CheckSourceID(id); (err == nil) != ok {
			t.Errorf("CheckSourceID(%q) = %v", id, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, p := range []string{"testdata/icc_warrants.csv", "testdata/icc_warrants.json", "testdata/pep.jsonl"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, c := range []struct {
			name string
			f    source.Format
		}{{"fuzz.csv", FormatCSV}, {"fuzz.json", FormatJSON}} {
			file := source.File{Name: c.name, Path: c.name, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
			seen := map[string]bool{}
			_, _ = c.f.Parse(context.Background(), []source.File{file}, func(e *lexscreen.Entity) error {
				if e.ID == "" || len(e.Names) == 0 || seen[e.ID] {
					t.Fatalf("invalid entity emitted: %+v", e)
				}
				seen[e.ID] = true
				return nil
			})
			c.f.Sniff(c.name, data)
		}
	})
}

// TestSharedNoSteal checks that no real official list file in the shared
// data folder is taken by the custom or FtM formats, and that the custom
// formats leave the real FtM files alone.
func TestSharedNoSteal(t *testing.T) {
	sharedtest.Path(t, "data", "lists")
	dir := filepath.Join(sharedtest.Root(), "data")
	checked := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fh, err := os.Open(p)
		if err != nil {
			return err
		}
		head := make([]byte, 8192)
		n, _ := io.ReadFull(fh, head)
		fh.Close()
		head = head[:n]
		inFtM := strings.Contains(filepath.ToSlash(p), "/ftm/")
		formats := []source.Format{FormatCSV, FormatJSON}
		if !inFtM {
			formats = append(formats, ftm.FormatJSON, ftm.FormatDelta)
		}
		for _, f := range formats {
			if f.Sniff(d.Name(), head) {
				t.Errorf("%s sniffs %s", f.ID, p)
			}
		}
		checked++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d files checked", checked)
}
