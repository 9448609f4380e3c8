// Package uscsl reads the US Consolidated Screening List CSV published by
// the International Trade Administration (trade.gov): one row per listing
// from the export-screening lists of Commerce (BIS), State (DDTC, ISN) and
// Treasury (OFAC), with multi-valued cells separated by "; ".
//
// One entity per row. The row's _id is the publisher's key, but the same
// OFAC entity appears once per Treasury list it is on (an SSI row and an SDN
// row share _id 17013), so the key is qualified by the list abbreviation
// taken from the source column: "us-csl:sdn-17013", "us-csl:ssi-17013",
// "us-csl:el-1b5979e8...". Rows are not grouped by _id in the file; the
// parser keeps only the set of ids seen (one short string per row) and, if a
// qualified id ever repeats, gives the later rows "~2", "~3"... in file
// order.
package uscsl

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// SourceID is the source id of the Consolidated Screening List.
const SourceID = "us-csl"

// FormatCSL reads consolidated.csv from trade.gov.
var FormatCSL = source.Format{
	ID:    "us-csl-csv",
	Title: "US Consolidated Screening List CSV (trade.gov consolidated.csv)",
	Sniff: sniff,
	Parse: parse,
}

func sniff(name string, head []byte) bool {
	h := string(source.StripBOM(head))
	if i := strings.IndexAny(h, "\r\n"); i >= 0 {
		h = h[:i]
	}
	h = strings.ReplaceAll(h, `"`, "")
	return strings.HasPrefix(h, "_id,source,") && strings.Contains(h, "alt_names") && strings.Contains(h, "source_list_url")
}

var required = []string{"_id", "source", "name"}

func parse(ctx context.Context, files []source.File, emit source.Emit) (source.Meta, error) {
	meta := source.Meta{Source: SourceID}
	f, rc, err := source.OpenOne("us-csl-csv", files)
	if err != nil {
		return meta, err
	}
	defer rc.Close()
	return meta, parseReader(ctx, f.Name, rc, emit)
}

func parseReader(ctx context.Context, file string, r io.Reader, emit source.Emit) error {
	cr := csv.NewReader(source.CSVText(file, source.UTF8Text(file, r), ',', 0))
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return source.NewError(file, 1, "", "empty file: no header row")
	}
	if err != nil {
		if source.Located(err) {
			return err
		}
		return source.NewError(file, 1, "header", "%v", source.CSVMessage(err))
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, c := range required {
		if _, ok := col[c]; !ok {
			return source.NewError(file, 1, "header", "missing column %q: not a Consolidated Screening List CSV", c)
		}
	}
	want := len(header)
	cr.FieldsPerRecord = want
	seen := map[string]int{}
	row := 0
	for {
		rec, line, err := source.CSVRow(cr, file, row+1, want)
		if err == io.EOF {
			break
		}
		row++
		if err != nil {
			return err
		}
		if row%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		get := func(name string) string {
			if i, ok := col[name]; ok {
				return source.Clean(rec[i])
			}
			return ""
		}
		e, err := buildEntity(get, seen)
		if err != nil {
			return source.NewError(file, line, "", "row %d: %v", row, err)
		}
		if err := emit(e); err != nil {
			return err
		}
	}
	if row == 0 {
		return source.NewError(file, 1, "", "no data rows after the header")
	}
	return ctx.Err()
}

// splitList splits a multi-valued cell on ";".
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var reAbbrev = regexp.MustCompile(`\(([^()]+)\)`)

