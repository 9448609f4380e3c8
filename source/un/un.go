// Package un reads the United Nations Security Council Consolidated List
// (consolidated.xml, FORMATS.md §2).
//
// The file has no namespace: <CONSOLIDATED_LIST dateGenerated="…"> holds
// <INDIVIDUALS><INDIVIDUAL>… and <ENTITIES><ENTITY>…. Parse streams it: it
// walks tokens and decodes one INDIVIDUAL or ENTITY at a time.
package un

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// SourceID is the source id of the UN Security Council list.
const SourceID = "un-sc"

// FormatXML is the UN Security Council consolidated list XML.
var FormatXML = source.Format{
	ID:    "un-xml",
	Title: "UN Security Council Consolidated List XML (consolidated.xml)",
	Sniff: sniff,
	Parse: parse,
}

func sniff(name string, head []byte) bool {
	return bytes.Contains(head, []byte("<CONSOLIDATED_LIST"))
}

type values struct {
	Values []string `xml:"VALUE"`
}

type alias struct {
	Quality      string `xml:"QUALITY"`
	Name         string `xml:"ALIAS_NAME"`
	DateOfBirth  string `xml:"DATE_OF_BIRTH"`
	CityOfBirth  string `xml:"CITY_OF_BIRTH"`
	CountryBirth string `xml:"COUNTRY_OF_BIRTH"`
	Note         string `xml:"NOTE"`
}

type address struct {
	Street  string `xml:"STREET"`
	City    string `xml:"CITY"`
	State   string `xml:"STATE_PROVINCE"`
	Zip     string `xml:"ZIP_CODE"`
	Country string `xml:"COUNTRY"`
	Note    string `xml:"NOTE"`
}

type dob struct {
	Type     string `xml:"TYPE_OF_DATE"`
	Date     string `xml:"DATE"`
	Year     string `xml:"YEAR"`
	FromYear string `xml:"FROM_YEAR"`
	ToYear   string `xml:"TO_YEAR"`
	Note     string `xml:"NOTE"`
}

type pob struct {
	City    string `xml:"CITY"`
	State   string `xml:"STATE_PROVINCE"`
	Country string `xml:"COUNTRY"`
	Note    string `xml:"NOTE"`
}

type document struct {
	Type           string `xml:"TYPE_OF_DOCUMENT"`
	Type2          string `xml:"TYPE_OF_DOCUMENT2"`
	Number         string `xml:"NUMBER"`
	IssuingCountry string `xml:"ISSUING_COUNTRY"`
	DateOfIssue    string `xml:"DATE_OF_ISSUE"`
	CityOfIssue    string `xml:"CITY_OF_ISSUE"`
	CountryOfIssue string `xml:"COUNTRY_OF_ISSUE"`
	Note           string `xml:"NOTE"`
}

// record is one INDIVIDUAL or ENTITY; entities use the *_ALIAS and
// *_ADDRESS elements of their own name, mapped by the two tag sets.
type record struct {
	DataID         string     `xml:"DATAID"`
	VersionNum     string     `xml:"VERSIONNUM"`
	FirstName      string     `xml:"FIRST_NAME"`
	SecondName     string     `xml:"SECOND_NAME"`
	ThirdName      string     `xml:"THIRD_NAME"`
	FourthName     string     `xml:"FOURTH_NAME"`
	ListType       string     `xml:"UN_LIST_TYPE"`
	Reference      string     `xml:"REFERENCE_NUMBER"`
	ListedOn       string     `xml:"LISTED_ON"`
	OriginalScript string     `xml:"NAME_ORIGINAL_SCRIPT"`
	Comments       string     `xml:"COMMENTS1"`
	Gender         string     `xml:"GENDER"`
	Title          values     `xml:"TITLE"`
	Designation    values     `xml:"DESIGNATION"`
	Nationality    values     `xml:"NATIONALITY"`
	List           values     `xml:"LIST_TYPE"`
	LastUpdated    values     `xml:"LAST_DAY_UPDATED"`
	IndAliases     []alias    `xml:"INDIVIDUAL_ALIAS"`
	EntAliases     []alias    `xml:"ENTITY_ALIAS"`
	IndAddresses   []address  `xml:"INDIVIDUAL_ADDRESS"`
	EntAddresses   []address  `xml:"ENTITY_ADDRESS"`
	DatesOfBirth   []dob      `xml:"INDIVIDUAL_DATE_OF_BIRTH"`
	PlacesOfBirth  []pob      `xml:"INDIVIDUAL_PLACE_OF_BIRTH"`
	Documents      []document `xml:"INDIVIDUAL_DOCUMENT"`
}

