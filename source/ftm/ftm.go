// Package ftm reads FollowTheMoney (FtM) entity files as OpenSanctions
// publishes them for each of its datasets: "entities.ftm.json" (JSON lines,
// one entity per line) and "entities.delta.json" (JSON lines of
// {"op": "ADD"|"MOD"|"DEL", "entity": {...}}).
//
// # Folding helper entities
//
// FtM spreads one listed person over several records: the Person itself,
// Sanction records pointing at it ("entity"), Address records it points at
// ("addressEntity"), Passport/Identification records ("holder") and
// relationship records (Ownership, Directorship, Family, ...). Exports are
// sorted by entity id, so these records come before or after the entity in
// no useful order.
//
// Parse therefore reads the file twice (File.Open is called twice):
//
//  1. The first pass keeps only compact per-entity state for the helper
//     records: for each referenced entity id, its Designations (from
//     Sanction), Identifiers (from Passport/Identification) and Links (from
//     the relationship schemata), and each Address record's Address. Memory
//     is proportional to the number of helper records, not to the file size
//     (names, notes and the other bulky properties of the listed entities
//     are not kept). The first pass also chooses the source id and the
//     publication date.
//  2. The second pass converts each thing entity (Person, Organization,
//     Company, LegalEntity, PublicBody, Vessel, Airplane, and any other
//     schema marked "target") one line at a time, attaches the folded
//     helper data and emits it. Helper records are not emitted.
//
// # Source id
//
// The source id is "ftm-<dataset>" with '_' written '-': the dataset shared
// by every entity of the file (a single-dataset export such as eu_fsf gives
// "ftm-eu-fsf"). Collection exports (several datasets per file) have no
// shared dataset; then the name comes from the file name, or from its
// folder when the file has the generic name "entities.ftm.json"
// (".../sanctions/entities.ftm.json" gives "ftm-sanctions"). Entity ids are
// "<source id>:<FtM id>".
//
// # Deltas
//
// A delta file only makes sense applied to the previous snapshot of the same
// source, which needs store support. For now the "ftm-delta" format's Parse
// emits the entities of the ADD and MOD operations (folded with the helper
// records that the delta itself carries) and ParseDelta also returns the ids
// of the DEL operations and of the entities whose folded data the delta
// changes. The source id of a delta comes from its file name or folder
// only (".../artifacts/eu_fsf/20240528014702-pfh/entities.delta.json" gives
// "ftm-eu-fsf"), never from the datasets of the entities it happens to
// carry, so that all deltas of one series share it. LIMITATIONS: a delta that adds, modifies or deletes only a
// Sanction, Address or relationship record changes an entity that the delta
// does not carry; ParseDelta lists such entities in Delta.Affected (for
// ADD/MOD of helper records) but cannot know which entity a deleted helper
// record belonged to (DEL carries only an id). The importer must re-read a
// full export when it needs exact designations after such deltas.
package ftm

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// FormatJSON reads an FtM entities file (JSON lines).
var FormatJSON = source.Format{
	ID:    "ftm-json",
	Title: "FollowTheMoney entities, JSON lines (OpenSanctions entities.ftm.json)",
	Sniff: sniffJSON,
	Parse: parseJSON,
}

// FormatDelta reads an FtM delta file (JSON lines of ADD/MOD/DEL ops). Its
// Parse emits the ADD and MOD entities only; see ParseDelta.
var FormatDelta = source.Format{
	ID:    "ftm-delta",
	Title: "FollowTheMoney delta, JSON lines of ADD/MOD/DEL (OpenSanctions entities.delta.json)",
	Sniff: sniffDelta,
	Parse: func(ctx context.Context, files []source.File, emit source.Emit) (source.Meta, error) {
		d, err := ParseDelta(ctx, files, emit)
		return d.Meta, err
	},
}

// Delta is what a delta file says beyond the entities it carries.
type Delta struct {
	Meta     source.Meta
	Upserted []string // entity ids of ADD and MOD ops that were emitted, in file order
	Deleted  []string // entity ids of DEL ops, in file order (may name helper records)
	// Affected are ids of entities not carried by the delta whose
	// designations, identifiers, addresses or links changed through helper
	// records of ADD/MOD ops; sorted.
	Affected []string
}

