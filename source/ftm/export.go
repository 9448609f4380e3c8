package ftm

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"io"
	"sort"
	"strings"
	"unicode"

	"github.com/lexscreen/lexscreen"
)

// Writing entities back as FollowTheMoney: yente's entity shape (the
// answers of /match, /search and /entities) and `lexscreen export --format
// ftm`. An entity imported from an FtM file goes back with its own FtM id,
// schema, datasets, referents and first_seen/last_seen/last_change; any
// other entity gets its lexscreen id and the FtM properties its fields map
// to. Facts without an FtM property are left out, never renamed into one.

// Exported is one FtM entity as yente and OpenSanctions write it.
// Properties hold strings, and nested entities (Sanction) under "sanctions".
type Exported struct {
	ID         string           `json:"id"`
	Caption    string           `json:"caption"`
	Schema     string           `json:"schema"`
	Properties map[string][]any `json:"properties"`
	Datasets   []string         `json:"datasets"`
	Referents  []string         `json:"referents"`
	Target     bool             `json:"target"`
	FirstSeen  Timestamp        `json:"first_seen"`
	LastSeen   Timestamp        `json:"last_seen"`
	LastChange Timestamp        `json:"last_change"`
}

// Timestamp is an FtM time ("2023-04-20T18:00:25"), written as null when
// unknown, as yente writes first_seen, last_seen and last_change.
type Timestamp string

// MarshalJSON writes the time as a string, or null when it is "".
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(t))
}

// ExternalID is the id clients see: the FtM id for an entity imported from
// an FtM file (source "ftm-..."), else the lexscreen id.
func ExternalID(id string) string {
	if src, key, ok := strings.Cut(id, ":"); ok && strings.HasPrefix(src, "ftm-") && key != "" {
		return key
	}
	return id
}

// DatasetName is the FtM dataset name of a lexscreen source id:
// "us-ofac-sdn" is "us_ofac_sdn"; an FtM import keeps the name it was
// published under ("ftm-zala" is "zala"), as yente's clients know it.
func DatasetName(source string) string {
	return strings.ReplaceAll(strings.TrimPrefix(source, "ftm-"), "-", "_")
}

// NamesSource reports whether name (a dataset name as DatasetName gives
// it, or a source id) names the source.
func NamesSource(name, source string) bool {
	return name != "" && (source == name || source == SourceOfDataset(name) || DatasetName(source) == name)
}

// SourceOfDataset is the source id a dataset name (or a source id) names.
func SourceOfDataset(name string) string { return strings.ReplaceAll(name, "_", "-") }

// FtMSchema is the FtM schema of an entity: the one it was imported with,
// else its lexscreen schema's.
func FtMSchema(e *lexscreen.Entity) string {
	if s := e.Attributes["ftm_schema"]; len(s) > 0 {
		return s[0]
	}
	switch e.Schema {
	case lexscreen.SchemaPerson:
		return "Person"
	case lexscreen.SchemaOrganization:
		return "Organization"
	case lexscreen.SchemaVessel:
		return "Vessel"
	case lexscreen.SchemaAircraft:
		return "Airplane"
	}
	return "LegalEntity"
}

// attributeProps map lexscreen attribute keys to FtM properties.
var attributeProps = map[string]string{
	"vessel_type": "type", "call_sign": "callSign", "tonnage": "tonnage", "gross_registered_tonnage": "grossRegisteredTonnage",
	"build_year": "buildDate", "build_date": "buildDate", "aircraft_model": "model", "topics": "topics", "source_url": "sourceUrl",
	"program_id": "programId", "name_suffix": "nameSuffix", "birth_date_text": "birthDate", "death_date_text": "deathDate",
	"crypto_xbt": "publicKey", "modified_at": "modifiedAt", "created_at": "createdAt", "education": "education",
	"religion": "religion", "ethnicity": "ethnicity", "political": "political", "weak_alias": "weakAlias",
}

// attributeMeta are attributes that are record metadata, not properties.
var attributeMeta = map[string]bool{"ftm_schema": true, "target": true, "datasets": true, "referents": true,
	"first_seen": true, "last_seen": true, "last_change": true, "flag": true}