// listInfo returns the list name, its abbreviation and the authority for a
// source cell such as "Entity List (EL) - Bureau of Industry and Security".
func listInfo(src string) (list, abbrev, authority string) {
	list = src
	agency := ""
	if i := strings.LastIndex(src, " - "); i > 0 {
		list, agency = strings.TrimSpace(src[:i]), strings.TrimSpace(src[i+3:])
	}
	if m := reAbbrev.FindStringSubmatch(list); m != nil {
		abbrev = m[1]
	}
	a := strings.ToLower(agency + " " + list)
	switch {
	case strings.Contains(a, "treasury"):
		authority = "US-OFAC"
	case strings.Contains(a, "industry and security"):
		authority = "US-BIS"
	case strings.Contains(a, "state department"), strings.Contains(a, "department of state"):
		authority = "US-DOS"
		switch {
		case strings.Contains(a, "itar"), strings.Contains(a, "dtc"):
			authority = "US-DDTC"
		case strings.Contains(a, "nonproliferation"), strings.Contains(a, "isn"):
			authority = "US-ISN"
		}
	default:
		authority = "US-ITA"
	}
	return list, abbrev, authority
}

var reOrgWord = regexp.MustCompile(`(?i)\b(ltd|limited|llc|l\.l\.c|inc|corp|corporation|co|company|companies|gmbh|s\.a|sa|s\.l|srl|s\.r\.l|ag|bv|b\.v|plc|pte|pvt|jsc|ojsc|pjsc|ooo|oao|zao|fze|fzco|fzc|group|holding|holdings|industries|industry|trading|enterprise|enterprises|technology|technologies|bank|institute|university|airlines|airways|shipping|ministry|organization|organisation|center|centre|association|foundation|factory|plant|laboratory|research|services|international|electronics|logistics|l\.p|lp|k\.k|kft|s\.p\.a|spa)\b\.?`)

func buildEntity(get func(string) string, seen map[string]int) (*lexscreen.Entity, error) {
	id := get("_id")
	if id == "" {
		id = get("entity_number")
	}
	if id == "" {
		return nil, errors.New("no _id and no entity_number")
	}
	name := get("name")
	if name == "" {
		return nil, fmt.Errorf("_id %s: empty name", id)
	}
	src := get("source")
	list, abbrev, authority := listInfo(src)
	key := source.Slug(abbrev)
	if key == "" {
		key = source.Slug(list)
	}
	if key != "" {
		key += "-"
	}
	key += id
	seen[key]++
	if c := seen[key]; c > 1 {
		key = fmt.Sprintf("%s~%d", key, c)
	}
	e := &lexscreen.Entity{ID: SourceID + ":" + key, Source: SourceID}

	e.AddName(lexscreen.Name{Full: name, Kind: lexscreen.NamePrimary, Script: source.Script(name)})
	for _, a := range splitList(get("alt_names")) {
		e.AddName(lexscreen.Name{Full: a, Kind: lexscreen.NameAlias, Script: source.Script(a)})
	}

	if t := get("title"); t != "" {
		e.Titles = append(e.Titles, t)
	}
	for _, d := range splitList(get("dates_of_birth")) {
		if v, ok := parseDOB(d); ok {
			e.BirthDates = append(e.BirthDates, v)
		} else {
			e.AddAttribute("birth_date_text", d)
		}
	}
	for _, p := range splitList(get("places_of_birth")) {
		e.BirthPlaces = append(e.BirthPlaces, place(p))
	}
	for _, c := range splitList(get("nationalities")) {
		e.Nationalities = source.AppendUnique(e.Nationalities, source.NewCountry(c))
	}
	for _, c := range splitList(get("citizenships")) {
		e.Citizenships = source.AppendUnique(e.Citizenships, source.NewCountry(c))
	}
	for _, a := range splitList(get("addresses")) {
		e.Addresses = append(e.Addresses, address(a))
	}
	parseIDs(e, get("ids"))

	// Vessel details.
	e.AddAttribute("call_sign", get("call_sign"))
	e.AddAttribute("vessel_type", get("vessel_type"))
	e.AddAttribute("tonnage", get("gross_tonnage"))
	e.AddAttribute("gross_registered_tonnage", get("gross_registered_tonnage"))
	if fl := get("vessel_flag"); fl != "" {
		e.AddAttribute("flag", fl)
		if c := source.NewCountry(fl); c.Code != "" {
			e.Countries = source.AppendUnique(e.Countries, c)
		}
	}
	e.AddAttribute("owner", get("vessel_owner"))
	// Export-control details.
	e.AddAttribute("standard_order", get("standard_order"))
	e.AddAttribute("license_requirement", get("license_requirement"))
	e.AddAttribute("license_policy", get("license_policy"))
	e.AddAttribute("end_date", get("end_date"))
	e.AddAttribute("source_list_url", get("source_list_url"))
	e.AddAttribute("source_information_url", get("source_information_url"))
	e.Remarks = get("remarks")

	e.Schema = lexscreen.ParseSchema(get("type"))
	if get("type") == "" {
		e.Schema = inferSchema(e, name)
	}

	base := lexscreen.Designation{Authority: authority, List: list, LegalBasis: get("federal_register_notice")}
	if sd := get("start_date"); sd != "" {
		if v, ok := source.ParseDateValue(sd); ok {
			base.ListedOn = v
		} else {
			e.AddAttribute("start_date", sd)
		}
	}
	if en := get("entity_number"); en != "" {
		base.Reference = en
	}
	progs := splitList(get("programs"))
	if len(progs) == 0 {
		e.Designations = append(e.Designations, base)
	}
	for _, p := range progs {
		d := base
		d.Program = p
		e.Designations = append(e.Designations, d)
	}
	return e, nil
}