// maxLine bounds one JSON line (source.Limits.MaxLine); FtM entities are
// at most a few MiB.
func maxLine() int { return source.CurrentLimits().MaxLine }

// record is one FtM entity as exported.
type record struct {
	ID         string            `json:"id"`
	Caption    string            `json:"caption"`
	Schema     string            `json:"schema"`
	Properties map[string]values `json:"properties"`
	Datasets   []string          `json:"datasets"`
	Referents  []string          `json:"referents"`
	Target     bool              `json:"target"`
	FirstSeen  string            `json:"first_seen"`
	LastSeen   string            `json:"last_seen"`
	LastChange string            `json:"last_change"`
}

// values is a property's list of values. FtM writes strings; nested exports
// put entity objects there, of which the id is kept.
type values []string

func (v *values) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		// A single value instead of a list.
		raw = []json.RawMessage{b}
	}
	out := make([]string, 0, len(raw))
	for _, r := range raw {
		r = bytes.TrimSpace(r)
		if len(r) == 0 || string(r) == "null" {
			continue
		}
		switch r[0] {
		case '"':
			var s string
			if err := json.Unmarshal(r, &s); err != nil {
				return err
			}
			out = append(out, s)
		case '{':
			var o struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(r, &o); err != nil {
				return err
			}
			if o.ID != "" {
				out = append(out, o.ID)
			}
		case '[':
			return fmt.Errorf("nested list in property value")
		default:
			out = append(out, string(r))
		}
	}
	*v = out
	return nil
}

func (r *record) get(prop string) []string { return r.Properties[prop] }

// first returns the first non-empty cleaned value of prop.
func (r *record) first(prop string) string {
	for _, v := range r.Properties[prop] {
		if c := source.Clean(v); c != "" {
			return c
		}
	}
	return ""
}

// deltaLine is one line of a delta file.
type deltaLine struct {
	Op     string          `json:"op"`
	Entity json.RawMessage `json:"entity"`
}

// lineReader reads a file line by line, with line numbers, bounded length
// and context checks.
type lineReader struct {
	ctx  context.Context
	name string
	br   *bufio.Reader
	n    int
	buf  []byte
}

func newLineReader(ctx context.Context, name string, r io.Reader) *lineReader {
	return &lineReader{ctx: ctx, name: name, br: bufio.NewReaderSize(source.UTF8Text(name, r), 64<<10)}
}

// next returns the next non-blank line, or io.EOF.
func (l *lineReader) next() ([]byte, error) {
	for {
		if l.n%1024 == 0 {
			if err := l.ctx.Err(); err != nil {
				return nil, err
			}
		}
		l.buf = l.buf[:0]
		var err error
		for {
			var chunk []byte
			chunk, err = l.br.ReadSlice('\n')
			l.buf = append(l.buf, chunk...)
			if len(l.buf) > maxLine() {
				return nil, source.LimitError(l.name, l.n+1, "", "one JSON line", int64(maxLine()), "")
			}
			if err != bufio.ErrBufferFull {
				break
			}
		}
		if err != nil && err != io.EOF {
			return nil, source.WrapError(l.name, l.n+1, "", err)
		}
		if len(l.buf) == 0 && err == io.EOF {
			return nil, io.EOF
		}
		l.n++
		line := bytes.TrimSpace(l.buf)
		if len(line) > 0 {
			return line, nil
		}
		if err == io.EOF {
			return nil, io.EOF
		}
	}
}

// decodeRecord parses one entity object and checks its required fields.
func decodeRecord(name string, line int, b []byte) (*record, error) {
	var r record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, source.NewError(name, line, "", "invalid FtM entity: %s", jsonMsg(err, b))
	}
	if r.ID == "" {
		return nil, source.NewError(name, line, "", "FtM entity without \"id\"")
	}
	if r.Schema == "" {
		return nil, source.NewError(name, line, "entity id="+r.ID, "FtM entity without \"schema\"")
	}
	return &r, nil
}

// jsonMsg describes a JSON error, calling a cut-off object what it is.
func jsonMsg(err error, b []byte) string {
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Offset >= int64(len(b)) || strings.Contains(err.Error(), "unexpected end of JSON input") {
		return "unexpected end of line inside the JSON object (truncated file?)"
	}
	return err.Error()
}

