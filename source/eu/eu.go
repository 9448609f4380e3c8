// Package eu reads the EU Consolidated Financial Sanctions List (FSF) in its
// two current forms (FORMATS.md §3): the XML 1.1 export (<export> root,
// namespace http://eu.europa.ec/fpi/fsd/export) and the ';'-separated CSV 1.1
// export, one row per attribute instance.
//
// Both formats fill the same record type, and one function maps a record to
// an Entity, so an entity gets the same id ("eu-fsf:<logicalId>") and, as far
// as the CSV carries the same facts, the same values from either file.
package eu

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// SourceID is the source id of the EU FSF list.
const SourceID = "eu-fsf"

// record is one sanctionEntity (XML) or the rows of one Entity_LogicalId (CSV).
type record struct {
	LogicalID          string      `xml:"logicalId,attr"`
	EUReference        string      `xml:"euReferenceNumber,attr"`
	UnitedNationID     string      `xml:"unitedNationId,attr"`
	DesignationDate    string      `xml:"designationDate,attr"`
	DesignationDetails string      `xml:"designationDetails,attr"`
	Remarks            []string    `xml:"remark"`
	Regulations        []reg       `xml:"regulation"`
	SubjectType        subjectType `xml:"subjectType"`
	Names              []nameAlias `xml:"nameAlias"`
	Citizenships       []citizen   `xml:"citizenship"`
	BirthDates         []birth     `xml:"birthdate"`
	Identifications    []ident     `xml:"identification"`
	Addresses          []addr      `xml:"address"`
}

type reg struct {
	Type               string `xml:"regulationType,attr"`
	OrganisationType   string `xml:"organisationType,attr"`
	PublicationDate    string `xml:"publicationDate,attr"`
	EntryIntoForceDate string `xml:"entryIntoForceDate,attr"`
	NumberTitle        string `xml:"numberTitle,attr"`
	Programme          string `xml:"programme,attr"`
	LogicalID          string `xml:"logicalId,attr"`
	PublicationURL     string `xml:"publicationUrl"`
	// designationDate is the Entity_DesignationDate of the CSV rows that
	// carry this regulation (the CSV ties it to the regulation).
	designationDate string
}

type subjectType struct {
	Code               string `xml:"code,attr"`
	ClassificationCode string `xml:"classificationCode,attr"`
}

type nameAlias struct {
	FirstName    string   `xml:"firstName,attr"`
	MiddleName   string   `xml:"middleName,attr"`
	LastName     string   `xml:"lastName,attr"`
	WholeName    string   `xml:"wholeName,attr"`
	Function     string   `xml:"function,attr"`
	Gender       string   `xml:"gender,attr"`
	Title        string   `xml:"title,attr"`
	NameLanguage string   `xml:"nameLanguage,attr"`
	Strong       string   `xml:"strong,attr"`
	LogicalID    string   `xml:"logicalId,attr"`
	Remarks      []string `xml:"remark"`
}

type citizen struct {
	Region             string   `xml:"region,attr"`
	CountryIso2Code    string   `xml:"countryIso2Code,attr"`
	CountryDescription string   `xml:"countryDescription,attr"`
	LogicalID          string   `xml:"logicalId,attr"`
	Remarks            []string `xml:"remark"`
}

type birth struct {
	Circa              string   `xml:"circa,attr"`
	CalendarType       string   `xml:"calendarType,attr"`
	City               string   `xml:"city,attr"`
	ZipCode            string   `xml:"zipCode,attr"`
	BirthDate          string   `xml:"birthdate,attr"`
	DayOfMonth         string   `xml:"dayOfMonth,attr"`
	MonthOfYear        string   `xml:"monthOfYear,attr"`
	Year               string   `xml:"year,attr"`
	YearRangeFrom      string   `xml:"yearRangeFrom,attr"`
	YearRangeTo        string   `xml:"yearRangeTo,attr"`
	Region             string   `xml:"region,attr"`
	Place              string   `xml:"place,attr"`
	CountryIso2Code    string   `xml:"countryIso2Code,attr"`
	CountryDescription string   `xml:"countryDescription,attr"`
	LogicalID          string   `xml:"logicalId,attr"`
	Remarks            []string `xml:"remark"`
}

