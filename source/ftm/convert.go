package ftm

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// nameProps map FtM name properties to name kinds, in output order.
var nameProps = []struct {
	prop string
	kind lexscreen.NameKind
}{
	{"name", lexscreen.NamePrimary},
	{"alias", lexscreen.NameAlias},
	{"previousName", lexscreen.NameFormer},
	{"weakAlias", lexscreen.NameWeakAlias},
	{"abbreviation", lexscreen.NameWeakAlias},
}

// partProps map FtM name-part properties to part kinds, in matching order.
var partProps = []struct {
	prop string
	kind lexscreen.NamePartKind
}{
	{"firstName", lexscreen.PartGiven},
	{"secondName", lexscreen.PartMiddle},
	{"middleName", lexscreen.PartMiddle},
	{"fatherName", lexscreen.PartPatronymic},
	{"motherName", lexscreen.PartMatronymic},
	{"lastName", lexscreen.PartFamily},
}

// idProps map FtM identifier properties to identifier kinds, in output order.
var idProps = []struct {
	prop string
	kind lexscreen.IdentifierKind
}{
	{"passportNumber", lexscreen.IDPassport},
	{"idNumber", lexscreen.IDNational},
	{"socialSecurityNumber", lexscreen.IDNational},
	{"taxNumber", lexscreen.IDTax},
	{"innCode", lexscreen.IDTax},
	{"vatCode", lexscreen.IDTax},
	{"registrationNumber", lexscreen.IDRegistration},
	{"ogrnCode", lexscreen.IDRegistration},
	{"kppCode", lexscreen.IDRegistration},
	{"okpoCode", lexscreen.IDRegistration},
	{"uscCode", lexscreen.IDRegistration},
	{"imoNumber", lexscreen.IDIMO},
	{"mmsi", lexscreen.IDMMSI},
	{"swiftBic", lexscreen.IDBIC},
	{"leiCode", lexscreen.IDLEI},
	{"dunsCode", lexscreen.IDOther},
	{"uniqueEntityId", lexscreen.IDOther},
	{"npiCode", lexscreen.IDOther},
	{"permId", lexscreen.IDOther},
	{"cageCode", lexscreen.IDOther},
	{"bikCode", lexscreen.IDOther},
	{"icaoCode", lexscreen.IDOther},
	{"serialNumber", lexscreen.IDOther},
	{"publicKey", lexscreen.IDCrypto},
}

// handled are the properties convert maps to fields; every other property
// becomes an attribute.
var handled = map[string]bool{
	"birthDate": true, "deathDate": true, "birthPlace": true, "birthCountry": true,
	"nationality": true, "citizenship": true, "country": true, "jurisdiction": true, "mainCountry": true,
	"flag": true, "gender": true, "address": true, "addressEntity": true, "email": true, "phone": true,
	"website": true, "position": true, "title": true, "notes": true, "programId": true,
	"sanctions": true, "owner": true, "operator": true, "parent": true, "nameSuffix": true,
}

func init() {
	for _, p := range nameProps {
		handled[p.prop] = true
	}
	for _, p := range partProps {
		handled[p.prop] = true
	}
	for _, p := range idProps {
		handled[p.prop] = true
	}
}

// specialCountries are FtM's codes beyond ISO 3166-1 alpha-2.
var specialCountries = map[string]lexscreen.Country{
	"suhh":    {Code: "SU", Name: "Soviet Union"},
	"csxx":    {Code: "CS", Name: "Serbia and Montenegro"},
	"yucs":    {Code: "YU", Name: "Yugoslavia"},
	"ddde":    {Code: "DD", Name: "East Germany"},
	"zz":      {Name: "Global"},
	"eu":      {Name: "European Union"},
	"xk":      {Code: "XK", Name: "Kosovo"},
	"ge-ab":   {Name: "Abkhazia"},
	"ge-sos":  {Name: "South Ossetia"},
	"ua-cri":  {Name: "Crimea"},
	"ua-dpr":  {Name: "Donetsk People's Republic"},
	"ua-lpr":  {Name: "Luhansk People's Republic"},
	"md-pmr":  {Name: "Transnistria"},
	"so-som":  {Name: "Somaliland"},
	"cy-trnc": {Name: "Northern Cyprus"},
	"az-nkr":  {Name: "Nagorno-Karabakh"},
}

