// Package batchfile reads customer files (CSV or JSON lines) into queries,
// one row at a time, the way people actually write them: headers in any
// case, spacing or language ("Full Name", "Date of Birth", "citizenship"),
// a sniffed delimiter (, ; tab |), a byte-order mark, and text that is not
// UTF-8. It never drops a row: every record is returned, as a query or as
// a located error, and whatever it could not use (an ignored column, a
// re-decoded file) is reported in Info.
package batchfile

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/lexscreen/lexscreen"
)

// Row is one record of a customer file: a query, or why the record can't
// be screened.
type Row struct {
	Seq   int // 1-based number of the record (the header is not a record)
	Line  int // line of the file where the record starts
	Query lexscreen.Query
	Err   *lexscreen.Error // nil when the row can be screened
}

// Info says how a file was read.
type Info struct {
	Format    string            `json:"format"`              // "csv" or "jsonl"
	Delimiter string            `json:"delimiter,omitempty"` // CSV: ",", ";", "\t" or "|"
	Encoding  string            `json:"encoding"`            // "utf-8", "windows-1252", "utf-16le", "utf-16be"
	Columns   map[string]string `json:"columns,omitempty"`   // header as written -> field used
	Ignored   []string          `json:"ignored_columns,omitempty"`
	Warnings  []string          `json:"warnings,omitempty"` // about the whole file
}

// Encodings accepted by Options.Encoding.
const (
	EncodingAuto        = "auto" // UTF-8, else Windows-1252 with a warning
	EncodingUTF8        = "utf-8"
	EncodingWindows1252 = "windows-1252"
	EncodingLatin1      = "latin-1"
)

// Options tune the reader.
type Options struct {
	// Encoding of the file: EncodingAuto (the default), EncodingUTF8
	// (invalid bytes are an error), EncodingWindows1252 or EncodingLatin1.
	Encoding string
	// Format forces "csv" or "jsonl"; "" decides from the name and content.
	Format string
}

// Reader returns the rows of one file in order.
type Reader struct {
	info    Info
	next    func() (Row, error)
	ignored map[string]bool
}

// Info says how the file is being read; Ignored grows as JSON lines show
// keys not used.
func (r *Reader) Info() Info {
	i := r.info
	i.Ignored = slices.Sorted(func(yield func(string) bool) {
		for k := range r.ignored {
			if !yield(k) {
				return
			}
		}
	})
	return i
}

// Next returns the next row, or io.EOF after the last.
func (r *Reader) Next() (Row, error) { return r.next() }

// New reads data, the content of the file called name. It fails only when
// the file as a whole can't be read (no name column, bytes that are not
// text in the encoding asked for); a bad record is a Row with Err.
func New(name string, data []byte, opts Options) (*Reader, error) {
	r := &Reader{ignored: map[string]bool{}}
	text, enc, warn, err := decode(data, opts.Encoding)
	if err != nil {
		return nil, &lexscreen.Error{Code: lexscreen.EINVALID, File: name, Message: err.Error()}
	}
	r.info.Encoding = enc
	if warn != "" {
		r.info.Warnings = append(r.info.Warnings, warn)
	}
	format := opts.Format
	if format == "" {
		lower := strings.ToLower(name)
		if strings.HasSuffix(lower, ".jsonl") || strings.HasSuffix(lower, ".ndjson") || strings.HasSuffix(lower, ".json") ||
			bytes.HasPrefix(bytes.TrimSpace(text), []byte("{")) {
			format = "jsonl"
		} else {
			format = "csv"
		}
	}
	r.info.Format = format
	if format == "jsonl" {
		r.next = r.jsonRows(name, text)
		return r, nil
	}
	if r.next, err = r.csvRows(name, text); err != nil {
		return nil, err
	}
	return r, nil
}