// inferSchema guesses the schema of rows with an empty type (BIS and State
// lists): birth data means a person, a company word an organisation, else
// unknown.
func inferSchema(e *lexscreen.Entity, name string) lexscreen.Schema {
	if len(e.BirthDates) > 0 || len(e.BirthPlaces) > 0 || len(e.Nationalities) > 0 || len(e.Citizenships) > 0 || e.Gender != "" {
		return lexscreen.SchemaPerson
	}
	if reOrgWord.MatchString(name) {
		return lexscreen.SchemaOrganization
	}
	return lexscreen.SchemaUnknown
}

// parseDOB reads a date of birth. OFAC writes a year known only as a year
// as the range "01 Jan 1960 to 31 Dec 1960"; that is returned as the year
// 1960, and "01 Jan 1961 to 31 Dec 1962" as the years 1961..1962 (Text keeps
// the original).
func parseDOB(s string) (lexscreen.DateValue, bool) {
	v, ok := source.ParseDateValue(s)
	if !ok {
		return v, false
	}
	f, t := v.From, v.To
	if !t.IsZero() && f.Month == 1 && f.Day == 1 && t.Month == 12 && t.Day == 31 {
		v.From, v.To = lexscreen.PartialDate{Year: f.Year}, lexscreen.PartialDate{Year: t.Year}
		if f.Year == t.Year {
			v.To = lexscreen.PartialDate{}
		}
	}
	return v, true
}

// place reads "City, Region, Country" loosely: the last comma part is taken
// as the country when it is one.
func place(s string) lexscreen.Place {
	p := lexscreen.Place{Text: s}
	parts := strings.Split(s, ",")
	if len(parts) > 1 {
		last := strings.TrimSpace(parts[len(parts)-1])
		if c := source.NewCountry(last); c.Code != "" {
			p.Country = c
		}
	} else if c := source.NewCountry(s); c.Code != "" && len(s) > 2 {
		p.Country = c
	}
	return p
}

var reISO2 = regexp.MustCompile(`^[A-Z]{2}$`)

// address reads "street, city, postal code, CC": the last part is an ISO
// country code. The other parts are kept whole in Full.
func address(s string) lexscreen.Address {
	a := lexscreen.Address{Full: s}
	parts := strings.Split(s, ",")
	last := strings.TrimSpace(parts[len(parts)-1])
	if reISO2.MatchString(last) {
		if c := source.NewCountry(last); c.Code != "" {
			a.Country = c
		}
	}
	return a
}

