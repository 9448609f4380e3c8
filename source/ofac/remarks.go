package ofac

import (
	"regexp"
	"sort"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// ParseRemarks reads the OFAC remarks mini-language ("DOB 31 Aug 1960; POB
// Baghdad, Iraq; nationality Iraq; Passport A123 (Iraq) issued 01 Jan 2000;
// a.k.a. 'ABU X'; Linked To: HAMAS.") into the fields of e: birth dates and
// places, nationalities, citizenships, gender, identifiers, contacts, weak
// aliases, links and attributes. The whole text is kept in e.Remarks (appended
// after a space when e.Remarks is already set); clauses it does not know stay
// only there. It is shared with the OFAC XML parsers, whose remarks and
// idList entries use the same vocabulary.
func ParseRemarks(remarks string, e *lexscreen.Entity) {
	text := source.Clean(remarks)
	if text == "" {
		return
	}
	if e.Remarks == "" {
		e.Remarks = text
	} else {
		e.Remarks += " " + text
	}
	body := strings.TrimSuffix(text, ".")
	for _, cl := range splitClauses(body) {
		parseClause(cl, e)
	}
}

// splitClauses splits on "; " outside parentheses.
func splitClauses(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case ';':
			if depth == 0 {
				if c := strings.TrimSpace(s[start:i]); c != "" {
					out = append(out, c)
				}
				start = i + 1
			}
		}
	}
	if c := strings.TrimSpace(s[start:]); c != "" {
		out = append(out, c)
	}
	return out
}

// cut returns the rest of s after prefix p (case-sensitive) and a following
// space, or ok=false.
func cut(s, p string) (string, bool) {
	if !strings.HasPrefix(s, p) {
		return "", false
	}
	rest := s[len(p):]
	if rest == "" {
		return "", false
	}
	if p[len(p)-1] != ' ' && rest[0] != ' ' {
		return "", false
	}
	return strings.TrimSpace(rest), true
}

// attributePrefixes maps clause prefixes to attribute keys; the value is the
// rest of the clause, verbatim. Longer prefixes come first where they share
// a start.
var attributePrefixes = []struct{ prefix, key string }{
	{"Vessel Year of Build", "build_year"},
	{"Former Vessel Flag", "former_flag"},
	{"Other Vessel Flag", "other_flag"},
	{"Other Vessel Call Sign", "other_call_sign"},
	{"Other Vessel Type", "other_vessel_type"},
	{"Aircraft Construction Number (also called L/N or S/N or F/N)", "aircraft_construction_number"},
	{"Aircraft Manufacturer's Serial Number (MSN)", "aircraft_msn"},
	{"Aircraft Manufacture Date", "aircraft_manufacture_date"},
	{"Aircraft Model", "aircraft_model"},
	{"Aircraft Operator", "aircraft_operator"},
	{"Aircraft Tail Number", "aircraft_tail_number"},
	{"Aircraft Mode S Transponder Code", "aircraft_mode_s_transponder_code"},
	{"Aircraft Serial Identification", "aircraft_serial_identification"},
	{"ethnicity", "ethnicity"},
	{"Tribe:", "tribe"},
	{"Organization Established Date", "organization_established_date"},
	{"Organization Type:", "organization_type"},
	{"Target Type", "target_type"},
	{"Secondary sanctions risk:", "secondary_sanctions_risk"},
	{"Additional Sanctions Information -", "additional_sanctions_information"},
	{"Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions:", "transactions_prohibited"},
	{"CAATSA Section 235 Information:", "caatsa_section_235"},
	{"IFCA Determination -", "ifca_determination"},
	{"PEESA Information:", "peesa_information"},
	{"Equity Ticker", "equity_ticker"},
	{"Issuer Name", "issuer_name"},
	{"Listing Date", "listing_date"},
	{"Effective Date", "effective_date"},
	{"Purchase/Sales For Divestment Date", "divestment_date"},
	{"Executive Order", "executive_order"},
}