// index is the compact state of the first pass.
type index struct {
	designations map[string][]lexscreen.Designation // by sanctioned FtM id
	identifiers  map[string][]lexscreen.Identifier  // by holder FtM id
	links        map[string][]pendingLink           // by FtM id of the entity the link belongs to
	addresses    map[string]lexscreen.Address       // by Address FtM id

	datasets  []string // datasets shared by every entity so far (nil before the first)
	seenFirst bool
	lastSeen  string // max last_seen
	things    int
}

type pendingLink struct {
	relation string
	target   string // FtM id
	// percent, start and end are the relation's share (Ownership
	// "percentage") and dates ("startDate", "endDate"), as given.
	percent, start, end string
}

func newIndex() *index {
	return &index{
		designations: map[string][]lexscreen.Designation{},
		identifiers:  map[string][]lexscreen.Identifier{},
		links:        map[string][]pendingLink{},
		addresses:    map[string]lexscreen.Address{},
	}
}

// note records what the first pass needs from r. It returns the FtM ids of
// the entities whose folded data r changes.
func (ix *index) note(r *record) []string {
	if !ix.seenFirst {
		ix.seenFirst = true
		ix.datasets = append([]string(nil), r.Datasets...)
	} else if len(ix.datasets) > 0 {
		kept := ix.datasets[:0]
		for _, d := range ix.datasets {
			for _, o := range r.Datasets {
				if o == d {
					kept = append(kept, d)
					break
				}
			}
		}
		ix.datasets = kept
	}
	if r.LastSeen > ix.lastSeen {
		ix.lastSeen = r.LastSeen
	}
	if isThing(r) {
		ix.things++
	}
	switch r.Schema {
	case "Sanction":
		d := sanctionDesignation(r)
		targets := r.get("entity")
		for _, t := range targets {
			ix.designations[t] = append(ix.designations[t], d)
		}
		return targets
	case "Address":
		ix.addresses[r.ID] = addressOf(r)
		return nil
	case "Passport", "Identification":
		id, ok := identificationOf(r)
		if !ok {
			return nil
		}
		holders := r.get("holder")
		for _, h := range holders {
			ix.identifiers[h] = append(ix.identifiers[h], id)
		}
		return holders
	}
	if rel, ok := relationSchemas[r.Schema]; ok {
		var touched []string
		for _, a := range r.get(rel.from) {
			for _, b := range r.get(rel.to) {
				pct, start, end := r.first("percentage"), r.first("startDate"), r.first("endDate")
				ix.links[a] = append(ix.links[a], pendingLink{rel.forward, b, pct, start, end})
				ix.links[b] = append(ix.links[b], pendingLink{rel.backward, a, pct, start, end})
				touched = append(touched, a, b)
			}
		}
		return touched
	}
	return nil
}

// relationSchemas are the FtM interval schemata that relate two entities,
// with the lexscreen relation names seen from each side.
var relationSchemas = map[string]struct{ from, to, forward, backward string }{
	"Ownership":      {"owner", "asset", "owner_of", "owned_by"},
	"Directorship":   {"director", "organization", "director_of", "has_director"},
	"Family":         {"person", "relative", "family_of", "family_of"},
	"Associate":      {"person", "associate", "associate_of", "associate_of"},
	"Membership":     {"member", "organization", "member_of", "has_member"},
	"Employment":     {"employee", "employer", "employee_of", "employer_of"},
	"Representation": {"agent", "client", "agent_of", "represented_by"},
	"UnknownLink":    {"subject", "object", "linked_to", "linked_to"},
	"Succession":     {"predecessor", "successor", "predecessor_of", "successor_of"},
}

// thingSchemas map the FtM schemata that become entities.
var thingSchemas = map[string]lexscreen.Schema{
	"Person":       lexscreen.SchemaPerson,
	"Organization": lexscreen.SchemaOrganization,
	"Company":      lexscreen.SchemaOrganization,
	"LegalEntity":  lexscreen.SchemaOrganization,
	"PublicBody":   lexscreen.SchemaOrganization,
	"Vessel":       lexscreen.SchemaVessel,
	"Airplane":     lexscreen.SchemaAircraft,
}

