package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// Diff is what changed between two snapshots of one source.
type Diff struct {
	From      lexscreen.Snapshot `json:"from"`
	To        lexscreen.Snapshot `json:"to"`
	Added     []EntitySummary    `json:"added"`
	Removed   []EntitySummary    `json:"removed"`
	Changed   []EntityChange     `json:"changed"`
	Unchanged int                `json:"unchanged"`
}

// EntitySummary identifies an entity in a diff.
type EntitySummary struct {
	ID       string           `json:"id"`
	Schema   lexscreen.Schema `json:"schema"`
	Caption  string           `json:"caption"`
	Programs []string         `json:"programs,omitempty"`
}

// EntityChange lists the changed fields of one entity. Caption and Schema
// are the new version's; Programs are the new version's followed by those
// only the old one had (so that filtering by program finds removals too).
type EntityChange struct {
	ID       string           `json:"id"`
	Schema   lexscreen.Schema `json:"schema"`
	Caption  string           `json:"caption"`
	Programs []string         `json:"programs,omitempty"`
	Fields   []FieldChange    `json:"fields"`
}

// Field change operations.
const (
	OpChange = "change" // a value changed (From -> To; either may be "" when absent)
	OpAdd    = "add"    // an element was added to the list at Field (To)
	OpRemove = "remove" // an element was removed from the list at Field (From)
)

// FieldChange is one change of an entity's canonical JSON. Field is a path
// like "gender", "names[2].full", "designations[0].program",
// "attributes.call_sign"; for elements added to or removed from a list it is
// the list ("names") and Op says which.
type FieldChange struct {
	Field string `json:"field"`
	Op    string `json:"op"`
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
}

// String writes "names: + X", "names: - Y" or "gender: male -> female".
func (c FieldChange) String() string {
	switch c.Op {
	case OpAdd:
		return c.Field + ": + " + c.To
	case OpRemove:
		return c.Field + ": - " + c.From
	}
	return fmt.Sprintf("%s: %q -> %q", c.Field, c.From, c.To)
}

type member struct {
	id   string
	hash []byte
}

// Diff compares two snapshots of the same source (EINVALID otherwise).
// Entities are compared by content hash first; only changed ones are decoded.
func (d *DB) Diff(ctx context.Context, fromID, toID int64) (*Diff, error) {
	from, err := d.Snapshot(ctx, fromID)
	if err != nil {
		return nil, err
	}
	to, err := d.Snapshot(ctx, toID)
	if err != nil {
		return nil, err
	}
	if from.Source != to.Source {
		return nil, lexscreen.Errorf(lexscreen.EINVALID,
			"cannot diff snapshot %d (%s) with snapshot %d (%s): not the same source", from.ID, from.Source, to.ID, to.Source)
	}
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return nil, storeErr(err, "diff")
	}
	defer conn.Close()
	// One read transaction: both snapshots and their versions seen at once.
	if _, err := conn.ExecContext(ctx, "BEGIN DEFERRED"); err != nil {
		return nil, storeErr(err, "diff")
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")

	a, err := members(ctx, conn, fromID)
	if err != nil {
		return nil, err
	}
	b, err := members(ctx, conn, toID)
	if err != nil {
		return nil, err
	}
	out := &Diff{From: from, To: to, Added: []EntitySummary{}, Removed: []EntitySummary{}, Changed: []EntityChange{}}
	sum, err := conn.PrepareContext(ctx, `SELECT schema, caption, programs FROM entity_versions WHERE entity_id = ? AND hash = ?`)
	if err != nil {
		return nil, storeErr(err, "diff")
	}
	defer sum.Close()
	summary := func(m member) (EntitySummary, error) {
		s := EntitySummary{ID: m.id}
		var progs string
		if err := sum.QueryRowContext(ctx, m.id, m.hash).Scan(&s.Schema, &s.Caption, &progs); err != nil {
			return s, storeErr(err, "diff: entity %s", m.id)
		}
		s.Programs = splitLines(progs)
		return s, nil
	}
	var dec decoder
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j >= len(b) || (i < len(a) && a[i].id < b[j].id):
			s, err := summary(a[i])
			if err != nil {
				return nil, err
			}
			out.Removed = append(out.Removed, s)
			i++
		case i >= len(a) || b[j].id < a[i].id:
			s, err := summary(b[j])
			if err != nil {
				return nil, err
			}
			out.Added = append(out.Added, s)
			j++
		default:
			if bytes.Equal(a[i].hash, b[j].hash) {
				out.Unchanged++
			} else {
				ch, err := d.change(ctx, conn, &dec, a[i], b[j])
				if err != nil {
					return nil, err
				}
				out.Changed = append(out.Changed, ch)
			}
			i++
			j++
		}
		if (i+j)%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, storeErr(err, "diff")
			}
		}
	}
	return out, nil
}