type ident struct {
	Diplomatic         string   `xml:"diplomatic,attr"`
	KnownExpired       string   `xml:"knownExpired,attr"`
	KnownFalse         string   `xml:"knownFalse,attr"`
	ReportedLost       string   `xml:"reportedLost,attr"`
	RevokedByIssuer    string   `xml:"revokedByIssuer,attr"`
	IssuedBy           string   `xml:"issuedBy,attr"`
	IssueDate          string   `xml:"issueDate,attr"`
	ValidFrom          string   `xml:"validFrom,attr"`
	ValidTo            string   `xml:"validTo,attr"`
	LatinNumber        string   `xml:"latinNumber,attr"`
	NameOnDocument     string   `xml:"nameOnDocument,attr"`
	Number             string   `xml:"number,attr"`
	Region             string   `xml:"region,attr"`
	CountryIso2Code    string   `xml:"countryIso2Code,attr"`
	CountryDescription string   `xml:"countryDescription,attr"`
	TypeCode           string   `xml:"identificationTypeCode,attr"`
	TypeDescription    string   `xml:"identificationTypeDescription,attr"`
	LogicalID          string   `xml:"logicalId,attr"`
	Remarks            []string `xml:"remark"`
}

type addr struct {
	City               string    `xml:"city,attr"`
	Street             string    `xml:"street,attr"`
	PoBox              string    `xml:"poBox,attr"`
	ZipCode            string    `xml:"zipCode,attr"`
	Region             string    `xml:"region,attr"`
	Place              string    `xml:"place,attr"`
	AsAtListingTime    string    `xml:"asAtListingTime,attr"`
	CountryIso2Code    string    `xml:"countryIso2Code,attr"`
	CountryDescription string    `xml:"countryDescription,attr"`
	LogicalID          string    `xml:"logicalId,attr"`
	Contacts           []contact `xml:"contactInfo"`
	Remarks            []string  `xml:"remark"`
}

type contact struct {
	Key   string `xml:"key,attr"`
	Value string `xml:"value,attr"`
}

