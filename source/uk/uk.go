// Package uk reads the United Kingdom's sanctions lists: the OFSI
// Consolidated List of Financial Sanctions Targets (ConList.csv and
// ConList.xlsx, "2022 format", closed on 2026-01-28) and the FCDO UK
// Sanctions List (ODS, CSV and XML).
//
// The tabular files publish one row per name (the FCDO ODS even one row per
// combination of name, address, phone, ... of a designation). Rows are
// mapped to fields by their header names, tolerant of case, spacing and
// punctuation ("Nationality(/ies)", "D.O.B", "Individual, Entity, Ship"),
// and merged per entity, de-duplicating repeated values.
package uk

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// Source ids and authorities.
const (
	SourceOFSI    = "gb-ofsi"
	SourceFCDO    = "gb-fcdo"
	AuthorityOFSI = "GB-OFSI"
	AuthorityFCDO = "GB-FCDO"
)

// field is a canonical column of the UK tables.
type field int

const (
	fNone field = iota
	fName1
	fName2
	fName3
	fName4
	fName5
	fName6
	fTitle
	fNonLatin
	fNonLatinType
	fNonLatinLang
	fDOB
	fTownOfBirth
	fCountryOfBirth
	fNationality
	fPassportNumber
	fPassportDetails
	fNationalIDNumber
	fNationalIDDetails
	fPosition
	fAddress1
	fAddress2
	fAddress3
	fAddress4
	fAddress5
	fAddress6
	fPostCode
	fCountry
	fOtherInfo
	fGroupType
	fAliasType
	fAliasQuality
	fRegime
	fListedOn
	fDateDesignated
	fLastUpdated
	fGroupID
	fUniqueID
	fUNReference
	fDesignationSource
	fSanctionsImposed
	fStatementOfReasons
	fPhone
	fWebsite
	fEmail
	fGender
	fTypeOfEntity
	fSubsidiaries
	fParentCompany
	fBusinessReg
	fIMO
	fCurrentOwner
	fPreviousOwner
	fCurrentFlag
	fPreviousFlags
	fTypeOfShip
	fTonnage
	fLength
	fYearBuilt
	fHIN
	numFields
)

// headerFields maps normalised header names (lower case letters and digits
// only) to fields. OFSI and FCDO spellings are both listed.
var headerFields = map[string]field{
	"name1": fName1, "name2": fName2, "name3": fName3, "name4": fName4, "name5": fName5, "name6": fName6,
	"title":              fTitle,
	"namenonlatinscript": fNonLatin, "nonlatinscripttype": fNonLatinType, "nonlatinscriptlanguage": fNonLatinLang,
	"dob": fDOB, "dateofbirth": fDOB, "dobs": fDOB,
	"townofbirth": fTownOfBirth, "countryofbirth": fCountryOfBirth,
	"nationality": fNationality, "nationalityies": fNationality, "nationalities": fNationality,
	"passportnumber": fPassportNumber, "passportdetails": fPassportDetails, "passportadditionalinformation": fPassportDetails,
	"nationalidentificationnumber": fNationalIDNumber, "nationalidentifiernumber": fNationalIDNumber, "ninumber": fNationalIDNumber,
	"nationalidentificationdetails": fNationalIDDetails, "nationalidentifieradditionalinformation": fNationalIDDetails,
	"position": fPosition,
	"address1": fAddress1, "address2": fAddress2, "address3": fAddress3, "address4": fAddress4, "address5": fAddress5, "address6": fAddress6,
	"addressline1": fAddress1, "addressline2": fAddress2, "addressline3": fAddress3, "addressline4": fAddress4,
	"addressline5": fAddress5, "addressline6": fAddress6,
	"postzipcode": fPostCode, "addresspostalcode": fPostCode, "postcode": fPostCode,
	"country": fCountry, "addresscountry": fCountry,
	"otherinformation": fOtherInfo,
	"grouptype":        fGroupType, "individualentityship": fGroupType, "designationtype": fGroupType,
	"aliastype": fAliasType, "nametype": fAliasType,
	"aliasquality": fAliasQuality, "aliasstrength": fAliasQuality,
	"regime": fRegime, "regimename": fRegime,
	"listedon":                      fListedOn,
	"uksanctionslistdatedesignated": fDateDesignated, "datedesignated": fDateDesignated,
	"lastupdated": fLastUpdated,
	"groupid":     fGroupID, "ofsigroupid": fGroupID,
	"uniqueid":             fUniqueID,
	"unreferencenumber":    fUNReference,
	"designationsource":    fDesignationSource,
	"sanctionsimposed":     fSanctionsImposed,
	"ukstatementofreasons": fStatementOfReasons,
	"phonenumber":          fPhone, "website": fWebsite, "emailaddress": fEmail,
	"gender":       fGender,
	"typeofentity": fTypeOfEntity, "subsidiaries": fSubsidiaries, "subsidiary": fSubsidiaries, "parentcompany": fParentCompany,
	"businessregistrationnumbers": fBusinessReg, "businessregistrationnumber": fBusinessReg,
	"imonumber":             fIMO,
	"currentowneroperators": fCurrentOwner, "currentowneroperator": fCurrentOwner,
	"previousowneroperators": fPreviousOwner, "previousowneroperator": fPreviousOwner,
	"currentbelievedflagofship": fCurrentFlag, "previousflags": fPreviousFlags, "previousflag": fPreviousFlags,
	"typeofship": fTypeOfShip, "tonnageofship": fTonnage, "lengthofship": fLength, "yearbuilt": fYearBuilt,
	"hullidentificationnumberhin": fHIN, "hullidentificationnumber": fHIN,
}

