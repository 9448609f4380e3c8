package custom

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// FormatJSON reads lexscreen's JSON formats for custom lists: a document
// {"source", "title", "published", "entities": [...]} or JSON lines of
// entities.
var FormatJSON = source.Format{
	ID:    "lexscreen-json",
	Title: "lexscreen custom list, JSON document {\"source\", \"entities\": [...]} or JSON lines of entities",
	Sniff: sniffJSON,
	Parse: parseJSON,
}

// docKeys are the keys a JSON document may have besides "entities".
var docKeys = map[string]bool{
	"source": true, "title": true, "published": true, "version": true, "count": true,
	"description": true, "url": true, "license": true, "authority": true, "$schema": true,
}

// maxLine bounds one JSON line (source.Limits.MaxLine).
func maxLine() int { return source.CurrentLimits().MaxLine }

func sniffJSON(name string, head []byte) bool {
	n := strings.ToLower(name)
	if !strings.HasSuffix(n, ".json") && !strings.HasSuffix(n, ".jsonl") && !strings.HasSuffix(n, ".ndjson") {
		return false
	}
	k := source.JSONTopKeys(head)
	if k == nil || k["properties"] || k["op"] {
		return false // FollowTheMoney entities and deltas
	}
	if k["entities"] {
		for key := range k {
			if key != "entities" && !docKeys[key] {
				return false
			}
		}
		return true
	}
	return k["id"] && k["names"]
}

// jsonSource decides the source id as a JSON file is read.
type jsonSource struct {
	id     string
	origin string
	fixed  bool
}

// entityReader decodes, locates and validates entities of one file.
type entityReader struct {
	file string
	src  jsonSource
	seen map[string]string // key -> where first seen
	// budget bounds one value of a JSON document (nil for JSON lines).
	budget *source.Budget
	n      int
}

// decode turns one entity's JSON into a validated Entity. where names the
// entity in errors ("entities[3]" or "" for JSON lines, whose line is given).
func (r *entityReader) decode(raw []byte, line int, where string) (*lexscreen.Entity, error) {
	var e lexscreen.Entity
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		field := locateField(raw)
		el := where
		if field != "" {
			el = strings.TrimPrefix(where+" "+field, " ")
		}
		return nil, source.NewError(r.file, line, el, "%s", jsonErr(err))
	}
	key := strings.TrimSpace(e.ID)
	if e.Source != "" && e.Source != r.src.id {
		if r.src.fixed || r.n > 0 {
			return nil, source.NewError(r.file, line, strings.TrimPrefix(where+" source", " "), "source %q differs from %q set by the %s", e.Source, r.src.id, r.src.origin)
		}
		if err := CheckSourceID(e.Source); err != nil {
			return nil, source.NewError(r.file, line, strings.TrimPrefix(where+" source", " "), "%s", err.Error())
		}
		r.src = jsonSource{id: e.Source, origin: "first entity", fixed: true}
	}
	src := r.src.id
	key = strings.TrimPrefix(key, src+":")
	if key == "" {
		return nil, source.NewError(r.file, line, strings.TrimPrefix(where+" id", " "), "missing id")
	}
	loc := where
	if loc == "" {
		loc = fmt.Sprintf("line %d", line)
	}
	el := strings.TrimPrefix(fmt.Sprintf("%s id=%s", where, key), " ")
	if first, dup := r.seen[key]; dup {
		return nil, source.NewError(r.file, line, el, "duplicate id %q (first at %s)", key, first)
	}
	e.ID, e.Source = src+":"+key, src
	if err := normalize(&e, src); err != nil {
		var fe *fieldError
		if errors.As(err, &fe) {
			return nil, source.NewError(r.file, line, el+" "+fe.field, "%s", fe.msg)
		}
		return nil, source.NewError(r.file, line, el, "%s", err.Error())
	}
	r.seen[key] = loc
	r.n++
	return &e, nil
}

