package custom

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// FormatCSV reads lexscreen's CSV format for custom lists.
var FormatCSV = source.Format{
	ID:    "lexscreen-csv",
	Title: "lexscreen custom list, CSV with a header row (id, name, schema, aliases, dob, ...)",
	Sniff: sniffCSV,
	Parse: parseCSV,
}

// columnAliases maps accepted header spellings to canonical column names.
var columnAliases = map[string]string{
	"id": "id", "name": "name", "schema": "schema", "type": "schema",
	"aliases": "aliases", "alias": "aliases", "weak_aliases": "weak_aliases", "weak_alias": "weak_aliases",
	"former_names": "former_names", "former_name": "former_names",
	"first_name": "first_name", "given_name": "first_name", "middle_name": "middle_name",
	"last_name": "last_name", "family_name": "last_name", "surname": "last_name",
	"patronymic": "patronymic", "father_name": "patronymic",
	"dob": "dob", "birth_date": "dob", "date_of_birth": "dob", "birth_dates": "dob",
	"birth_place": "birth_place", "place_of_birth": "birth_place", "pob": "birth_place",
	"nationality": "nationality", "nationalities": "nationality",
	"citizenship": "citizenship", "citizenships": "citizenship",
	"country": "country", "countries": "country",
	"gender": "gender", "sex": "gender",
	"id_numbers": "id_numbers", "identifiers": "id_numbers",
	"addresses": "addresses", "address": "addresses",
	"program": "program", "programs": "program", "authority": "authority", "list": "list",
	"listed_on": "listed_on", "listing_date": "listed_on", "designation_date": "listed_on",
	"basis": "basis", "legal_basis": "basis", "reference": "reference", "measures": "measures",
	"remarks": "remarks", "notes": "remarks", "source": "source",
	"title": "title", "titles": "title", "position": "position", "positions": "position",
	"email": "email", "phone": "phone", "website": "website",
}

// canonColumn turns a header cell into a column name: lower case, spaces
// and '-' as '_', then the canonical spelling when it is a known one.
func canonColumn(h string) string {
	h = strings.ToLower(source.Clean(string(source.StripBOM([]byte(h)))))
	h = strings.NewReplacer(" ", "_", "-", "_").Replace(h)
	if c, ok := columnAliases[h]; ok {
		return c
	}
	return h
}