// normHeader reduces a header to lower-case letters and digits.
func normHeader(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// columns maps a header row to field positions.
type columns struct {
	idx    [numFields]int // column index + 1; 0 = absent
	labels [numFields]string
	width  int
}

func newColumns(header []string) *columns {
	c := &columns{width: len(header)}
	for i, h := range header {
		f := headerFields[normHeader(h)]
		if f != fNone && c.idx[f] == 0 {
			c.idx[f] = i + 1
			c.labels[f] = source.Clean(h)
		}
	}
	return c
}

func (c *columns) has(f field) bool { return c.idx[f] != 0 }

// label is the header as the publisher wrote it, or def when absent.
func (c *columns) label(f field, def string) string {
	if c.labels[f] != "" {
		return c.labels[f]
	}
	return def
}

// row is one table row seen through its header.
type row struct {
	cols  *columns
	cells []string
}

func (r row) get(f field) string {
	i := r.cols.idx[f]
	if i == 0 || i > len(r.cells) {
		return ""
	}
	v := source.Clean(r.cells[i-1])
	if isNull(v) {
		return ""
	}
	return strings.Clone(v) // rows may be kept until the end of the file: do not pin the record buffer
}

// --- value helpers ---

// reMulti finds "(1) ", "1) " numbering of several values in one cell.
var reSerial = regexp.MustCompile(`^\d{5}(\.\d+)?$`)

var reMonthYear = regexp.MustCompile(`^\d{1,2}/\d{4}$`)

var reMulti = regexp.MustCompile(`(?:^|\s)\(?\d{1,2}\)\s*`)

// splitMulti splits "(1) Uganda (2) Kenya" or "1) X 2) Y" into values; a
// value without numbering is returned alone.
func splitMulti(s string) []string {
	s = source.Clean(s)
	if s == "" {
		return nil
	}
	if !strings.HasPrefix(s, "1)") && !strings.HasPrefix(s, "(1)") {
		return []string{s}
	}
	var out []string
	for _, p := range reMulti.Split(s, -1) {
		if p = strings.Trim(source.Clean(p), " ,;"); p != "" && !isNull(p) {
			out = append(out, p)
		}
	}
	return out
}

func isNull(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "-", "n/a", "na", "null", "none", "unknown", "-0-":
		return true
	}
	return false
}

