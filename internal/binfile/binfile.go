// Package binfile writes and reads the versioned, checksummed binary files
// lexscreen keeps beside its store (the persisted matcher index). A file is
//
//	magic "LXBIN\x00\x00\x01" | format version u32 | crc32c u32 | rest length u64 | rest
//
// and rest is: the key (what the file was built from) | the string table |
// the data, each 8-byte aligned from the start of the file, so that arrays
// of fixed-width numbers can be used in place when the file is mapped. The
// checksum covers all of rest. Open refuses a file whose magic, version,
// length or checksum is wrong: nothing of it is read then.
package binfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"slices"
	"unsafe"
)

// magic starts every file.
const magic = "LXBIN\x00\x00\x01"

// headerLen is the length of the fixed header (magic, version, checksum,
// rest length).
const headerLen = 24

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrCorrupt is wrapped by every error that says a file is not one this
// package wrote whole (bad magic, length, checksum or contents).
var ErrCorrupt = errors.New("corrupt or truncated file")

// ErrVersion is wrapped by the error of Open when the file has another
// format version.
var ErrVersion = errors.New("other format version")

// Writer builds the key, string table and data of a file in memory.
type Writer struct {
	data []byte
	// done are the data written before data, kept apart rather than
	// copied into one ever-growing slice (records of a large index are
	// hundreds of megabytes); doneLen is their length.
	done    [][]byte
	doneLen int
	pool    *stringPool
}

// Parts of a Writer's data: an array of fixed-width numbers of bigArray
// bytes or more is a part of its own, and records are kept in parts of
// up to about recordPart bytes, so that what is written is never copied as the
// data grow (a part's slice is made once, at its size). Variables only
// so that a test can make every part tiny or the whole data one part: the
// file is the same either way.
var (
	bigArray   = 64 << 10
	recordPart = 1 << 20
)

// stringPool is the string table of a file, shared by the writers of its
// records (Records).
type stringPool struct {
	// The table is strtab after the parts of strDone (strDoneLen
	// bytes), kept apart rather than copied as the table grows.
	strtab     []byte
	strDone    [][]byte
	strDoneLen int
	intern     map[string]uint32
	err        error
}

// strtabPart is the largest size of a part of the string table (they
// start small and double); a variable for the tests, as bigArray.
var strtabPart = 256 << 10

// spill keeps the data so far as a part; what comes next starts anew.
func (w *Writer) spill() {
	w.addPart(w.data)
	w.data = nil
}

// addPart keeps p as the next part of the data.
func (w *Writer) addPart(p []byte) {
	if len(p) > 0 {
		w.done = append(w.done, p)
		w.doneLen += len(p)
	}
}

// arrayDst returns the slice to append an array of n bytes to: data, or
// for a large array a slice of its own (the data so far kept as a part).
// Hand it back, filled, to endArray.
func (w *Writer) arrayDst(n int) []byte {
	if n < bigArray {
		return slices.Grow(w.data, n)
	}
	w.spill()
	return make([]byte, 0, n)
}

// endArray keeps an array appended to arrayDst's slice.
func (w *Writer) endArray(b []byte) {
	if len(b) >= bigArray && len(w.data) == 0 {
		w.addPart(b)
		return
	}
	w.data = b
}

// NewWriter returns an empty Writer.
func NewWriter() *Writer { return &Writer{pool: &stringPool{intern: map[string]uint32{}}} }

// Fail records an error that makes WriteTo fail (the first sticks).
func (w *Writer) Fail(err error) {
	if w.pool.err == nil {
		w.pool.err = err
	}
}

// ref returns the offset of s in the string table, adding it once.
func (w *Writer) ref(s string) uint32 {
	p := w.pool
	off, ok := p.intern[s]
	if !ok {
		if uint64(p.strDoneLen)+uint64(len(p.strtab))+uint64(len(s)) > math.MaxUint32 {
			w.Fail(fmt.Errorf("string table over 4 GiB"))
			return 0
		}
		if len(p.strtab)+len(s) > cap(p.strtab) {
			if len(p.strtab) > 0 {
				p.strDone = append(p.strDone, p.strtab)
				p.strDoneLen += len(p.strtab)
			}
			p.strtab = make([]byte, 0, max(len(s), 4<<10, min(2*cap(p.strtab), strtabPart)))
		}
		off = uint32(p.strDoneLen + len(p.strtab))
		p.strtab = append(p.strtab, s...)
		p.intern[s] = off
	}
	return off
}

// Uvarint appends an unsigned number.
func (w *Writer) Uvarint(v uint64) { w.data = binary.AppendUvarint(w.data, v) }

// Varint appends a signed number.
func (w *Writer) Varint(v int64) { w.data = binary.AppendVarint(w.data, v) }