// country converts an FtM country value ("ru", "suhh", or a name in
// non-normalised exports).
func country(v string) lexscreen.Country {
	v = source.Clean(v)
	if v == "" {
		return lexscreen.Country{}
	}
	if c, ok := specialCountries[strings.ToLower(v)]; ok {
		return c
	}
	return source.NewCountry(v)
}

// addCountry appends c unless empty or already there.
func addCountry(list []lexscreen.Country, c lexscreen.Country) []lexscreen.Country {
	if c == (lexscreen.Country{}) {
		return list
	}
	for _, o := range list {
		if o == c {
			return list
		}
	}
	return append(list, c)
}

// authorities maps OpenSanctions dataset names to lexscreen authority codes.
var authorities = map[string]string{
	"us_ofac_sdn": "US-OFAC", "us_ofac_cons": "US-OFAC", "un_sc_sanctions": "UN-SC", "eu_fsf": "EU",
	"eu_travel_bans": "EU", "gb_hmt_sanctions": "GB-OFSI", "gb_fcdo_sanctions": "GB-FCDO",
	"ca_dfatd_sema_sanctions": "CA-GAC", "us_trade_csl": "US-ITA", "us_bis_denied": "US-BIS",
	"ch_seco_sanctions": "CH-SECO", "au_dfat_sanctions": "AU-DFAT",
}

// sanctionDesignation turns a Sanction record into a Designation.
func sanctionDesignation(r *record) lexscreen.Designation {
	var d lexscreen.Designation
	dataset := ""
	if len(r.Datasets) > 0 {
		dataset = r.Datasets[0]
	}
	d.Authority = authorities[dataset]
	if d.Authority == "" {
		d.Authority = r.first("authority")
	}
	if d.Authority == "" {
		d.Authority = dataset
	}
	d.List = dataset
	d.Program = joinClean(r.get("program"), "; ")
	if d.Program == "" {
		d.Program = joinClean(r.get("programId"), "; ")
	}
	for _, p := range []string{"startDate", "listingDate"} {
		if v := r.first(p); v != "" {
			if dv, ok := source.ParseDateValue(v); ok {
				d.ListedOn = dv
				break
			}
		}
	}
	d.Reference = joinClean(r.get("authorityId"), ", ")
	if d.Reference == "" {
		d.Reference = joinClean(r.get("unscId"), ", ")
	}
	for _, m := range r.get("provisions") {
		if m = source.Clean(m); m != "" && !slices.Contains(d.Measures, m) {
			d.Measures = append(d.Measures, m)
		}
	}
	var rem []string
	for _, p := range []string{"reason", "summary"} {
		for _, v := range r.get(p) {
			if v = strings.TrimSpace(v); v != "" && !slices.Contains(rem, v) {
				rem = append(rem, v)
			}
		}
	}
	if s := r.first("status"); s != "" {
		rem = append(rem, "Status: "+s)
	}
	if s := r.first("endDate"); s != "" {
		rem = append(rem, "End date: "+s)
	}
	if s := r.first("sourceUrl"); s != "" {
		rem = append(rem, "Source: "+s)
	}
	d.Remarks = strings.Join(rem, "\n")
	return d
}