func parse(ctx context.Context, files []source.File, emit source.Emit) (source.Meta, error) {
	meta := source.Meta{Source: SourceID}
	f, rc, err := source.OpenOne("un-xml", files)
	if err != nil {
		return meta, err
	}
	defer rc.Close()
	return parseReader(ctx, f.Name, rc, emit)
}

func parseReader(ctx context.Context, name string, r io.Reader, emit source.Emit) (source.Meta, error) {
	meta := source.Meta{Source: SourceID}
	err := source.XMLRecords{File: name, Root: "CONSOLIDATED_LIST", What: "a UN consolidated list",
		OnRoot: func(root xml.StartElement) error {
			for _, a := range root.Attr {
				if a.Name.Local == "dateGenerated" {
					meta.Version = a.Value
					if ts, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(a.Value)); err == nil {
						meta.Published = ts.UTC()
					} else if d, ok := source.ParseDate(a.Value); ok && d.Precision() == "day" {
						meta.Published = d.First()
					}
				}
			}
			return nil
		},
		OnRecord: func(dec *source.XMLDecoder, t xml.StartElement) error {
			var schema lexscreen.Schema
			switch t.Name.Local {
			case "INDIVIDUAL":
				schema = lexscreen.SchemaPerson
			case "ENTITY":
				schema = lexscreen.SchemaOrganization
			default:
				return recurse(dec, t, emit, name)
			}
			return decodeRecord(dec, t, schema, name, emit)
		},
	}.Read(ctx, r)
	return meta, err
}

// recurse walks into a grouping element (<INDIVIDUALS>, <ENTITIES>) and
// decodes the records inside it.
func recurse(dec *source.XMLDecoder, parent xml.StartElement, emit source.Emit, name string) error {
	for {
		tok, err := dec.Token()
		if err != nil {
			if source.IsTruncated(err) {
				line, _ := dec.InputPos()
				return source.NewError(name, line, parent.Name.Local, "unexpected end of file inside <%s>", parent.Name.Local)
			}
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "INDIVIDUAL":
				if err := decodeRecord(dec, t, lexscreen.SchemaPerson, name, emit); err != nil {
					return err
				}
			case "ENTITY":
				if err := decodeRecord(dec, t, lexscreen.SchemaOrganization, name, emit); err != nil {
					return err
				}
			default:
				if err := dec.Skip(); err != nil {
					return err
				}
			}
		case xml.EndElement:
			return nil
		}
	}
}

func decodeRecord(dec *source.XMLDecoder, t xml.StartElement, schema lexscreen.Schema, name string, emit source.Emit) error {
	startLine, _ := dec.InputPos()
	var rec record
	if err := dec.DecodeRecord(&rec, &t); err != nil {
		el := t.Name.Local
		if id := strings.TrimSpace(rec.DataID); id != "" {
			el += " DATAID=" + id
		}
		line, _ := dec.InputPos()
		return source.RecordError(name, line, el, err)
	}
	e, err := build(rec, schema)
	if err != nil {
		return source.NewError(name, startLine, t.Name.Local, "%v", err)
	}
	return emit(e)
}

var reEmail = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)