// build maps a record to an Entity.
func build(r *record) *lexscreen.Entity {
	id := source.Clean(r.LogicalID)
	e := &lexscreen.Entity{ID: SourceID + ":" + id, Source: SourceID}
	e.Schema = lexscreen.ParseSchema(r.SubjectType.Code)
	if e.Schema == lexscreen.SchemaUnknown {
		e.Schema = lexscreen.ParseSchema(r.SubjectType.ClassificationCode)
	}

	// Names: the EU marks no primary name; the first nameAlias is taken as
	// primary, the others as aliases.
	for i, n := range r.Names {
		whole := source.Clean(n.WholeName)
		kind := lexscreen.NameAlias
		if i == 0 {
			kind = lexscreen.NamePrimary
		}
		var rest []string
		for _, rm := range n.Remarks {
			rm = source.Clean(rm)
			l := strings.ToLower(rm)
			switch {
			case rm == "":
			case strings.Contains(l, "low quality"):
				if kind != lexscreen.NamePrimary {
					kind = lexscreen.NameWeakAlias
				}
			case strings.Contains(l, "good quality"):
			case strings.Contains(l, "formerly known"), strings.Contains(l, "former name"), strings.Contains(l, "f.k.a"):
				if kind != lexscreen.NamePrimary {
					kind = lexscreen.NameFormer
				}
			default:
				rest = append(rest, rm)
			}
		}
		if kind == lexscreen.NameAlias && strings.EqualFold(source.Clean(n.Strong), "false") {
			kind = lexscreen.NameWeakAlias
		}
		if whole != "" {
			name := lexscreen.Name{Full: whole, Kind: kind, Script: source.Script(whole), Lang: strings.ToLower(source.Clean(n.NameLanguage))}
			for _, p := range []struct {
				k lexscreen.NamePartKind
				v string
			}{{lexscreen.PartGiven, n.FirstName}, {lexscreen.PartMiddle, n.MiddleName}, {lexscreen.PartFamily, n.LastName}} {
				if v := source.Clean(p.v); v != "" {
					name.Parts = append(name.Parts, lexscreen.NamePart{Kind: p.k, Value: v})
				}
			}
			e.AddName(name)
			for _, rm := range rest {
				e.AddAttribute("name_remark", whole+": "+rm)
			}
		}
		if g := gender(n.Gender); g != "" && e.Gender == "" {
			e.Gender = g
		}
		if t := source.Clean(n.Title); t != "" && !slices.Contains(e.Titles, t) {
			e.Titles = append(e.Titles, t)
		}
		if f := source.Clean(n.Function); f != "" && !slices.Contains(e.Positions, f) {
			e.Positions = append(e.Positions, f)
		}
	}

	for _, b := range r.BirthDates {
		readBirth(e, b)
	}
	for _, c := range r.Citizenships {
		if k := country(c.CountryIso2Code, c.CountryDescription); k.Name != "" || k.Code != "" {
			e.Citizenships = source.AppendUnique(e.Citizenships, k)
		}
		if rg := source.Clean(c.Region); rg != "" {
			e.AddAttribute("citizenship_region", rg)
		}
		for _, rm := range c.Remarks {
			e.AddAttribute("citizenship_remark", source.Clean(rm))
		}
	}
	for _, a := range r.Addresses {
		readAddress(e, a)
	}
	for _, d := range r.Identifications {
		readIdent(e, d)
	}

	// Designations: one per programme, its earliest regulation as legal
	// basis, listed on the designation date or else that regulation's entry
	// into force.
	byProg := map[string][]reg{}
	var progs []string
	for _, g := range r.Regulations {
		p := source.Clean(g.Programme)
		if _, ok := byProg[p]; !ok {
			progs = append(progs, p)
		}
		byProg[p] = append(byProg[p], g)
	}
	sort.Strings(progs)
	ref := source.Clean(r.EUReference)
	for _, p := range progs {
		regs := byProg[p]
		sort.SliceStable(regs, func(i, j int) bool {
			a, b := regs[i], regs[j]
			if x, y := dateKey(a.EntryIntoForceDate), dateKey(b.EntryIntoForceDate); x != y {
				return x < y
			}
			if x, y := dateKey(a.PublicationDate), dateKey(b.PublicationDate); x != y {
				return x < y
			}
			return a.NumberTitle < b.NumberTitle
		})
		d := lexscreen.Designation{Authority: "EU", Program: p, Reference: ref, Measures: []string{"asset freeze"},
			LegalBasis: source.Clean(regs[0].NumberTitle), Remarks: source.Clean(r.DesignationDetails)}
		listed := source.Clean(r.DesignationDate)
		for _, g := range regs {
			if listed == "" {
				listed = source.Clean(g.designationDate)
			}
		}
		if listed == "" {
			listed = source.Clean(regs[0].EntryIntoForceDate)
		}
		if pd, ok := isoDate(listed); ok {
			d.ListedOn = lexscreen.Single(pd)
		}
		e.Designations = append(e.Designations, d)
	}
	if len(progs) == 0 && (ref != "" || r.DesignationDate != "") {
		d := lexscreen.Designation{Authority: "EU", Reference: ref, Measures: []string{"asset freeze"}, Remarks: source.Clean(r.DesignationDetails)}
		if pd, ok := isoDate(r.DesignationDate); ok {
			d.ListedOn = lexscreen.Single(pd)
		}
		e.Designations = append(e.Designations, d)
	}
	e.AddAttribute("un_id", source.Clean(r.UnitedNationID))

	var rem []string
	for _, s := range r.Remarks {
		if s = strings.TrimSpace(s); s != "" {
			rem = append(rem, s)
		}
	}
	e.Remarks = strings.Join(rem, "\n")
	return e
}

func dateKey(s string) string {
	if pd, ok := isoDate(s); ok {
		return pd.String()
	}
	return "9999" // unknown dates sort last
}

func isoDate(s string) (lexscreen.PartialDate, bool) {
	s = source.Clean(s)
	if s == "" {
		return lexscreen.PartialDate{}, false
	}
	pd, err := lexscreen.ParseISODate(s)
	if err != nil {
		return source.ParseDate(s)
	}
	return pd, true
}

func gender(s string) string {
	switch strings.ToUpper(source.Clean(s)) {
	case "":
		return ""
	case "M", "MALE":
		return "male"
	case "F", "FEMALE":
		return "female"
	}
	return strings.ToLower(source.Clean(s))
}

// country builds a Country from the EU's ISO code and description ("00" /
// "UNKNOWN" means unknown; the legacy "CS" is kept). The name is the EU's
// description, or the English name of the code when the description is empty.
func country(iso2, desc string) lexscreen.Country {
	iso2, desc = source.Clean(iso2), source.Clean(desc)
	if strings.EqualFold(desc, "UNKNOWN") {
		desc = ""
	}
	c := lexscreen.Country{Name: desc}
	if len(iso2) == 2 {
		c.Code = source.CountryCode(iso2)
	}
	if c.Code == "" && desc != "" {
		c.Code = source.CountryCode(desc)
	}
	if c.Name == "" {
		c.Name = source.CountryName(c.Code)
	}
	return c
}