// parseUKDate reads dd/mm/yyyy with "00" or "dd"/"mm" for unknown parts, and
// falls back to the shared date styles (ISO, "31 Aug 1960", ranges, circa).
func parseUKDate(s string) (lexscreen.DateValue, bool) {
	s = source.Clean(s)
	if s == "" {
		return lexscreen.DateValue{}, false
	}
	if reSerial.MatchString(s) { // a spreadsheet date serial (XLSX numeric date cell)
		if f, err := strconv.ParseFloat(s, 64); err == nil && f > 10000 && f < 80000 {
			if t, err := excelize.ExcelDateToTime(f, false); err == nil {
				return lexscreen.DateValue{From: lexscreen.DateOf(t), Text: s}, true
			}
		}
	}
	t := strings.NewReplacer("dd/", "00/", "DD/", "00/", "mm/", "00/", "MM/", "00/").Replace(s)
	if reMonthYear.MatchString(t) { // "09/1962"
		t = "00/" + t
	}
	if pd, ok := source.ParseDMY(t); ok {
		return lexscreen.DateValue{From: pd, Text: s}, true
	}
	v, ok := source.ParseDateValue(t)
	v.Text = s
	return v, ok
}

// nameKind maps Alias Type / Name type and Alias Quality / Alias strength.
func nameKind(aliasType, quality string) lexscreen.NameKind {
	t := strings.ToLower(strings.Join(strings.Fields(aliasType), " "))
	kind := lexscreen.NameAlias
	switch {
	case t == "primary name" || t == "primary":
		kind = lexscreen.NamePrimary
	case strings.Contains(t, "fka") || strings.Contains(t, "f.k.a") || strings.Contains(t, "former"):
		kind = lexscreen.NameFormer
	}
	if kind == lexscreen.NameAlias && strings.Contains(strings.ToLower(quality), "low") {
		kind = lexscreen.NameWeakAlias
	}
	return kind
}

// scriptFromType maps the publisher's "Non-Latin Script Type" (with the
// misspellings seen in real files) to ISO 15924.
func scriptFromType(s string) string {
	l := strings.ToLower(s)
	switch {
	case strings.HasPrefix(l, "cyr") || strings.HasPrefix(l, "cry") || l == "russian":
		return "Cyrl"
	case strings.HasPrefix(l, "arab") || strings.HasPrefix(l, "pers") || l == "farsi":
		return "Arab"
	case strings.HasPrefix(l, "chin") || strings.HasPrefix(l, "han"):
		return "Hani"
	case strings.HasPrefix(l, "greek"):
		return "Grek"
	case strings.HasPrefix(l, "korea") || l == "hangul":
		return "Hang"
	case strings.HasPrefix(l, "hebrew"):
		return "Hebr"
	}
	return ""
}

var langCodes = map[string]string{
	"russian": "ru", "russia": "ru", "persian": "fa", "farsi": "fa", "persian/farsi": "fa", "arabic": "ar",
	"belarusian": "be", "belarussian": "be", "ukrainian": "uk", "ukraine": "uk", "bulgarian": "bg", "greek": "el",
	"chinese": "zh", "mandarin": "zh", "serbian": "sr", "romanian": "ro", "spanish": "es", "bosnian": "bs",
	"korean": "ko", "japanese": "ja", "hebrew": "he", "georgian": "ka", "armenian": "hy", "kazakh": "kk",
	"kyrgyz": "ky", "tajik": "tg", "uzbek": "uz", "macedonian": "mk", "urdu": "ur", "pashto": "ps", "dari": "prs",
	"burmese": "my", "french": "fr", "english": "en", "german": "de", "turkish": "tr",
}

// langCode maps a language name as the list writes it to an ISO 639 code,
// "" when it is not a language ("Cyrillic").
func langCode(s string) string { return langCodes[strings.ToLower(source.Clean(s))] }

// --- Other Information tags ---

var reTag = regexp.MustCompile(`\((UK Sanctions List Ref|UK Statement of Reasons|UN Ref|Gender|Phone number|Email address|Website|Fax|Tel|Type of entity|Parent company|Subsidiaries|Business Reg No|IMO number|Flag of ship|Type of ship|Tonnage of ship|Length of ship|Year built|Current owners|Previous flags)\):`)

