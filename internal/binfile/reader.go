package binfile

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"unsafe"
)

// Reader reads the data of a file Open checked. Its first error sticks:
// every read after it returns zero values, and Err reports it, so a
// decoder may read a whole section and check once.
type Reader struct {
	data   []byte
	off    int
	base   int
	strtab string
	err    error
	// release, when set, lets go of pages of a mapped file (see
	// OpenReleasing and Release).
	release func(part []byte)
}

// Release tells the Reader that the caller is done with part of its data
// for now (it has checked it): the pages of a mapped file leave the
// process's resident memory, and are read again if used. It does nothing
// for a file that is not mapped.
func (r *Reader) Release(part []byte) {
	if r.release != nil && len(part) > 0 {
		r.release(part)
	}
}

// ReleaseStrings releases the string table (see Release).
func (r *Reader) ReleaseStrings() {
	if len(r.strtab) > 0 {
		r.Release(unsafe.Slice(unsafe.StringData(r.strtab), len(r.strtab)))
	}
}

// Err returns the first error met, or nil.
func (r *Reader) Err() error { return r.err }

// Fail records an error found by the caller (a value out of range); the
// first error sticks.
func (r *Reader) Fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s (at byte %d)", ErrCorrupt, fmt.Sprintf(format, args...), r.off)
	}
}

// Done fails unless every byte of the data was read.
func (r *Reader) Done() error {
	if r.err == nil && r.off != len(r.data) {
		r.Fail("%d bytes left unread", len(r.data)-r.off)
	}
	return r.err
}

// Uvarint reads an unsigned number.
func (r *Reader) Uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.data[r.off:])
	if n <= 0 {
		r.Fail("bad number")
		return 0
	}
	r.off += n
	return v
}

// Varint reads a signed number.
func (r *Reader) Varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.data[r.off:])
	if n <= 0 {
		r.Fail("bad number")
		return 0
	}
	r.off += n
	return v
}

// Int reads a signed number that must fit an int32.
func (r *Reader) Int() int {
	v := r.Varint()
	if v < -1<<31 || v >= 1<<31 {
		r.Fail("number %d out of range", v)
		return 0
	}
	return int(v)
}

// Below reads a number that must be less than n (an index into
// something of n items).
func (r *Reader) Below(n int) int {
	v := r.Uvarint()
	if r.err == nil && v >= uint64(n) {
		r.Fail("index %d out of range (%d)", v, n)
		return 0
	}
	return int(v)
}

// Count reads a count of items of at least minSize bytes each, failing
// when the data left cannot hold that many (so that a corrupt count never
// makes a huge allocation).
func (r *Reader) Count(minSize int) int {
	n := r.Uvarint()
	if r.err != nil {
		return 0
	}
	if minSize < 1 {
		minSize = 1
	}
	if n > uint64(len(r.data)-r.off)/uint64(minSize) {
		r.Fail("count %d exceeds the data left", n)
		return 0
	}
	return int(n)
}

// Bool reads a boolean.
func (r *Reader) Bool() bool {
	if r.err != nil {
		return false
	}
	if r.off >= len(r.data) || r.data[r.off] > 1 {
		r.Fail("bad boolean")
		return false
	}
	r.off++
	return r.data[r.off-1] == 1
}

// Uint32 reads a fixed-width number.
func (r *Reader) Uint32() uint32 {
	if r.err != nil {
		return 0
	}
	if len(r.data)-r.off < 4 {
		r.Fail("truncated")
		return 0
	}
	r.off += 4
	return binary.LittleEndian.Uint32(r.data[r.off-4:])
}

// String reads a string of the string table (no copy).
func (r *Reader) String() string {
	off, n := r.Uvarint(), r.Uvarint()
	if r.err != nil {
		return ""
	}
	if off > uint64(len(r.strtab)) || n > uint64(len(r.strtab))-off {
		r.Fail("string out of the table")
		return ""
	}
	return r.strtab[off : off+n]
}

// Len reads what Writer.Len wrote: the length, and whether the slice or
// map was nil. Each item is at least minSize bytes (see Count).
func (r *Reader) Len(minSize int) (n int, isNil bool) {
	v := r.Uvarint()
	if r.err != nil || v == 0 {
		return 0, true
	}
	if v-1 > uint64(len(r.data)-r.off)/uint64(max(minSize, 1)) {
		r.Fail("length %d exceeds the data left", v-1)
		return 0, true
	}
	return int(v - 1), false
}

// Strings reads what Writer.Strings wrote.
func (r *Reader) Strings() []string {
	n, isNil := r.Len(2)
	if isNil {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.String()
	}
	return out
}

// fixed reads a count and steps over that many items of size bytes,
// 8-aligned, returning the bytes.
func (r *Reader) fixed(size int) []byte {
	n := r.Uvarint()
	if r.err != nil {
		return nil
	}
	r.off = r.base + (r.off-r.base+7)&^7
	if r.off > len(r.data) || n > uint64(len(r.data)-r.off)/uint64(size) {
		r.Fail("array of %d exceeds the data left", n)
		return nil
	}
	b := r.data[r.off : r.off+int(n)*size]
	r.off += int(n) * size
	return b
}

// inPlace reports whether b may be read as an array of size-byte numbers
// where it lies: a little-endian machine and b aligned.
func inPlace(b []byte, size int) bool {
	return littleEndian && len(b) > 0 && uintptr(unsafe.Pointer(&b[0]))%uintptr(size) == 0
}

var littleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// Uint64s reads what Writer.Uint64s wrote, in place when it can.
func (r *Reader) Uint64s() []uint64 {
	b := r.fixed(8)
	if len(b) == 0 {
		return nil
	}
	if inPlace(b, 8) {
		return unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), len(b)/8)
	}
	out := make([]uint64, len(b)/8)
	for i := range out {
		out[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return out
}

// Uint32s reads what Writer.Uint32s wrote, in place when it can.
func (r *Reader) Uint32s() []uint32 {
	b := r.fixed(4)
	if len(b) == 0 {
		return nil
	}
	if inPlace(b, 4) {
		return unsafe.Slice((*uint32)(unsafe.Pointer(&b[0])), len(b)/4)
	}
	out := make([]uint32, len(b)/4)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return out
}

// Uint16s reads what Writer.Uint16s wrote, in place when it can.
func (r *Reader) Uint16s() []uint16 {
	b := r.fixed(2)
	if len(b) == 0 {
		return nil
	}
	if inPlace(b, 2) {
		return unsafe.Slice((*uint16)(unsafe.Pointer(&b[0])), len(b)/2)
	}
	out := make([]uint16, len(b)/2)
	for i := range out {
		out[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return out
}

// StringAt returns the string of the table at off, n bytes (a reference
// Writer.StringRefs wrote), and whether it lies within the table.
func (r *Reader) StringAt(off, n uint32) (string, bool) {
	if uint64(off)+uint64(n) > uint64(len(r.strtab)) {
		return "", false
	}
	return r.strtab[off : off+n], true
}

// Records reads what Writer.Records wrote: the records' offsets and the
// bytes holding them, in place. The offsets are checked (ascending,
// within the bytes); the records are not read (see Record).
func (r *Reader) Records() (offs []uint64, recs []byte) {
	offs = r.Uint64s()
	n := r.Uvarint()
	if r.err != nil {
		return nil, nil
	}
	if len(offs) == 0 || n > uint64(len(r.data)-r.off) {
		r.Fail("records of %d bytes exceed the data left", n)
		return nil, nil
	}
	recs = r.data[r.off : r.off+int(n)]
	r.off += int(n)
	if offs[0] != 0 || offs[len(offs)-1] != n {
		r.Fail("records from %d to %d in %d bytes", offs[0], offs[len(offs)-1], n)
		return nil, nil
	}
	for i := 1; i < len(offs); i++ {
		if offs[i] < offs[i-1] {
			r.Fail("record %d ends before it starts", i-1)
			return nil, nil
		}
	}
	r.Release(unsafe.Slice((*byte)(unsafe.Pointer(&offs[0])), 8*len(offs)))
	return offs, recs
}

// Record returns a Reader of one record of the bytes Records returned,
// reading strings from r's table.
func (r *Reader) Record(rec []byte) *Reader {
	return &Reader{data: rec, strtab: r.strtab, release: r.release}
}

// Reset makes r a Reader of rec, as Record would (without an allocation,
// for a loop over many records).
func (r *Reader) Reset(rec []byte) { *r = Reader{data: rec, strtab: r.strtab, release: r.release} }

// SkipString steps over a string, checking it.
func (r *Reader) SkipString() { _ = r.String() }

// SkipStrings steps over what Writer.Strings wrote, checking it, without
// making the slice.
func (r *Reader) SkipStrings() {
	n, _ := r.Len(2)
	for range n {
		r.SkipString()
	}
}

// SkipDesignations steps over what Writer.Designations wrote, checking
// it, without making the slice.
func (r *Reader) SkipDesignations() {
	n, _ := r.Len(8)
	for range n {
		r.SkipString()
		r.SkipString()
		r.SkipString()
		r.SkipString()
		r.Date()
		r.SkipString()
		r.SkipStrings()
		r.SkipString()
	}
}

// Keys are sorted, distinct strings of the string table, read in place
// (what Writer.StringRefs wrote of such strings), for lookups by binary
// search.
type Keys struct {
	refs []uint32
	r    *Reader
}

// Keys reads what Writer.StringRefs wrote, failing unless every string
// is within the table and each is greater than the one before.
func (r *Reader) Keys() Keys {
	k := Keys{refs: r.Uint32s(), r: r}
	if r.err != nil {
		return Keys{}
	}
	if len(k.refs)%2 != 0 {
		r.Fail("string references of %d numbers", len(k.refs))
		return Keys{}
	}
	prev := ""
	for i := range k.Len() {
		s, ok := r.StringAt(k.refs[2*i], k.refs[2*i+1])
		if !ok || i > 0 && s <= prev {
			r.Fail("key %d out of the string table or out of order", i)
			return Keys{}
		}
		prev = s
		if i%(1<<16) == 1<<16-1 {
			// The keys are sorted, their strings anywhere in the table:
			// let go of the pages read every so often, not at the end.
			r.ReleaseStrings()
		}
	}
	r.releaseUint32s(k.refs)
	r.ReleaseStrings()
	return k
}

// releaseUint32s releases numbers read in place (see Release).
func (r *Reader) releaseUint32s(v []uint32) {
	if len(v) > 0 {
		r.Release(unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), 4*len(v)))
	}
}

// ReleaseUint32s releases numbers read in place with Uint32s once checked
// (see Release).
func (r *Reader) ReleaseUint32s(v []uint32) { r.releaseUint32s(v) }

// Len returns the number of keys.
func (k Keys) Len() int { return len(k.refs) / 2 }

// At returns key i.
func (k Keys) At(i int) string {
	s, _ := k.r.StringAt(k.refs[2*i], k.refs[2*i+1])
	return s
}

// Find returns the position of key, and whether it is there.
func (k Keys) Find(key string) (int, bool) {
	return sort.Find(k.Len(), func(i int) int { return strings.Compare(key, k.At(i)) })
}
