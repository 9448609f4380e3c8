// Package custom reads lexscreen's own formats for lists that no official
// publisher provides: a bank's internal list, ICC arrest warrants, a PEP
// list. "lexscreen-csv" is a CSV file with a header row; "lexscreen-json" is
// a JSON document {"source", "title", "published", "entities": [...]} or
// JSON lines of entities as the lexscreen domain types marshal them.
// The README ("Custom lists") documents both for users.
//
// Both are validated strictly: a missing id or name, a duplicate id, a bad
// date, an unknown schema or identifier kind is an error that names the
// file, the line (CSV, JSON lines) or entity index (JSON document) and the
// field. Duplicate detection keeps the set of ids seen, which is the only
// state that grows with the file.
package custom

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

var (
	reSourceID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,40}$`)
	reNonSlug  = regexp.MustCompile(`[^a-z0-9]+`)
	reISODate  = regexp.MustCompile(`^\d{4}(?:-\d{2}(?:-\d{2})?)?$`)
)

// CheckSourceID reports why id cannot name a custom list: it must match
// ^[a-z0-9][a-z0-9-]{1,40}$ and must not be an official source id (those in
// source.SourceInfos) nor start with "ftm-" (FollowTheMoney imports).
func CheckSourceID(id string) error {
	if !reSourceID.MatchString(id) {
		return fmt.Errorf("source id %q: want lower-case letters, digits and '-', 2 to 41 characters, not starting with '-'", id)
	}
	if _, ok := source.SourceInfos[id]; ok {
		return fmt.Errorf("source id %q is an official list's; choose another (e.g. %q)", id, "custom-"+id)
	}
	if strings.HasPrefix(id, "ftm-") {
		return fmt.Errorf("source id %q: the prefix ftm- is reserved for FollowTheMoney imports", id)
	}
	return nil
}

// DefaultSource is the source id of a custom list that names none:
// "custom-" and the file name without extension, in lower case with other
// characters turned into '-' ("ICC Warrants 2025.csv" gives
// "custom-icc-warrants-2025").
func DefaultSource(fileName string) string {
	base := path.Base(strings.ReplaceAll(fileName, "\\", "/"))
	for {
		ext := path.Ext(base)
		if ext == "" || len(ext) > 7 {
			break
		}
		base = strings.TrimSuffix(base, ext)
	}
	s := strings.Trim(reNonSlug.ReplaceAllString(strings.ToLower(base), "-"), "-")
	if len(s) > 34 {
		s = strings.TrimRight(s[:34], "-")
	}
	if s == "" {
		s = "list"
	}
	return "custom-" + s
}

// parsePublished reads a publication date: ISO date or RFC 3339 time.
func parsePublished(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD or an RFC 3339 time", s)
}

// ParseDate reads a date as the custom formats write it: an ISO partial
// date "1960", "1960-08", "1960-08-31", a range "1973..1974" and a circa
// mark "~1951" (also "~1950..1955"). Nothing is filled in.
func ParseDate(s string) (lexscreen.DateValue, error) {
	t := strings.TrimSpace(s)
	v := lexscreen.DateValue{Text: t}
	if strings.HasPrefix(t, "~") {
		v.Circa = true
		t = strings.TrimSpace(t[1:])
	}
	from, to, isRange := strings.Cut(t, "..")
	one := func(x string) (lexscreen.PartialDate, error) {
		x = strings.TrimSpace(x)
		if !reISODate.MatchString(x) {
			return lexscreen.PartialDate{}, fmt.Errorf("invalid date %q: want YYYY, YYYY-MM or YYYY-MM-DD, a range YYYY..YYYY or ~YYYY", s)
		}
		return lexscreen.ParseISODate(x)
	}
	var err error
	if v.From, err = one(from); err != nil {
		return v, err
	}
	if isRange {
		if v.To, err = one(to); err != nil {
			return v, err
		}
		if v.To.Last().Before(v.From.First()) {
			return v, fmt.Errorf("invalid date range %q: ends before it starts", s)
		}
	}
	return v, nil
}

// parseGender normalises a gender value.
func parseGender(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return "", nil
	case "m", "male", "man":
		return "male", nil
	case "f", "female", "woman":
		return "female", nil
	case "other", "x":
		return "other", nil
	}
	return "", fmt.Errorf("invalid gender %q: want male, female, other (or m, f)", s)
}

var identifierKinds = map[lexscreen.IdentifierKind]bool{
	lexscreen.IDPassport: true, lexscreen.IDNational: true, lexscreen.IDTax: true, lexscreen.IDRegistration: true,
	lexscreen.IDIMO: true, lexscreen.IDMMSI: true, lexscreen.IDBIC: true, lexscreen.IDLEI: true,
	lexscreen.IDCrypto: true, lexscreen.IDOther: true,
}

// identifierKind maps a kind written in a custom list: one of lexscreen's
// kinds ("passport", "national_id", "tax_id", ...), else a publisher label
// classified by source.IdentifierKind.
func identifierKind(label string) lexscreen.IdentifierKind {
	k := lexscreen.IdentifierKind(strings.ToLower(strings.TrimSpace(label)))
	if identifierKinds[k] {
		return k
	}
	return source.IdentifierKind(label)
}

// country builds a Country from a name or ISO code.
func country(s string) lexscreen.Country { return source.NewCountry(s) }

var nameKinds = map[lexscreen.NameKind]bool{
	lexscreen.NamePrimary: true, lexscreen.NameAlias: true, lexscreen.NameWeakAlias: true, lexscreen.NameFormer: true,
}

// fieldError is a validation problem in one field of an entity.
type fieldError struct {
	field string
	msg   string
}

func (e *fieldError) Error() string { return e.field + ": " + e.msg }

func ferr(field, format string, args ...any) error {
	return &fieldError{field: field, msg: fmt.Sprintf(format, args...)}
}

// personOnly reports whether e has facts only persons have.
func personOnly(e *lexscreen.Entity) bool {
	if e.Gender != "" || len(e.BirthDates) > 0 || len(e.BirthPlaces) > 0 || len(e.Nationalities) > 0 || len(e.Citizenships) > 0 || len(e.DeathDates) > 0 {
		return true
	}
	for _, n := range e.Names {
		if len(n.Parts) > 0 {
			return true
		}
	}
	return false
}

// normalize checks and completes an entity read from a custom list: name
// kinds and scripts, schema, countries, identifiers, dates, designations.
func normalize(e *lexscreen.Entity, src string) error {
	if len(e.Names) == 0 {
		return ferr("names", "missing: every entity needs a name")
	}
	hasPrimary := false
	for i := range e.Names {
		n := &e.Names[i]
		n.Full = source.Clean(n.Full)
		if n.Full == "" {
			return ferr(fmt.Sprintf("names[%d].full", i), "empty name")
		}
		if n.Kind == "" {
			n.Kind = lexscreen.NamePrimary
		}
		if !nameKinds[n.Kind] {
			return ferr(fmt.Sprintf("names[%d].kind", i), "unknown name kind %q: want primary, alias, weak_alias or former", n.Kind)
		}
		hasPrimary = hasPrimary || n.Kind == lexscreen.NamePrimary
		if n.Script == "" {
			n.Script = source.Script(n.Full)
		}
	}
	if !hasPrimary {
		return ferr("names", "no primary name")
	}
	switch {
	case e.Schema == "":
		e.Schema = lexscreen.SchemaUnknown
		if personOnly(e) {
			e.Schema = lexscreen.SchemaPerson
		}
	case e.Schema == lexscreen.SchemaUnknown:
	default:
		s := lexscreen.ParseSchema(string(e.Schema))
		if s == lexscreen.SchemaUnknown {
			return ferr("schema", "unknown schema %q: want person, organization, vessel or aircraft", e.Schema)
		}
		e.Schema = s
	}
	g, err := parseGender(e.Gender)
	if err != nil {
		return ferr("gender", "%s", err.Error())
	}
	e.Gender = g
	for _, l := range []struct {
		field string
		list  []lexscreen.Country
	}{{"nationalities", e.Nationalities}, {"citizenships", e.Citizenships}, {"countries", e.Countries}} {
		for i := range l.list {
			if err := normCountry(&l.list[i]); err != nil {
				return ferr(fmt.Sprintf("%s[%d]", l.field, i), "%s", err.Error())
			}
		}
	}
	for i := range e.BirthPlaces {
		if err := normCountry(&e.BirthPlaces[i].Country); err != nil {
			return ferr(fmt.Sprintf("birth_places[%d].country", i), "%s", err.Error())
		}
	}
	for i := range e.Addresses {
		if err := normCountry(&e.Addresses[i].Country); err != nil {
			return ferr(fmt.Sprintf("addresses[%d].country", i), "%s", err.Error())
		}
	}
	for _, l := range []struct {
		field string
		list  []lexscreen.DateValue
	}{{"birth_dates", e.BirthDates}, {"death_dates", e.DeathDates}} {
		for i, d := range l.list {
			if err := checkDateValue(d, true); err != nil {
				return ferr(fmt.Sprintf("%s[%d]", l.field, i), "%s", err.Error())
			}
		}
	}
	for i := range e.Identifiers {
		id := &e.Identifiers[i]
		id.Number = source.Clean(id.Number)
		if id.Number == "" {
			return ferr(fmt.Sprintf("identifiers[%d].number", i), "empty identifier number")
		}
		if id.Kind == "" {
			id.Kind = identifierKind(id.Label)
		}
		if !identifierKinds[id.Kind] {
			return ferr(fmt.Sprintf("identifiers[%d].kind", i), "unknown identifier kind %q", id.Kind)
		}
		if err := normCountry(&id.Country); err != nil {
			return ferr(fmt.Sprintf("identifiers[%d].country", i), "%s", err.Error())
		}
	}
	for i := range e.Designations {
		d := &e.Designations[i]
		if d.Authority == "" {
			d.Authority = src
		}
		if err := checkDateValue(d.ListedOn, false); err != nil {
			return ferr(fmt.Sprintf("designations[%d].listed_on", i), "%s", err.Error())
		}
	}
	for i, c := range e.Contacts {
		if c.Kind == "" || c.Value == "" {
			return ferr(fmt.Sprintf("contacts[%d]", i), "contact needs kind and value")
		}
	}
	for i, l := range e.Links {
		if l.Relation == "" || (l.TargetID == "" && l.Target == "") {
			return ferr(fmt.Sprintf("links[%d]", i), "link needs relation and target_id or target")
		}
	}
	for k := range e.Attributes {
		if k == "" {
			return ferr("attributes", "empty attribute name")
		}
	}
	return nil
}

// checkDateValue rejects ranges that end before they start and, when
// required, dates with neither a date nor text.
func checkDateValue(d lexscreen.DateValue, required bool) error {
	if d.IsZero() {
		if required {
			return fmt.Errorf("empty date")
		}
		return nil
	}
	if !d.To.IsZero() && d.Latest().Before(d.Earliest()) {
		return fmt.Errorf("date range %s ends before it starts", d.String())
	}
	return nil
}

// normCountry fills the code from the name or the name from the code.
func normCountry(c *lexscreen.Country) error {
	c.Name = source.Clean(c.Name)
	c.Code = strings.ToUpper(strings.TrimSpace(c.Code))
	if c.Code != "" {
		if len(c.Code) != 2 || c.Code[0] < 'A' || c.Code[0] > 'Z' || c.Code[1] < 'A' || c.Code[1] > 'Z' {
			return fmt.Errorf("invalid country code %q: want ISO 3166-1 alpha-2", c.Code)
		}
		if c.Name == "" {
			c.Name = source.CountryName(c.Code)
		}
		return nil
	}
	if c.Name != "" {
		*c = source.NewCountry(c.Name)
	}
	return nil
}