// Len appends the length of a slice or map, telling nil from empty (read
// it with Reader.Len).
func (w *Writer) Len(isNil bool, n int) {
	if isNil {
		w.Uvarint(0)
	} else {
		w.Uvarint(uint64(n) + 1)
	}
}

// Bool appends a boolean as one byte.
func (w *Writer) Bool(b bool) {
	if b {
		w.data = append(w.data, 1)
	} else {
		w.data = append(w.data, 0)
	}
}

// Uint32 appends a fixed-width number (a float's bits, say).
func (w *Writer) Uint32(v uint32) { w.data = binary.LittleEndian.AppendUint32(w.data, v) }

// String appends a string, kept once in the string table however often it
// is written.
func (w *Writer) String(s string) {
	w.Uvarint(uint64(w.ref(s)))
	w.Uvarint(uint64(len(s)))
}

// StringRefs appends, for use in place, the table offset and length of
// each string: two uint32 per string (read them with Reader.StringAt).
func (w *Writer) StringRefs(ss []string) {
	v := make([]uint32, 0, 2*len(ss))
	for _, s := range ss {
		v = append(v, w.ref(s), uint32(len(s)))
	}
	w.Uint32s(v)
}

// Records appends n records, record i written by enc, after a table of
// their offsets, so that a reader can read any one without those before
// it (Reader.Records).
func (w *Writer) Records(n int, enc func(i int, w *Writer)) {
	rw := &Writer{pool: w.pool}
	offs := make([]uint64, n+1)
	// Parts start small (a small file stays small) and double.
	size := 4 << 10
	for i := range n {
		if len(rw.data) >= cap(rw.data)-cap(rw.data)/16 {
			rw.spill()
			rw.data = make([]byte, 0, size)
			size = min(2*size, recordPart)
		}
		offs[i] = uint64(rw.doneLen + len(rw.data))
		enc(i, rw)
	}
	offs[n] = uint64(rw.doneLen + len(rw.data))
	w.Uint64s(offs)
	w.Uvarint(offs[n])
	w.spill()
	for _, p := range rw.done {
		w.addPart(p)
	}
	w.addPart(rw.data)
}

// SizeHint tells the Writer about how many distinct strings it will be
// given (a million-entity index: millions), so that its table of them
// is made once, not grown again and again.
func (w *Writer) SizeHint(strings int) {
	if len(w.pool.intern) == 0 && strings > 0 {
		w.pool.intern = make(map[string]uint32, strings)
	}
}

// Strings appends the strings, telling a nil slice from an empty one.
func (w *Writer) Strings(ss []string) {
	w.Len(ss == nil, len(ss))
	for _, s := range ss {
		w.String(s)
	}
}

// align pads the data to a multiple of 8 bytes (the data starts 8-aligned
// in the file).
func (w *Writer) align() {
	for (w.doneLen+len(w.data))%8 != 0 {
		w.data = append(w.data, 0)
	}
}

// Uint64s appends a count and the numbers, 8-aligned, for use in place.
func (w *Writer) Uint64s(v []uint64) {
	w.Uvarint(uint64(len(v)))
	w.align()
	b := w.arrayDst(8 * len(v))
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, x)
	}
	w.endArray(b)
}

// Uint32s appends a count and the numbers, 8-aligned, for use in place.
func (w *Writer) Uint32s(v []uint32) {
	w.Uvarint(uint64(len(v)))
	w.align()
	b := w.arrayDst(4 * len(v))
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, x)
	}
	w.endArray(b)
}

// Uint16s appends a count and the numbers, 8-aligned, for use in place.
func (w *Writer) Uint16s(v []uint16) {
	w.Uvarint(uint64(len(v)))
	w.align()
	b := w.arrayDst(2 * len(v))
	for _, x := range v {
		b = binary.LittleEndian.AppendUint16(b, x)
	}
	w.endArray(b)
}

// Bytes returns the whole file: header, key, string table and data.
func (w *Writer) Bytes(version uint32, key string) []byte {
	var b bytes.Buffer
	w.WriteTo(&b, version, key)
	return b.Bytes()
}