// helperSchemas are never emitted, even when marked target.
var helperSchemas = map[string]bool{
	"Sanction": true, "Address": true, "Passport": true, "Identification": true,
	"Ownership": true, "Directorship": true, "Family": true, "Associate": true, "Membership": true,
	"Employment": true, "Representation": true, "UnknownLink": true, "Succession": true,
	"Occupancy": true, "Note": true, "Mention": true,
}

// isThing reports whether r becomes an Entity.
func isThing(r *record) bool {
	if _, ok := thingSchemas[r.Schema]; ok {
		return true
	}
	return r.Target && !helperSchemas[r.Schema]
}

var (
	reVersion = regexp.MustCompile(`(\d{14})-[a-z0-9]{3}`)
	reDateDir = regexp.MustCompile(`^\d{8}(\d{6})?$|^\d{4}-\d{2}-\d{2}$|^latest$`)
	reNonSlug = regexp.MustCompile(`[^a-z0-9]+`)
)

// slug lower-cases s and turns runs of other characters into '-'.
func slug(s string) string {
	s = strings.Trim(reNonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if len(s) > 36 {
		s = strings.TrimRight(s[:36], "-")
	}
	return s
}

// nameFromFile derives a dataset name from a file's name or its folder.
func nameFromFile(f source.File) string {
	base := strings.ToLower(f.Name)
	for _, suf := range []string{".json", ".jsonl", ".ndjson", ".ftm", ".delta", "entities"} {
		base = strings.TrimSuffix(strings.TrimRight(base, "_-."), suf)
	}
	base = reVersion.ReplaceAllString(base, "")
	if s := slug(base); s != "" {
		return s
	}
	p := strings.ReplaceAll(f.Path, "\\", "/")
	for dir := path.Dir(p); dir != "." && dir != "/" && dir != ""; dir = path.Dir(dir) {
		b := path.Base(dir)
		if reDateDir.MatchString(b) || reVersion.MatchString(b) || b == "artifacts" || b == "datasets" {
			continue
		}
		if s := slug(b); s != "" {
			return s
		}
	}
	return "unknown"
}

// fileVersion finds an OpenSanctions version label ("20240527194702-wnk")
// in a file's name or path.
func fileVersion(f source.File) (string, time.Time) {
	for _, s := range []string{f.Name, f.Path} {
		if m := reVersion.FindStringSubmatch(s); m != nil {
			t, err := time.Parse("20060102150405", m[1])
			if err == nil {
				return m[0], t
			}
		}
	}
	return "", time.Time{}
}

// meta builds the Meta of a file from the first pass.
func (ix *index) meta(f source.File) source.Meta {
	name := ""
	if len(ix.datasets) > 0 {
		name = slug(ix.datasets[0])
	}
	if name == "" {
		name = nameFromFile(f)
	}
	m := source.Meta{Source: "ftm-" + name}
	m.Version, m.Published = fileVersion(f)
	if m.Version == "" && ix.lastSeen != "" {
		if t, err := time.Parse("2006-01-02T15:04:05", ix.lastSeen); err == nil {
			m.Published = t
			m.Version = ix.lastSeen
		}
	}
	return m
}

func oneFile(files []source.File) (source.File, error) {
	if len(files) != 1 {
		return source.File{}, fmt.Errorf("ftm: want one file, got %d", len(files))
	}
	return files[0], nil
}

// eachLine calls fn for every non-blank line of f.
func eachLine(ctx context.Context, f source.File, fn func(line int, b []byte) error) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	lr := newLineReader(ctx, f.Name, rc)
	for {
		b, err := lr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(lr.n, b); err != nil {
			return err
		}
	}
}

func parseJSON(ctx context.Context, files []source.File, emit source.Emit) (source.Meta, error) {
	f, err := oneFile(files)
	if err != nil {
		return source.Meta{}, err
	}
	ix := newIndex()
	err = eachLine(ctx, f, func(line int, b []byte) error {
		if bytes.HasPrefix(b, []byte(`{"op"`)) {
			return source.NewError(f.Name, line, "", "delta operation in an entities file (use the ftm-delta format)")
		}
		r, err := decodeRecord(f.Name, line, b)
		if err != nil {
			return err
		}
		ix.note(r)
		return nil
	})
	if err != nil {
		return source.Meta{}, err
	}
	meta := ix.meta(f)
	emitted := 0
	err = eachLine(ctx, f, func(line int, b []byte) error {
		r, err := decodeRecord(f.Name, line, b)
		if err != nil {
			return err
		}
		if !isThing(r) {
			return nil
		}
		e := convert(r, meta.Source, ix)
		emitted++
		return emit(e)
	})
	if err != nil {
		return meta, err
	}
	if emitted != ix.things {
		return meta, source.NewError(f.Name, 0, "", "file changed while reading: %d entities in the first pass, %d in the second", ix.things, emitted)
	}
	return meta, nil
}