type tagValue struct{ tag, value string }

// otherInfoTags splits the OFSI "Other Information" text at its known
// "(Tag):" markers.
func otherInfoTags(s string) []tagValue {
	locs := reTag.FindAllStringSubmatchIndex(s, -1)
	var out []tagValue
	for i, l := range locs {
		end := len(s)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		v := strings.TrimSpace(s[l[1]:end])
		v = strings.TrimSpace(strings.TrimSuffix(v, "."))
		if v != "" {
			out = append(out, tagValue{s[l[2]:l[3]], v})
		}
	}
	return out
}

var reUKSLRef = regexp.MustCompile(`^[A-Z]{2,4}\d{3,5}\b`)

// --- entity builder ---

// builder merges rows (or XML records) into one entity, skipping repeats.
type builder struct {
	e         *lexscreen.Entity
	authority string
	list      string
	ref       string // UK Sanctions List reference, for designations
	firstLine int
}

func newBuilder(src, authority, list, key string) *builder {
	return &builder{e: &lexscreen.Entity{ID: src + ":" + key, Source: src}, authority: authority, list: list}
}

func appendUniq[T comparable](s []T, v T) []T {
	for _, o := range s {
		if o == v {
			return s
		}
	}
	return append(s, v)
}

func (b *builder) setSchema(s string) {
	if sc := lexscreen.ParseSchema(s); sc != lexscreen.SchemaUnknown && b.e.Schema == "" {
		b.e.Schema = sc
	}
}

func (b *builder) setGender(s string) {
	switch strings.ToLower(source.Clean(s)) {
	case "male", "m":
		b.e.Gender = "male"
	case "female", "f":
		b.e.Gender = "female"
	case "":
	default:
		if b.e.Gender == "" {
			b.e.Gender = source.Clean(s)
		}
	}
}

// addName adds a name from Name 1..6 in reading order, tagging parts for
// persons.
func (b *builder) addName(parts [6]string, title string, kind lexscreen.NameKind, person bool) {
	var words []string
	var np []lexscreen.NamePart
	for i, p := range parts {
		if p == "" {
			continue
		}
		words = append(words, p)
		pk := lexscreen.PartMiddle
		switch i {
		case 0:
			pk = lexscreen.PartGiven
		case 5:
			pk = lexscreen.PartFamily
		}
		np = append(np, lexscreen.NamePart{Kind: pk, Value: p})
	}
	if len(words) == 0 {
		return
	}
	n := lexscreen.Name{Full: strings.Join(words, " "), Kind: kind, Script: source.Script(strings.Join(words, " "))}
	if person && len(np) > 1 {
		n.Parts = np
	}
	b.e.AddName(n)
	if title != "" {
		b.e.Titles = appendUniq(b.e.Titles, title)
	}
}

func (b *builder) addNonLatin(text, scriptType, lang string) {
	if text == "" {
		return
	}
	sc := source.Script(text)
	if sc == "" {
		sc = scriptFromType(scriptType)
		if detectLatin(text) {
			sc = ""
		}
	}
	b.e.AddName(lexscreen.Name{Full: text, Kind: lexscreen.NameAlias, Script: sc, Lang: langCode(lang)})
}