// WriteTo writes the whole file to out without copying the string table
// and data into one buffer first.
func (w *Writer) WriteTo(out io.Writer, version uint32, key string) (int64, error) {
	head := binary.AppendUvarint(make([]byte, headerLen, headerLen+16+len(key)), uint64(len(key)))
	head = pad8(append(head, key...))
	if w.pool.err != nil {
		return 0, w.pool.err
	}
	p := w.pool
	strLen := p.strDoneLen + len(p.strtab)
	head = binary.LittleEndian.AppendUint64(head, uint64(strLen))
	strPad := make([]byte, (8-strLen%8)%8)
	parts := make([][]byte, 0, 4+len(p.strDone)+len(w.done))
	parts = append(append(append(parts, head), p.strDone...), p.strtab, strPad)
	parts = append(append(parts, w.done...), w.data)
	sum, n := uint32(0), 0
	for i, p := range parts {
		if i == 0 {
			p = p[headerLen:]
		}
		sum = crc32.Update(sum, castagnoli, p)
		n += len(p)
	}
	copy(head, magic)
	binary.LittleEndian.PutUint32(head[8:], version)
	binary.LittleEndian.PutUint32(head[12:], sum)
	binary.LittleEndian.PutUint64(head[16:], uint64(n))
	var total int64
	for _, p := range parts {
		m, err := out.Write(p)
		total += int64(m)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func pad8(b []byte) []byte {
	for len(b)%8 != 0 {
		b = append(b, 0)
	}
	return b
}

// Header checks a file's magic, version and length, and returns its key
// without reading the rest or its checksum (to tell a file of another
// build from a damaged one).
func Header(file []byte, version uint32) (key string, err error) {
	if len(file) < headerLen || string(file[:8]) != magic {
		return "", fmt.Errorf("%w: not a lexscreen binary file", ErrCorrupt)
	}
	if v := binary.LittleEndian.Uint32(file[8:]); v != version {
		return "", fmt.Errorf("%w: format %d, this lexscreen reads %d", ErrVersion, v, version)
	}
	if n := binary.LittleEndian.Uint64(file[16:]); n != uint64(len(file)-headerLen) {
		return "", fmt.Errorf("%w: header says %d bytes, file has %d", ErrCorrupt, n, len(file)-headerLen)
	}
	r := &Reader{data: file, off: headerLen}
	n := r.Uvarint()
	if r.err != nil || n > uint64(len(file)-r.off) {
		return "", fmt.Errorf("%w: key", ErrCorrupt)
	}
	return string(file[r.off : r.off+int(n)]), nil
}

// Open checks a whole file (magic, version, length, checksum) and returns
// its key and a Reader of its data. Nothing is copied: the strings read
// and the numbers read with Uint64s and the like may be file itself,
// which must outlive them and never change (a mapped file is never
// unmapped, and replaced by renaming, never rewritten in place).
func Open(file []byte, version uint32) (key string, r *Reader, err error) {
	return OpenReleasing(file, version, nil)
}

// checkChunk is how much of a file OpenReleasing checksums between calls
// of release.
const checkChunk = 4 << 20

// OpenReleasing is Open calling release (when not nil) with each part of
// the file it has checksummed, in order, so that a caller reading a
// mapped file can let go of the pages read (they are read again when
// used). The Reader calls it too, for what its caller Releases.
func OpenReleasing(file []byte, version uint32, release func(part []byte)) (key string, r *Reader, err error) {
	key, err = Header(file, version)
	if err != nil {
		return "", nil, err
	}
	var sum uint32
	for off := headerLen; off < len(file); off += checkChunk {
		part := file[off:min(off+checkChunk, len(file))]
		sum = crc32.Update(sum, castagnoli, part)
		if release != nil {
			release(part)
		}
	}
	if got, want := sum, binary.LittleEndian.Uint32(file[12:]); got != want {
		return "", nil, fmt.Errorf("%w: checksum %08x, header says %08x", ErrCorrupt, got, want)
	}
	r = &Reader{data: file, off: headerLen}
	n := r.Uvarint()
	r.off += int(n) // Header checked it
	r.off = (r.off + 7) &^ 7
	if r.off+8 > len(file) {
		return "", nil, fmt.Errorf("%w: no string table", ErrCorrupt)
	}
	sl := binary.LittleEndian.Uint64(file[r.off:])
	r.off += 8
	if sl > uint64(len(file)-r.off) {
		return "", nil, fmt.Errorf("%w: string table of %d bytes", ErrCorrupt, sl)
	}
	if sl > 0 {
		r.strtab = unsafe.String(&file[r.off], int(sl)) // in place, no copy
	}
	r.off = (r.off + int(sl) + 7) &^ 7
	if r.off > len(file) {
		return "", nil, fmt.Errorf("%w: no data", ErrCorrupt)
	}
	r.base = r.off
	r.release = release
	return key, r, nil
}

// Reseal writes a file's length and checksum anew over whatever its rest
// now holds (for tests and fuzzing that damage the contents of a file and
// want the decoder, not the checksum, to catch it).
func Reseal(file []byte) {
	if len(file) < headerLen {
		return
	}
	binary.LittleEndian.PutUint64(file[16:], uint64(len(file)-headerLen))
	binary.LittleEndian.PutUint32(file[12:], crc32.Checksum(file[headerLen:], castagnoli))
}
