package quality

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// Props is one side of an entity check in FollowTheMoney property form:
// property name -> values ("name", "firstName", "birthDate", "imoNumber" ...).
type Props map[string][]string

// propsFrom converts a decoded YAML/JSON object (values: string, number,
// bool or lists of them) to Props.
func propsFrom(m map[string]any) Props {
	p := Props{}
	for k, v := range m {
		switch x := v.(type) {
		case nil:
		case []any:
			for _, y := range x {
				if s := strings.TrimSpace(fmt.Sprint(y)); s != "" && y != nil {
					p[k] = append(p[k], s)
				}
			}
		default:
			if s := strings.TrimSpace(fmt.Sprint(x)); s != "" {
				p[k] = append(p[k], s)
			}
		}
	}
	return p
}

// How FollowTheMoney properties map onto lexscreen. Every key of the
// evaluation files is here; unknown keys are reported, not silently lost.
var (
	ftmNameKinds = map[string]lexscreen.NameKind{
		"name": lexscreen.NamePrimary, "alias": lexscreen.NameAlias,
		"weakAlias": lexscreen.NameWeakAlias, "previousName": lexscreen.NameFormer,
	}
	// name parts in reading order: first middle father last.
	ftmParts = []struct {
		prop string
		kind lexscreen.NamePartKind
	}{
		{"title", lexscreen.PartTitle},
		{"firstName", lexscreen.PartGiven},
		{"secondName", lexscreen.PartMiddle},
		{"middleName", lexscreen.PartMiddle},
		{"fatherName", lexscreen.PartPatronymic},
		{"motherName", lexscreen.PartMatronymic},
		{"lastName", lexscreen.PartFamily},
		{"nameSuffix", lexscreen.PartOther},
	}
	ftmIdentifiers = map[string]lexscreen.IdentifierKind{
		"idNumber": lexscreen.IDNational, "passportNumber": lexscreen.IDPassport,
		"taxNumber": lexscreen.IDTax, "innCode": lexscreen.IDTax, "vatCode": lexscreen.IDTax,
		"registrationNumber": lexscreen.IDRegistration, "ogrnCode": lexscreen.IDRegistration,
		"okpoCode": lexscreen.IDRegistration, "kppCode": lexscreen.IDRegistration,
		"dunsCode": lexscreen.IDRegistration, "npiCode": lexscreen.IDRegistration,
		"imoNumber": lexscreen.IDIMO, "mmsi": lexscreen.IDMMSI, "swiftBic": lexscreen.IDBIC,
		"bicCode": lexscreen.IDBIC, "leiCode": lexscreen.IDLEI, "socialSecurityNumber": lexscreen.IDNational,
		"callSign": lexscreen.IDOther, "registrationNumberAircraft": lexscreen.IDRegistration,
		"serialNumber": lexscreen.IDOther, "uniqueEntityId": lexscreen.IDRegistration,
	}
	ftmNationality = map[string]bool{"nationality": true}
	ftmCitizenship = map[string]bool{"citizenship": true}
	ftmCountry     = map[string]bool{"country": true, "jurisdiction": true, "mainCountry": true, "flag": true}
	ftmOther       = map[string]bool{
		"birthDate": true, "deathDate": true, "incorporationDate": true, "gender": true,
		"birthPlace": true, "address": true, "position": true, "email": true, "phone": true,
		"website": true, "notes": true, "topics": true,
	}
)

// knownProp reports whether a property has a mapping.
func knownProp(k string) bool {
	if _, ok := ftmNameKinds[k]; ok {
		return true
	}
	for _, p := range ftmParts {
		if p.prop == k {
			return true
		}
	}
	if _, ok := ftmIdentifiers[k]; ok {
		return true
	}
	return ftmNationality[k] || ftmCitizenship[k] || ftmCountry[k] || ftmOther[k]
}