func detectLatin(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

func (b *builder) addDOBs(s string) {
	for _, v := range splitMulti(s) {
		if dv, ok := parseUKDate(v); ok {
			b.e.BirthDates = appendUniq(b.e.BirthDates, dv)
		} else {
			b.e.AddAttribute("birth_date_text", v)
		}
	}
}

func (b *builder) addBirthPlaces(town, country string) {
	ts, cs := splitMulti(town), splitMulti(country)
	mk := func(t, c string) {
		p := lexscreen.Place{City: t, Country: source.NewCountry(c)}
		p.Text = strings.Trim(t+", "+c, ", ")
		if p.Text != "" {
			b.e.BirthPlaces = appendUniq(b.e.BirthPlaces, p)
		}
	}
	switch {
	case len(ts) == len(cs):
		for i := range ts {
			mk(ts[i], cs[i])
		}
	case len(cs) == 1:
		for _, t := range ts {
			mk(t, cs[0])
		}
	case len(ts) == 1 && len(cs) == 0:
		mk(ts[0], "")
	default:
		for _, t := range ts {
			mk(t, "")
		}
		for _, c := range cs {
			mk("", c)
		}
	}
}

func (b *builder) addNationalities(s string) {
	for _, v := range splitMulti(s) {
		if c := source.NewCountry(v); c.Name != "" {
			b.e.Nationalities = appendUniq(b.e.Nationalities, c)
		}
	}
}

var (
	reIssued  = regexp.MustCompile(`(?i)\b(?:issued|issue date|date of issue)(?: on)?:?\s*(\d{1,2}/\d{1,2}/\d{4}|\d{1,2} [A-Za-z]{3,9}\.? \d{4})`)
	reExpires = regexp.MustCompile(`(?i)\b(?:expir\w*|valid until|valid to)(?: date| on)?:?\s*(\d{1,2}/\d{1,2}/\d{4}|\d{1,2} [A-Za-z]{3,9}\.? \d{4})`)
)

// addIdentifiers pairs numbered numbers with numbered details ("(1) ...
// (2) ...") when their counts match.
func (b *builder) addIdentifiers(label, numbers, details string) {
	ns, ds := splitMulti(numbers), splitMulti(details)
	if len(ns) == 0 {
		if d := source.Clean(details); d != "" {
			b.e.AddAttribute(attrKey(label)+"_details", d)
		}
		return
	}
	for i, n := range ns {
		note := ""
		switch {
		case len(ns) == len(ds):
			note = ds[i]
		case len(ns) == 1:
			note = source.Clean(details)
		}
		id := lexscreen.Identifier{Kind: source.IdentifierKind(label), Label: label, Number: n, Note: note}
		if note != "" {
			if c := source.CountryCode(strings.Trim(note, "() .")); c != "" {
				id.Country = source.NewCountry(strings.Trim(note, "() ."))
			}
			if m := reIssued.FindStringSubmatch(note); m != nil {
				id.Issued = dateOnly(m[1])
			}
			if m := reExpires.FindStringSubmatch(note); m != nil {
				id.Expires = dateOnly(m[1])
			}
		}
		b.e.Identifiers = appendUniq(b.e.Identifiers, id)
	}
	if len(ns) > 1 && len(ds) != len(ns) && len(ds) > 0 {
		b.e.AddAttribute(attrKey(label)+"_details", source.Clean(details))
	}
}

func dateOnly(s string) lexscreen.PartialDate {
	if pd, ok := source.ParseDMY(s); ok {
		return pd
	}
	if pd, ok := source.ParseDate(s); ok {
		return pd
	}
	return lexscreen.PartialDate{}
}

func (b *builder) addIdentifier(kind lexscreen.IdentifierKind, label, number string) {
	if number = source.Clean(number); number == "" {
		return
	}
	b.e.Identifiers = appendUniq(b.e.Identifiers, lexscreen.Identifier{Kind: kind, Label: label, Number: number})
}

func (b *builder) addPositions(s string) {
	for _, v := range splitMulti(s) {
		b.e.Positions = appendUniq(b.e.Positions, v)
	}
}

func (b *builder) addAddress(lines []string, postcode, country string) {
	var parts []string
	for _, l := range lines {
		if l = source.Clean(l); l != "" {
			parts = append(parts, l)
		}
	}
	postcode, country = source.Clean(postcode), source.Clean(country)
	if len(parts) == 0 && postcode == "" && country == "" {
		return
	}
	full := strings.Join(parts, ", ")
	for _, x := range []string{postcode, country} {
		if x != "" {
			if full != "" {
				full += ", "
			}
			full += x
		}
	}
	a := lexscreen.Address{Full: full, PostalCode: postcode, Country: source.NewCountry(country)}
	if len(parts) > 0 {
		a.Street = parts[0]
	}
	b.e.Addresses = appendUniq(b.e.Addresses, a)
}

func (b *builder) addContacts(kind, s string) {
	for _, v := range splitMulti(s) {
		b.e.Contacts = appendUniq(b.e.Contacts, lexscreen.Contact{Kind: kind, Value: v})
	}
}

func (b *builder) addRemarks(s string) {
	s = source.Clean(s)
	if s == "" || strings.Contains(b.e.Remarks, s) {
		return
	}
	if b.e.Remarks != "" {
		b.e.Remarks += "\n"
	}
	b.e.Remarks += s
}

// addOtherInfo keeps the text as remarks and recovers the tagged facts
// (UKSL reference, gender, contacts, ship details) from it.
func (b *builder) addOtherInfo(s string) {
	s = source.Clean(s)
	if s == "" {
		return
	}
	b.addRemarks(s)
	for _, tv := range otherInfoTags(s) {
		switch tv.tag {
		case "UK Sanctions List Ref":
			if m := reUKSLRef.FindString(tv.value); m != "" && b.ref == "" {
				b.ref = m
			}
		case "Gender":
			b.setGender(tv.value)
		case "UN Ref":
			b.e.AddAttribute("un_reference", tv.value)
		case "Phone number", "Tel":
			b.addContacts("phone", tv.value)
		case "Fax":
			b.addContacts("fax", tv.value)
		case "Email address":
			b.addContacts("email", tv.value)
		case "Website":
			b.addContacts("website", tv.value)
		case "Type of entity":
			b.e.AddAttribute("entity_type", tv.value)
		case "Parent company":
			b.e.AddAttribute("parent_company", tv.value)
		case "Subsidiaries":
			b.e.AddAttribute("subsidiaries", tv.value)
		case "Business Reg No":
			b.addIdentifier(lexscreen.IDRegistration, tv.tag, tv.value)
		case "IMO number":
			b.addIdentifier(lexscreen.IDIMO, tv.tag, tv.value)
		case "Flag of ship":
			b.addFlag(tv.value)
		case "Previous flags":
			b.e.AddAttribute("previous_flags", tv.value)
		case "Type of ship":
			b.e.AddAttribute("vessel_type", tv.value)
		case "Tonnage of ship":
			b.e.AddAttribute("tonnage", tv.value)
		case "Length of ship":
			b.e.AddAttribute("length", tv.value)
		case "Year built":
			b.e.AddAttribute("build_year", tv.value)
		case "Current owners":
			b.e.AddAttribute("owner", tv.value)
		}
	}
}

func (b *builder) addFlag(s string) {
	if s = source.Clean(s); s == "" {
		return
	}
	b.e.AddAttribute("flag", s)
	if c := source.NewCountry(s); c.Code != "" {
		b.e.Countries = appendUniq(b.e.Countries, c)
	}
}

// addDesignation adds one listing; measures are "|"-separated (FCDO).
func (b *builder) addDesignation(program, listedOn, measures, remarks string) {
	program = source.Clean(program)
	d := lexscreen.Designation{Authority: b.authority, List: b.list, Program: program}
	if strings.Contains(program, "Regulations") {
		d.LegalBasis = program
	}
	if v, ok := parseUKDate(listedOn); ok {
		d.ListedOn = v
	}
	for _, m := range strings.Split(measures, "|") {
		if m = source.Clean(m); m != "" {
			d.Measures = appendUniqStr(d.Measures, m)
		}
	}
	d.Remarks = source.Clean(remarks)
	if d.Program == "" && d.ListedOn.IsZero() && len(d.Measures) == 0 {
		return
	}
	for i, o := range b.e.Designations {
		if o.Program == d.Program && o.ListedOn == d.ListedOn {
			for _, m := range d.Measures {
				b.e.Designations[i].Measures = appendUniqStr(b.e.Designations[i].Measures, m)
			}
			if o.Remarks == "" {
				b.e.Designations[i].Remarks = d.Remarks
			}
			return
		}
	}
	b.e.Designations = append(b.e.Designations, d)
}

func appendUniqStr(s []string, v string) []string { return appendUniq(s, v) }

func attrKey(label string) string {
	var b strings.Builder
	us := false
	for _, r := range strings.ToLower(label) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if us && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			us = false
		} else {
			us = true
		}
	}
	return b.String()
}