// idLabels are the identifier labels OFAC writes before a number. init sorts
// them longest first, so "UK Company Number" wins over "Company Number".
var idLabels = []string{
	"Passport", "Diplomatic Passport", "National ID No.", "Tax ID No.", "Cedula No.", "Registration Number",
	"Registration ID", "Business Registration Number", "Government Gazette Number", "Company Number",
	"UK Company Number", "Identification Number", "C.U.R.P.", "R.F.C.", "RFC", "NIT #", "Folio Mercantil No.",
	"Unified Social Credit Code (USCC)", "United Social Credit Code Certificate (USCCC)",
	"Commercial Registry Number", "License", "Economic Register Number (CBLS)", "Legal Entity Number", "RUC #",
	"ISIN", "V.A.T. Number", "SWIFT/BIC", "C.R. No.", "Trade License No.", "Chamber of Commerce Number",
	"Matricula Mercantil No", "D.N.I.", "D-U-N-S Number", "Central Registration System Number", "Business Number",
	"Birth Certificate Number", "Istanbul Chamber of Comm. No.", "Driver's License No.", "BIK (RU)", "RIF #",
	"Electoral Registry No.", "Business Registration Document #", "Enterprise Number", "Public Registration Number",
	"Italian Fiscal Code", "National Foreign ID Number", "Personal ID Card", "Credencial electoral",
	"Residency Number", "C.U.I.", "C.I.N.", "Cartilla de Servicio Militar Nacional", "US FEIN",
	"Chinese Commercial Code", "I.F.E.", "Permit Number", "Dubai Chamber of Commerce Membership No.", "SSN",
	"Registered Charity No.", "Branch Unit Number", "Certificate of Incorporation Number",
	"Turkish Identification Number", "Global Intermediary Identification Number", "Numero de Identidad",
	"C.U.I.T.", "LE Number", "Citizen's Card Number", "Travel Document Number", "Kenyan ID No.",
	"Organization Code", "RTN", "C.U.I.P.", "Vessel Registration Identification", "MMSI",
	"Stateless Person Passport", "Stateless Person ID Card", "Refugee ID Card", "Moroccan Personal ID No.",
	"Afghan Money Service Provider License Number", "Fiscal Code", "File Number", "Romanian Permanent Resident",
	"Romanian Tax Registration",
}

// labelKinds overrides source.IdentifierKind for OFAC labels it cannot
// classify from the words alone (abbreviations).
var labelKinds = map[string]lexscreen.IdentifierKind{
	"C.U.R.P.": lexscreen.IDNational, "D.N.I.": lexscreen.IDNational, "NIT #": lexscreen.IDTax,
	"RUC #": lexscreen.IDTax, "RIF #": lexscreen.IDTax, "C.U.I.T.": lexscreen.IDTax, "US FEIN": lexscreen.IDTax,
	"SSN": lexscreen.IDNational, "Italian Fiscal Code": lexscreen.IDTax, "Fiscal Code": lexscreen.IDTax,
	"V.A.T. Number": lexscreen.IDTax, "R.F.C.": lexscreen.IDTax, "RFC": lexscreen.IDTax, "RTN": lexscreen.IDTax,
	"C.I.N.": lexscreen.IDRegistration, "C.R. No.": lexscreen.IDRegistration,
	"Folio Mercantil No.": lexscreen.IDRegistration, "Matricula Mercantil No": lexscreen.IDRegistration,
	"Trade License No.": lexscreen.IDRegistration, "License": lexscreen.IDOther,
	"Electoral Registry No.": lexscreen.IDNational, "Credencial electoral": lexscreen.IDNational,
	"I.F.E.": lexscreen.IDNational, "C.U.I.": lexscreen.IDNational, "C.U.I.P.": lexscreen.IDNational,
	"Numero de Identidad": lexscreen.IDNational, "Kenyan ID No.": lexscreen.IDNational,
	"Citizen's Card Number": lexscreen.IDNational, "LE Number": lexscreen.IDNational,
	"Registered Charity No.": lexscreen.IDRegistration, "Certificate of Incorporation Number": lexscreen.IDRegistration,
	"Chamber of Commerce Number": lexscreen.IDRegistration, "Istanbul Chamber of Comm. No.": lexscreen.IDRegistration,
	"Dubai Chamber of Commerce Membership No.": lexscreen.IDRegistration, "Enterprise Number": lexscreen.IDRegistration,
	"Branch Unit Number": lexscreen.IDRegistration, "Organization Code": lexscreen.IDRegistration,
	"D-U-N-S Number": lexscreen.IDRegistration, "Government Gazette Number": lexscreen.IDRegistration,
	"Economic Register Number (CBLS)": lexscreen.IDRegistration, "Commercial Registry Number": lexscreen.IDRegistration,
	"Central Registration System Number": lexscreen.IDRegistration, "Public Registration Number": lexscreen.IDRegistration,
	"Global Intermediary Identification Number": lexscreen.IDOther, "ISIN": lexscreen.IDOther,
	"BIK (RU)": lexscreen.IDBIC, "Travel Document Number": lexscreen.IDPassport,
	"Turkish Identification Number": lexscreen.IDNational, "Birth Certificate Number": lexscreen.IDOther,
	"Chinese Commercial Code": lexscreen.IDOther,
	"Identification Number":   lexscreen.IDNational, "Residency Number": lexscreen.IDOther,
	"Driver's License No.": lexscreen.IDOther, "Permit Number": lexscreen.IDOther,
	"Cartilla de Servicio Militar Nacional": lexscreen.IDOther, "File Number": lexscreen.IDOther,
}

