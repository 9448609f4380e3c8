package batchfile

import (
	"io"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/lexscreen/lexscreen"
)

func readAll(t *testing.T, name, data string, opts Options) ([]Row, Info) {
	t.Helper()
	r, err := New(name, []byte(data), opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	var rows []Row
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, row)
	}
	return rows, r.Info()
}

func TestFieldOf(t *testing.T) {
	for h, want := range map[string]Field{
		"Full Name": FieldName, "full_name": FieldName, "NAME": FieldName, " Customer Name ": FieldName,
		"Date of Birth": FieldDOB, "D.O.B.": FieldDOB, "birth_date": FieldDOB, "BirthDate": FieldDOB, "Year of birth": FieldDOB,
		"citizenship": FieldCountry, "Nationality": FieldCountry, "Country of Residence": FieldCountry,
		"Customer ID": FieldID, "ID": FieldID, "id number": FieldIdentifier, "Passport No.": FieldIdentifier,
		"First Name": FieldGiven, "Surname": FieldFamily, "Entity Type": FieldType, "Notes": "", "": "",
	} {
		if got := FieldOf(h); got != want {
			t.Errorf("FieldOf(%q) = %q, want %q", h, got, want)
		}
	}
}

func TestCSV(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		delim      string
		want       []lexscreen.Query
		ignored    []string
	}{
		{"comma", "id,name,dob,country\nc1,Karim Khan,1970,GB\n",
			",", []lexscreen.Query{{ID: "c1", Name: "Karim Khan", BirthDate: "1970", Countries: []string{"GB"}}}, nil},
		{"semicolon and synonyms", "Customer ID;Full Name;Date of Birth;Citizenship;Residence;Notes\nc1;Karim Khan;30.03.1970;GB;FR|DE;vip\n",
			";", []lexscreen.Query{{ID: "c1", Name: "Karim Khan", BirthDate: "30.03.1970", Countries: []string{"GB", "FR", "DE"}}}, []string{"Notes"}},
		{"tab, no id", "Name\tDOB\nKarim Khan\t~1970\n",
			"\t", []lexscreen.Query{{ID: "row-1", Name: "Karim Khan", BirthDate: "~1970"}}, nil},
		{"pipe, name parts", "First Name|Middle Name|Last Name|Type\nKarim|Asad Ahmad|Khan|individual\n",
			"|", []lexscreen.Query{{ID: "row-1", Name: "Karim Asad Ahmad Khan", Schema: lexscreen.SchemaPerson, Parts: []lexscreen.NamePart{
				{Kind: lexscreen.PartGiven, Value: "Karim"}, {Kind: lexscreen.PartMiddle, Value: "Asad Ahmad"}, {Kind: lexscreen.PartFamily, Value: "Khan"}}}}, nil},
		{"quoted commas", "name,country\n\"Khan, Karim\",\"Korea, Republic of\"\n",
			",", []lexscreen.Query{{ID: "row-1", Name: "Khan, Karim", Countries: []string{"Korea, Republic of"}}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, info := readAll(t, "x.csv", tc.data, Options{})
			if info.Delimiter != tc.delim {
				t.Errorf("delimiter %q, want %q", info.Delimiter, tc.delim)
			}
			var got []lexscreen.Query
			for _, r := range rows {
				if r.Err != nil {
					t.Errorf("row %d: %v", r.Seq, r.Err)
				}
				got = append(got, r.Query)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if !reflect.DeepEqual(info.Ignored, tc.ignored) {
				t.Errorf("ignored %v, want %v", info.Ignored, tc.ignored)
			}
		})
	}
}

// Every record is a row: an empty name and an unreadable record are rows
// with errors, in place, with their lines.
func TestCSVBadRows(t *testing.T) {
	rows, _ := readAll(t, "x.csv", "id,name\nc1,\nc2,Karim Khan\nc3,\"Merel West\nc4,Ingeborg\n", Options{})
	if len(rows) < 3 {
		t.Fatalf("%d rows", len(rows))
	}
	if rows[0].Err == nil || rows[0].Line != 2 || rows[0].Query.ID != "c1" {
		t.Errorf("row 1: %+v", rows[0])
	}
	if rows[1].Err != nil || rows[1].Query.Name != "Karim Khan" {
		t.Errorf("row 2: %+v", rows[1])
	}
	if rows[2].Err == nil || !strings.Contains(rows[2].Err.Message, "quote") || rows[2].Line != 4 {
		t.Errorf("row 3: %+v", rows[2])
	}
}