// build maps one record to an Entity.
func build(r record, schema lexscreen.Schema) (*lexscreen.Entity, error) {
	id := source.Clean(r.DataID)
	if id == "" {
		return nil, fmt.Errorf("record without DATAID")
	}
	e := &lexscreen.Entity{ID: SourceID + ":" + id, Source: SourceID, Schema: schema}

	// Primary name: FIRST..FOURTH_NAME in given order. The UN does not say
	// which part is the family name, so parts are tagged "other".
	var parts []lexscreen.NamePart
	for _, p := range []string{r.FirstName, r.SecondName, r.ThirdName, r.FourthName} {
		if p = source.Clean(p); p != "" {
			parts = append(parts, lexscreen.NamePart{Kind: lexscreen.PartOther, Value: p})
		}
	}
	if len(parts) > 0 {
		full := make([]string, len(parts))
		for i, p := range parts {
			full[i] = p.Value
		}
		n := lexscreen.Name{Full: strings.Join(full, " "), Kind: lexscreen.NamePrimary, Script: source.Script(strings.Join(full, " "))}
		if len(parts) > 1 && schema == lexscreen.SchemaPerson {
			n.Parts = parts
		}
		e.AddName(n)
	}
	if s := source.Clean(r.OriginalScript); s != "" {
		e.AddName(lexscreen.Name{Full: s, Kind: lexscreen.NameAlias, Script: source.Script(s)})
	}
	for _, a := range append(r.IndAliases, r.EntAliases...) {
		if n := source.Clean(a.Name); n != "" {
			e.AddName(lexscreen.Name{Full: n, Kind: aliasKind(a.Quality), Script: source.Script(n)})
			if note := source.Clean(a.Note); note != "" {
				e.AddAttribute("alias_note", n+": "+note)
			}
		}
	}
	if len(e.Names) == 0 {
		return nil, fmt.Errorf("DATAID=%s has no name", id)
	}

	switch g := strings.ToLower(source.Clean(r.Gender)); g {
	case "":
	case "male", "m":
		e.Gender = "male"
	case "female", "f":
		e.Gender = "female"
	default:
		e.Gender = g
	}

	for _, d := range r.DatesOfBirth {
		readDOB(e, d)
	}
	for _, p := range r.PlacesOfBirth {
		c, s, k := source.Clean(p.City), source.Clean(p.State), source.Clean(p.Country)
		text := source.Join(", ", c, s, k)
		if note := source.Clean(p.Note); note != "" {
			text = source.Join(" ", text, "("+note+")")
		}
		if text == "" {
			continue
		}
		addPlace(e, lexscreen.Place{Text: text, City: c, Region: s, Country: source.NewCountry(k)})
	}
	// Aliases may carry their own date and place of birth.
	for _, a := range r.IndAliases {
		if d := source.Clean(a.DateOfBirth); d != "" {
			if v, ok := source.ParseDateValue(d); ok {
				v.Text = ""
				addDate(e, v)
			} else {
				e.AddAttribute("birth_date_text", d)
			}
		}
		if c, k := source.Clean(a.CityOfBirth), source.Clean(a.CountryBirth); c != "" || k != "" {
			addPlace(e, lexscreen.Place{Text: source.Join(", ", c, k), City: c, Country: source.NewCountry(k)})
		}
	}
	for _, v := range r.Nationality.Values {
		if c := source.NewCountry(v); c.Name != "" {
			e.Nationalities = source.AppendUnique(e.Nationalities, c)
		}
	}
	for _, v := range r.Title.Values {
		if v = source.Clean(v); v != "" && !slices.Contains(e.Titles, v) {
			e.Titles = append(e.Titles, v)
		}
	}
	for _, v := range r.Designation.Values {
		if v = source.Clean(v); v != "" && !slices.Contains(e.Positions, v) {
			e.Positions = append(e.Positions, v)
		}
	}
	for _, a := range append(r.IndAddresses, r.EntAddresses...) {
		ad := lexscreen.Address{
			Street: source.Clean(a.Street), City: source.Clean(a.City), Region: source.Clean(a.State),
			PostalCode: source.Clean(a.Zip), Country: source.NewCountry(a.Country), Note: source.Clean(a.Note),
		}
		ad.Full = source.Join(", ", ad.Street, ad.City, ad.Region, ad.PostalCode, ad.Country.Name)
		if ad.Full == "" && ad.Note == "" {
			continue
		}
		e.Addresses = append(e.Addresses, ad)
	}
	for _, d := range r.Documents {
		readDocument(e, d)
	}

	des := lexscreen.Designation{
		Authority: "UN-SC",
		Program:   source.Clean(r.ListType),
		Reference: source.Clean(r.Reference),
		Measures:  measures(source.Clean(r.ListType), schema),
	}
	for _, v := range r.List.Values {
		if v = source.Clean(v); v != "" {
			des.List = v
			break
		}
	}
	if l := source.Clean(r.ListedOn); l != "" {
		d, err := lexscreen.ParseISODate(l) // "2015-04-07-04:00": the zone suffix is ignored
		if err != nil {
			return nil, fmt.Errorf("DATAID=%s: LISTED_ON %q: %v", id, l, err)
		}
		des.ListedOn = lexscreen.Single(d)
	}
	e.Designations = append(e.Designations, des)

	for _, v := range r.LastUpdated.Values {
		e.AddAttribute("last_updated", source.Clean(v))
	}
	e.AddAttribute("version_num", source.Clean(r.VersionNum))

	e.Remarks = strings.TrimSpace(r.Comments)
	for _, m := range reEmail.FindAllString(e.Remarks, -1) {
		c := lexscreen.Contact{Kind: "email", Value: strings.TrimRight(m, ".")}
		if !slices.Contains(e.Contacts, c) {
			e.Contacts = append(e.Contacts, c)
		}
	}
	return e, nil
}

func aliasKind(quality string) lexscreen.NameKind {
	switch strings.ToLower(source.Clean(quality)) {
	case "low":
		return lexscreen.NameWeakAlias
	case "f.k.a.", "fka", "f.k.a":
		return lexscreen.NameFormer
	}
	return lexscreen.NameAlias // "Good", "a.k.a.", or not stated
}

