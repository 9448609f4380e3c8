package binfile

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// partsFile writes records, arrays and strings of many sizes, some larger
// than every part, as a persisted index does.
func partsFile() []byte {
	w := NewWriter()
	w.Uvarint(28825)
	w.Records(3000, func(i int, w *Writer) {
		w.String(fmt.Sprintf("us-ofac-sdn:%d", i))
		w.Strings([]string{"KHAN, Karim Asad Ahmad", strings.Repeat("x", i%97)})
		if i == 1234 {
			w.String(strings.Repeat("long remark ", 1000)) // larger than a part
		}
		w.Uint32(uint32(i))
		w.Bool(i%3 == 0)
	})
	u64 := make([]uint64, 20000)
	u32 := make([]uint32, 30000)
	u16 := make([]uint16, 50000)
	for i := range u64 {
		u64[i] = u64At(i)
	}
	for i := range u32 {
		u32[i] = uint32(i * 7)
	}
	for i := range u16 {
		u16[i] = uint16(i)
	}
	w.Uint16s(u16[:3]) // small, unaligned after it
	w.Uint64s(u64)
	w.Uvarint(5)
	w.Uint32s(u32)
	w.Uint16s(u16)
	w.Uint32s(u32[:10])
	w.Records(0, func(int, *Writer) {})
	keys := make([]string, 5000)
	for i := range keys {
		keys[i] = fmt.Sprintf("key %06d", i)
	}
	w.StringRefs(keys)
	w.Uint64s(nil)
	return w.Bytes(3, "parts")
}

// withParts runs fn with the Writer's part sizes set.
func withParts(array, record, strtab int, fn func()) {
	a, r, s := bigArray, recordPart, strtabPart
	defer func() { bigArray, recordPart, strtabPart = a, r, s }()
	bigArray, recordPart, strtabPart = array, record, strtab
	fn()
}

// The parts the Writer keeps its data and string table in do not show in
// the file: tiny parts, the default ones and one part for everything
// write the same bytes, which read back as written.
func TestPartsSameFile(t *testing.T) {
	var tiny, whole []byte
	withParts(16, 64, 32, func() { tiny = partsFile() })
	withParts(1<<40, 1<<40, 1<<40, func() { whole = partsFile() })
	def := partsFile()
	if !bytes.Equal(tiny, whole) || !bytes.Equal(def, whole) {
		t.Fatalf("files differ: %d, %d and %d bytes", len(tiny), len(def), len(whole))
	}
	_, r, err := Open(def, 3)
	if err != nil {
		t.Fatal(err)
	}
	if n := r.Uvarint(); n != 28825 {
		t.Errorf("first number %d", n)
	}
	offs, recs := r.Records()
	if len(offs) != 3001 {
		t.Fatalf("%d record offsets", len(offs))
	}
	for _, i := range []int{0, 96, 1234, 2999} {
		rr := r.Record(recs[offs[i]:offs[i+1]])
		id, names := rr.String(), rr.Strings()
		if i == 1234 && !strings.HasPrefix(rr.String(), "long remark long") {
			t.Errorf("record %d: long string lost", i)
		}
		if n, third := rr.Uint32(), rr.Bool(); id != fmt.Sprintf("us-ofac-sdn:%d", i) || len(names) != 2 || len(names[1]) != i%97 || n != uint32(i) || third != (i%3 == 0) {
			t.Errorf("record %d: %q %q %d %v", i, id, names, n, third)
		}
		if err := rr.Done(); err != nil {
			t.Errorf("record %d: %v", i, err)
		}
	}
	if v := r.Uint16s(); !slices.Equal(v, []uint16{0, 1, 2}) {
		t.Errorf("small array %v", v)
	}
	if v := r.Uint64s(); len(v) != 20000 || v[19999] != u64At(19999) {
		t.Errorf("uint64s: %d", len(v))
	}
	if n := r.Uvarint(); n != 5 {
		t.Errorf("number %d", n)
	}
	if v := r.Uint32s(); len(v) != 30000 || v[29999] != 29999*7 {
		t.Errorf("uint32s: %d", len(v))
	}
	if v := r.Uint16s(); len(v) != 50000 || v[49999] != 49999 {
		t.Errorf("uint16s: %d", len(v))
	}
	if v := r.Uint32s(); len(v) != 10 {
		t.Errorf("uint32s: %d", len(v))
	}
	if offs, _ := r.Records(); len(offs) != 1 {
		t.Errorf("no records: %d offsets", len(offs))
	}
	k := r.Keys()
	if j, ok := k.Find("key 004321"); !ok || j != 4321 || k.Len() != 5000 {
		t.Errorf("key: %d %v of %d", j, ok, k.Len())
	}
	if v := r.Uint64s(); len(v) != 0 {
		t.Errorf("empty array: %d", len(v))
	}
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
}

// u64At is the i-th number of partsFile's uint64 array.
func u64At(i int) uint64 { return uint64(i) * 0x9e3779b97f4a7c15 }