// splitList splits a ';'-separated cell into its cleaned, non-empty values.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ";") {
		if v = source.Clean(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// fileHeader is what the leading "# key: value" comment lines say.
type fileHeader struct {
	values map[string]string
	lines  int // lines consumed, comments and blanks
}

// readComments consumes leading blank lines and '#' comment lines.
func readComments(br *bufio.Reader) (fileHeader, error) {
	h := fileHeader{values: map[string]string{}}
	for {
		b, err := br.Peek(1)
		if err != nil {
			if err == io.EOF {
				return h, nil
			}
			return h, err
		}
		if b[0] != '#' && b[0] != '\n' && b[0] != '\r' {
			return h, nil
		}
		line, err := br.ReadString('\n')
		h.lines++
		if t := strings.TrimSpace(strings.TrimPrefix(line, "#")); b[0] == '#' {
			if k, v, ok := strings.Cut(t, ":"); ok {
				k = strings.ToLower(strings.TrimSpace(k))
				if _, dup := h.values[k]; !dup {
					h.values[k] = strings.TrimSpace(v)
				}
			}
		}
		if err == io.EOF {
			return h, nil
		}
		if err != nil {
			return h, err
		}
	}
}

func sniffCSV(name string, head []byte) bool {
	n := strings.ToLower(name)
	if !strings.HasSuffix(n, ".csv") && !strings.HasSuffix(n, ".txt") {
		return false
	}
	br := bufio.NewReader(bytes.NewReader(source.StripBOM(head)))
	if _, err := readComments(br); err != nil {
		return false
	}
	line, err := br.ReadString('\n')
	if err != nil && err != io.EOF {
		return false
	}
	rec, err := csv.NewReader(strings.NewReader(line)).Read()
	if err != nil {
		return false
	}
	var id, nm bool
	for _, h := range rec {
		switch canonColumn(h) {
		case "id":
			id = true
		case "name":
			nm = true
		}
	}
	return id && nm
}

// sourceState decides the source id of a file as its rows come in.
type sourceState struct {
	id     string
	origin string // "comment", "column" or "file name"
	fixed  bool
}

func parseCSV(ctx context.Context, files []source.File, emit source.Emit) (source.Meta, error) {
	var meta source.Meta
	if len(files) != 1 {
		return meta, fmt.Errorf("lexscreen-csv: want one file, got %d", len(files))
	}
	f := files[0]
	rc, err := f.Open()
	if err != nil {
		return meta, err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(source.CSVText(f.Name, source.UTF8Text(f.Name, rc), ',', '#'), 64<<10)
	hdr, err := readComments(br)
	if err != nil {
		return meta, source.WrapError(f.Name, hdr.lines+1, "", err)
	}
	src := sourceState{id: DefaultSource(f.Name), origin: "file name"}
	if v := hdr.values["source"]; v != "" {
		if err := CheckSourceID(v); err != nil {
			return meta, source.NewError(f.Name, 0, "# source", "%s", err.Error())
		}
		src = sourceState{id: v, origin: "comment", fixed: true}
	}
	if v := hdr.values["published"]; v != "" {
		t, err := parsePublished(v)
		if err != nil {
			return meta, source.NewError(f.Name, 0, "# published", "%s", err.Error())
		}
		meta.Published, meta.Version = t, v
	}
	if v := hdr.values["version"]; v != "" {
		meta.Version = v
	}
	if v := hdr.values["count"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return meta, source.NewError(f.Name, 0, "# count", "invalid count %q", v)
		}
		meta.Declared = n
	}
	meta.Source = src.id

	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	line := func() int {
		l, _ := cr.FieldPos(0)
		return hdr.lines + l
	}
	header, err := cr.Read()
	if err == io.EOF {
		return meta, source.NewError(f.Name, hdr.lines+1, "", "empty file: want a header row with at least the columns id and name")
	}
	if err != nil {
		return meta, csvError(f.Name, hdr.lines, err)
	}
	cols := make([]string, len(header))
	at := map[string]int{}
	for i, h := range header {
		c := canonColumn(h)
		if c == "" {
			return meta, source.NewError(f.Name, line(), fmt.Sprintf("column %d", i+1), "empty column name in header")
		}
		if j, dup := at[c]; dup {
			return meta, source.NewError(f.Name, line(), c, "columns %d (%q) and %d (%q) are both %s", j+1, header[j], i+1, h, c)
		}
		at[c] = i
		cols[i] = c
	}
	for _, req := range []string{"id", "name"} {
		if _, ok := at[req]; !ok {
			return meta, source.NewError(f.Name, line(), req, "header has no %q column (columns: %s)", req, strings.Join(header, ", "))
		}
	}

	seen := map[string]int{}
	count := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return meta, csvError(f.Name, hdr.lines, err)
		}
		ln := line()
		if count%512 == 0 {
			if err := ctx.Err(); err != nil {
				return meta, err
			}
		}
		if len(rec) != len(cols) {
			if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
				continue // blank line
			}
			return meta, source.NewError(f.Name, ln, "", "row has %d columns, want %d", len(rec), len(cols))
		}
		row := map[string]string{}
		for i, v := range rec {
			row[cols[i]] = v
		}
		if v := source.Clean(row["source"]); v != "" && v != src.id {
			if src.fixed || count > 0 {
				return meta, source.NewError(f.Name, ln, "source", "source %q differs from %q set by the %s", v, src.id, src.origin)
			}
			if err := CheckSourceID(v); err != nil {
				return meta, source.NewError(f.Name, ln, "source", "%s", err.Error())
			}
			src = sourceState{id: v, origin: "column on the first row", fixed: true}
			meta.Source = v
		}
		e, err := rowEntity(row, cols, src.id)
		if err != nil {
			var fe *fieldError
			if errors.As(err, &fe) {
				return meta, source.NewError(f.Name, ln, fe.field, "%s", fe.msg)
			}
			return meta, source.NewError(f.Name, ln, "", "%s", err.Error())
		}
		key := strings.TrimPrefix(e.ID, src.id+":")
		if first, dup := seen[key]; dup {
			return meta, source.NewError(f.Name, ln, "id", "duplicate id %q (first on line %d)", key, first)
		}
		seen[key] = ln
		count++
		if err := emit(e); err != nil {
			return meta, err
		}
	}
	if meta.Declared > 0 && meta.Declared != count {
		return meta, source.NewError(f.Name, 0, "# count", "file declares %d entities, found %d", meta.Declared, count)
	}
	return meta, nil
}

func csvError(name string, offset int, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return source.NewError(name, offset+pe.Line, fmt.Sprintf("column %d", pe.Column), "%s", pe.Err.Error())
	}
	return source.WrapError(name, 0, "", err)
}