// Export converts an entity to FtM. topics are added to the "topics"
// property (yente's filters derive them); datasetName is the entity's list
// as a dataset name.
func Export(e *lexscreen.Entity, topics []string) Exported {
	x := Exported{ID: ExternalID(e.ID), Caption: e.Caption(), Schema: FtMSchema(e), Properties: map[string][]any{},
		Datasets: []string{DatasetName(e.Source)}, Referents: []string{}, Target: true}
	a := e.Attributes
	if t := a["target"]; len(t) > 0 {
		x.Target = t[0] == "true"
	}
	for _, d := range a["datasets"] {
		if !contains(x.Datasets, d) {
			x.Datasets = append(x.Datasets, d)
		}
	}
	x.Referents = append(x.Referents, a["referents"]...)
	x.FirstSeen, x.LastSeen, x.LastChange = Timestamp(first(a["first_seen"])), Timestamp(first(a["last_seen"])), Timestamp(first(a["last_change"]))
	add := func(prop string, vs ...string) {
		for _, v := range vs {
			if v = strings.TrimSpace(v); v != "" && !containsAny(x.Properties[prop], v) {
				x.Properties[prop] = append(x.Properties[prop], v)
			}
		}
	}
	for _, n := range e.Names {
		switch n.Kind {
		case lexscreen.NameAlias:
			add("alias", n.Full)
		case lexscreen.NameWeakAlias:
			add("weakAlias", n.Full)
		case lexscreen.NameFormer:
			add("previousName", n.Full)
		default:
			add("name", n.Full)
		}
		if e.Schema != lexscreen.SchemaPerson {
			continue
		}
		for _, p := range n.Parts {
			switch p.Kind {
			case lexscreen.PartGiven:
				add("firstName", p.Value)
			case lexscreen.PartMiddle:
				add("middleName", p.Value)
			case lexscreen.PartFamily:
				add("lastName", p.Value)
			case lexscreen.PartPatronymic:
				add("fatherName", p.Value)
			case lexscreen.PartMatronymic:
				add("motherName", p.Value)
			}
		}
	}
	if e.Gender != "" {
		add("gender", e.Gender)
	}
	for _, d := range e.BirthDates {
		add("birthDate", dateStrings(d)...)
	}
	for _, d := range e.DeathDates {
		add("deathDate", dateStrings(d)...)
	}
	for _, p := range e.BirthPlaces {
		add("birthPlace", p.Text)
		add("birthCountry", strings.ToLower(p.Country.Code))
	}
	for _, c := range e.Nationalities {
		add("nationality", countryValue(c))
	}
	for _, c := range e.Citizenships {
		add("citizenship", countryValue(c))
	}
	for _, c := range e.Countries {
		add("country", countryValue(c))
	}
	add("title", e.Titles...)
	add("position", e.Positions...)
	for _, id := range e.Identifiers {
		add(identifierProp(id), id.Number)
	}
	for _, ad := range e.Addresses {
		add("address", addressText(ad))
	}
	for _, c := range e.Contacts {
		switch c.Kind {
		case "email", "phone", "website":
			add(c.Kind, c.Value)
		}
	}
	if e.Remarks != "" {
		add("notes", strings.Split(e.Remarks, "\n")...)
	}
	add("topics", topics...)
	for _, d := range e.Designations {
		add("program", d.Program)
	}
	keys := make([]string, 0, len(a))
	for k := range a {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fromFtM := len(a["ftm_schema"]) > 0
	for _, k := range keys {
		if attributeMeta[k] {
			continue
		}
		prop, ok := attributeProps[k]
		if !ok && fromFtM {
			prop, ok = camel(k), true // the FtM property convert stored under its snake_case name
		}
		if ok {
			add(prop, a[k]...)
		}
	}
	for i, d := range e.Designations {
		s := sanctionEntity(x.ID, i, d)
		s.Datasets = append(s.Datasets, x.Datasets...)
		s.FirstSeen, s.LastSeen, s.LastChange = x.FirstSeen, x.LastSeen, x.LastChange
		x.Properties["sanctions"] = append(x.Properties["sanctions"], s)
	}
	return x
}

// SanctionEntity is a designation as an FtM Sanction entity.
type SanctionEntity struct {
	ID         string              `json:"id"`
	Caption    string              `json:"caption"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
	Datasets   []string            `json:"datasets"`
	Referents  []string            `json:"referents"`
	Target     bool                `json:"target"`
	// The times are those of the sanctioned entity's record.
	FirstSeen  Timestamp `json:"first_seen"`
	LastSeen   Timestamp `json:"last_seen"`
	LastChange Timestamp `json:"last_change"`
}

// SetLastSeen sets last_seen on the entity and on its nested sanctions.
func (x *Exported) SetLastSeen(t Timestamp) {
	x.LastSeen = t
	for i, v := range x.Properties["sanctions"] {
		if s, ok := v.(SanctionEntity); ok {
			s.LastSeen = t
			x.Properties["sanctions"][i] = s
		}
	}
}

func sanctionEntity(entityID string, i int, d lexscreen.Designation) SanctionEntity {
	h := sha1.Sum([]byte(entityID + "\x00" + d.Authority + "\x00" + d.Program + "\x00" + d.Reference + "\x00" + string(rune('0'+i))))
	p := map[string][]string{"entity": {entityID}}
	set := func(k string, vs ...string) {
		for _, v := range vs {
			if v != "" {
				p[k] = append(p[k], v)
			}
		}
	}
	set("authority", d.Authority)
	set("program", d.Program)
	set("authorityId", d.Reference)
	set("provisions", d.Measures...)
	set("reason", d.Remarks)
	set("summary", d.LegalBasis)
	if !d.ListedOn.IsZero() {
		set("listingDate", d.ListedOn.From.String())
		set("startDate", d.ListedOn.From.String())
	}
	caption := d.Authority
	if d.Program != "" {
		caption += " " + d.Program
	}
	return SanctionEntity{ID: "lexscreen-sanction-" + hex.EncodeToString(h[:10]), Caption: caption, Schema: "Sanction", Properties: p,
		Datasets: []string{}, Referents: []string{}}
}

func identifierProp(id lexscreen.Identifier) string {
	for _, ip := range idProps {
		if ip.prop == id.Label {
			return ip.prop
		}
	}
	switch id.Kind {
	case lexscreen.IDPassport:
		return "passportNumber"
	case lexscreen.IDTax:
		return "taxNumber"
	case lexscreen.IDRegistration:
		return "registrationNumber"
	case lexscreen.IDIMO:
		return "imoNumber"
	case lexscreen.IDMMSI:
		return "mmsi"
	case lexscreen.IDBIC:
		return "swiftBic"
	case lexscreen.IDLEI:
		return "leiCode"
	}
	return "idNumber"
}

// dateStrings are the ISO partial dates of a date value (both ends of a range).
func dateStrings(d lexscreen.DateValue) []string {
	out := []string{d.From.String()}
	if !d.To.IsZero() && d.To != d.From {
		out = append(out, d.To.String())
	}
	return out
}

func countryValue(c lexscreen.Country) string {
	if c.Code != "" {
		return strings.ToLower(c.Code)
	}
	return c.Name
}

func addressText(a lexscreen.Address) string {
	if a.Full != "" {
		return a.Full
	}
	var parts []string
	for _, s := range []string{a.Street, a.City, a.Region, a.PostalCode, a.Country.Name} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// camel turns a snake_case key back into camelCase ("source_url" is "sourceUrl").
func camel(s string) string {
	var b strings.Builder
	up := false
	for _, r := range s {
		if r == '_' {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func first(vs []string) string {
	if len(vs) > 0 {
		return vs[0]
	}
	return ""
}

func contains(vs []string, v string) bool {
	for _, o := range vs {
		if o == v {
			return true
		}
	}
	return false
}

func containsAny(vs []any, v string) bool {
	for _, o := range vs {
		if s, ok := o.(string); ok && s == v {
			return true
		}
	}
	return false
}

// Writer writes entities as FtM JSON lines (entities.ftm.json).
type Writer struct {
	enc *json.Encoder
	n   int
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &Writer{enc: enc}
}

// Write writes one entity as one line.
func (w *Writer) Write(x Exported) error {
	w.n++
	return w.enc.Encode(x)
}

// Count is the number of entities written.
func (w *Writer) Count() int { return w.n }
