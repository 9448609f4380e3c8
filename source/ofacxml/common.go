// Package ofacxml reads the three XML formats of the US Treasury's Office of
// Foreign Assets Control (OFAC): the legacy sdnList XML (SDN.XML,
// CONSOLIDATED.XML), the Sanctions List Service "Enhanced" XML
// (SDN_ENHANCED.XML, CONS_ENHANCED.XML and their .ZIP) and the "Advanced" XML
// built on the UN Sanctions Data Model (SDN_ADVANCED.XML, CONS_ADVANCED.XML).
//
// All three match elements on local names, so both the pre-2024 namespaces
// and the 2024 Sanctions List Service namespaces are read. Entity ids are
// "<source>:<OFAC uid>", the same key the legacy CSV files use (ent_num =
// uid = FixedRef = entity id).
package ofacxml

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
	"golang.org/x/text/encoding/charmap"
)

// Source ids.
const (
	sourceSDN  = "us-ofac-sdn"
	sourceCons = "us-ofac-cons"
)

// sourceForName picks the source id from a file name: names containing
// "cons" (CONSOLIDATED.XML, CONS_ADVANCED.XML) are the non-SDN Consolidated list.
func sourceForName(name string) string {
	if strings.Contains(strings.ToLower(name), "cons") {
		return sourceCons
	}
	return sourceSDN
}

// listName is the Designation.List for a source.
func listName(src string) string {
	if src == sourceCons {
		return "Consolidated"
	}
	return "SDN"
}

// newDecoder returns a strict decoder over r under the reading limits (see
// source.NewXMLDecoder). OFAC's XML is UTF-8; a document that declares
// Windows-1252 or Latin-1 is decoded as declared, and bytes that are not
// valid in the declared encoding are an error.
func newDecoder(file string, r io.Reader) *source.XMLDecoder {
	d := source.NewXMLDecoder(file, r)
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return in, nil
		case "windows-1252", "cp1252":
			return charmap.Windows1252.NewDecoder().Reader(in), nil
		case "iso-8859-1", "latin1":
			return charmap.ISO8859_1.NewDecoder().Reader(in), nil
		}
		return nil, fmt.Errorf("unsupported XML encoding %q", label)
	}
	return d
}

// rootName reads tokens up to the first start element and returns it.
func firstStart(d *source.XMLDecoder) (xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.StartElement{}, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se, nil
		}
	}
}

// rootLocal returns the local name of the first element in head, "" when
// head holds none (it may be cut anywhere after the root).
func rootLocal(head []byte) string {
	d := xml.NewDecoder(strings.NewReader(string(source.StripBOM(head))))
	d.Strict = false
	d.CharsetReader = func(string, io.Reader) (io.Reader, error) { return strings.NewReader(""), nil }
	for i := 0; i < 64; i++ {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
	return ""
}

// attr returns the value of the attribute with the given local name.
func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// xmlError turns a decoder error into a located error; a bare EOF inside
// an element becomes "unexpected end of file inside <el>".
func xmlError(file string, d *source.XMLDecoder, inside string, err error) error {
	if err == nil {
		return nil
	}
	line, _ := d.InputPos()
	if err == io.EOF || err == io.ErrUnexpectedEOF || strings.Contains(err.Error(), "unexpected EOF") {
		return source.NewError(file, line, inside, "unexpected end of file inside <%s>", inside)
	}
	return source.WrapError(file, line, inside, err)
}

// nameKind maps OFAC alias types and quality to a NameKind.
func nameKind(aliasType string, weak bool) lexscreen.NameKind {
	t := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(aliasType), ".", ""))
	switch {
	case t == "fka":
		return lexscreen.NameFormer
	case weak:
		return lexscreen.NameWeakAlias
	case t == "name" || t == "":
		return lexscreen.NamePrimary
	}
	return lexscreen.NameAlias
}

// fullName writes name parts in reading order: given, middle, patronymic,
// matronymic, family, then anything else (entity, vessel names).
func fullName(parts []lexscreen.NamePart) string {
	order := []lexscreen.NamePartKind{lexscreen.PartTitle, lexscreen.PartGiven, lexscreen.PartMiddle, lexscreen.PartPatronymic,
		lexscreen.PartMatronymic, lexscreen.PartFamily, lexscreen.PartOther}
	var out []string
	for _, k := range order {
		for _, p := range parts {
			if p.Kind == k && p.Value != "" {
				out = append(out, p.Value)
			}
		}
	}
	return strings.Join(out, " ")
}