// addressOf turns an Address record into Addresses: the first full text
// with the structured parts, then other spellings of the full text.
func addressOf(r *record) lexscreen.Address {
	a := lexscreen.Address{
		Street:     joinClean(append(append([]string{}, r.get("street")...), r.get("street2")...), ", "),
		City:       r.first("city"),
		Region:     r.first("region"),
		PostalCode: r.first("postalCode"),
		Country:    country(r.first("country")),
	}
	if a.Region == "" {
		a.Region = r.first("state")
	}
	fulls := cleanAll(r.get("full"))
	if len(fulls) > 0 {
		a.Full = fulls[0]
		if len(fulls) > 1 {
			a.Note = "Also written: " + strings.Join(fulls[1:], " | ")
		}
	} else {
		var p []string
		for _, s := range []string{a.Street, r.first("postOfficeBox"), a.City, a.PostalCode, a.Region, a.Country.Name} {
			if s != "" {
				p = append(p, s)
			}
		}
		a.Full = strings.Join(p, ", ")
	}
	return a
}

// identificationOf turns a Passport or Identification record into an
// Identifier; ok is false when it has no number.
func identificationOf(r *record) (lexscreen.Identifier, bool) {
	num := r.first("number")
	if num == "" {
		num = r.first("passportNumber")
	}
	if num == "" {
		return lexscreen.Identifier{}, false
	}
	label := r.first("type")
	id := lexscreen.Identifier{Label: label, Number: num, Country: country(r.first("country"))}
	switch {
	case r.Schema == "Passport":
		id.Kind = lexscreen.IDPassport
		if id.Label == "" {
			id.Label = "Passport"
		}
	case label != "":
		id.Kind = source.IdentifierKind(label)
	default:
		id.Kind = lexscreen.IDOther
		id.Label = r.Schema
	}
	if v := r.first("startDate"); v != "" {
		id.Issued, _ = source.ParseDate(v)
	}
	if v := r.first("endDate"); v != "" {
		id.Expires, _ = source.ParseDate(v)
	}
	id.Note = joinClean(append(append([]string{}, r.get("authority")...), r.get("summary")...), "; ")
	return id, true
}