// metaLabels are "ids" labels that carry facts about the entity rather than
// documents. Keys are lower-case labels without a trailing ":" or "-".
var metaLabels = map[string]string{
	"gender": "", "nationality country": "", "citizenship country": "",
	"website": "", "email address": "", "phone number": "", "fax": "", "fax number": "",
	"organization established date": "organization_established_date",
	"organization type":             "organization_type",
	"target type":                   "target_type",
	"aircraft model":                "aircraft_model",
	"aircraft manufacture date":     "aircraft_manufacture_date",
	"aircraft operator":             "aircraft_operator",
	"vessel year of build":          "build_year",
	"former vessel flag":            "former_flag",
	"other vessel flag":             "flag",
	"other vessel type":             "vessel_type",
	"other vessel call sign":        "call_sign",
	"nationality of registration":   "registration_country",
	"registration country":          "registration_country",
	"issuer name":                   "issuer_name",
	"equity ticker":                 "equity_ticker",
	"un/locode":                     "un_locode",
}

// parseIDs reads the "ids" cell: items "Label, Number[, CC]" separated by
// "; ". An item without ", " continues the previous one (its value held a
// "; "). Document labels become Identifiers; facts (gender, nationality,
// websites, sanctions information, dates) go to their fields or Attributes.
func parseIDs(e *lexscreen.Entity, cell string) {
	if cell == "" {
		return
	}
	var items []string
	for _, it := range strings.Split(cell, "; ") {
		it = strings.TrimSpace(it)
		if it == "" {
			continue
		}
		if !strings.Contains(it, ", ") && len(items) > 0 {
			items[len(items)-1] += "; " + it
			continue
		}
		items = append(items, it)
	}
	for _, it := range items {
		label, value, ok := strings.Cut(it, ", ")
		label = strings.TrimSpace(label)
		value = strings.TrimSpace(value)
		if !ok || value == "" {
			e.AddAttribute("ids_other", it)
			continue
		}
		key := strings.ToLower(strings.TrimSpace(strings.TrimRight(label, " :-")))
		switch key {
		case "gender":
			e.Gender = strings.ToLower(value)
			continue
		case "nationality country":
			e.Nationalities = source.AppendUnique(e.Nationalities, source.NewCountry(value))
			continue
		case "citizenship country":
			e.Citizenships = source.AppendUnique(e.Citizenships, source.NewCountry(value))
			continue
		case "website":
			e.Contacts = append(e.Contacts, lexscreen.Contact{Kind: "website", Value: value})
			continue
		case "email address":
			e.Contacts = append(e.Contacts, lexscreen.Contact{Kind: "email", Value: value})
			continue
		case "phone number":
			e.Contacts = append(e.Contacts, lexscreen.Contact{Kind: "phone", Value: value})
			continue
		case "fax", "fax number":
			e.Contacts = append(e.Contacts, lexscreen.Contact{Kind: "fax", Value: value})
			continue
		}
		if attr, ok := metaLabels[key]; ok && attr != "" {
			e.AddAttribute(attr, value)
			continue
		}
		if isInfoLabel(key) {
			e.AddAttribute(source.Snake(key), value)
			continue
		}
		id := lexscreen.Identifier{Kind: source.IdentifierKind(label), Label: label, Number: value}
		if i := strings.LastIndex(value, ", "); i > 0 && reISO2.MatchString(value[i+2:]) {
			if c := source.NewCountry(value[i+2:]); c.Code != "" {
				id.Number, id.Country = strings.TrimSpace(value[:i]), c
			}
		}
		if id.Kind == lexscreen.IDIMO {
			id.Number = strings.TrimSpace(strings.TrimPrefix(id.Number, "IMO"))
		}
		e.Identifiers = append(e.Identifiers, id)
	}
}

// isInfoLabel reports labels of sanctions information rather than documents:
// "Secondary sanctions risk:", "Executive Order 13662 Directive
// Determination -", "Listing Date (CMIC)", "CAATSA Section 235 Information:".
func isInfoLabel(k string) bool {
	for _, p := range []string{"executive order", "listing date", "effective date", "purchase/sales", "secondary sanctions",
		"additional sanctions", "transactions prohibited"} {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return strings.Contains(k, "information") || strings.Contains(k, "determination") || strings.HasSuffix(k, " date")
}