// decode turns data into UTF-8 text: a UTF-8 or UTF-16 byte-order mark is
// honoured; bytes that are not UTF-8 are read as Windows-1252 (the usual
// "Latin-1" of spreadsheets) with a warning, unless UTF-8 was required.
func decode(data []byte, want string) (text []byte, enc, warning string, err error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		enc = "utf-16le"
		if data[0] == 0xFE {
			enc = "utf-16be"
		}
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return nil, "", "", fmt.Errorf("the file starts with a UTF-16 byte-order mark but is not UTF-16 text: %v", err)
		}
		return out, enc, "", nil
	}
	switch strings.ToLower(want) {
	case "", EncodingAuto:
		if utf8.Valid(data) {
			return data, EncodingUTF8, "", nil
		}
		line, col := firstInvalid(data)
		out, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return nil, "", "", err
		}
		return out, EncodingWindows1252, fmt.Sprintf("the file is not valid UTF-8 (first bad byte on line %d, column %d): read as Windows-1252 (Latin-1); "+
			"check names with accents, or pass --encoding", line, col), nil
	case EncodingUTF8, "utf8":
		if !utf8.Valid(data) {
			line, col := firstInvalid(data)
			return nil, "", "", fmt.Errorf("line %d, column %d: bytes that are not UTF-8 (use --encoding windows-1252 if the file is Latin-1)", line, col)
		}
		return data, EncodingUTF8, "", nil
	case EncodingWindows1252, "cp1252":
		out, err := charmap.Windows1252.NewDecoder().Bytes(data)
		return out, EncodingWindows1252, "", err
	case EncodingLatin1, "iso-8859-1", "latin1":
		out, err := charmap.ISO8859_1.NewDecoder().Bytes(data)
		return out, EncodingLatin1, "", err
	}
	return nil, "", "", fmt.Errorf("unknown encoding %q: want auto, utf-8, windows-1252 or latin-1", want)
}

// firstInvalid locates the first byte that is not UTF-8 (1-based).
func firstInvalid(data []byte) (line, col int) {
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += n
	}
	return line, col
}

// sniffDelimiter picks the delimiter of a CSV file from its first line:
// the most frequent of , ; tab | outside quotes (a comma on a tie).
func sniffDelimiter(text []byte) rune {
	line := text
	if i := bytes.IndexByte(text, '\n'); i >= 0 {
		line = text[:i]
	}
	counts := map[rune]int{}
	quoted := false
	for _, c := range string(line) {
		switch c {
		case '"':
			quoted = !quoted
		case ',', ';', '\t', '|':
			if !quoted {
				counts[c]++
			}
		}
	}
	best := ','
	for _, c := range []rune{';', '\t', '|'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// columns maps the fields to the indexes of the columns that give them.
type columns map[Field][]int

func (r *Reader) csvRows(name string, text []byte) (func() (Row, error), error) {
	delim := sniffDelimiter(text)
	r.info.Delimiter = string(delim)
	cr := csv.NewReader(bytes.NewReader(text))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, &lexscreen.Error{Code: lexscreen.EINVALID, File: name, Line: 1, Message: "the file is empty: want a header row, then one row per name"}
		}
		return nil, &lexscreen.Error{Code: lexscreen.EINVALID, File: name, Line: 1, Message: "cannot read the header row: " + err.Error()}
	}
	cols := columns{}
	r.info.Columns = map[string]string{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		f := FieldOf(h)
		if f == "" || f == FieldParts {
			if h != "" {
				r.ignored[h] = true
			}
			continue
		}
		cols[f] = append(cols[f], i)
		r.info.Columns[h] = string(f)
	}
	if len(cols[FieldName]) == 0 && len(cols[FieldGiven]) == 0 && len(cols[FieldFamily]) == 0 {
		return nil, &lexscreen.Error{Code: lexscreen.EINVALID, File: name, Line: 1,
			Message: "the header has no name column (name, full name, or first name and last name ...); found: " + strings.Join(header, ", ")}
	}
	seq := 0
	return func() (Row, error) {
		rec, err := cr.Read()
		if err == io.EOF {
			return Row{}, io.EOF
		}
		seq++
		row := Row{Seq: seq}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				row.Line = pe.StartLine
			}
			row.Query.ID = "row-" + strconv.Itoa(seq)
			row.Err = &lexscreen.Error{Code: lexscreen.EINVALID, File: name, Line: row.Line, Message: "cannot read the row: " + err.Error()}
			return row, nil
		}
		row.Line, _ = cr.FieldPos(0)
		get := func(f Field) []string {
			var out []string
			for _, i := range cols[f] {
				if i < len(rec) {
					if v := strings.TrimSpace(rec[i]); v != "" {
						out = append(out, v)
					}
				}
			}
			return out
		}
		row.Query = buildQuery(get)
		finish(&row, name)
		return row, nil
	}, nil
}