func (b *builder) addDateAttr(key, s string) {
	if v, ok := parseUKDate(s); ok && v.To.IsZero() {
		b.e.AddAttribute(key, v.From.String())
	} else {
		b.e.AddAttribute(key, source.Clean(s))
	}
}

// addRow merges one table row (OFSI or FCDO layout) into the entity.
func (b *builder) addRow(r row) {
	b.setSchema(r.get(fGroupType))
	person := b.e.Schema == lexscreen.SchemaPerson
	var parts [6]string
	for i, f := range []field{fName1, fName2, fName3, fName4, fName5, fName6} {
		parts[i] = r.get(f)
	}
	b.addName(parts, r.get(fTitle), nameKind(r.get(fAliasType), r.get(fAliasQuality)), person)
	b.addNonLatin(r.get(fNonLatin), r.get(fNonLatinType), r.get(fNonLatinLang))
	b.addDOBs(r.get(fDOB))
	b.addBirthPlaces(r.get(fTownOfBirth), r.get(fCountryOfBirth))
	b.addNationalities(r.get(fNationality))
	b.addIdentifiers(r.cols.label(fPassportNumber, "Passport Number"), r.get(fPassportNumber), r.get(fPassportDetails))
	b.addIdentifiers(r.cols.label(fNationalIDNumber, "National Identification Number"), r.get(fNationalIDNumber), r.get(fNationalIDDetails))
	b.addPositions(r.get(fPosition))
	b.addAddress([]string{r.get(fAddress1), r.get(fAddress2), r.get(fAddress3), r.get(fAddress4), r.get(fAddress5), r.get(fAddress6)},
		r.get(fPostCode), r.get(fCountry))
	b.setGender(r.get(fGender))
	b.addContacts("phone", r.get(fPhone))
	b.addContacts("email", r.get(fEmail))
	b.addContacts("website", r.get(fWebsite))
	b.e.AddAttribute("entity_type", r.get(fTypeOfEntity))
	b.e.AddAttribute("subsidiaries", r.get(fSubsidiaries))
	b.e.AddAttribute("parent_company", r.get(fParentCompany))
	b.addIdentifier(lexscreen.IDRegistration, r.cols.label(fBusinessReg, "Business registration number"), r.get(fBusinessReg))
	b.addIdentifier(lexscreen.IDIMO, r.cols.label(fIMO, "IMO number"), r.get(fIMO))
	b.e.AddAttribute("owner", r.get(fCurrentOwner))
	b.e.AddAttribute("previous_owner", r.get(fPreviousOwner))
	b.addFlag(r.get(fCurrentFlag))
	b.e.AddAttribute("previous_flags", r.get(fPreviousFlags))
	b.e.AddAttribute("vessel_type", r.get(fTypeOfShip))
	b.e.AddAttribute("tonnage", r.get(fTonnage))
	b.e.AddAttribute("length", r.get(fLength))
	b.e.AddAttribute("build_year", r.get(fYearBuilt))
	b.addIdentifier(lexscreen.IDOther, r.cols.label(fHIN, "Hull identification number (HIN)"), r.get(fHIN))
	b.e.AddAttribute("un_reference", r.get(fUNReference))
	b.e.AddAttribute("designation_source", r.get(fDesignationSource))
	if r.cols.has(fUniqueID) && r.get(fGroupID) != "" {
		b.e.AddAttribute("ofsi_group_id", r.get(fGroupID))
	}
	if r.cols.has(fUniqueID) && b.ref == "" {
		b.ref = r.get(fUniqueID)
	}
	b.addOtherInfo(r.get(fOtherInfo))
	listed := r.get(fListedOn)
	if listed == "" {
		listed = r.get(fDateDesignated)
	} else if d := r.get(fDateDesignated); d != "" {
		b.addDateAttr("uk_sanctions_list_date_designated", d)
	}
	b.addDesignation(r.get(fRegime), listed, r.get(fSanctionsImposed), r.get(fStatementOfReasons))
	if lu := r.get(fLastUpdated); lu != "" {
		b.addDateAttr("last_updated", lu)
	}
}