func truthy(s string) bool {
	switch strings.ToLower(source.Clean(s)) {
	case "true", "yes", "y", "1":
		return true
	}
	return false
}

func readBirth(e *lexscreen.Entity, b birth) {
	var remarks []string
	for _, r := range b.Remarks {
		if r = source.Clean(r); r != "" {
			remarks = append(remarks, r)
		}
	}
	cal := strings.ToUpper(source.Clean(b.CalendarType))
	islamic := cal != "" && cal != "GREGORIAN"
	full := source.Clean(b.BirthDate)
	y, m, d := atoi(b.Year), atoi(b.MonthOfYear), atoi(b.DayOfMonth)
	from, to := atoi(b.YearRangeFrom), atoi(b.YearRangeTo)
	var v lexscreen.DateValue
	ok := false
	switch {
	case full != "":
		// For other calendars the EU gives the Gregorian date here and the
		// original one in day/month/year.
		if pd, err := lexscreen.ParseISODate(full); err == nil {
			v, ok = lexscreen.Single(pd), true
		}
	case islamic && y > 0:
		// A Hijri year only: give the Gregorian years it overlaps.
		solar := false
		for _, r := range remarks {
			if strings.Contains(strings.ToLower(r), "iranian") || strings.Contains(strings.ToLower(r), "solar") {
				solar = true
			}
		}
		a, z := hijriYears(y, solar)
		v = lexscreen.DateValue{From: lexscreen.PartialDate{Year: a}, To: lexscreen.PartialDate{Year: z}}
		v.Text = strconv.Itoa(y) + " (" + cal + ")"
		ok = v.From.Valid() && v.To.Valid()
	case y > 0:
		pd := lexscreen.PartialDate{Year: y, Month: m}
		if m > 0 {
			pd.Day = d
		}
		if pd.Valid() {
			v, ok = lexscreen.Single(pd), true
		}
	case from > 0 || to > 0:
		a, z := lexscreen.PartialDate{Year: from}, lexscreen.PartialDate{Year: to}
		switch {
		case from > 0 && to >= from:
			v = lexscreen.DateValue{From: a, To: z}
		case from > 0:
			v = lexscreen.Single(a)
		default:
			v = lexscreen.Single(z)
		}
		ok = (from == 0 || a.Valid()) && (to == 0 || z.Valid())
	}
	if ok {
		v.Circa = truthy(b.Circa)
		addDate(e, v)
	}
	city, region, place := source.Clean(b.City), source.Clean(b.Region), source.Clean(b.Place)
	c := country(b.CountryIso2Code, b.CountryDescription)
	if text := source.Join(", ", city, place, region, source.Clean(b.ZipCode), c.Name); text != "" {
		addPlace(e, lexscreen.Place{Text: text, City: city, Region: region, Country: c})
	}
	for _, r := range remarks {
		e.AddAttribute("birth_remark", r)
	}
}

// hijriYears returns the Gregorian years a Hijri year overlaps: solar
// (Iranian) years start in March, lunar years are 354 or 355 days long.
func hijriYears(y int, solar bool) (int, int) {
	if solar {
		return y + 621, y + 622
	}
	start := 622.54 + 0.970224*float64(y-1) // 1 Muharram 1 AH = July 622
	return int(start), int(start + 0.970224)
}