// convert builds the Entity of a thing record with the folded helper data.
func convert(r *record, src string, ix *index) *lexscreen.Entity {
	e := &lexscreen.Entity{ID: src + ":" + r.ID, Source: src, Schema: thingSchemas[r.Schema]}
	if e.Schema == "" {
		e.Schema = lexscreen.SchemaUnknown
	}
	isPerson := e.Schema == lexscreen.SchemaPerson

	// Names: the caption first when it is one of the names.
	caption := source.Clean(r.Caption)
	names := cleanAll(r.get("name"))
	if caption != "" && (slices.Contains(names, caption) || len(names) == 0) {
		e.AddName(newName(caption, lexscreen.NamePrimary))
	}
	for _, np := range nameProps {
		for _, v := range cleanAll(r.get(np.prop)) {
			e.AddName(newName(v, np.kind))
		}
	}
	if isPerson {
		attachParts(e, r)
	}

	e.Gender = strings.ToLower(r.first("gender"))
	for _, v := range cleanAll(r.get("birthDate")) {
		if dv, ok := source.ParseDateValue(v); ok {
			e.BirthDates = append(e.BirthDates, dv)
		} else {
			e.AddAttribute("birth_date_text", v)
		}
	}
	for _, v := range cleanAll(r.get("deathDate")) {
		if dv, ok := source.ParseDateValue(v); ok {
			e.DeathDates = append(e.DeathDates, dv)
		} else {
			e.AddAttribute("death_date_text", v)
		}
	}
	birthCountries := cleanAll(r.get("birthCountry"))
	for _, v := range cleanAll(r.get("birthPlace")) {
		p := lexscreen.Place{Text: v}
		if len(birthCountries) == 1 {
			p.Country = country(birthCountries[0])
		}
		e.BirthPlaces = append(e.BirthPlaces, p)
	}
	if len(r.get("birthPlace")) == 0 || len(birthCountries) > 1 {
		for _, v := range birthCountries {
			e.BirthPlaces = append(e.BirthPlaces, lexscreen.Place{Country: country(v)})
		}
	}
	for _, v := range r.get("nationality") {
		e.Nationalities = addCountry(e.Nationalities, country(v))
	}
	for _, v := range r.get("citizenship") {
		e.Citizenships = addCountry(e.Citizenships, country(v))
	}
	for _, p := range []string{"country", "jurisdiction", "mainCountry", "flag"} {
		for _, v := range r.get(p) {
			c := country(v)
			e.Countries = addCountry(e.Countries, c)
			if p == "flag" {
				e.AddAttribute("flag", c.Name)
			}
		}
	}
	e.Titles = cleanAll(r.get("title"))
	e.Positions = cleanAll(r.get("position"))

	for _, ip := range idProps {
		for _, v := range cleanAll(r.get(ip.prop)) {
			e.Identifiers = addIdentifier(e.Identifiers, lexscreen.Identifier{Kind: ip.kind, Label: ip.prop, Number: v})
		}
	}
	for _, id := range ix.identifiers[r.ID] {
		e.Identifiers = addIdentifier(e.Identifiers, id)
	}

	for _, ref := range r.get("addressEntity") {
		if a, ok := ix.addresses[ref]; ok {
			e.Addresses = addAddress(e.Addresses, a)
		}
	}
	for _, v := range cleanAll(r.get("address")) {
		e.Addresses = addAddress(e.Addresses, lexscreen.Address{Full: v})
	}
	for _, c := range []string{"email", "phone", "website"} {
		for _, v := range cleanAll(r.get(c)) {
			e.Contacts = append(e.Contacts, lexscreen.Contact{Kind: c, Value: v})
		}
	}

	for _, d := range ix.designations[r.ID] {
		if !slices.ContainsFunc(e.Designations, func(o lexscreen.Designation) bool { return reflect.DeepEqual(o, d) }) {
			e.Designations = append(e.Designations, d)
		}
	}

	for _, pl := range ix.links[r.ID] {
		e.Links = addLink(e.Links, lexscreen.Link{Relation: pl.relation, TargetID: src + ":" + pl.target,
			Percent: pl.percent, Start: pl.start, End: pl.end})
	}
	for _, p := range []struct{ prop, rel string }{{"owner", "owned_by"}, {"operator", "operated_by"}, {"parent", "subsidiary_of"}} {
		for _, v := range cleanAll(r.get(p.prop)) {
			e.Links = addLink(e.Links, lexscreen.Link{Relation: p.rel, TargetID: src + ":" + v})
		}
	}

	var notes []string
	for _, v := range r.get("notes") {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(notes, v) {
			notes = append(notes, v)
		}
	}
	e.Remarks = strings.Join(notes, "\n")

	// Attributes: what FtM says about the record, then leftover properties.
	e.AddAttribute("ftm_schema", r.Schema)
	if r.Target {
		e.AddAttribute("target", "true")
	} else {
		e.AddAttribute("target", "false")
	}
	for _, d := range r.Datasets {
		e.AddAttribute("datasets", d)
	}
	for _, v := range r.Referents {
		e.AddAttribute("referents", v)
	}
	// first_seen and last_change go back out in yente's shape; last_seen
	// (which moves with every export) is the snapshot's date instead, so
	// that an unchanged entity keeps its content hash.
	e.AddAttribute("first_seen", r.FirstSeen)
	e.AddAttribute("last_change", r.LastChange)
	for _, v := range cleanAll(r.get("programId")) {
		e.AddAttribute("program_id", v)
	}
	for _, v := range cleanAll(r.get("nameSuffix")) {
		e.AddAttribute("name_suffix", v)
	}
	keys := make([]string, 0, len(r.Properties))
	for k := range r.Properties {
		if !handled[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		key := snake(k)
		switch {
		case k == "type" && e.Schema == lexscreen.SchemaVessel:
			key = "vessel_type"
		case k == "model" && e.Schema == lexscreen.SchemaAircraft:
			key = "aircraft_model"
		}
		for _, v := range r.Properties[k] {
			e.AddAttribute(key, strings.TrimSpace(v))
		}
	}
	return e
}

func newName(full string, kind lexscreen.NameKind) lexscreen.Name {
	return lexscreen.Name{Full: full, Kind: kind, Script: source.Script(full)}
}

// attachParts tags the names of a person with the FtM name parts they
// contain. FtM gives parts per entity, not per name, in several scripts and
// spellings; a part value is attached to a name when it occurs in it as
// whole words (the longest value of each part kind that fits, without
// overlapping a part already found). Parts are listed in reading order.
func attachParts(e *lexscreen.Entity, r *record) {
	type cand struct {
		kind lexscreen.NamePartKind
		vals []string
	}
	var cands []cand
	for _, pp := range partProps {
		vals := cleanAll(r.get(pp.prop))
		if len(vals) == 0 {
			continue
		}
		sort.SliceStable(vals, func(i, j int) bool { return len([]rune(vals[i])) > len([]rune(vals[j])) })
		cands = append(cands, cand{pp.kind, vals})
	}
	if len(cands) == 0 {
		return
	}
	for i := range e.Names {
		orig := []rune(e.Names[i].Full)
		full := []rune(strings.ToLower(e.Names[i].Full))
		type span struct {
			start, end int
			part       lexscreen.NamePart
		}
		var found []span
		for _, c := range cands {
			for _, v := range c.vals {
				start := wordIndex(full, []rune(strings.ToLower(v)))
				if start < 0 {
					continue
				}
				end := start + len([]rune(v))
				overlap := false
				for _, f := range found {
					if start < f.end && f.start < end {
						overlap = true
						break
					}
				}
				if overlap {
					continue
				}
				if len(orig) == len(full) {
					v = string(orig[start:end]) // as the name writes it
				}
				found = append(found, span{start, end, lexscreen.NamePart{Kind: c.kind, Value: v}})
				break
			}
		}
		if len(found) == 0 {
			continue
		}
		sort.Slice(found, func(a, b int) bool { return found[a].start < found[b].start })
		parts := make([]lexscreen.NamePart, len(found))
		for j, f := range found {
			parts[j] = f.part
		}
		e.Names[i].Parts = parts
	}
}

// wordIndex finds needle in hay as whole words (rune index), or -1.
func wordIndex(hay, needle []rune) int {
	if len(needle) == 0 || len(needle) > len(hay) {
		return -1
	}
	for i := 0; i+len(needle) <= len(hay); i++ {
		if i > 0 && isWordRune(hay[i-1]) {
			continue
		}
		if j := i + len(needle); j < len(hay) && isWordRune(hay[j]) {
			continue
		}
		match := true
		for k, r := range needle {
			if hay[i+k] != r {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

func addIdentifier(list []lexscreen.Identifier, id lexscreen.Identifier) []lexscreen.Identifier {
	for _, o := range list {
		if o.Kind == id.Kind && o.Number == id.Number && o.Label == id.Label {
			return list
		}
	}
	return append(list, id)
}

func addAddress(list []lexscreen.Address, a lexscreen.Address) []lexscreen.Address {
	if a.Full == "" {
		return list
	}
	for _, o := range list {
		if strings.EqualFold(o.Full, a.Full) {
			return list
		}
	}
	return append(list, a)
}

func addLink(list []lexscreen.Link, l lexscreen.Link) []lexscreen.Link {
	for _, o := range list {
		if o == l {
			return list
		}
	}
	return append(list, l)
}

// cleanAll returns the cleaned, non-empty, distinct values.
func cleanAll(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = source.Clean(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func joinClean(vs []string, sep string) string { return strings.Join(cleanAll(vs), sep) }

// snake turns an FtM camelCase property name into lower_snake.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
