package binfile

import (
	"encoding/binary"
	"errors"
	"testing"
)

// records writes three records and sorted keys, the way the persisted
// index does, and returns the file.
func recordsFile(keys []string) []byte {
	w := NewWriter()
	recs := [][]string{{"KHAN, Karim Asad Ahmad", "Kareem Khan"}, nil, {"SOTO VALDIVIA, Ramiro Esteban"}}
	w.Records(len(recs), func(i int, w *Writer) { w.Strings(recs[i]) })
	w.StringRefs(keys)
	return w.Bytes(7, "key")
}

// Records read back one by one, in any order; keys are found by binary
// search, and a string not among them is not.
func TestRecordsAndKeys(t *testing.T) {
	keys := []string{"eu-fsf:EU.1", "gb-ofsi:12", "un-sc:QDi.1", "us-ofac-sdn:52965"}
	_, r, err := Open(recordsFile(keys), 7)
	if err != nil {
		t.Fatal(err)
	}
	offs, recs := r.Records()
	k := r.Keys()
	if err := r.Done(); err != nil || len(offs) != 4 {
		t.Fatalf("%d offsets, %v", len(offs), err)
	}
	for i, want := range []int{1, 0, 2} {
		got := r.Record(recs[offs[2-i]:offs[3-i]]).Strings()
		if 2-i == 0 && (len(got) != 2 || got[1] != "Kareem Khan") || 2-i != 0 && len(got) != want {
			t.Errorf("record %d: %q", 2-i, got)
		}
	}
	for i, key := range keys {
		if j, ok := k.Find(key); !ok || j != i || k.At(j) != key {
			t.Errorf("%q at %d, %v; want %d", key, j, ok, i)
		}
	}
	for _, key := range []string{"", "eu-fsf", "zz", "un-sc:QDi.10"} {
		if _, ok := k.Find(key); ok {
			t.Errorf("%q found", key)
		}
	}
}

// Keys out of order, or a record table whose offsets go back, are refused
// (the checksum made to fit): a binary search over them would miss.
func TestRecordsAndKeysRefused(t *testing.T) {
	if _, r, err := Open(recordsFile([]string{"b", "a"}), 7); err != nil {
		t.Fatal(err)
	} else if r.Records(); r.Keys().Len() != 0 || !errors.Is(r.Err(), ErrCorrupt) {
		t.Errorf("unsorted keys: %v", r.Err())
	}
	if _, r, err := Open(recordsFile([]string{"a", "a"}), 7); err != nil {
		t.Fatal(err)
	} else if r.Records(); r.Keys().Len() != 0 || !errors.Is(r.Err(), ErrCorrupt) {
		t.Errorf("a key twice: %v", r.Err())
	}
	f := recordsFile([]string{"a"})
	_, r, _ := Open(f, 7)
	offs, _ := r.Records()
	// The second offset is the first record's end: make it lie beyond the
	// third's.
	for i := range f {
		if i+8 <= len(f) && binary.LittleEndian.Uint64(f[i:]) == offs[1] && binary.LittleEndian.Uint64(f[i+8:]) == offs[2] {
			binary.LittleEndian.PutUint64(f[i:], offs[3]+1)
			break
		}
	}
	Reseal(f)
	if _, r, err := Open(f, 7); err != nil {
		t.Fatal(err)
	} else if offs, _ := r.Records(); offs != nil || !errors.Is(r.Err(), ErrCorrupt) {
		t.Errorf("offsets out of order: %v", r.Err())
	}
}

// Release hands the caller's parts to the function OpenReleasing was
// given, for records read through Record too.
func TestRelease(t *testing.T) {
	released := 0
	_, r, err := OpenReleasing(recordsFile([]string{"a", "b"}), 7, func(part []byte) { released += len(part) })
	if err != nil {
		t.Fatal(err)
	}
	checked := released
	offs, recs := r.Records()
	r.Record(recs[offs[0]:offs[1]]).Release(recs)
	if released <= checked+len(recs) {
		t.Errorf("released %d bytes after the checksum's %d", released, checked)
	}
}