func (d *DB) change(ctx context.Context, q querier, dec *decoder, a, b member) (EntityChange, error) {
	ra, err := versionJSON(ctx, q, dec, a.id, a.hash)
	if err != nil {
		return EntityChange{}, err
	}
	rb, err := versionJSON(ctx, q, dec, b.id, b.hash)
	if err != nil {
		return EntityChange{}, err
	}
	var ea, eb lexscreen.Entity
	if err := json.Unmarshal(ra, &ea); err != nil {
		return EntityChange{}, storeErr(err, "entity %s", a.id)
	}
	if err := json.Unmarshal(rb, &eb); err != nil {
		return EntityChange{}, storeErr(err, "entity %s", b.id)
	}
	fields, err := DiffJSON(ra, rb)
	if err != nil {
		return EntityChange{}, storeErr(err, "entity %s", b.id)
	}
	progs := programs(&eb)
	for _, p := range programs(&ea) {
		if !slices.Contains(progs, p) {
			progs = append(progs, p)
		}
	}
	return EntityChange{ID: b.id, Schema: eb.Schema, Caption: eb.Caption(), Programs: progs, Fields: fields}, nil
}

func members(ctx context.Context, conn *sql.Conn, snapshotID int64) ([]member, error) {
	rows, err := conn.QueryContext(ctx, `SELECT entity_id, hash FROM snapshot_entities
		WHERE snapshot_id = ? ORDER BY entity_id`, snapshotID)
	if err != nil {
		return nil, storeErr(err, "diff: members of snapshot %d", snapshotID)
	}
	defer rows.Close()
	var out []member
	for rows.Next() {
		var m member
		if err := rows.Scan(&m.id, &m.hash); err != nil {
			return nil, storeErr(err, "diff: members of snapshot %d", snapshotID)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, storeErr(err, "diff: members of snapshot %d", snapshotID)
	}
	return out, nil
}

// History event kinds.
const (
	EventAppeared   = "appeared"
	EventChanged    = "changed"
	EventRemoved    = "removed"
	EventReappeared = "reappeared"
)

// HistoryEvent is one change of an entity's presence or content.
type HistoryEvent struct {
	Snapshot lexscreen.Snapshot `json:"snapshot"`
	Kind     string             `json:"kind"`
	Fields   []FieldChange      `json:"fields,omitempty"` // for changed (and reappeared with other content)
}

type extraScanner struct {
	r     scanner
	extra []any
}

func (s extraScanner) Scan(dest ...any) error { return s.r.Scan(append(dest, s.extra...)...) }

// History walks the snapshots of the entity's source (the id prefix before
// ':') in Published order (ties: import order) and reports when the entity
// appeared, changed, was removed and reappeared. ENOTFOUND when no snapshot
// ever had it.
func (d *DB) History(ctx context.Context, entityID string) ([]HistoryEvent, error) {
	src := sourceOf(entityID)
	if src == "" {
		return nil, notFound("no entity %q (an entity id is \"<source>:<key>\")", entityID)
	}
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return nil, storeErr(err, "history")
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN DEFERRED"); err != nil {
		return nil, storeErr(err, "history")
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")
	rows, err := conn.QueryContext(ctx, `SELECT s.id, s.source, s.format, s.version, s.published, s.imported,
		s.content_hash, s.entities, s.names, s.records, s.files, s.origin, m.hash
		FROM snapshots s LEFT JOIN snapshot_entities m ON m.snapshot_id = s.id AND m.entity_id = ?
		WHERE s.source = ? ORDER BY s.published, s.id`, entityID, src)
	if err != nil {
		return nil, storeErr(err, "history of %s", entityID)
	}
	type step struct {
		snap lexscreen.Snapshot
		hash []byte
	}
	var steps []step
	for rows.Next() {
		var st step
		if st.snap, err = scanSnapshot(extraScanner{rows, []any{&st.hash}}); err != nil {
			rows.Close()
			return nil, storeErr(err, "history of %s", entityID)
		}
		steps = append(steps, st)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, storeErr(err, "history of %s", entityID)
	}
	rows.Close()

	var events []HistoryEvent
	var last []byte // hash of the last version seen
	present := false
	var dec decoder
	fieldsSince := func(old, cur []byte) ([]FieldChange, error) {
		ra, err := versionJSON(ctx, conn, &dec, entityID, old)
		if err != nil {
			return nil, err
		}
		rb, err := versionJSON(ctx, conn, &dec, entityID, cur)
		if err != nil {
			return nil, err
		}
		f, err := DiffJSON(ra, rb)
		if err != nil {
			return nil, storeErr(err, "history of %s", entityID)
		}
		return f, nil
	}
	for _, st := range steps {
		switch {
		case st.hash != nil && last == nil:
			events = append(events, HistoryEvent{Snapshot: st.snap, Kind: EventAppeared})
		case st.hash != nil && !present:
			ev := HistoryEvent{Snapshot: st.snap, Kind: EventReappeared}
			if !bytes.Equal(st.hash, last) {
				if ev.Fields, err = fieldsSince(last, st.hash); err != nil {
					return nil, err
				}
			}
			events = append(events, ev)
		case st.hash != nil && !bytes.Equal(st.hash, last):
			ev := HistoryEvent{Snapshot: st.snap, Kind: EventChanged}
			if ev.Fields, err = fieldsSince(last, st.hash); err != nil {
				return nil, err
			}
			events = append(events, ev)
		case st.hash == nil && present:
			events = append(events, HistoryEvent{Snapshot: st.snap, Kind: EventRemoved})
		}
		present = st.hash != nil
		if present {
			last = st.hash
		}
	}
	if last == nil {
		return nil, notFound("no entity %q in any snapshot of %s", entityID, src)
	}
	return events, nil
}

// ---- field-by-field comparison of entity JSON ----

// object is a JSON object with its keys in document order.
type object struct {
	keys []string
	vals map[string]any
}

func parseOrdered(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := readValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after JSON value")
	}
	return v, nil
}

func readValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	switch d {
	case '{':
		o := &object{vals: map[string]any{}}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k, _ := kt.(string)
			v, err := readValue(dec)
			if err != nil {
				return nil, err
			}
			if _, dup := o.vals[k]; !dup {
				o.keys = append(o.keys, k)
			}
			o.vals[k] = v
		}
		_, err := dec.Token()
		return o, err
	case '[':
		a := []any{}
		for dec.More() {
			v, err := readValue(dec)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err := dec.Token()
		return a, err
	}
	return nil, fmt.Errorf("unexpected %v", d)
}

// DiffJSON compares two entities' canonical JSON field by field. Objects are
// flattened to paths; lists have set semantics: elements in both (anywhere)
// are unchanged, an element replaced by a similar one (half of its leaves
// equal) is reported field by field at its new index ("names[2].full"), the
// rest as added to or removed from the list ("names: + X").
func DiffJSON(from, to []byte) ([]FieldChange, error) {
	a, err := parseOrdered(from)
	if err != nil {
		return nil, err
	}
	b, err := parseOrdered(to)
	if err != nil {
		return nil, err
	}
	normalizeEntity(a)
	normalizeEntity(b)
	var out []FieldChange
	diffValue("", a, b, &out)
	return out, nil
}

// normalizeEntity turns date values into their readable form ("~1960",
// "1973..1974") so that they compare and show as one value.
func normalizeEntity(v any) {
	o, ok := v.(*object)
	if !ok {
		return
	}
	for _, k := range []string{"birth_dates", "death_dates"} {
		if arr, ok := o.vals[k].([]any); ok {
			for i := range arr {
				arr[i] = dateString(arr[i])
			}
		}
	}
	if arr, ok := o.vals["designations"].([]any); ok {
		for _, d := range arr {
			if do, ok := d.(*object); ok {
				if lo, ok := do.vals["listed_on"]; ok {
					do.vals["listed_on"] = dateString(lo)
				}
			}
		}
	}
}

