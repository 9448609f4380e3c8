package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/klauspost/compress/flate"
	"github.com/lexscreen/lexscreen"
)

// Record formats, in the records table's format column.
//
// Format 1 (lexscreen before the signed checkpoints): content is the
// record's JSON, list versions included, and hash = chainHash(prev, content).
//
// Format 2: content is the record's body (request, options, engine, result)
// as JSON compressed with DEFLATE; the list versions and store snapshots
// are stored once in list_sets and referenced by their hash; and
// hash = chainHash(prev, header || content), where header names the id,
// time, kind, key and list set from their columns. Verify needs no
// decompression: it rebuilds the header from the columns.
const (
	format1 = 1
	format2 = 2
)

// body is what a format 2 record stores compressed.
type body struct {
	Request   json.RawMessage `json:"request"`
	Operator  string          `json:"operator,omitempty"`
	Date      string          `json:"date,omitempty"`
	Regimes   string          `json:"regimes,omitempty"`
	Threshold float64         `json:"threshold"`
	Limit     int             `json:"limit"`
	Engine    string          `json:"engine"`
	Result    json.RawMessage `json:"result"`
}

// listSet is the list versions and store snapshots one screening used,
// stored once in list_sets under the hash of its JSON.
type listSet struct {
	Lists     []lexscreen.ListVersion `json:"lists"`
	Snapshots []int64                 `json:"snapshots"`
}

// hashListSet returns the JSON of a list set and its hash (hex SHA-256).
func hashListSet(lists []lexscreen.ListVersion, snapshots []int64) ([]byte, string, error) {
	if lists == nil {
		lists = []lexscreen.ListVersion{}
	}
	if snapshots == nil {
		snapshots = []int64{}
	}
	b, err := json.Marshal(listSet{Lists: lists, Snapshots: snapshots})
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:]), nil
}

// header is the part of a format 2 record's hashed bytes taken from its
// columns: every field quoted, so no value can run into the next.
func header(buf []byte, id int64, tm, kind, keyID, set string) []byte {
	buf = append(buf, "[2,"...)
	buf = strconv.AppendInt(buf, id, 10)
	for _, s := range []string{tm, kind, keyID, set} {
		buf = append(buf, ',')
		buf = strconv.AppendQuote(buf, s)
	}
	return append(buf, "]\n"...)
}

// chainHash2 is the hash of a format 2 record chained to the previous hash.
func chainHash2(prev string, id int64, tm, kind, keyID, set string, content []byte) string {
	var hb [160]byte
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write([]byte{'\n'})
	h.Write(header(hb[:0], id, tm, kind, keyID, set))
	h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}

// timeText is how a record's time is stored and hashed.
func timeText(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// compressLevel: BestSpeed compresses a typical result 2.4 times at a
// third of the CPU of the default level, on the screening's goroutine
// (klauspost/compress writes the DEFLATE of compress/flate in some two
// thirds of its time: BenchmarkEncode2).
const compressLevel = flate.BestSpeed

var flateWriters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, compressLevel)
	return w
}}

// compress returns b compressed with DEFLATE.
func compress(b []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(b)/2 + 64)
	w := flateWriters.Get().(*flate.Writer)
	w.Reset(&out)
	w.Write(b)
	w.Close()
	flateWriters.Put(w)
	return out.Bytes()
}

// maxBody bounds what one record decompresses to (a result of the largest
// batch line is far below it): a corrupted or hostile row can't exhaust memory.
const maxBody = 64 << 20

// decompress reverses compress.
func decompress(b []byte) ([]byte, error) {
	r := flate.NewReader(bytes.NewReader(b))
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, maxBody+1))
	if err != nil {
		return nil, err
	}
	if len(out) > maxBody {
		return nil, fmt.Errorf("decompresses to more than %d bytes", maxBody)
	}
	return out, nil
}

// Encode prepares records for Append ahead of it (compressing their
// bodies, hashing their list sets), for a caller that appends from a
// section where others wait on it: the workspace encodes a screening's
// record before its group commit, and a group's records on two
// goroutines. A record must not change between Encode and Append, which
// keeps what Encode made. Time is not encoded: Append may still set it.
func Encode(recs ...*Record) error {
	for _, r := range recs {
		r.encoded = false
		if err := r.encode2(); err != nil {
			return err
		}
		r.encoded = true
	}
	return nil
}

// encode2 prepares a record for format 2 on the caller's goroutine: its
// compressed body and its list set (unless Encode did).
func (r *Record) encode2() error {
	if r.encoded {
		return nil
	}
	b, err := appendBody(nil, body{Request: r.Request, Operator: r.Operator, Date: r.Date, Regimes: r.Regimes,
		Threshold: r.Threshold, Limit: r.Limit, Engine: r.Engine, Result: r.Result})
	if err != nil {
		return err
	}
	r.body = compress(b)
	r.setJSON, r.ListSet, err = hashListSet(r.Lists, r.Snapshots)
	return err
}

// appendBody appends the JSON of bd to dst, as json.Marshal would but
// without scanning and compacting the request and result again: both are
// json.Marshal's output (see Record), the result of a screening some
// kilobytes that the answer already marshalled. The request, the part
// nearest to what a client sent, is checked to be one JSON value.
func appendBody(dst []byte, bd body) ([]byte, error) {
	if len(bd.Request) > 0 && !json.Valid(bd.Request) {
		return dst, fmt.Errorf("audit: a record's request is not valid JSON")
	}
	if math.IsNaN(bd.Threshold) || math.IsInf(bd.Threshold, 0) {
		return dst, fmt.Errorf("audit: a record's threshold is %v", bd.Threshold)
	}
	raw := func(m json.RawMessage) {
		if len(m) == 0 {
			m = json.RawMessage("null")
		}
		dst = append(dst, m...)
	}
	str := func(name, v string, omitEmpty bool) {
		if v == "" && omitEmpty {
			return
		}
		q, _ := json.Marshal(v) // a string always marshals
		dst = append(append(append(append(dst, `,"`...), name...), `":`...), q...)
	}
	dst = append(dst, `{"request":`...)
	raw(bd.Request)
	str("operator", bd.Operator, true)
	str("date", bd.Date, true)
	str("regimes", bd.Regimes, true)
	dst = strconv.AppendFloat(append(dst, `,"threshold":`...), bd.Threshold, 'f', -1, 64)
	dst = strconv.AppendInt(append(dst, `,"limit":`...), int64(bd.Limit), 10)
	str("engine", bd.Engine, false)
	dst = append(dst, `,"result":`...)
	raw(bd.Result)
	return append(dst, '}'), nil
}

// decode2 fills a record from a format 2 row's content and list set.
func (r *Record) decode2(content []byte, set *listSet) error {
	b, err := decompress(content)
	if err != nil {
		return fmt.Errorf("its content cannot be decompressed: %v", err)
	}
	var bd body
	if err := json.Unmarshal(b, &bd); err != nil {
		return fmt.Errorf("its content is not valid JSON: %v", err)
	}
	r.Request, r.Operator, r.Date, r.Regimes = bd.Request, bd.Operator, bd.Date, bd.Regimes
	r.Threshold, r.Limit, r.Engine, r.Result = bd.Threshold, bd.Limit, bd.Engine, bd.Result
	r.Lists, r.Snapshots = set.Lists, set.Snapshots
	return nil
}
