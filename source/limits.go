package source

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
)

// Limits bound what one list file can make lexscreen read and hold in
// memory, so that a hostile file (a zip of a few MB that unpacks to GBs, a
// text node or a CSV field of a gigabyte) is refused with an error naming
// the file and the limit, before it is read far. Every reader applies them;
// the defaults are far above any real list.
type Limits struct {
	// MaxBytes bounds the bytes of one file as it is parsed, after
	// decompression (a zip entry, a bundled .gz), and the sum of the sizes a
	// zip declares. The biggest real list, OFAC's SDN_ADVANCED.XML, is about
	// 126 MB; the FCDO ODS unpacks to 632 MB.
	MaxBytes int64
	// MaxToken bounds one XML token (a text node, a tag with its
	// attributes, a comment, a CDATA section, a directive) and one CSV row.
	// Real lists stay under 16 KB.
	MaxToken int
	// MaxRecord bounds what is decoded whole into memory: one XML record
	// (an entity element, a spreadsheet row), one entity of a JSON
	// document. Real records stay under 100 KB; decoding multiplies the
	// bytes by up to 16 in memory.
	MaxRecord int
	// MaxLine bounds one line of a JSON lines file (FtM, lexscreen-json):
	// one entity. Real FtM entities stay under a few MiB.
	MaxLine int
	// MaxEntries bounds the number of entries of a zip archive (ODS, XLSX,
	// OFAC .ZIP hold 1 to 10).
	MaxEntries int
	// MaxPart bounds an archive part that a library loads whole into memory
	// (the shared strings and other parts of an XLSX workbook except its
	// sheets, which are streamed).
	MaxPart int64
}

// DefaultLimits are the limits used unless SetLimits says otherwise.
var DefaultLimits = Limits{MaxBytes: 2 << 30, MaxToken: 1 << 20, MaxRecord: 4 << 20, MaxLine: 16 << 20, MaxEntries: 10000, MaxPart: 256 << 20}

var limits atomic.Pointer[Limits]

// SetLimits replaces the limits for parses that start afterwards; zero
// fields keep their default.
func SetLimits(l Limits) {
	d := DefaultLimits
	if l.MaxBytes > 0 {
		d.MaxBytes = l.MaxBytes
	}
	if l.MaxToken > 0 {
		d.MaxToken = l.MaxToken
	}
	if l.MaxRecord > 0 {
		d.MaxRecord = l.MaxRecord
	}
	if l.MaxLine > 0 {
		d.MaxLine = l.MaxLine
	}
	if l.MaxEntries > 0 {
		d.MaxEntries = l.MaxEntries
	}
	if l.MaxPart > 0 {
		d.MaxPart = l.MaxPart
	}
	limits.Store(&d)
}

// CurrentLimits returns the limits in force.
func CurrentLimits() Limits {
	if l := limits.Load(); l != nil {
		return *l
	}
	return DefaultLimits
}

// LimitError says that a file went past a limit; what names the thing that
// is too big ("one XML token", "the decompressed file").
func LimitError(file string, line int, element, what string, limit int64, flag string) error {
	msg := fmt.Sprintf("%s is larger than the limit of %s: refused before reading further (a real list never comes near it; the file may be a decompression bomb or corrupt)", what, FormatSize(limit))
	if flag != "" {
		msg += "; " + flag
	}
	return NewError(file, line, element, "%s", msg)
}

// FormatSize writes a byte count as people read it: "1 MiB", "2 GiB",
// "300 bytes".
func FormatSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

const maxBytesHint = "`lexscreen import --max-size` raises it"

// CapReader returns r, failing with a located error once more than max
// bytes have been read (max <= 0: CurrentLimits().MaxBytes). Decompressed
// streams go through it.
func CapReader(file string, r io.Reader, max int64) io.Reader {
	if max <= 0 {
		max = CurrentLimits().MaxBytes
	}
	return &capReader{r: r, file: file, max: max}
}

type capReader struct {
	r    io.Reader
	file string
	max  int64
	n    int64
	err  error
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if rest := c.max - c.n + 1; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.max {
		c.err = LimitError(c.file, 0, "", "the file (decompressed)", c.max, maxBytesHint)
		return n - int(c.n-c.max), c.err
	}
	return n, err
}