// buildQuery makes a query from the values of each field.
func buildQuery(get func(Field) []string) lexscreen.Query {
	var q lexscreen.Query
	if ids := get(FieldID); len(ids) > 0 {
		q.ID = ids[0]
	}
	if ns := get(FieldName); len(ns) > 0 {
		q.Name = ns[0]
	} else {
		var words []string
		for _, p := range []struct {
			f Field
			k lexscreen.NamePartKind
		}{{FieldGiven, lexscreen.PartGiven}, {FieldMiddle, lexscreen.PartMiddle}, {FieldPatronymic, lexscreen.PartPatronymic}, {FieldFamily, lexscreen.PartFamily}} {
			for _, v := range get(p.f) {
				q.Parts = append(q.Parts, lexscreen.NamePart{Kind: p.k, Value: v})
				words = append(words, v)
			}
		}
		q.Name = strings.Join(words, " ")
	}
	if ts := get(FieldType); len(ts) > 0 {
		q.Schema = lexscreen.ParseSchema(ts[0])
	}
	if ds := get(FieldDOB); len(ds) > 0 {
		q.BirthDate = ds[0]
	}
	for _, c := range get(FieldCountry) {
		for _, part := range strings.FieldsFunc(c, func(r rune) bool { return r == ';' || r == '|' }) {
			if part = strings.TrimSpace(part); part != "" && !slices.Contains(q.Countries, part) {
				q.Countries = append(q.Countries, part)
			}
		}
	}
	q.Identifiers = get(FieldIdentifier)
	return q
}

// finish names a row without an id after its number and refuses a row with
// nothing to screen.
func finish(row *Row, file string) {
	if row.Query.ID == "" {
		row.Query.ID = "row-" + strconv.Itoa(row.Seq)
	}
	if row.Err == nil && strings.TrimSpace(row.Query.Name) == "" && len(row.Query.Identifiers) == 0 {
		row.Err = &lexscreen.Error{Code: lexscreen.EINVALID, File: file, Line: row.Line, Message: "no name: the row has nothing to screen"}
	}
}

func (r *Reader) jsonRows(name string, text []byte) func() (Row, error) {
	pos, line, seq := 0, 0, 0
	return func() (Row, error) {
		var raw []byte
		for {
			if pos >= len(text) {
				return Row{}, io.EOF
			}
			end := bytes.IndexByte(text[pos:], '\n')
			if end < 0 {
				end = len(text) - pos
			}
			raw = bytes.TrimSpace(text[pos : pos+end])
			pos += end + 1
			line++
			if len(raw) > 0 {
				break
			}
		}
		seq++
		row := Row{Seq: seq, Line: line}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			row.Query.ID = "row-" + strconv.Itoa(seq)
			row.Err = &lexscreen.Error{Code: lexscreen.EINVALID, File: name, Line: line, Message: "not a JSON object: " + err.Error()}
			return row, nil
		}
		byField := map[Field][]string{}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys) // the same key order on every run
		var parts []lexscreen.NamePart
		for _, k := range keys {
			f := FieldOf(k)
			switch f {
			case "":
				r.ignored[k] = true
			case FieldParts:
				if err := json.Unmarshal(obj[k], &parts); err != nil {
					row.Err = &lexscreen.Error{Code: lexscreen.EINVALID, File: name, Line: line, Message: fmt.Sprintf("%q: want a list of {\"kind\", \"value\"}", k)}
				}
			default:
				vs, ok := jsonStrings(obj[k])
				if !ok {
					r.ignored[k+" (not text)"] = true
				}
				byField[f] = append(byField[f], vs...)
			}
		}
		row.Query = buildQuery(func(f Field) []string { return byField[f] })
		if len(parts) > 0 {
			row.Query.Parts = parts
			if row.Query.Name == "" {
				var ws []string
				for _, p := range parts {
					ws = append(ws, p.Value)
				}
				row.Query.Name = strings.Join(ws, " ")
			}
		}
		finish(&row, name)
		return row, nil
	}
}

// jsonStrings reads a JSON string, number or list of them as text; false
// for any other value (an object).
func jsonStrings(raw json.RawMessage) ([]string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, true
	}
	var one any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // ids and numbers keep every digit
	if dec.Decode(&one) != nil {
		return nil, false
	}
	var out []string
	var add func(v any) bool
	add = func(v any) bool {
		switch x := v.(type) {
		case nil:
		case string:
			if x = strings.TrimSpace(x); x != "" {
				out = append(out, x)
			}
		case json.Number:
			out = append(out, x.String())
		case bool:
			return false
		case []any:
			for _, e := range x {
				if !add(e) {
					return false
				}
			}
		default:
			return false
		}
		return true
	}
	ok := add(one)
	return out, ok
}
