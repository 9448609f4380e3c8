// Package ofac reads OFAC's legacy delimited CSV publications: the SDN set
// (SDN.CSV, ADD.CSV, ALT.CSV, SDN_COMMENTS.CSV) and the Consolidated
// (non-SDN) set (CONS_PRIM.CSV, CONS_ADD.CSV, CONS_ALT.CSV,
// CONS_COMMENTS.CSV). The four files of one folder are one publication.
//
// Memory: the primary file (SDN.CSV / CONS_PRIM.CSV) drives the parse and is
// streamed record by record. The addresses, aliases and remark
// continuations are small (a few MB for the whole SDN list) and their rows
// are not ordered like the primary file, so they are loaded first into
// compact maps keyed by ent_num; each entry is removed when its entity is
// emitted, and what is left at the end is counted as orphans. A set of the
// ent_nums seen (one int each) catches duplicate keys.
package ofac

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// Source ids of the two sets.
const (
	SourceSDN  = "us-ofac-sdn"
	SourceCons = "us-ofac-cons"
)

// FormatCSV reads the OFAC legacy CSV sets (SDN and Consolidated).
var FormatCSV = source.Format{
	ID:      "ofac-csv",
	Title:   "OFAC legacy CSV (SDN.CSV, ADD.CSV, ALT.CSV, SDN_COMMENTS.CSV; CONS_PRIM.CSV, CONS_ADD.CSV, CONS_ALT.CSV, CONS_COMMENTS.CSV)",
	Sniff:   sniff,
	Grouped: true,
	Parse: func(ctx context.Context, files []source.File, emit source.Emit) (source.Meta, error) {
		m, _, err := ParseFiles(ctx, files, emit, Options{})
		return m, err
	},
}

type role int

const (
	rolePrimary role = iota
	roleAdd
	roleAlt
	roleComments
)

var roleColumns = [...]int{rolePrimary: 12, roleAdd: 6, roleAlt: 5, roleComments: 2}

type fileKind struct {
	set  string // source id
	role role
}

var fileNames = map[string]fileKind{
	"sdn.csv":           {SourceSDN, rolePrimary},
	"add.csv":           {SourceSDN, roleAdd},
	"alt.csv":           {SourceSDN, roleAlt},
	"sdn_comments.csv":  {SourceSDN, roleComments},
	"cons_prim.csv":     {SourceCons, rolePrimary},
	"cons_add.csv":      {SourceCons, roleAdd},
	"cons_alt.csv":      {SourceCons, roleAlt},
	"cons_comments.csv": {SourceCons, roleComments},
}

func kindOf(name string) (fileKind, bool) {
	k, ok := fileNames[strings.ToLower(name)]
	return k, ok
}

// sniff accepts the eight OFAC file names (any case) whose first record
// starts with a numeric ent_num.
func sniff(name string, head []byte) bool {
	if _, ok := kindOf(name); !ok {
		return false
	}
	head = source.StripBOM(head)
	i := 0
	for i < len(head) && (head[i] == ' ' || head[i] == '\r' || head[i] == '\n' || head[i] == 0x1A) {
		i++
	}
	if i == len(head) {
		return true // empty file (e.g. an ADD.CSV with no rows)
	}
	j := i
	for j < len(head) && head[j] >= '0' && head[j] <= '9' {
		j++
	}
	return j > i && (j == len(head) || head[j] == ',')
}

// Options tune ParseFiles.
type Options struct {
	// Warn, when set, receives notes that do not stop the parse, such as
	// rows of ADD/ALT/COMMENTS that reference no entity of the primary file.
	Warn func(msg string)
}

// Stats counts what ParseFiles read.
type Stats struct {
	Entities          int
	Addresses         int // address rows attached
	PlaceholderRows   int // all-null address rows skipped
	Aliases           int // alias rows attached
	Comments          int // remark continuation rows attached
	OrphanAddresses   int // rows referencing an ent_num missing from the primary file
	OrphanAliases     int
	OrphanComments    int
	OrphanEntityNums  int // distinct ent_nums among the orphan rows
	DuplicateComments int // ent_nums with more than one continuation row (joined in file order)
}

type altRow struct {
	kind, name, remarks string
}

type sideData struct {
	addrs    map[int][]lexscreen.Address
	alts     map[int][]altRow
	comments map[int]string
	nAddrs   map[int]int
	nAlts    map[int]int
	nComms   map[int]int
}