// OpenZip opens a zip archive read from rc (what it should be, for errors:
// "an ODS (zip) file"): in place when rc is a file on
// disk, else through a temporary file (zip needs random access), so memory
// stays constant. It refuses an archive with more than MaxEntries entries
// or whose entries declare more than MaxBytes in all. cleanup removes the
// temporary file; call it when done with the archive (it does not close rc).
func OpenZip(file, what string, rc io.Reader) (zr *zip.Reader, cleanup func(), err error) {
	lim := CurrentLimits()
	cleanup = func() {}
	var ra io.ReaderAt
	var size int64
	if f, ok := rc.(*os.File); ok {
		if st, serr := f.Stat(); serr == nil && st.Mode().IsRegular() {
			ra, size = f, st.Size()
		}
	}
	if ra == nil {
		tmp, terr := os.CreateTemp("", "lexscreen-zip-*")
		if terr != nil {
			return nil, cleanup, terr
		}
		cleanup = func() { tmp.Close(); os.Remove(tmp.Name()) }
		size, err = io.Copy(tmp, CapReader(file, rc, lim.MaxBytes))
		if err != nil {
			cleanup()
			return nil, func() {}, err
		}
		ra = tmp
	}
	zr, err = zip.NewReader(ra, size)
	if err != nil {
		cleanup()
		return nil, func() {}, NewError(file, 0, "", "bad zip archive: not a readable %s: %v", what, err)
	}
	if len(zr.File) > lim.MaxEntries {
		cleanup()
		return nil, func() {}, NewError(file, 0, "", "zip archive has %d entries, more than the limit of %d: refused (a real list has a handful)", len(zr.File), lim.MaxEntries)
	}
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if zf.UncompressedSize64 > uint64(lim.MaxBytes) || total > uint64(lim.MaxBytes) {
			cleanup()
			return nil, func() {}, LimitError(file, 0, zf.Name, fmt.Sprintf("the zip archive's declared unpacked size (%d bytes up to entry %s)", total, zf.Name), lim.MaxBytes, maxBytesHint)
		}
	}
	return zr, cleanup, nil
}

// OpenZipEntry opens one entry of a zip from OpenZip for streaming: reading
// stops with a located error past MaxBytes, and an entry holding more bytes
// than its header declares (archive/zip checks) is named as such.
func OpenZipEntry(file string, zf *zip.File) (io.ReadCloser, error) {
	r, err := zf.Open()
	if err != nil {
		return nil, NewError(file, 0, zf.Name, "bad zip entry: %v", err)
	}
	return &zipEntryReader{rc: r, cr: CapReader(file, r, 0), file: file, name: zf.Name, declared: zf.UncompressedSize64}, nil
}

type zipEntryReader struct {
	rc       io.ReadCloser
	cr       io.Reader
	file     string
	name     string
	declared uint64
}

func (z *zipEntryReader) Read(p []byte) (int, error) {
	n, err := z.cr.Read(p)
	if errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum) {
		err = NewError(z.file, 0, z.name, "zip entry %s does not match its header (declared %d bytes unpacked): %v", z.name, z.declared, err)
	}
	return n, err
}

func (z *zipEntryReader) Close() error { return z.rc.Close() }

// stripText drops a leading UTF-8 BOM (first is true for the first chunk)
// and every 0x1A (Ctrl-Z, which ends OFAC's CSV files and is never text) in
// b, in place.
func stripText(b []byte, first bool) []byte {
	if first {
		b = StripBOM(b)
	}
	if bytes.IndexByte(b, 0x1A) >= 0 {
		b = bytes.ReplaceAll(b, []byte{0x1A}, nil)
	}
	return b
}

// Budget reads r, failing with a located error once more than max bytes
// have been read since the last Reset: a streaming decoder that buffers one
// value at a time (json.Decoder) reads through it, and the caller resets it
// before each value, so that no one value can exceed max.
type Budget struct {
	r    io.Reader
	file string
	what string
	max  int
	n    int
	err  error
}

// NewBudget returns a Budget over r; what names one value in errors.
func NewBudget(file string, r io.Reader, max int, what string) *Budget {
	return &Budget{r: r, file: file, what: what, max: max}
}

// Reset starts a new value.
func (b *Budget) Reset() { b.n = 0 }

func (b *Budget) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.r.Read(p)
	b.n += n
	if b.n > b.max {
		b.err = LimitError(b.file, 0, "", b.what, int64(b.max), "")
		return 0, b.err
	}
	return n, err
}