// rowEntity builds the entity of one CSV row.
func rowEntity(row map[string]string, cols []string, src string) (*lexscreen.Entity, error) {
	key := source.Clean(row["id"])
	if key == "" {
		return nil, ferr("id", "missing id")
	}
	name := source.Clean(row["name"])
	if name == "" {
		return nil, ferr("name", "missing name")
	}
	e := &lexscreen.Entity{ID: src + ":" + key, Source: src}
	if s := source.Clean(row["schema"]); s != "" {
		e.Schema = lexscreen.ParseSchema(s)
		if e.Schema == lexscreen.SchemaUnknown && !strings.EqualFold(s, "unknown") {
			return nil, ferr("schema", "unknown schema %q: want person, organization, vessel or aircraft", s)
		}
	}
	primary := lexscreen.Name{Full: name, Kind: lexscreen.NamePrimary}
	for _, p := range []struct {
		col  string
		kind lexscreen.NamePartKind
	}{{"first_name", lexscreen.PartGiven}, {"middle_name", lexscreen.PartMiddle}, {"patronymic", lexscreen.PartPatronymic}, {"last_name", lexscreen.PartFamily}} {
		if v := source.Clean(row[p.col]); v != "" {
			primary.Parts = append(primary.Parts, lexscreen.NamePart{Kind: p.kind, Value: v})
		}
	}
	e.AddName(primary)
	for _, n := range []struct {
		col  string
		kind lexscreen.NameKind
	}{{"aliases", lexscreen.NameAlias}, {"weak_aliases", lexscreen.NameWeakAlias}, {"former_names", lexscreen.NameFormer}} {
		for _, v := range splitList(row[n.col]) {
			e.AddName(lexscreen.Name{Full: v, Kind: n.kind})
		}
	}
	for _, v := range splitList(row["dob"]) {
		d, err := ParseDate(v)
		if err != nil {
			return nil, ferr("dob", "%s", err.Error())
		}
		e.BirthDates = append(e.BirthDates, d)
	}
	for _, v := range splitList(row["birth_place"]) {
		p := lexscreen.Place{Text: v}
		if c := source.CountryCode(v); c != "" {
			p.Country = country(v)
		} else if i := strings.LastIndex(v, ","); i > 0 {
			if c := source.CountryCode(v[i+1:]); c != "" {
				p.Country = country(v[i+1:])
			}
		}
		e.BirthPlaces = append(e.BirthPlaces, p)
	}
	for _, v := range splitList(row["nationality"]) {
		e.Nationalities = append(e.Nationalities, country(v))
	}
	for _, v := range splitList(row["citizenship"]) {
		e.Citizenships = append(e.Citizenships, country(v))
	}
	for _, v := range splitList(row["country"]) {
		e.Countries = append(e.Countries, country(v))
	}
	e.Gender = row["gender"]
	for _, v := range splitList(row["id_numbers"]) {
		id, err := parseIDNumber(v)
		if err != nil {
			return nil, ferr("id_numbers", "%s", err.Error())
		}
		e.Identifiers = append(e.Identifiers, id)
	}
	for _, v := range splitList(row["addresses"]) {
		a := lexscreen.Address{Full: v}
		if i := strings.LastIndex(v, ","); i > 0 {
			if c := source.CountryCode(v[i+1:]); c != "" {
				a.Country = country(v[i+1:])
			}
		}
		e.Addresses = append(e.Addresses, a)
	}
	e.Titles = splitList(row["title"])
	e.Positions = splitList(row["position"])
	for _, c := range []string{"email", "phone", "website"} {
		for _, v := range splitList(row[c]) {
			e.Contacts = append(e.Contacts, lexscreen.Contact{Kind: c, Value: v})
		}
	}

	// One designation per program; a row with designation columns but no
	// program gets one designation.
	var listed lexscreen.DateValue
	if v := source.Clean(row["listed_on"]); v != "" {
		d, err := ParseDate(v)
		if err != nil {
			return nil, ferr("listed_on", "%s", err.Error())
		}
		listed = d
	}
	base := lexscreen.Designation{
		Authority:  source.Clean(row["authority"]),
		List:       source.Clean(row["list"]),
		LegalBasis: source.Clean(row["basis"]),
		ListedOn:   listed,
		Reference:  source.Clean(row["reference"]),
		Measures:   splitList(row["measures"]),
	}
	programs := splitList(row["program"])
	if len(programs) == 0 && (base.Authority != "" || base.List != "" || base.LegalBasis != "" || !listed.IsZero() || base.Reference != "" || len(base.Measures) > 0) {
		programs = []string{""}
	}
	for _, p := range programs {
		d := base
		d.Program = p
		d.Measures = append([]string(nil), base.Measures...)
		e.Designations = append(e.Designations, d)
	}
	e.Remarks = strings.TrimSpace(row["remarks"])

	for _, c := range cols {
		if _, known := knownColumns[c]; known {
			continue
		}
		for _, v := range splitList(row[c]) {
			e.AddAttribute(c, v)
		}
	}
	if err := normalize(e, src); err != nil {
		return nil, err
	}
	return e, nil
}

var knownColumns = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range columnAliases {
		m[c] = true
	}
	return m
}()

// parseIDNumber reads "kind:number" or "kind:number:country".
func parseIDNumber(s string) (lexscreen.Identifier, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return lexscreen.Identifier{}, fmt.Errorf("invalid identifier %q: want kind:number or kind:number:country", s)
	}
	label, num := source.Clean(parts[0]), source.Clean(parts[1])
	if label == "" || num == "" {
		return lexscreen.Identifier{}, fmt.Errorf("invalid identifier %q: empty kind or number", s)
	}
	id := lexscreen.Identifier{Kind: identifierKind(label), Label: label, Number: num}
	if len(parts) == 3 {
		c := source.Clean(parts[2])
		if c != "" {
			id.Country = country(c)
			if id.Country.Code == "" {
				return id, fmt.Errorf("invalid identifier %q: unknown country %q", s, c)
			}
		}
	}
	return id, nil
}
