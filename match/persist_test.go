package match

import (
	"errors"
	"reflect"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/internal/binfile"
)

// roundTrip encodes ix into a whole file and reads it back.
func roundTrip(t testing.TB, ix *Index) (*Index, []byte) {
	t.Helper()
	w := binfile.NewWriter()
	ix.Encode(w)
	file := w.Bytes(FormatVersion, "test key")
	key, r, err := binfile.Open(file, FormatVersion)
	if err != nil || key != "test key" {
		t.Fatalf("open: key %q, %v", key, err)
	}
	got, err := DecodeIndex(r, ix.lists)
	if err == nil {
		err = r.Done()
	}
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return got, file
}

// attrsIndex is a small index with what the bundled lists lack: kept
// attributes, identifiers, designations with dates, birth dates.
func attrsIndex() *Index {
	b := NewBuilder([]lexscreen.ListVersion{{Source: "test", Version: "1", Published: "2025-01-02", AgeDays: 3, Snapshot: 9}})
	b.KeepAttributes("warrant_status")
	d, _ := lexscreen.ParseISODate("1970-03")
	b.Add(&lexscreen.Entity{ID: "t:1", Source: "test", Schema: lexscreen.SchemaPerson,
		Names:         []lexscreen.Name{{Full: "KHAN, Karim Asad Ahmad", Kind: lexscreen.NamePrimary}, {Full: "Kareem Khan", Kind: lexscreen.NameWeakAlias}},
		BirthDates:    []lexscreen.DateValue{{From: d, Circa: true, Text: "circa March 1970"}},
		Designations:  []lexscreen.Designation{{Authority: "US-OFAC", List: "SDN", Program: "ICC-EO14203", ListedOn: lexscreen.DateValue{From: d}, Measures: []string{"Block"}, Remarks: "dropped"}},
		Identifiers:   []lexscreen.Identifier{{Kind: lexscreen.IDPassport, Number: "AB 123456"}},
		Attributes:    map[string][]string{"warrant_status": {"issued"}, "other": {"not kept"}},
		Nationalities: []lexscreen.Country{{Code: "GB"}}})
	b.Add(&lexscreen.Entity{ID: "t:2", Source: "test", Schema: lexscreen.SchemaVessel,
		Names:       []lexscreen.Name{{Full: "M/V FORTUNE STAR", Kind: lexscreen.NamePrimary}},
		Identifiers: []lexscreen.Identifier{{Kind: lexscreen.IDIMO, Number: "IMO 9929429"}}})
	return b.Build()
}

// A decoded index is the built one, field for field, and screens alike:
// the same matches, scores, ids and explanations.
func TestPersistRoundTrip(t *testing.T) {
	bundled, es := bundledIndex(t)
	for _, c := range []struct {
		name string
		ix   *Index
		qs   []lexscreen.Query
	}{
		{"attrs", attrsIndex(), []lexscreen.Query{{Name: "Karim Khan", BirthDate: "1970"}, {Name: "Kareem Asad Khan", Countries: []string{"GB"}},
			{Name: "unknown", Identifiers: []string{"AB123456"}}, {Name: "Fortune Star", Schema: lexscreen.SchemaVessel}, {Name: "x", Identifiers: []string{"9929429"}}}},
		{"bundled", bundled, append(benchQueries(es, 300),
			lexscreen.Query{Name: "Karim Khan", Schema: lexscreen.SchemaPerson, BirthDate: "1970-03-30", Countries: []string{"GB"}},
			lexscreen.Query{Name: "谢尔盖·拉夫罗夫"}, lexscreen.Query{Name: "ROSTELEKOM LIMIHED"}, lexscreen.Query{Name: "Dzhavad Darvish Vand"})},
	} {
		got, _ := roundTrip(t, c.ix)
		if !reflect.DeepEqual(got, c.ix) {
			t.Fatalf("%s: decoded index differs from the built one", c.name)
		}
		built, read := New(c.ix), New(got)
		matches := 0
		for _, q := range c.qs {
			want, err1 := built.ScreenWith(q, Options{Threshold: 0.5})
			have, err2 := read.ScreenWith(q, Options{Threshold: 0.5})
			if !reflect.DeepEqual(want, have) || !reflect.DeepEqual(err1, err2) {
				t.Errorf("%s: %q screens differently: built %+v, read %+v", c.name, q.Name, want, have)
			}
			matches += len(want)
		}
		if matches < len(c.qs)/2 {
			t.Errorf("%s: only %d matches for %d queries: the comparison proves little", c.name, matches, len(c.qs))
		}
		for _, id := range []string{"t:1", "us-ofac-sdn:52965"} {
			if !reflect.DeepEqual(c.ix.Attributes(id), got.Attributes(id)) || !reflect.DeepEqual(c.ix.Countries(id), got.Countries(id)) {
				t.Errorf("%s: %s: attributes or countries differ", c.name, id)
			}
		}
	}
}

// A damaged file is refused whole: by its checksum, or, when the checksum
// was made to fit, by the decoder's checks; never a panic, never an index.
func TestPersistRejectsDamage(t *testing.T) {
	_, file := roundTrip(t, attrsIndex())
	decode := func(f []byte) error {
		_, r, err := binfile.Open(f, FormatVersion)
		if err != nil {
			return err
		}
		if _, err = DecodeIndex(r, nil); err != nil {
			return err
		}
		return r.Done()
	}
	for _, c := range []struct {
		name   string
		damage func(f []byte) []byte
		want   error
	}{
		{"a flipped bit", func(f []byte) []byte { f[len(f)/2] ^= 4; return f }, binfile.ErrCorrupt},
		{"truncated", func(f []byte) []byte { return f[:len(f)-9] }, binfile.ErrCorrupt},
		{"empty", func(f []byte) []byte { return nil }, binfile.ErrCorrupt},
		{"another format version", func(f []byte) []byte { f[8]++; return f }, binfile.ErrVersion},
		{"trailing bytes, resealed", func(f []byte) []byte { f = append(f, 0, 0, 0); binfile.Reseal(f); return f }, binfile.ErrCorrupt},
		{"cut short, resealed", func(f []byte) []byte { f = f[:len(f)-100]; binfile.Reseal(f); return f }, binfile.ErrCorrupt},
	} {
		f := c.damage(append([]byte(nil), file...))
		if err := decode(f); !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
	if err := decode(file); err != nil {
		t.Errorf("undamaged file: %v", err)
	}
}

// FuzzIndexDecode: whatever the bytes (the checksum made to fit), the
// decoder never panics, and an index it accepts can be screened.
func FuzzIndexDecode(f *testing.F) {
	_, small := roundTrip(f, attrsIndex())
	_, pad := roundTrip(f, smallIndex(listedPerson("t:soto", "SOTO VALDIVIA, Ramiro Esteban", "1971-05-02", "MX")))
	f.Add(small)
	f.Add(pad)
	f.Add([]byte("LXBIN\x00\x00\x01"))
	f.Fuzz(func(t *testing.T, file []byte) {
		file = append([]byte(nil), file...)
		binfile.Reseal(file)
		_, r, err := binfile.Open(file, FormatVersion)
		if err != nil {
			return
		}
		ix, err := DecodeIndex(r, nil)
		if err != nil {
			if ix != nil {
				t.Fatal("an index with an error")
			}
			return
		}
		m := New(ix)
		for _, q := range []string{"Karim Khan", "Soto Valdivia", "Fortune Star", "John Smith"} {
			m.Screen(lexscreen.Query{Name: q})
		}
	})
}