func init() {
	sort.SliceStable(idLabels, func(i, j int) bool { return len(idLabels[i]) > len(idLabels[j]) })
}

var (
	reWeak     = regexp.MustCompile(`^([afn])\.k\.a\.,?\s+'(.+)'$`)
	reCrypto   = regexp.MustCompile(`^(Digital Currency Address - ([A-Za-z0-9]+))\s+(\S+)$`)
	reExpires  = regexp.MustCompile(`\s+expires\s+(.+)$`)
	reIssued   = regexp.MustCompile(`\s+issued\s+(.+)$`)
	reParen    = regexp.MustCompile(`\s*\(([^()]*)\)$`)
	reGenLabel = regexp.MustCompile(`^([A-Z][A-Za-z.'/ -]*?(?:No\.|Number|#|ID|Code))\s+(\S.*)$`)
	reIMO      = regexp.MustCompile(`^IMO\s+\d+$`)
	reBIC      = regexp.MustCompile(`^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$`)
	reContact  = regexp.MustCompile(`(?i)^(website|email address|e-mail address|e-mail|phone number|telephone number|telephone no\.|telephone|phone|fax no\.|fax number|fax)\s*:?\s+(\S.*)$`)
)

func parseClause(cl string, e *lexscreen.Entity) {
	cl = strings.TrimPrefix(strings.TrimPrefix(cl, "alt. "), "Alt. ")
	if cl == "" {
		return
	}
	if rest, ok := cut(cl, "DOB"); ok {
		if v, ok := source.ParseDateValue(rest); ok {
			e.BirthDates = append(e.BirthDates, v)
		}
		return
	}
	if rest, ok := cut(cl, "POB"); ok {
		e.BirthPlaces = append(e.BirthPlaces, parsePlace(rest))
		return
	}
	if rest, ok := cut(cl, "nationality"); ok {
		addCountry(&e.Nationalities, rest)
		return
	}
	if rest, ok := cut(cl, "citizen"); ok {
		addCountry(&e.Citizenships, rest)
		return
	}
	if rest, ok := cut(cl, "Gender"); ok {
		switch strings.ToLower(rest) {
		case "male":
			e.Gender = "male"
		case "female":
			e.Gender = "female"
		default:
			e.Gender = rest
		}
		return
	}
	if m := reWeak.FindStringSubmatch(cl); m != nil {
		// Remarks aliases are OFAC's weak aliases, also the f.k.a. ones.
		n := strings.TrimSpace(m[2])
		e.AddName(makeName(n, lexscreen.NameWeakAlias, e.Schema == lexscreen.SchemaPerson))
		return
	}
	if rest, ok := cut(cl, "Linked To:"); ok {
		addLink(e, rest)
		return
	}
	if m := reCrypto.FindStringSubmatch(cl); m != nil {
		e.Identifiers = append(e.Identifiers, lexscreen.Identifier{Kind: lexscreen.IDCrypto, Label: m[1], Number: m[3]})
		return
	}
	if m := reContact.FindStringSubmatch(cl); m != nil {
		kind := "phone"
		switch l := strings.ToLower(m[1]); {
		case strings.HasPrefix(l, "web"):
			kind = "website"
		case strings.HasPrefix(l, "e"):
			kind = "email"
		case strings.HasPrefix(l, "fax"):
			kind = "fax"
		}
		e.Contacts = append(e.Contacts, lexscreen.Contact{Kind: kind, Value: m[2]})
		return
	}
	for _, a := range attributePrefixes {
		if rest, ok := cut(cl, a.prefix); ok {
			e.AddAttribute(a.key, rest)
			return
		}
	}
	if rest, ok := cut(cl, "Nationality of Registration"); ok {
		e.AddAttribute("nationality_of_registration", rest)
		addCountry(&e.Countries, rest)
		return
	}
	for _, l := range idLabels {
		if rest, ok := cut(cl, l); ok {
			addIdentifier(e, l, rest)
			return
		}
	}
	if m := reGenLabel.FindStringSubmatch(cl); m != nil && strings.ContainsAny(m[2], "0123456789") {
		addIdentifier(e, m[1], m[2])
		return
	}
	// Anything else stays in Remarks only.
}