// partKind maps OFAC name part type labels to NamePartKind.
func partKind(label string) lexscreen.NamePartKind {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "last name", "maiden name":
		return lexscreen.PartFamily
	case "first name":
		return lexscreen.PartGiven
	case "middle name":
		return lexscreen.PartMiddle
	case "patronymic":
		return lexscreen.PartPatronymic
	case "matronymic":
		return lexscreen.PartMatronymic
	}
	return lexscreen.PartOther
}

// makeName builds a Name from parts, detecting the script when not given.
func makeName(kind lexscreen.NameKind, parts []lexscreen.NamePart, script string) lexscreen.Name {
	n := lexscreen.Name{Kind: kind, Full: fullName(parts)}
	if len(parts) > 1 {
		n.Parts = parts
	}
	if len(parts) == 1 && parts[0].Kind != lexscreen.PartOther {
		n.Parts = parts
	}
	n.Script = script
	if n.Script == "" || n.Script == "Latn" {
		n.Script = source.Script(n.Full)
	}
	return n
}

// spanValue turns an earliest..latest day span (as the Enhanced and
// Advanced formats encode every date) back into a DateValue at the
// precision it stands for: Jan 1..Dec 31 of one year is that year, the first
// to the last day of one month is that month, one day is that day; other
// spans are ranges whose ends are reduced the same way.
func spanValue(a, b lexscreen.PartialDate, circa bool, text string) lexscreen.DateValue {
	v := lexscreen.DateValue{Circa: circa, Text: text}
	if a.IsZero() && b.IsZero() {
		return v
	}
	if a.IsZero() {
		a = b
	}
	if b.IsZero() {
		b = a
	}
	if a.Precision() != "day" || b.Precision() != "day" {
		v.From, v.To = a, b
		if v.From == v.To {
			v.To = lexscreen.PartialDate{}
		}
		return v
	}
	ta, tb := a.First(), b.First()
	if tb.Before(ta) {
		ta, tb = tb, ta
		a, b = b, a
	}
	if ta.Equal(tb) {
		v.From = a
		return v
	}
	yearStart := ta.Month() == 1 && ta.Day() == 1
	yearEnd := tb.Month() == 12 && tb.Day() == 31
	monthStart := ta.Day() == 1
	monthEnd := tb.AddDate(0, 0, 1).Day() == 1
	switch {
	case yearStart && yearEnd && ta.Year() == tb.Year():
		v.From = lexscreen.PartialDate{Year: a.Year}
	case monthStart && monthEnd && ta.Year() == tb.Year() && ta.Month() == tb.Month():
		v.From = lexscreen.PartialDate{Year: a.Year, Month: a.Month}
	case yearStart && yearEnd:
		v.From, v.To = lexscreen.PartialDate{Year: a.Year}, lexscreen.PartialDate{Year: b.Year}
	case monthStart && monthEnd:
		v.From, v.To = lexscreen.PartialDate{Year: a.Year, Month: a.Month}, lexscreen.PartialDate{Year: b.Year, Month: b.Month}
	default:
		v.From, v.To = a, b
	}
	return v
}

// featureAttributes are the OFAC features kept as attributes, by label.
var featureAttributes = map[string]string{
	"vessel call sign": "call_sign", "vessel type": "vessel_type", "vessel owner": "owner",
	"vessel tonnage": "tonnage", "vgrt": "gross_registered_tonnage", "vessel year of build": "build_year",
	"aircraft model": "aircraft_model",
}