func dateString(v any) any {
	o, ok := v.(*object)
	if !ok {
		return v
	}
	for _, k := range o.keys {
		switch k {
		case "from", "to", "circa", "text":
		default:
			return v // not a DateValue
		}
	}
	from, _ := o.vals["from"].(string)
	to, _ := o.vals["to"].(string)
	s := from
	if to != "" && to != from {
		s += ".." + to
	}
	if c, _ := o.vals["circa"].(bool); c {
		s = "~" + s
	}
	if t, _ := o.vals["text"].(string); t != "" {
		if s == "" {
			s = t
		} else {
			s += " (" + t + ")"
		}
	}
	return s
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func diffValue(path string, a, b any, out *[]FieldChange) {
	if a == nil && b == nil {
		return
	}
	oa, aObj := a.(*object)
	ob, bObj := b.(*object)
	if (aObj || a == nil) && (bObj || b == nil) {
		if oa == nil {
			oa = &object{}
		}
		if ob == nil {
			ob = &object{}
		}
		for _, k := range mergeKeys(oa, ob) {
			diffValue(joinPath(path, k), oa.vals[k], ob.vals[k], out)
		}
		return
	}
	la, aArr := a.([]any)
	lb, bArr := b.([]any)
	if (aArr || a == nil) && (bArr || b == nil) {
		diffList(path, la, lb, out)
		return
	}
	if ra, rb := render(a), render(b); ra != rb || canon(a) != canon(b) {
		*out = append(*out, FieldChange{Field: path, Op: OpChange, From: ra, To: rb})
	}
}

// mergeKeys is the union of both objects' keys: b's order, with the keys
// only a has placed after the key that precedes them in a.
func mergeKeys(a, b *object) []string {
	keys := append([]string(nil), b.keys...)
	for i, k := range a.keys {
		if _, ok := b.vals[k]; ok {
			continue
		}
		pos := 0
		for p := i - 1; p >= 0; p-- {
			if idx := indexOf(keys, a.keys[p]); idx >= 0 {
				pos = idx + 1
				break
			}
		}
		keys = slices.Insert(keys, pos, k)
	}
	return keys
}

func indexOf(s []string, k string) int {
	for i, x := range s {
		if x == k {
			return i
		}
	}
	return -1
}

func diffList(path string, a, b []any, out *[]FieldChange) {
	ka := make([]string, len(a))
	for i, v := range a {
		ka[i] = canon(v)
	}
	kb := make([]string, len(b))
	queue := map[string][]int{}
	for j, v := range b {
		kb[j] = canon(v)
		queue[kb[j]] = append(queue[kb[j]], j)
	}
	matchedA := make([]bool, len(a))
	matchedB := make([]bool, len(b))
	for i, k := range ka {
		if q := queue[k]; len(q) > 0 {
			matchedA[i], matchedB[q[0]] = true, true
			queue[k] = q[1:]
		}
	}
	// Pair the remaining objects by similarity.
	type cand struct {
		i, j  int
		score float64
	}
	var cands []cand
	leavesB := map[int]map[string]int{}
	for i, v := range a {
		if matchedA[i] {
			continue
		}
		if _, ok := v.(*object); !ok {
			continue
		}
		la := leaves(v)
		for j, w := range b {
			if matchedB[j] {
				continue
			}
			if _, ok := w.(*object); !ok {
				continue
			}
			lb, ok := leavesB[j]
			if !ok {
				lb = leaves(w)
				leavesB[j] = lb
			}
			if s := similarity(la, lb); s >= 0.5 {
				cands = append(cands, cand{i, j, s})
			}
		}
	}
	sort.SliceStable(cands, func(x, y int) bool {
		cx, cy := cands[x], cands[y]
		if cx.score != cy.score {
			return cx.score > cy.score
		}
		dx, dy := abs(cx.i-cx.j), abs(cy.i-cy.j)
		if dx != dy {
			return dx < dy
		}
		if cx.j != cy.j {
			return cx.j < cy.j
		}
		return cx.i < cy.i
	})
	pairOf := map[int]int{} // b index -> a index
	for _, c := range cands {
		if matchedA[c.i] || matchedB[c.j] {
			continue
		}
		matchedA[c.i], matchedB[c.j] = true, true
		pairOf[c.j] = c.i
	}
	for i, v := range a {
		if !matchedA[i] {
			*out = append(*out, FieldChange{Field: path, Op: OpRemove, From: render(v)})
		}
	}
	for j, w := range b {
		if i, ok := pairOf[j]; ok {
			diffValue(fmt.Sprintf("%s[%d]", path, j), a[i], w, out)
		} else if !matchedB[j] {
			*out = append(*out, FieldChange{Field: path, Op: OpAdd, To: render(w)})
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// leaves flattens a value to "path=value" strings, counted.
func leaves(v any) map[string]int {
	m := map[string]int{}
	var walk func(p string, v any)
	walk = func(p string, v any) {
		switch t := v.(type) {
		case *object:
			for _, k := range t.keys {
				walk(joinPath(p, k), t.vals[k])
			}
		case []any:
			for _, x := range t {
				walk(p+"[]", x)
			}
		default:
			m[p+"="+canon(v)]++
		}
	}
	walk("", v)
	return m
}

func similarity(a, b map[string]int) float64 {
	na, nb, common := 0, 0, 0
	for k, c := range a {
		na += c
		common += min(c, b[k])
	}
	for _, c := range b {
		nb += c
	}
	n := max(na, nb)
	if n == 0 {
		return 0
	}
	return float64(common) / float64(n)
}

// canon is a compact, exact encoding of a value (object keys in order).
func canon(v any) string {
	var sb strings.Builder
	writeCanon(&sb, v)
	return sb.String()
}

func writeCanon(sb *strings.Builder, v any) {
	switch t := v.(type) {
	case nil:
		sb.WriteString("null")
	case string:
		sb.WriteString(strconv.Quote(t))
	case json.Number:
		sb.WriteString(t.String())
	case bool:
		sb.WriteString(strconv.FormatBool(t))
	case *object:
		sb.WriteByte('{')
		for i, k := range t.keys {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(strconv.Quote(k))
			sb.WriteByte(':')
			writeCanon(sb, t.vals[k])
		}
		sb.WriteByte('}')
	case []any:
		sb.WriteByte('[')
		for i, x := range t {
			if i > 0 {
				sb.WriteByte(',')
			}
			writeCanon(sb, x)
		}
		sb.WriteByte(']')
	default:
		fmt.Fprint(sb, t)
	}
}

// render is the readable form of a value: scalars as they are, objects as
// "{key: value, ...}", lists as "[a, b]".
func render(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	case *object:
		parts := make([]string, 0, len(t.keys))
		for _, k := range t.keys {
			parts = append(parts, k+": "+render(t.vals[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []any:
		parts := make([]string, 0, len(t))
		for _, x := range t {
			parts = append(parts, render(x))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprint(v)
}