// finish completes the entity: references on designations, a default
// schema, and deterministic attribute order.
func (b *builder) finish() *lexscreen.Entity {
	if b.e.Schema == "" {
		b.e.Schema = lexscreen.SchemaUnknown
	}
	for i := range b.e.Designations {
		if b.e.Designations[i].Reference == "" {
			b.e.Designations[i].Reference = b.ref
		}
	}
	if b.ref != "" && len(b.e.Designations) == 0 {
		b.e.AddAttribute("uk_sanctions_list_ref", b.ref)
	}
	if vs := b.e.Attributes["last_updated"]; len(vs) > 1 {
		sort.Strings(vs) // keep only the latest update date
		b.e.Attributes["last_updated"] = vs[len(vs)-1:]
	}
	return b.e
}

// --- grouping ---

// grouper merges rows per key. In consecutive mode an entity is emitted
// as soon as its key changes and a key seen again later is an error. In
// whole-file mode (OFSI: rows of one Group ID are spread over the file,
// sorted by name) every entity stays open until the end of the file and
// entities are emitted in order of first appearance; memory then holds one
// de-duplicated entity per group (about 4 MB for the 4,686 OFSI groups),
// not the rows.
type grouper struct {
	consecutive bool
	src, auth   string
	list        string
	open        map[string]*builder
	order       []string
	done        map[string]int // consecutive mode: key -> first line, for errors
	cur         *builder
	curKey      string
	emit        source.Emit
	count       int
}