func atoi(s string) int {
	n, err := strconv.Atoi(source.Clean(s))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

var reContact = regexp.MustCompile(`([A-Za-z_]+)\[([^\]]*)\]`)

func contactKind(k string) string {
	switch strings.ToUpper(k) {
	case "EMAIL", "E-MAIL", "MAIL":
		return "email"
	case "PHONE", "TEL", "TELEPHONE":
		return "phone"
	case "FAX":
		return "fax"
	case "WEB", "WEBSITE", "URL":
		return "website"
	}
	return strings.ToLower(k)
}

func readAddress(e *lexscreen.Entity, a addr) {
	ad := lexscreen.Address{
		Street: source.Join(", ", source.Clean(a.Street), source.Clean(a.PoBox)), City: source.Clean(a.City),
		Region: source.Join(", ", source.Clean(a.Place), source.Clean(a.Region)), PostalCode: source.Clean(a.ZipCode),
		Country: country(a.CountryIso2Code, a.CountryDescription),
	}
	var notes []string
	for _, r := range a.Remarks {
		if r = source.Clean(r); r != "" {
			notes = append(notes, r)
		}
	}
	if truthy(a.AsAtListingTime) {
		notes = append(notes, "as at listing time")
	}
	ad.Note = strings.Join(notes, "; ")
	ad.Full = source.Join(", ", ad.Street, ad.City, ad.Region, ad.PostalCode, ad.Country.Name)
	if ad.Full != "" || ad.Note != "" {
		e.Addresses = append(e.Addresses, ad)
	}
	for _, c := range a.Contacts {
		v := source.Clean(c.Value)
		if v == "" {
			continue
		}
		ct := lexscreen.Contact{Kind: contactKind(source.Clean(c.Key)), Value: v}
		if !slices.Contains(e.Contacts, ct) {
			e.Contacts = append(e.Contacts, ct)
		}
	}
}

// idKinds maps the EU identificationTypeCode vocabulary.
var idKinds = map[string]lexscreen.IdentifierKind{
	"passport": lexscreen.IDPassport, "id": lexscreen.IDNational, "fiscalcode": lexscreen.IDTax,
	"regnumber": lexscreen.IDRegistration, "imo": lexscreen.IDIMO, "swiftbic": lexscreen.IDBIC,
	"ssn": lexscreen.IDNational, "nationcert": lexscreen.IDNational, "tradelic": lexscreen.IDRegistration,
}

func readIdent(e *lexscreen.Entity, d ident) {
	num := source.Clean(d.Number)
	if num == "" {
		num = source.Clean(d.LatinNumber)
	}
	code := strings.ToLower(source.Clean(d.TypeCode))
	desc := source.Clean(d.TypeDescription)
	var remarks []string
	for _, r := range d.Remarks {
		if r = source.Clean(r); r != "" {
			remarks = append(remarks, r)
		}
	}
	kind, ok := idKinds[code]
	if !ok {
		kind = source.IdentifierKind(desc)
		if kind == lexscreen.IDOther {
			for _, r := range remarks {
				if k := source.IdentifierKind(r); k != lexscreen.IDOther {
					kind = k
					break
				}
			}
		}
	}
	label := desc
	if label == "" {
		label = code
	}
	var notes []string
	for _, f := range []struct{ v, s string }{
		{d.Diplomatic, "diplomatic"}, {d.KnownExpired, "known expired"}, {d.KnownFalse, "known false"},
		{d.ReportedLost, "reported lost"}, {d.RevokedByIssuer, "revoked by issuer"},
	} {
		if truthy(f.v) {
			notes = append(notes, f.s)
		}
	}
	if s := source.Clean(d.IssuedBy); s != "" {
		notes = append(notes, "issued by "+s)
	}
	if s := source.Clean(d.Region); s != "" {
		notes = append(notes, "region "+s)
	}
	if s := source.Clean(d.NameOnDocument); s != "" {
		notes = append(notes, "name on document: "+strings.TrimSuffix(strings.TrimPrefix(s, "("), ")"))
	}
	if s := source.Clean(d.LatinNumber); s != "" && s != num {
		notes = append(notes, "latin number "+s)
	}
	notes = append(notes, remarks...)
	id := lexscreen.Identifier{Kind: kind, Label: label, Number: num, Country: country(d.CountryIso2Code, d.CountryDescription),
		Note: strings.Join(notes, "; ")}
	if pd, ok := isoDate(d.IssueDate); ok {
		id.Issued = pd
	} else if pd, ok := isoDate(d.ValidFrom); ok {
		id.Issued = pd
	}
	if pd, ok := isoDate(d.ValidTo); ok {
		id.Expires = pd
	}
	if num == "" {
		e.AddAttribute("document_note", source.Join(": ", label, id.Note))
		return
	}
	e.Identifiers = append(e.Identifiers, id)
}

func addDate(e *lexscreen.Entity, v lexscreen.DateValue) {
	if v.IsZero() {
		return
	}
	for _, o := range e.BirthDates {
		if o == v {
			return
		}
	}
	e.BirthDates = append(e.BirthDates, v)
}

func addPlace(e *lexscreen.Entity, p lexscreen.Place) {
	for _, o := range e.BirthPlaces {
		if o == p {
			return
		}
	}
	e.BirthPlaces = append(e.BirthPlaces, p)
}