// ParseDelta reads one FtM delta file. emit (may be nil) receives the
// entities of ADD and MOD operations; the returned Delta lists their ids,
// the DEL ids and the entities affected by changed helper records. See the
// package documentation for what a delta cannot say without the previous
// snapshot. An empty delta file is valid.
func ParseDelta(ctx context.Context, files []source.File, emit source.Emit) (Delta, error) {
	var d Delta
	f, err := oneFile(files)
	if err != nil {
		return d, err
	}
	ix := newIndex()
	var dels []string
	touched := map[string]bool{}
	upsertFtM := map[string]bool{}
	err = eachLine(ctx, f, func(line int, b []byte) error {
		op, r, err := decodeDelta(f.Name, line, b)
		if err != nil {
			return err
		}
		if op == "DEL" {
			dels = append(dels, r.ID)
			return nil
		}
		for _, t := range ix.note(r) {
			touched[t] = true
		}
		if isThing(r) {
			upsertFtM[r.ID] = true
		}
		return nil
	})
	if err != nil {
		return d, err
	}
	ix.datasets = nil // a delta series shares one source id: take it from the file's name or folder
	d.Meta = ix.meta(f)
	for _, id := range dels {
		d.Deleted = append(d.Deleted, d.Meta.Source+":"+id)
	}
	for id := range touched {
		if !upsertFtM[id] {
			d.Affected = append(d.Affected, d.Meta.Source+":"+id)
		}
	}
	sort.Strings(d.Affected)
	err = eachLine(ctx, f, func(line int, b []byte) error {
		op, r, err := decodeDelta(f.Name, line, b)
		if err != nil {
			return err
		}
		if op == "DEL" || !isThing(r) {
			return nil
		}
		e := convert(r, d.Meta.Source, ix)
		d.Upserted = append(d.Upserted, e.ID)
		if emit != nil {
			return emit(e)
		}
		return nil
	})
	return d, err
}

func decodeDelta(name string, line int, b []byte) (string, *record, error) {
	var dl deltaLine
	if err := json.Unmarshal(b, &dl); err != nil {
		return "", nil, source.NewError(name, line, "", "invalid FtM delta line: %s", jsonMsg(err, b))
	}
	switch dl.Op {
	case "ADD", "MOD":
		if len(dl.Entity) == 0 {
			return "", nil, source.NewError(name, line, "op="+dl.Op, "delta operation without \"entity\"")
		}
		r, err := decodeRecord(name, line, dl.Entity)
		return dl.Op, r, err
	case "DEL":
		var r record
		if err := json.Unmarshal(dl.Entity, &r); err != nil || r.ID == "" {
			return "", nil, source.NewError(name, line, "op=DEL", "DEL operation without an entity id")
		}
		return "DEL", &r, nil
	case "":
		return "", nil, source.NewError(name, line, "", "delta line without \"op\"")
	}
	return "", nil, source.NewError(name, line, "op="+dl.Op, "unknown delta operation %q (want ADD, MOD or DEL)", dl.Op)
}

func sniffJSON(name string, head []byte) bool {
	n := strings.ToLower(name)
	if strings.HasSuffix(n, ".delta.json") {
		return false
	}
	k := source.JSONTopKeys(head)
	if k["op"] {
		return false
	}
	if k["properties"] && (k["schema"] || k["id"]) {
		return true
	}
	return strings.HasSuffix(n, ".ftm.json") && len(bytes.TrimSpace(head)) == 0
}

func sniffDelta(name string, head []byte) bool {
	k := source.JSONTopKeys(head)
	if k["op"] && k["entity"] {
		return true
	}
	return strings.HasSuffix(strings.ToLower(name), ".delta.json") && (len(bytes.TrimSpace(source.StripBOM(head))) == 0 || k["op"])
}
