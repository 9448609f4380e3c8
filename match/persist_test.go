package match

import (
	"errors"
	"fmt"
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

// sameContents compares a built index with one read in place, record for
// record and key for key, through the accessors screening uses.
func sameContents(built, read *Index) error {
	if read.v == nil {
		return errors.New("the read index is not read in place")
	}
	if built.seed != read.seed || built.canonSeed != read.canonSeed || !reflect.DeepEqual(built.lists, read.lists) {
		return errors.New("seeds or lists differ")
	}
	if built.numEntities() != read.numEntities() || built.numNames() != read.numNames() || len(built.toks) != read.v.toks.len() {
		return fmt.Errorf("%d/%d entities, %d/%d names, %d/%d tokens", built.numEntities(), read.numEntities(),
			built.numNames(), read.numNames(), len(built.toks), read.v.toks.len())
	}
	for i := range built.entities {
		if !reflect.DeepEqual(&built.entities[i], read.entity(uint32(i))) {
			return fmt.Errorf("entity %d: %+v, read %+v", i, built.entities[i], *read.entity(uint32(i)))
		}
	}
	for i := range built.names {
		if !reflect.DeepEqual(&built.names[i], read.name(uint32(i))) {
			return fmt.Errorf("name %d: %+v, read %+v", i, built.names[i], *read.name(uint32(i)))
		}
	}
	for i := range built.toks {
		if !reflect.DeepEqual(&built.toks[i], read.tok(uint32(i))) || !reflect.DeepEqual(built.posting(uint32(i)), read.posting(uint32(i))) {
			return fmt.Errorf("token %d or its posting list differs", i)
		}
	}
	if !reflect.DeepEqual([]any{built.nameLen, built.nameRep, built.delKeys, built.delIDs, built.delBucket, built.delFilter},
		[]any{read.nameLen, read.nameRep, read.delKeys, read.delIDs, read.delBucket, read.delFilter}) {
		return errors.New("name lengths, representatives or the deletion index differ")
	}
	for k, id := range built.vocab {
		if got, ok := read.tokID(k); !ok || got != id {
			return fmt.Errorf("vocabulary %q: %d, read %d", k, id, got)
		}
	}
	for k, id := range built.byID {
		if got, ok := read.entityIndex(k); !ok || got != id {
			return fmt.Errorf("entity %q: %d, read %d", k, id, got)
		}
	}
	for _, m := range []struct {
		name  string
		built map[string][]uint32
		read  keyedLists
	}{{"phonetic", built.phon, read.v.phon}, {"skeleton", built.skel, read.v.skel}, {"canon", built.canon, read.v.canon}, {"identifier", built.ids, read.v.ids}} {
		if len(m.built) != m.read.keys.Len() {
			return fmt.Errorf("%s keys: %d, read %d", m.name, len(m.built), m.read.keys.Len())
		}
		for k, l := range m.built {
			if !reflect.DeepEqual(l, m.read.get(k)) {
				return fmt.Errorf("%s %q: %v, read %v", m.name, k, l, m.read.get(k))
			}
		}
	}
	if len(built.vocab) != read.v.vocab.keys.Len() || len(built.byID) != read.v.byID.keys.Len() || len(built.surnameWords) != read.v.surnames.Len() {
		return errors.New("vocabulary, entity ids or surnames: other counts")
	}
	for w := range built.surnameWords {
		if !read.surnameWord(w) {
			return fmt.Errorf("surname %q missing", w)
		}
	}
	if _, ok := read.tokID("no such token"); ok || read.surnameWord("no such surname") {
		return errors.New("a word not in the index is found")
	}
	return nil
}

// A decoded index is the built one, record for record, and screens alike:
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
		if err := sameContents(c.ix, got); err != nil {
			t.Fatalf("%s: decoded index differs from the built one: %v", c.name, err)
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