// applyDetail files one OFAC "feature" or legacy idList entry (label, value)
// onto e: documents become Identifiers, metadata (directive dates,
// secondary-sanctions notes, target type...) becomes Attributes, and the
// facts with a field of their own (gender, website, e-mail, vessel data)
// go there.
func applyDetail(e *lexscreen.Entity, label, value string, country lexscreen.Country, issued, expires lexscreen.PartialDate, note string) {
	label = source.Clean(label)
	value = source.Clean(value)
	if value == "" {
		return
	}
	l := strings.ToLower(label)
	switch {
	case l == "gender":
		e.Gender = strings.ToLower(value)
		return
	case l == "website":
		addContact(e, "website", value)
		return
	case strings.HasPrefix(l, "email"):
		addContact(e, "email", value)
		return
	case strings.HasPrefix(l, "phone"):
		addContact(e, "phone", value)
		return
	case l == "fax":
		addContact(e, "fax", value)
		return
	case l == "nationality of registration":
		addCountry(&e.Countries, source.NewCountry(value))
		e.AddAttribute("nationality_of_registration", value)
		return
	case l == "vessel flag":
		e.AddAttribute("flag", value)
		addCountry(&e.Countries, source.NewCountry(value))
		return
	case featureAttributes[l] != "":
		e.AddAttribute(featureAttributes[l], value)
		return
	case strings.HasPrefix(l, "digital currency address"):
		e.Identifiers = append(e.Identifiers, lexscreen.Identifier{Kind: lexscreen.IDCrypto, Label: label, Number: value, Note: note})
		return
	case l == "mmsi":
		e.Identifiers = append(e.Identifiers, lexscreen.Identifier{Kind: lexscreen.IDMMSI, Label: label, Number: value, Country: country, Note: note})
		return
	case l == "vessel registration identification":
		e.Identifiers = append(e.Identifiers, lexscreen.Identifier{Kind: lexscreen.IDIMO, Label: label, Number: value, Country: country, Note: note})
		return
	}
	if isMetadata(l) {
		key := source.Snake(label)
		if strings.HasPrefix(l, "aircraft") || strings.HasPrefix(l, "vessel") {
			key = source.Snake(label)
		}
		e.AddAttribute(key, value)
		return
	}
	e.Identifiers = append(e.Identifiers, lexscreen.Identifier{Kind: source.IdentifierKind(label), Label: label, Number: value,
		Country: country, Issued: issued, Expires: expires, Note: note})
}

// isMetadata tells OFAC's pseudo-identifiers (facts about the listing or
// the target, not document numbers) from real documents.
func isMetadata(l string) bool {
	if strings.HasSuffix(l, ":") || strings.HasSuffix(l, " -") {
		return true
	}
	for _, w := range []string{"date", "information", "determination", "risk", "target type", "organization type",
		"issuer name", "equity ticker", "program tag", "aircraft", "vessel", "former ", "other vessel", "ifca", "peesa", "caatsa",
		"executive order", "transactions prohibited"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

func addContact(e *lexscreen.Entity, kind, value string) {
	for _, c := range e.Contacts {
		if c.Kind == kind && c.Value == value {
			return
		}
	}
	e.Contacts = append(e.Contacts, lexscreen.Contact{Kind: kind, Value: value})
}

func addCountry(list *[]lexscreen.Country, c lexscreen.Country) {
	if c.Name == "" && c.Code == "" {
		return
	}
	for _, o := range *list {
		if o == c {
			return
		}
	}
	*list = append(*list, c)
}

func addDate(list *[]lexscreen.DateValue, v lexscreen.DateValue) {
	if v.IsZero() {
		return
	}
	for _, o := range *list {
		if o == v {
			return
		}
	}
	*list = append(*list, v)
}

func addPlace(list *[]lexscreen.Place, p lexscreen.Place) {
	if p.Text == "" && p.City == "" && p.Country.Name == "" {
		return
	}
	for _, o := range *list {
		if o == p {
			return
		}
	}
	*list = append(*list, p)
}

// joinNonEmpty joins the non-empty values with sep.
func joinNonEmpty(sep string, vals ...string) string {
	var out []string
	for _, v := range vals {
		if v = source.Clean(v); v != "" {
			out = append(out, v)
		}
	}
	return strings.Join(out, sep)
}

// dateTime converts a partial date to the time of its first day (zero for
// a zero date).
func dateTime(d lexscreen.PartialDate) time.Time {
	if d.IsZero() || !d.Valid() {
		return time.Time{}
	}
	return d.First()
}

// checkDeclared compares a declared record count with what was parsed.
func checkDeclared(file string, declared, got int) error {
	if declared > 0 && declared != got {
		return source.NewError(file, 0, "", "file declares %d records but holds %d", declared, got)
	}
	return nil
}