// locateField finds the top-level field of an entity that fails to
// decode, by decoding each field alone; "" when none does on its own.
func locateField(raw []byte) string {
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return ""
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		one, _ := json.Marshal(map[string]json.RawMessage{k: fields[k]})
		var e lexscreen.Entity
		dec := json.NewDecoder(bytes.NewReader(one))
		dec.DisallowUnknownFields()
		if dec.Decode(&e) != nil {
			return k
		}
	}
	return ""
}

func jsonErr(err error) string {
	var le *lexscreen.Error
	if errors.As(err, &le) && le.File != "" {
		return le.Message
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || strings.Contains(err.Error(), "unexpected end of JSON input") {
		return "unexpected end of input inside the JSON value (truncated file?)"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func parseJSON(ctx context.Context, files []source.File, emit source.Emit) (source.Meta, error) {
	var meta source.Meta
	if len(files) != 1 {
		return meta, fmt.Errorf("lexscreen-json: want one file, got %d", len(files))
	}
	f := files[0]
	rc, err := f.Open()
	if err != nil {
		return meta, err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(source.UTF8Text(f.Name, rc), 64<<10)
	r := &entityReader{file: f.Name, src: jsonSource{id: DefaultSource(f.Name), origin: "file name"}, seen: map[string]string{}}

	// A document or JSON lines? JSON lines when the first line is a whole
	// JSON object without "entities".
	lines := isJSONLines(br)
	if lines {
		meta, err = r.parseLines(ctx, br, emit)
	} else {
		meta, err = r.parseDocument(ctx, br, emit)
	}
	if err != nil {
		return meta, err
	}
	if meta.Declared > 0 && meta.Declared != r.n {
		return meta, source.NewError(f.Name, 0, "count", "file declares %d entities, found %d", meta.Declared, r.n)
	}
	return meta, nil
}

// isJSONLines peeks at the first non-blank line: JSON lines when it is a
// whole entity object; a first line longer than the buffer is judged by
// its keys.
func isJSONLines(br *bufio.Reader) bool {
	b, err := br.Peek(br.Size())
	b = bytes.TrimLeft(b, " \t\r\n")
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return isEntityObject(b[:i])
	}
	if err != nil {
		return isEntityObject(b)
	}
	k := source.JSONTopKeys(b)
	return !k["entities"] && (k["id"] || k["names"])
}

// isEntityObject reports whether b is one whole JSON object that is an
// entity (has "id" or "names") rather than a document (has "entities").
func isEntityObject(b []byte) bool {
	var obj map[string]json.RawMessage
	if json.Unmarshal(b, &obj) != nil {
		return false
	}
	_, doc := obj["entities"]
	_, id := obj["id"]
	_, names := obj["names"]
	return !doc && (id || names)
}

func (r *entityReader) parseLines(ctx context.Context, br *bufio.Reader, emit source.Emit) (source.Meta, error) {
	meta := source.Meta{Source: r.src.id}
	line := 0
	for {
		b, err := readLine(br)
		if len(b) > maxLine() {
			return meta, source.LimitError(r.file, line+1, "", "one JSON line", int64(maxLine()), "")
		}
		if len(b) == 0 && err == io.EOF {
			break
		}
		if err != nil && err != io.EOF {
			return meta, source.WrapError(r.file, line+1, "", err)
		}
		line++
		if line%512 == 0 {
			if cerr := ctx.Err(); cerr != nil {
				return meta, cerr
			}
		}
		b = bytes.TrimSpace(b)
		if len(b) > 0 {
			e, derr := r.decode(b, line, "")
			if derr != nil {
				return meta, derr
			}
			meta.Source = r.src.id
			if eerr := emit(e); eerr != nil {
				return meta, eerr
			}
		}
		if err == io.EOF {
			break
		}
	}
	return meta, nil
}

func readLine(br *bufio.Reader) ([]byte, error) {
	var out []byte
	for {
		chunk, err := br.ReadSlice('\n')
		out = append(out, chunk...)
		if err != bufio.ErrBufferFull || len(out) > maxLine() {
			return out, err
		}
	}
}

func (r *entityReader) parseDocument(ctx context.Context, br *bufio.Reader, emit source.Emit) (source.Meta, error) {
	meta := source.Meta{Source: r.src.id}
	// One entity, or one other value of the document, may not exceed
	// MaxRecord: json.Decoder buffers a whole value before decoding it.
	budget := source.NewBudget(r.file, br, source.CurrentLimits().MaxRecord, "one JSON value (an entity or a document field)")
	r.budget = budget
	dec := json.NewDecoder(budget)
	bad := func(el, format string, args ...any) error {
		return source.NewError(r.file, 0, el, format, args...)
	}
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return meta, bad("", "empty file: want a JSON document {\"source\": ..., \"entities\": [...]} or JSON lines of entities")
		}
		return meta, bad("", "%s", jsonErr(err))
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return meta, bad("", "want a JSON object {\"source\": ..., \"entities\": [...]}, found %v", tok)
	}
	sawEntities := false
	for dec.More() {
		budget.Reset()
		tok, err := dec.Token()
		if err != nil {
			return meta, bad("", "%s", jsonErr(err))
		}
		key, _ := tok.(string)
		if key == "entities" {
			if sawEntities {
				return meta, bad("entities", "\"entities\" given twice")
			}
			sawEntities = true
			if err := r.entities(ctx, dec, &meta, emit); err != nil {
				return meta, err
			}
			continue
		}
		if !docKeys[key] {
			return meta, bad(key, "unknown key %q (want source, title, published, version, count, entities)", key)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return meta, bad(key, "%s", jsonErr(err))
		}
		var s string
		if key == "count" {
			var n int
			if json.Unmarshal(v, &n) != nil || n < 0 {
				return meta, bad(key, "want a non-negative number, got %s", v)
			}
			meta.Declared = n
			continue
		}
		if json.Unmarshal(v, &s) != nil {
			if key == "$schema" || key == "description" || key == "url" || key == "license" || key == "authority" {
				continue
			}
			return meta, bad(key, "want a string, got %s", v)
		}
		switch key {
		case "source":
			if sawEntities {
				return meta, bad(key, "\"source\" must come before \"entities\"")
			}
			if err := CheckSourceID(s); err != nil {
				return meta, bad(key, "%s", err.Error())
			}
			r.src = jsonSource{id: s, origin: "document's \"source\"", fixed: true}
			meta.Source = s
		case "published":
			t, err := parsePublished(s)
			if err != nil {
				return meta, bad(key, "%s", err.Error())
			}
			meta.Published = t
			if meta.Version == "" {
				meta.Version = s
			}
		case "version":
			meta.Version = s
		}
	}
	if _, err := dec.Token(); err != nil {
		return meta, bad("", "%s", jsonErr(err))
	}
	if !sawEntities {
		return meta, bad("entities", "document has no \"entities\" list")
	}
	if _, err := dec.Token(); err != io.EOF {
		return meta, bad("", "data after the end of the JSON document")
	}
	return meta, nil
}

// entities streams the "entities" array.
func (r *entityReader) entities(ctx context.Context, dec *json.Decoder, meta *source.Meta, emit source.Emit) error {
	tok, err := dec.Token()
	if err != nil {
		return source.NewError(r.file, 0, "entities", "%s", jsonErr(err))
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return source.NewError(r.file, 0, "entities", "want a list of entities, found %v", tok)
	}
	for i := 0; dec.More(); i++ {
		if i%512 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		where := fmt.Sprintf("entities[%d]", i)
		r.budget.Reset()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return source.NewError(r.file, 0, where, "%s", jsonErr(err))
		}
		e, err := r.decode(raw, 0, where)
		if err != nil {
			return err
		}
		meta.Source = r.src.id
		if err := emit(e); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return source.NewError(r.file, 0, "entities", "%s", jsonErr(err))
	}
	return nil
}