func TestNoNameColumn(t *testing.T) {
	_, err := New("x.csv", []byte("id,dob\n1,1970\n"), Options{})
	if err == nil || !strings.Contains(err.Error(), "no name column") {
		t.Errorf("err = %v", err)
	}
}

func TestEncodings(t *testing.T) {
	text := "name;country\nHéctor Avendaño;México\n"
	latin, _ := charmap.Windows1252.NewEncoder().String(text)
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(text)
	for _, tc := range []struct {
		name, data, enc, wantEnc string
		warn                     bool
	}{
		{"utf-8 with BOM", "\uFEFF" + text, "", "utf-8", false},
		{"windows-1252", latin, "", "windows-1252", true},
		{"windows-1252 asked", latin, "windows-1252", "windows-1252", false},
		{"utf-16 with BOM", utf16, "", "utf-16le", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, info := readAll(t, "x.csv", tc.data, Options{Encoding: tc.enc})
			if info.Encoding != tc.wantEnc || (len(info.Warnings) > 0) != tc.warn {
				t.Errorf("encoding %q warnings %v", info.Encoding, info.Warnings)
			}
			if len(rows) != 1 || rows[0].Query.Name != "Héctor Avendaño" || rows[0].Query.Countries[0] != "México" {
				t.Errorf("rows %+v", rows)
			}
		})
	}
	if _, err := New("x.csv", []byte(latin), Options{Encoding: "utf-8"}); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("utf-8 required: err = %v", err)
	}
}

func TestJSONLines(t *testing.T) {
	data := `{"id":"j1","name":"Karim Khan","dob":"1970","country":["GB","FR"]}` + "\n\n" +
		`not json` + "\n" +
		`{"Customer ID":12345678901234567,"Full Name":"Karim Khan","Date of Birth":1970,"Nationality":"GB","note":"x"}` + "\n" +
		`{"parts":[{"kind":"given","value":"Karim"},{"kind":"family","value":"Khan"}]}` + "\n" +
		`{"id":"j5"}` + "\n"
	rows, info := readAll(t, "x.jsonl", data, Options{})
	if len(rows) != 5 {
		t.Fatalf("%d rows, want 5", len(rows))
	}
	if q := rows[0].Query; q.ID != "j1" || q.BirthDate != "1970" || len(q.Countries) != 2 || rows[0].Line != 1 {
		t.Errorf("row 1: %+v", rows[0])
	}
	if rows[1].Err == nil || rows[1].Line != 3 {
		t.Errorf("row 2: %+v", rows[1])
	}
	if q := rows[2].Query; q.ID != "12345678901234567" || q.BirthDate != "1970" || q.Countries[0] != "GB" {
		t.Errorf("row 3: %+v", q)
	}
	if q := rows[3].Query; q.Name != "Karim Khan" || len(q.Parts) != 2 || rows[3].Err != nil {
		t.Errorf("row 4: %+v", rows[3])
	}
	if rows[4].Err == nil || rows[4].Query.ID != "j5" {
		t.Errorf("row 5 (no name): %+v", rows[4])
	}
	if !reflect.DeepEqual(info.Ignored, []string{"note"}) {
		t.Errorf("ignored %v", info.Ignored)
	}
}

// FuzzNew: any bytes give rows or a file-level error, never a panic; every
// row has an id; text is valid UTF-8; row numbers count up from 1.
func FuzzNew(f *testing.F) {
	f.Add("x.csv", []byte("id;Full Name;DOB\n1;Karim Khan;1970\n;;\n"))
	f.Add("x.jsonl", []byte(`{"name":"a","dob":[1970]}`+"\nnot json\n"))
	f.Add("x.csv", []byte("\xff\xfen\x00a\x00m\x00e\x00\n\x00"))
	f.Add("x.csv", []byte("name\n\"unclosed\nx\n"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		r, err := New(name, data, Options{})
		if err != nil {
			return
		}
		for want := 1; want < 10000; want++ {
			row, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if row.Seq != want || row.Query.ID == "" {
				t.Fatalf("row %+v, want seq %d with an id", row, want)
			}
			if !utf8.ValidString(row.Query.Name) {
				t.Fatalf("name %q is not UTF-8", row.Query.Name)
			}
			if row.Err == nil && strings.TrimSpace(row.Query.Name) == "" && len(row.Query.Identifiers) == 0 {
				t.Fatalf("row %d has nothing to screen and no error", row.Seq)
			}
		}
	})
}