// ParseFiles parses one OFAC CSV publication (the primary file is required,
// the others optional) and reports counts, including orphan rows.
func ParseFiles(ctx context.Context, files []source.File, emit source.Emit, opts Options) (source.Meta, Stats, error) {
	var st Stats
	var meta source.Meta
	var byRole [4]*source.File
	set := ""
	for i := range files {
		f := &files[i]
		k, ok := kindOf(f.Name)
		if !ok {
			return meta, st, source.NewError(f.Name, 0, "", "not a file of an OFAC CSV set (want SDN.CSV, ADD.CSV, ALT.CSV, SDN_COMMENTS.CSV or CONS_PRIM.CSV, CONS_ADD.CSV, CONS_ALT.CSV, CONS_COMMENTS.CSV)")
		}
		if set != "" && set != k.set {
			return meta, st, source.NewError(f.Name, 0, "", "files of the SDN set and of the Consolidated set given together; parse each set separately")
		}
		set = k.set
		if byRole[k.role] != nil {
			return meta, st, source.NewError(f.Name, 0, "", "duplicate file: %s already given", byRole[k.role].Name)
		}
		byRole[k.role] = f
	}
	if set == "" {
		return meta, st, source.NewError("", 0, "", "no OFAC CSV files given")
	}
	meta.Source = set
	primary := byRole[rolePrimary]
	if primary == nil {
		want := "SDN.CSV"
		if set == SourceCons {
			want = "CONS_PRIM.CSV"
		}
		return meta, st, source.NewError(files[0].Name, 0, "", "the primary file %s of this OFAC CSV set is missing", want)
	}
	list := "SDN"
	if set == SourceCons {
		list = "Consolidated"
	}

	side := sideData{
		addrs: map[int][]lexscreen.Address{}, alts: map[int][]altRow{}, comments: map[int]string{},
		nAddrs: map[int]int{}, nAlts: map[int]int{}, nComms: map[int]int{},
	}
	if f := byRole[roleAdd]; f != nil {
		err := readCSV(ctx, f, roleColumns[roleAdd], func(line int, rec []string) error {
			n, err := entNum(f.Name, line, rec[0])
			if err != nil {
				return err
			}
			a := lexscreen.Address{
				Street:  source.Clean(rec[2]),
				City:    source.Clean(rec[3]),
				Country: source.NewCountry(rec[4]),
				Note:    source.Clean(rec[5]),
			}
			if a.Street == "" && a.City == "" && a.Country.Name == "" && a.Note == "" {
				st.PlaceholderRows++
				return nil
			}
			a.Full = joinNonEmpty(", ", a.Street, a.City, a.Country.Name)
			side.addrs[n] = append(side.addrs[n], a)
			side.nAddrs[n]++
			return nil
		})
		if err != nil {
			return meta, st, err
		}
	}
	if f := byRole[roleAlt]; f != nil {
		err := readCSV(ctx, f, roleColumns[roleAlt], func(line int, rec []string) error {
			n, err := entNum(f.Name, line, rec[0])
			if err != nil {
				return err
			}
			r := altRow{kind: strings.ToLower(source.Clean(rec[2])), name: source.Clean(rec[3]), remarks: source.Clean(rec[4])}
			if r.name == "" {
				return nil
			}
			side.alts[n] = append(side.alts[n], r)
			side.nAlts[n]++
			return nil
		})
		if err != nil {
			return meta, st, err
		}
	}
	if f := byRole[roleComments]; f != nil {
		err := readCSV(ctx, f, roleColumns[roleComments], func(line int, rec []string) error {
			n, err := entNum(f.Name, line, rec[0])
			if err != nil {
				return err
			}
			if source.Clean(rec[1]) == "" {
				return nil
			}
			if _, dup := side.comments[n]; dup {
				st.DuplicateComments++
			}
			// Continuations start mid-word: join with no separator.
			side.comments[n] += rec[1]
			side.nComms[n]++
			return nil
		})
		if err != nil {
			return meta, st, err
		}
	}

	seen := map[int]struct{}{}
	err := readCSV(ctx, primary, roleColumns[rolePrimary], func(line int, rec []string) error {
		n, err := entNum(primary.Name, line, rec[0])
		if err != nil {
			return err
		}
		if _, dup := seen[n]; dup {
			return source.NewError(primary.Name, line, "ent_num="+strconv.Itoa(n), "duplicate ent_num %d", n)
		}
		seen[n] = struct{}{}
		e, err := buildEntity(primary.Name, line, set, list, n, rec, &side, &st)
		if err != nil {
			return err
		}
		st.Entities++
		return emit(e)
	})
	if err != nil {
		return meta, st, err
	}
	if st.Entities == 0 {
		return meta, st, source.NewError(primary.Name, 0, "", "no records in the primary file")
	}
	orphans := map[int]struct{}{}
	for n, c := range side.nAddrs {
		st.OrphanAddresses += c
		orphans[n] = struct{}{}
	}
	for n, c := range side.nAlts {
		st.OrphanAliases += c
		orphans[n] = struct{}{}
	}
	for n, c := range side.nComms {
		st.OrphanComments += c
		orphans[n] = struct{}{}
	}
	st.OrphanEntityNums = len(orphans)
	if len(orphans) > 0 && opts.Warn != nil {
		opts.Warn(fmt.Sprintf("%s: %d address, %d alias and %d comment rows reference %d ent_nums not in %s (ignored)",
			set, st.OrphanAddresses, st.OrphanAliases, st.OrphanComments, len(orphans), primary.Name))
	}
	return meta, st, nil
}

