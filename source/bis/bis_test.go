package bis

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

const excerpt = "testdata/dpl-excerpt.txt"

func parseBytes(t testing.TB, b []byte) ([]*lexscreen.Entity, int, error) {
	t.Helper()
	var out []*lexscreen.Entity
	n, err := parseReader(context.Background(), "dpl.txt", bytes.NewReader(b), func(e *lexscreen.Entity) error {
		out = append(out, e)
		return nil
	})
	return out, n, err
}

func TestExcerpt(t *testing.T) {
	var list []*lexscreen.Entity
	meta, err := FormatDPL.Parse(context.Background(), []source.File{source.OSFile(excerpt)}, func(e *lexscreen.Entity) error {
		list = append(list, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if meta.Source != SourceID {
		t.Fatalf("Meta.Source %q", meta.Source)
	}
	var ids []string
	m := map[string]*lexscreen.Entity{}
	for _, e := range list {
		ids = append(ids, strings.TrimPrefix(e.ID, "us-bis-dpl:"))
		m[e.ID] = e
		if e.Source != SourceID {
			t.Errorf("%s: source %q", e.ID, e.Source)
		}
	}
	want := "i-ash aaron-abraham-villa abdulah-al-nasser abdulamir-mahdi abel-hernandez-jr al-naser-airlines al-naser-airlines-2 " +
		"empresa-de-transporte-aerocargo-del-sur-s-a haydee-herrera i-ash-2 ihsan-medhat-sammy-elashi jin-zhongda"
	if got := strings.Join(ids, " "); got != want {
		t.Fatalf("ids\n got %s\nwant %s", got, want)
	}

	e := m["us-bis-dpl:abdulah-al-nasser"]
	if len(e.Addresses) != 2 || e.Addresses[1].Street != "908 AUDELIA ROAD, SUIE 200, PMB #245" || e.Addresses[1].City != "RICHARDSON" ||
		e.Addresses[1].Region != "TX" || e.Addresses[1].PostalCode != "75081" || e.Addresses[1].Country.Code != "US" {
		t.Errorf("addresses %+v", e.Addresses)
	}
	if len(e.Designations) != 1 {
		t.Fatalf("designations %+v", e.Designations)
	}
	d := e.Designations[0]
	if d.Authority != "US-BIS" || d.List != "Denied Persons List" || d.ListedOn.String() != "2002-03-04" || d.ListedOn.From.Precision() != "day" ||
		d.LegalBasis != "67 F.R. 56530 9/4/02 67 F.R. 10890 3/11/02 71 F.R. 38843 7/10/06" || d.Remarks != "Expires 2056-06-29" {
		t.Errorf("designation %+v", d)
	}
	if e.Attributes["expiration_date"][0] != "2056-06-29" || e.Attributes["action"][0] != "50 YEAR DENIAL" || e.Schema != lexscreen.SchemaUnknown {
		t.Errorf("attributes %v schema %s", e.Attributes, e.Schema)
	}

	// Two denial orders for one person: two designations, three addresses.
	h := m["us-bis-dpl:haydee-herrera"]
	if len(h.Designations) != 2 || h.Designations[1].ListedOn.String() != "2003-06-19" || len(h.Addresses) != 3 {
		t.Errorf("haydee %+v", h)
	}
	a := m["us-bis-dpl:al-naser-airlines"]
	if a.Schema != lexscreen.SchemaOrganization || len(a.Addresses) != 4 || a.Addresses[2].Country.Code != "AE" || a.Addresses[2].Full != "P.O. BOX 28360, DUBAI, AE" ||
		a.Designations[0].Remarks != "Expires 2022-11-09" {
		t.Errorf("al naser %+v", a)
	}
	if n := m["us-bis-dpl:al-naser-airlines-2"].Names[0].Full; n != "AL-NASER AIRLINES" {
		t.Errorf("al-naser name %q", n)
	}
	s := m["us-bis-dpl:ihsan-medhat-sammy-elashi"]
	if got := []string{s.Names[0].Full, s.Names[1].Full, string(s.Names[2].Kind) + ":" + s.Names[2].Full}; strings.Join(got, "|") != `IHSAN MEDHAT "SAMMY" ELASHI|IHSAN MEDHAT ELASHI|weak_alias:SAMMY` {
		t.Errorf("names %q", got)
	}
	if m["us-bis-dpl:empresa-de-transporte-aerocargo-del-sur-s-a"].Schema != lexscreen.SchemaOrganization {
		t.Error("S.A. not an organization")
	}
	if c := m["us-bis-dpl:abdulamir-mahdi"].Addresses[0]; c.City != "SCARBOROUGH, ONTARIO" || c.Country.Code != "CA" {
		t.Errorf("mahdi address %+v", c)
	}
}

func TestDeterministic(t *testing.T) {
	b, _ := os.ReadFile(excerpt)
	a1, n, err1 := parseBytes(t, b)
	a2, _, err2 := parseBytes(t, b)
	if err1 != nil || err2 != nil || n != 24 {
		t.Fatal(err1, err2, n)
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
	cut := strings.Index(s, "AVENIDA") + 10
	tests := []struct{ name, doc, want string }{
		{"truncated", s[:cut], "row 15"},
		{"short row", header + "\"X\"\t\"Y\"\n", "row 1: 2 columns, want 12"},
		{"wrong header", "a\tb\n1\t2\n", `missing column "name"`},
		{"csv not tsv", "Name,Street_Address,Effective_Date\nA,B,C\n", `missing column "name"`},
		{"garbage", "\x00\x01\x02", `missing column "name"`},
		{"empty", "", "empty file"},
		{"header only", header, "no data rows"},
		{"bad date", header + strings.Replace(s[len(header):strings.Index(s[len(header):], "\n")+len(header)+1], "06/19/2003", "2003-06-19", 1), "is not MM/DD/YYYY"},
		{"empty name", header + "\"\"" + strings.Repeat("\t\"\"", 11) + "\n", "empty name"},
	}
	for _, tc := range tests {
		_, _, err := parseBytes(t, []byte(tc.doc))
		sharedtest.LocatedError(t, tc.name, err, "dpl.txt", tc.want)
	}
}

func TestCancel(t *testing.T) {
	b, _ := os.ReadFile(excerpt)
	lines := strings.SplitAfter(string(b), "\n")
	var big strings.Builder
	big.WriteString(lines[0])
	for i := 0; i < 300; i++ {
		big.WriteString(lines[1])
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := parseReader(ctx, "dpl.txt", strings.NewReader(big.String()), func(*lexscreen.Entity) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestSniff(t *testing.T) {
	b, _ := os.ReadFile(excerpt)
	if !FormatDPL.Sniff("dpl.txt", b) {
		t.Error("excerpt not sniffed")
	}
	if !FormatDPL.Sniff("x.txt", []byte("Name\tStreet_Address\tCity\tState\tCountry\tPostal_Code\tEffective_Date\tExpiration_Date\tStandard_Order\tLast_Update\tAction\tFR_Citation\n")) {
		t.Error("unquoted header not sniffed")
	}
	for _, h := range []string{"_id,source,entity_number", "<data-set>", "Name,Street_Address,Effective_Date,FR_Citation"} {
		if FormatDPL.Sniff("x.txt", []byte(h)) {
			t.Errorf("sniffed %q", h)
		}
	}
}

// TestRealFile parses the whole published list when the shared data folder
// is present (see internal/sharedtest).
func TestRealFile(t *testing.T) {
	path := sharedtest.Path(t, "data/lists/us_bis_dpl/2022-09/dpl.txt")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	addrs := 0
	rows, err := parseReader(context.Background(), "dpl.txt", bytes.NewReader(b), func(e *lexscreen.Entity) error {
		if ids[e.ID] {
			t.Errorf("duplicate id %s", e.ID)
		}
		ids[e.ID] = true
		addrs += len(e.Addresses)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rows != 581 {
		t.Errorf("read %d rows, want 581 (README)", rows)
	}
	// 581 rows are 460 parties (rows of one party, one per address, are merged).
	if len(ids) != 460 {
		t.Errorf("parsed %d entities, want 460", len(ids))
	}
	if addrs != 579 { // 581 rows, two exact repeats of an address within a party
		t.Errorf("%d addresses", addrs)
	}
}

func FuzzParse(f *testing.F) {
	b, _ := os.ReadFile(excerpt)
	f.Add(b[:min(len(b), 3000)])
	f.Add([]byte("\"Name\"\t\"Effective_Date\"\n\"A \"\"B\"\" C\"\t\"13/45/2020\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		es, _, err := parseBytes(t, data)
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
