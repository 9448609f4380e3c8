package store

import (
	"bytes"
	"fmt"
	"io"
	"math"

	"github.com/klauspost/compress/flate"
	"github.com/lexscreen/lexscreen"
)

// Codecs of stored entity data.
const (
	CodecJSON    = 0 // canonical JSON as is
	CodecDeflate = 1 // canonical JSON, deflated
)

// CompressMin is the JSON size from which entity data is deflated.
const CompressMin = 200

// Programs lists the entity's designation programs, each once, in order.
func Programs(e *lexscreen.Entity) []string {
	var out []string
	for _, d := range e.Designations {
		p := d.Program
		if p == "" {
			continue
		}
		seen := false
		for _, o := range out {
			if o == p {
				seen = true
				break
			}
		}
		if !seen {
			out = append(out, p)
		}
	}
	return out
}

// Compressor deflates entity JSON when that makes it smaller, reusing its
// buffers. It is not safe for concurrent use.
type Compressor struct {
	buf bytes.Buffer
	fw  *flate.Writer
}

// Compress returns the codec and the bytes to store for data.
func (c *Compressor) Compress(data []byte) (codec int, blob []byte) {
	if len(data) < CompressMin {
		return CodecJSON, data
	}
	c.buf.Reset()
	if c.fw == nil {
		c.fw, _ = flate.NewWriter(&c.buf, flate.BestSpeed)
	} else {
		c.fw.Reset(&c.buf)
	}
	c.fw.Write(data)
	c.fw.Close()
	if c.buf.Len() >= len(data) {
		return CodecJSON, data
	}
	return CodecDeflate, bytes.Clone(c.buf.Bytes())
}

// Decoder inflates stored entity data, reusing its reader. It is not safe
// for concurrent use.
type Decoder struct {
	in  bytes.Reader
	fr  io.ReadCloser
	out bytes.Buffer
}

// Decode returns the canonical JSON of stored data (data itself when it
// is not deflated).
func (dc *Decoder) Decode(codec int, data []byte) ([]byte, error) {
	raw, err := dc.DecodeTemp(codec, data)
	if err != nil || codec == CodecJSON {
		return raw, err
	}
	return bytes.Clone(raw), nil
}

// DecodeTemp is Decode without a copy: the JSON it returns may be the
// Decoder's own buffer, valid until its next call (for a caller that
// unmarshals it at once).
func (dc *Decoder) DecodeTemp(codec int, data []byte) ([]byte, error) {
	switch codec {
	case CodecJSON:
		return data, nil
	case CodecDeflate:
		dc.in.Reset(data)
		if dc.fr == nil {
			dc.fr = flate.NewReader(&dc.in)
		} else if err := dc.fr.(flate.Resetter).Reset(&dc.in, nil); err != nil {
			return nil, err
		}
		dc.out.Reset()
		if _, err := dc.out.ReadFrom(dc.fr); err != nil {
			return nil, fmt.Errorf("corrupt entity data: %w", err)
		}
		return dc.out.Bytes(), nil
	}
	return nil, fmt.Errorf("unknown entity codec %d", codec)
}

// ShrinkError is the error of a refused shrink: a snapshot of src (version
// version, n entities) that would lose too many of prev's entities.
func ShrinkError(src, version string, n int, prev lexscreen.Snapshot) error {
	lost := prev.Entities - n
	return lexscreen.Errorf(lexscreen.ECONFLICT,
		"%s version %s has %d entities and would lose %d of %d entities (%d%%) of snapshot %d (version %s); use --force to import it anyway",
		src, version, n, lost, prev.Entities,
		int(math.Round(100*float64(lost)/float64(prev.Entities))), prev.ID, prev.Version)
}

// Shrinks reports whether n entities is below opts' shrink limit of prev's.
func Shrinks(n int, prev lexscreen.Snapshot, opts CommitOptions) bool {
	limit := opts.ShrinkLimit
	if limit <= 0 {
		limit = DefaultShrinkLimit
	}
	return !opts.Force && prev.Entities > 0 && float64(n) < limit*float64(prev.Entities)
}

// DuplicateError is the error of a snapshot whose content is already stored
// as old.
func DuplicateError(src string, old lexscreen.Snapshot) error {
	h := old.ContentHash
	if len(h) > 12 {
		h = h[:12]
	}
	return &lexscreen.Error{Code: lexscreen.ECONFLICT, Err: ErrDuplicate,
		Message: fmt.Sprintf("%s version %s (content %s) already imported as snapshot %d", src, old.Version, h, old.ID)}
}