func joinNonEmpty(sep string, parts ...string) string {
	out := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

func entNum(file string, line int, s string) (int, error) {
	t := strings.TrimSpace(s)
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 {
		return 0, source.NewError(file, line, "ent_num", "row %d: ent_num %q is not a number", line, truncate(t, 40))
	}
	return n, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

var (
	reProgramSep = regexp.MustCompile(`\]\s*\[`)
	reEO         = regexp.MustCompile(`(?:^|[-\s])EO\s?(\d{4,5})\b`)
)

// Programs splits OFAC's program column ("IRAN] [SDGT] [IRGC") into tags.
func Programs(s string) []string {
	s = strings.TrimSpace(source.Clean(s))
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range reProgramSep.Split(s, -1) {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		dup := false
		for _, o := range out {
			dup = dup || o == p
		}
		if !dup {
			out = append(out, p)
		}
	}
	return out
}

// LegalBasis derives the executive order from a program tag's "-EOnnnnn"
// suffix ("ICC-EO14203" -> "EO 14203"), or "" when the tag has none.
func LegalBasis(program string) string {
	if m := reEO.FindStringSubmatch(program); m != nil {
		return "EO " + m[1]
	}
	return ""
}

// PersonNameParts splits an individual's "LAST, First Middle" name into
// family, given and middle parts. It returns nil when there is no comma.
func PersonNameParts(full string) []lexscreen.NamePart {
	i := strings.Index(full, ",")
	if i < 0 {
		return nil
	}
	family := strings.TrimSpace(full[:i])
	rest := strings.Fields(full[i+1:])
	var parts []lexscreen.NamePart
	if len(rest) > 0 {
		parts = append(parts, lexscreen.NamePart{Kind: lexscreen.PartGiven, Value: rest[0]})
	}
	if len(rest) > 1 {
		parts = append(parts, lexscreen.NamePart{Kind: lexscreen.PartMiddle, Value: strings.Join(rest[1:], " ")})
	}
	if family != "" {
		parts = append(parts, lexscreen.NamePart{Kind: lexscreen.PartFamily, Value: family})
	}
	if family == "" || len(rest) == 0 {
		// "SMITH," or ", John": not a real split.
		return nil
	}
	return parts
}

func makeName(full string, kind lexscreen.NameKind, person bool) lexscreen.Name {
	n := lexscreen.Name{Full: full, Kind: kind, Script: source.Script(full)}
	if person {
		n.Parts = PersonNameParts(full)
	}
	return n
}

func buildEntity(file string, line int, set, list string, n int, rec []string, side *sideData, st *Stats) (*lexscreen.Entity, error) {
	key := strconv.Itoa(n)
	e := &lexscreen.Entity{ID: set + ":" + key, Source: set}
	switch t := strings.ToLower(source.Clean(rec[2])); t {
	case "":
		e.Schema = lexscreen.SchemaOrganization
	case "individual":
		e.Schema = lexscreen.SchemaPerson
	case "vessel":
		e.Schema = lexscreen.SchemaVessel
	case "aircraft":
		e.Schema = lexscreen.SchemaAircraft
	default:
		e.Schema = lexscreen.ParseSchema(t)
		e.AddAttribute("sdn_type", source.Clean(rec[2]))
	}
	person := e.Schema == lexscreen.SchemaPerson
	name := source.Clean(rec[1])
	if name == "" {
		return nil, source.NewError(file, line, "ent_num="+key, "row %d: empty SDN_Name", line)
	}
	e.Names = append(e.Names, makeName(name, lexscreen.NamePrimary, person))

	for _, t := range strings.Split(source.Clean(rec[4]), ";") {
		if t = strings.TrimSpace(t); t != "" {
			e.Titles = append(e.Titles, t)
		}
	}
	e.AddAttribute("call_sign", source.Clean(rec[5]))
	e.AddAttribute("vessel_type", source.Clean(rec[6]))
	e.AddAttribute("tonnage", source.Clean(rec[7]))
	e.AddAttribute("grt", source.Clean(rec[8]))
	e.AddAttribute("flag", source.Clean(rec[9]))
	e.AddAttribute("owner", source.Clean(rec[10]))

	for _, p := range Programs(rec[3]) {
		e.Designations = append(e.Designations, lexscreen.Designation{
			Authority: "US-OFAC", List: list, Program: p, LegalBasis: LegalBasis(p),
		})
	}

	if alts, ok := side.alts[n]; ok {
		for _, a := range alts {
			kind := lexscreen.NameAlias
			if a.kind == "fka" {
				kind = lexscreen.NameFormer
			}
			e.AddName(makeName(a.name, kind, person && strings.Contains(a.name, ",")))
			if a.remarks != "" {
				e.AddAttribute("alias_remarks", a.name+": "+a.remarks)
			}
		}
		st.Aliases += side.nAlts[n]
		delete(side.alts, n)
		delete(side.nAlts, n)
	}
	if addrs, ok := side.addrs[n]; ok {
		e.Addresses = addrs
		st.Addresses += side.nAddrs[n]
		delete(side.addrs, n)
		delete(side.nAddrs, n)
	}
	remarks := rec[11]
	if source.Clean(remarks) == "" {
		remarks = ""
	}
	if c, ok := side.comments[n]; ok {
		remarks += c
		st.Comments += side.nComms[n]
		delete(side.comments, n)
		delete(side.nComms, n)
	}
	ParseRemarks(remarks, e)
	return e, nil
}

// tailReader remembers whether the raw file ends with a line break (the
// trailing 0x1A byte ignored), to tell a truncated file from a whole one.
type tailReader struct {
	r     io.Reader
	any   bool
	lastN bool
}

func (t *tailReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	for i := n - 1; i >= 0; i-- {
		if p[i] != 0x1A {
			t.any = true
			t.lastN = p[i] == '\n'
			break
		}
	}
	return n, err
}

// readCSV streams a headerless OFAC CSV file record by record.
func readCSV(ctx context.Context, f *source.File, cols int, fn func(line int, rec []string) error) (err error) {
	if f.Open == nil {
		return source.NewError(f.Name, 0, "", "file cannot be opened")
	}
	rc, err := f.Open()
	if err != nil {
		return source.WrapError(f.Name, 0, "", err)
	}
	defer func() {
		if cerr := rc.Close(); cerr != nil && err == nil {
			err = source.WrapError(f.Name, 0, "", cerr)
		}
	}()
	tail := &tailReader{r: rc}
	r := csv.NewReader(source.CSVText(f.Name, source.LegacyText(f.Name, tail), ',', 0))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	for row := 1; ; row++ {
		if row&255 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return source.NewError(f.Name, pe.Line, "", "row %d: %v", row, pe.Err)
			}
			return source.WrapError(f.Name, 0, "", err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != cols {
			return source.NewError(f.Name, line, "", "row %d: %d columns, want %d", row, len(rec), cols)
		}
		if err := fn(line, rec); err != nil {
			return err
		}
	}
	if tail.any && !tail.lastN {
		return source.NewError(f.Name, 0, "", "unexpected end of file: the last record is not terminated by a line break (truncated file?)")
	}
	return ctx.Err()
}