func addCountry(list *[]lexscreen.Country, text string) {
	c := source.NewCountry(text)
	if c.Name == "" {
		return
	}
	for _, o := range *list {
		if o == c {
			return
		}
	}
	*list = append(*list, c)
}

func addLink(e *lexscreen.Entity, target string) {
	target = strings.TrimSpace(strings.TrimSuffix(target, ")"))
	if target == "" {
		return
	}
	for _, l := range e.Links {
		if l.Relation == "linked_to" && l.Target == target {
			return
		}
	}
	e.Links = append(e.Links, lexscreen.Link{Relation: "linked_to", Target: target})
}

// parsePlace reads "City, Region, Country" as OFAC writes places of birth.
func parsePlace(text string) lexscreen.Place {
	p := lexscreen.Place{Text: text}
	parts := strings.Split(text, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	last := parts[len(parts)-1]
	// "Korea, North" and the like are one country.
	if len(parts) >= 2 {
		if two := parts[len(parts)-2] + ", " + last; source.CountryCode(two) != "" {
			p.Country = source.NewCountry(two)
			parts = parts[:len(parts)-2]
			fillCityRegion(&p, parts)
			return p
		}
	}
	if source.CountryCode(last) != "" {
		p.Country = source.NewCountry(last)
		parts = parts[:len(parts)-1]
	}
	fillCityRegion(&p, parts)
	return p
}

func fillCityRegion(p *lexscreen.Place, parts []string) {
	if len(parts) == 0 {
		return
	}
	p.City = parts[0]
	if len(parts) > 1 {
		p.Region = strings.Join(parts[1:], ", ")
	}
}

// addIdentifier parses "<number> (<country>) issued <date> expires <date>".
func addIdentifier(e *lexscreen.Entity, label, rest string) {
	id := lexscreen.Identifier{Label: label}
	var notes []string
	if m := reExpires.FindStringSubmatchIndex(rest); m != nil {
		ds := rest[m[2]:m[3]]
		if d, ok := source.ParseDate(ds); ok {
			id.Expires = d
		} else {
			notes = append(notes, "expires "+ds)
		}
		rest = rest[:m[0]]
	}
	if m := reIssued.FindStringSubmatchIndex(rest); m != nil {
		ds := rest[m[2]:m[3]]
		if d, ok := source.ParseDate(ds); ok {
			id.Issued = d
		} else {
			notes = append(notes, "issued "+ds)
		}
		rest = rest[:m[0]]
	}
	if m := reParen.FindStringSubmatchIndex(rest); m != nil && m[0] > 0 {
		in := strings.TrimSpace(rest[m[2]:m[3]])
		if source.CountryCode(in) != "" || strings.HasPrefix(in, "Region:") {
			id.Country = source.NewCountry(in)
			rest = rest[:m[0]]
		}
	}
	id.Number = strings.TrimSpace(rest)
	if !strings.ContainsAny(id.Number, "0123456789") && !(label == "SWIFT/BIC" && reBIC.MatchString(id.Number)) {
		// Prose such as "Passport and National ID were issued in Ulm":
		// Remarks only. Most BICs have no digit (VTBRRUMM): they are kept.
		return
	}
	if k, ok := labelKinds[label]; ok {
		id.Kind = k
	} else {
		id.Kind = source.IdentifierKind(label)
	}
	if reIMO.MatchString(id.Number) {
		id.Kind = lexscreen.IDIMO
	}
	id.Note = strings.Join(notes, "; ")
	e.Identifiers = append(e.Identifiers, id)
}