// measures gives the measures of the UN sanctions regime a listing falls
// under. The list itself does not state them per entry; these are the
// regimes' standard measures (travel bans apply to individuals only).
func measures(program string, schema lexscreen.Schema) []string {
	var m []string
	switch program {
	case "":
		return nil
	case "Iraq":
		m = []string{"asset freeze"}
	case "GB": // Guinea-Bissau, resolution 2048 (2012)
		m = []string{"travel ban"}
	case "Al-Qaida", "Taliban":
		m = []string{"asset freeze", "travel ban", "arms embargo"}
	default:
		m = []string{"asset freeze", "travel ban"}
	}
	if schema != lexscreen.SchemaPerson {
		out := m[:0:0]
		for _, x := range m {
			if x != "travel ban" {
				out = append(out, x)
			}
		}
		m = out
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

func readDOB(e *lexscreen.Entity, d dob) {
	typ := strings.ToUpper(source.Clean(d.Type))
	note := source.Clean(d.Note)
	date, year := source.Clean(d.Date), source.Clean(d.Year)
	from, to := source.Clean(d.FromYear), source.Clean(d.ToYear)
	var v lexscreen.DateValue
	switch {
	case date != "":
		pd, err := lexscreen.ParseISODate(date)
		if err != nil {
			e.AddAttribute("birth_date_text", source.Join(" ", date, note))
			return
		}
		v = lexscreen.Single(pd)
	case from != "" || to != "":
		a, okA := yearOf(from)
		b, okB := yearOf(to)
		switch {
		case okA && okB && b.Year >= a.Year:
			v = lexscreen.DateValue{From: a, To: b}
		case okA:
			v = lexscreen.Single(a)
		case okB:
			v = lexscreen.Single(b)
		default:
			e.AddAttribute("birth_date_text", source.Join(" ", from, to, note))
			return
		}
	case year != "":
		pd, ok := yearOf(year)
		if !ok {
			e.AddAttribute("birth_date_text", source.Join(" ", year, note))
			return
		}
		// "<YEAR>1958</YEAR><NOTE>Sep.</NOTE>": the note carries the month.
		if m := source.MonthNumber(note); m > 0 {
			pd.Month = m
			note = ""
		}
		v = lexscreen.Single(pd)
	case note != "":
		// Only a note: "Nov. 1973", "Between Aug. and Sep. 1977", "30-35 years old".
		pv, ok := source.ParseDateValue(note)
		if !ok {
			e.AddAttribute("birth_date_text", note)
			return
		}
		if typ == "APPROXIMATELY" {
			pv.Circa = true
		}
		addDate(e, pv)
		return
	default:
		return
	}
	if typ == "APPROXIMATELY" || strings.HasPrefix(strings.ToLower(note), "approx") {
		v.Circa = true
	}
	if note != "" {
		v.Text = note
	}
	addDate(e, v)
}

func yearOf(s string) (lexscreen.PartialDate, bool) {
	y, err := strconv.Atoi(s)
	if err != nil {
		return lexscreen.PartialDate{}, false
	}
	pd := lexscreen.PartialDate{Year: y}
	return pd, pd.Valid()
}

func readDocument(e *lexscreen.Entity, d document) {
	label := source.Clean(d.Type)
	label2 := source.Clean(d.Type2)
	num := source.Clean(d.Number)
	note := source.Clean(d.Note)
	country := source.Clean(d.IssuingCountry)
	if country == "" {
		country = source.Clean(d.CountryOfIssue)
	}
	if num == "" {
		if text := source.Join(": ", source.Join(" / ", label, label2), source.Join("; ", note, country)); text != "" && (note != "" || label2 != "") {
			e.AddAttribute("document_note", text)
		}
		return
	}
	kind := source.IdentifierKind(label)
	if kind == lexscreen.IDOther && label2 != "" {
		kind = source.IdentifierKind(label2)
	}
	id := lexscreen.Identifier{Kind: kind, Label: label, Number: num, Country: source.NewCountry(country)}
	if id.Label == "" {
		id.Label = label2
	} else if label2 != "" && !strings.EqualFold(label2, label) {
		note = source.Join("; ", label2, note)
	}
	if s := source.Clean(d.DateOfIssue); s != "" {
		if pd, ok := source.ParseDate(s); ok {
			id.Issued = pd
		} else {
			note = source.Join("; ", "issued "+s, note)
		}
	}
	if c := source.Clean(d.CityOfIssue); c != "" {
		note = source.Join("; ", "issued in "+c, note)
	}
	if c := source.Clean(d.CountryOfIssue); c != "" && c != country {
		note = source.Join("; ", note, "country of issue "+c)
	}
	id.Note = note
	e.Identifiers = append(e.Identifiers, id)
}

func addDate(e *lexscreen.Entity, v lexscreen.DateValue) {
	if v.IsZero() {
		return
	}
	for i, o := range e.BirthDates {
		if o.From == v.From && o.To == v.To && o.Circa == v.Circa {
			if o.Text == "" && v.Text != "" {
				e.BirthDates[i].Text = v.Text
			}
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