// unknownProps lists the keys of p that have no mapping.
func unknownProps(p Props) []string {
	var out []string
	for k := range p {
		if !knownProp(k) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// nameParts returns the tagged name parts of p in reading order (first
// middle father last) and the name they compose.
func (p Props) nameParts() ([]lexscreen.NamePart, string) {
	var parts []lexscreen.NamePart
	var words []string
	for _, fp := range ftmParts {
		for _, v := range p[fp.prop] {
			parts = append(parts, lexscreen.NamePart{Kind: fp.kind, Value: v})
			if fp.kind != lexscreen.PartTitle {
				words = append(words, v)
			}
		}
	}
	return parts, strings.Join(words, " ")
}

func country(s string) lexscreen.Country {
	if len(s) == 2 && strings.ToUpper(s) == s || len(s) == 2 && strings.ToLower(s) == s {
		return lexscreen.Country{Code: strings.ToUpper(s)}
	}
	return lexscreen.Country{Name: s}
}

// ToQuery builds a screening query from the properties: Name is the first
// name (else the first alias, else the name composed from the parts in
// reading order), Parts the tagged parts, BirthDate the first birth date,
// Countries every nationality, citizenship, country and jurisdiction, and
// Identifiers every identifier-like property.
func (p Props) ToQuery(schema lexscreen.Schema) lexscreen.Query {
	q := lexscreen.Query{Schema: schema}
	parts, composed := p.nameParts()
	q.Parts = parts
	for _, k := range []string{"name", "alias", "previousName", "weakAlias"} {
		if len(p[k]) > 0 {
			q.Name = p[k][0]
			break
		}
	}
	if q.Name == "" {
		q.Name = composed
	}
	if d := firstOf(p, "birthDate", "incorporationDate"); d != "" {
		q.BirthDate = d
	}
	for _, k := range sortedKeys(p) {
		if ftmNationality[k] || ftmCitizenship[k] || ftmCountry[k] {
			q.Countries = append(q.Countries, p[k]...)
		}
		if _, ok := ftmIdentifiers[k]; ok {
			q.Identifiers = append(q.Identifiers, p[k]...)
		}
	}
	return q
}

func firstOf(p Props, keys ...string) string {
	for _, k := range keys {
		if len(p[k]) > 0 {
			return p[k][0]
		}
	}
	return ""
}

// ToEntity builds a candidate entity from the properties. Each name,
// alias, weakAlias and previousName becomes a Name of that kind. Name parts
// are attached to the first primary name when every part occurs in it;
// otherwise (or when there is no name) the name composed from the parts in
// reading order is added as a primary name carrying the parts.
func (p Props) ToEntity(id string, schema lexscreen.Schema) *lexscreen.Entity {
	e := &lexscreen.Entity{ID: id, Source: "quality", Schema: schema}
	for _, k := range []string{"name", "alias", "weakAlias", "previousName"} {
		for _, v := range p[k] {
			e.AddName(lexscreen.Name{Full: v, Kind: ftmNameKinds[k]})
		}
	}
	parts, composed := p.nameParts()
	if len(parts) > 0 {
		attached := false
		for i := range e.Names {
			if e.Names[i].Kind != lexscreen.NamePrimary {
				continue
			}
			low := strings.ToLower(e.Names[i].Full)
			all := true
			for _, pt := range parts {
				all = all && strings.Contains(low, strings.ToLower(pt.Value))
			}
			if all {
				e.Names[i].Parts = parts
				attached = true
			}
			break
		}
		if !attached && composed != "" {
			e.AddName(lexscreen.Name{Full: composed, Kind: lexscreen.NamePrimary, Parts: parts})
		}
	}
	for _, k := range sortedKeys(p) {
		vs := p[k]
		switch {
		case ftmNationality[k]:
			for _, v := range vs {
				e.Nationalities = append(e.Nationalities, country(v))
			}
		case ftmCitizenship[k]:
			for _, v := range vs {
				e.Citizenships = append(e.Citizenships, country(v))
			}
		case ftmCountry[k]:
			for _, v := range vs {
				e.Countries = append(e.Countries, country(v))
			}
		case k == "birthDate" || k == "incorporationDate":
			for _, v := range vs {
				e.BirthDates = append(e.BirthDates, dateValue(v))
			}
		case k == "deathDate":
			for _, v := range vs {
				e.DeathDates = append(e.DeathDates, dateValue(v))
			}
		case k == "gender":
			e.Gender = vs[0]
		case k == "birthPlace":
			for _, v := range vs {
				e.BirthPlaces = append(e.BirthPlaces, lexscreen.Place{Text: v})
			}
		case k == "address":
			for _, v := range vs {
				e.Addresses = append(e.Addresses, lexscreen.Address{Full: v})
			}
		case k == "position":
			e.Positions = append(e.Positions, vs...)
		case k == "title":
			e.Titles = append(e.Titles, vs...)
		case k == "email" || k == "phone" || k == "website":
			for _, v := range vs {
				e.Contacts = append(e.Contacts, lexscreen.Contact{Kind: k, Value: v})
			}
		case k == "notes":
			e.Remarks = strings.Join(vs, "\n")
		}
		if kind, ok := ftmIdentifiers[k]; ok {
			for _, v := range vs {
				e.Identifiers = append(e.Identifiers, lexscreen.Identifier{Kind: kind, Label: k, Number: v})
			}
		}
	}
	return e
}

func dateValue(s string) lexscreen.DateValue {
	d, err := lexscreen.ParseISODate(s)
	if err != nil {
		return lexscreen.DateValue{Text: s}
	}
	return lexscreen.DateValue{From: d, Text: s}
}

// describe writes the properties compactly for reports: name or composed
// parts, then the other properties.
func (p Props) describe() string {
	var b strings.Builder
	for _, k := range sortedKeys(p) {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s=%s", k, strings.Join(p[k], "|"))
	}
	return b.String()
}