func newGrouper(consecutive bool, src, auth, list string, emit source.Emit) *grouper {
	return &grouper{consecutive: consecutive, src: src, auth: auth, list: list, emit: emit,
		open: map[string]*builder{}, done: map[string]int{}}
}

// get returns the builder for key, or an error message when key reappears
// after it was emitted in consecutive mode.
func (g *grouper) get(key string, line int) (*builder, string, error) {
	if g.consecutive {
		if g.cur != nil && g.curKey == key {
			return g.cur, "", nil
		}
		if first, ok := g.done[key]; ok {
			return nil, "rows of " + key + " are not consecutive (first seen at row " + strconv.Itoa(first) + ")", nil
		}
		if err := g.flush(); err != nil {
			return nil, "", err
		}
		g.cur, g.curKey = newBuilder(g.src, g.auth, g.list, key), key
		g.cur.firstLine = line
		return g.cur, "", nil
	}
	if b, ok := g.open[key]; ok {
		return b, "", nil
	}
	b := newBuilder(g.src, g.auth, g.list, key)
	b.firstLine = line
	g.open[key] = b
	g.order = append(g.order, key)
	return b, "", nil
}

func (g *grouper) flush() error {
	if g.cur == nil {
		return nil
	}
	g.done[g.curKey] = g.cur.firstLine
	e := g.cur.finish()
	g.cur = nil
	g.count++
	return g.emit(e)
}

// close emits what is still open.
func (g *grouper) close() error {
	if g.consecutive {
		return g.flush()
	}
	for _, k := range g.order {
		g.count++
		if err := g.emit(g.open[k].finish()); err != nil {
			return err
		}
		delete(g.open, k)
	}
	g.order = nil
	return nil
}

// reAnyDate finds a date in a banner ("[Report for: 30-Nov-2022]",
// "Last Updated,25/01/2024").
var reAnyDate = regexp.MustCompile(`\d{1,2}[/.]\d{1,2}[/.]\d{4}|\d{1,2}[- ][A-Za-z]{3,9}[- ]\d{4}|\d{4}-\d{2}-\d{2}`)

// bannerDate reads the publication date of a banner row; ok is false when
// there is none.
func bannerDate(s string) (time.Time, string, bool) {
	m := reAnyDate.FindString(s)
	if m == "" {
		return time.Time{}, "", false
	}
	pd := dateOnly(m)
	if pd.Precision() != "day" {
		return time.Time{}, "", false
	}
	return pd.First(), m, true
}
