// Package ca reads Canada's Consolidated Autonomous Sanctions List
// (sema-lmes.xml), published by Global Affairs Canada under the Special
// Economic Measures Act and the Justice for Victims of Corrupt Foreign
// Officials Act.
//
// The file is <data-set> with one <record> per listed person, entity or
// ship. Records have no id of their own: the publisher's key is the triple
// (Country, Schedule, Item), which is unique in the real file. Entity ids
// are "ca-sema:" + the slug of the English part of Country, of Schedule and
// of Item joined by "-" ("ca-sema:russia-1-part-1-123"; Schedule is left out
// when empty). Should two records ever map to the same slug (for instance
// "1, Part 3" and "1,Part 3" under one country and item), the second and
// later ones get "-2", "-3" ... in file order; this is the only per-file
// state kept (one short string per record).
//
// Aliases come in one free-text field. The rule applied (see splitAliases):
// a newline separates two names only when the script changes across it
// (else it is a line wrap); ";" always separates; labels such as
// "Belarusian:" / "Russian:" / "Arabic:" start a new name and give its
// language; "," separates unless the next word starts with a lower-case
// letter (a comma inside one name, as in "Министерство образования, науки
// и молодежи"); in a list of two or more comma-separated names the last one
// is also split on " and "; " or " and "/" separate spelling variants.
// "LAST, First" inverted names do not occur in this field (commas separate
// aliases, e.g. "KGB, Belarusian KGB"), so commas are never read as name
// inversion. A one-word alias of a person ("Alexei", "Batya") is a
// weak_alias: too broad to screen on alone.
package ca

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// SourceID is the source id of the Canadian list.
const SourceID = "ca-sema"

// Authority and legal bases of the Canadian listings.
const (
	Authority   = "CA-GAC"
	ListName    = "Consolidated Canadian Autonomous Sanctions List"
	LawSEMA     = "Special Economic Measures Act"
	LawJVCFOA   = "Justice for Victims of Corrupt Foreign Officials Act"
	rootElement = "data-set"
)

// FormatSEMA reads sema-lmes.xml.
var FormatSEMA = source.Format{
	ID:    "ca-sema-xml",
	Title: "Canada Consolidated Autonomous Sanctions List XML (sema-lmes.xml)",
	Sniff: sniff,
	Parse: parse,
}

func sniff(name string, head []byte) bool {
	h := string(head)
	if !strings.Contains(h, "<"+rootElement) {
		return false
	}
	lower := strings.ToLower(name)
	if strings.HasPrefix(lower, "sema-lmes") && strings.HasSuffix(lower, ".xml") {
		return true
	}
	return strings.Contains(h, "<record>") && strings.Contains(h, "<Country>") &&
		(strings.Contains(h, "<DateOfListing>") || strings.Contains(h, "<EntityOrShip>") || strings.Contains(h, "<GivenName>"))
}

// record is one <record>. Unknown child elements land in Other.
type record struct {
	Country      string     `xml:"Country"`
	LastName     string     `xml:"LastName"`
	GivenName    string     `xml:"GivenName"`
	EntityOrShip string     `xml:"EntityOrShip"`
	TitleOrShip  string     `xml:"TitleOrShip"`
	IMO          string     `xml:"ShipIMONumber"`
	DOB          string     `xml:"DateOfBirthOrShipBuildDate"`
	Aliases      string     `xml:"Aliases"`
	Schedule     string     `xml:"Schedule"`
	Item         string     `xml:"Item"`
	ListedOn     string     `xml:"DateOfListing"`
	Other        []otherElt `xml:",any"`
}

type otherElt struct {
	XMLName xml.Name
	Value   string `xml:",chardata"`
}

func parse(ctx context.Context, files []source.File, emit source.Emit) (source.Meta, error) {
	meta := source.Meta{Source: SourceID}
	f, rc, err := source.OpenOne("ca-sema-xml", files)
	if err != nil {
		return meta, err
	}
	defer rc.Close()
	return meta, parseReader(ctx, f.Name, rc, emit)
}

func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "windows-1252", "cp1252":
		return charmap.Windows1252.NewDecoder().Reader(in), nil
	case "iso-8859-1", "latin1", "latin-1":
		return charmap.ISO8859_1.NewDecoder().Reader(in), nil
	}
	return nil, fmt.Errorf("unsupported XML encoding %q", label)
}

func parseReader(ctx context.Context, file string, r io.Reader, emit source.Emit) error {
	seen := map[string]int{}
	n := 0
	err := source.XMLRecords{File: file, Root: rootElement, What: "a SEMA list", CharsetReader: charsetReader,
		OnRecord: func(dec *source.XMLDecoder, t xml.StartElement) error {
			if t.Name.Local != "record" {
				return dec.Skip()
			}
			line, _ := dec.InputPos()
			var rec record
			if err := dec.DecodeRecord(&rec, &t); err != nil {
				return source.RecordError(file, line, fmt.Sprintf("record %d", n+1), err)
			}
			n++
			e, err := buildEntity(&rec, seen)
			if err != nil {
				return source.NewError(file, line, fmt.Sprintf("record %d", n), "%v", err)
			}
			return emit(e)
		},
	}.Read(ctx, r)
	if err == nil && n == 0 {
		return source.NewError(file, 0, rootElement, "no <record> elements")
	}
	return err
}

var shipTypes = regexp.MustCompile(`(?i)tanker|cargo|carrier|vessel|ship|ro-ro|fso|fpso|bulk|container|tug|trawler|yacht|barge|gas unit`)

func buildEntity(r *record, seen map[string]int) (*lexscreen.Entity, error) {
	country := source.Clean(r.Country)
	schedule := source.Clean(r.Schedule)
	item := source.Clean(r.Item)
	if item == "" {
		return nil, errors.New("record without <Item>: no key")
	}
	englishCountry := country
	if i := strings.Index(country, " / "); i > 0 {
		englishCountry = strings.TrimSpace(country[:i])
	}
	key := source.Slug(englishCountry)
	if key == "" {
		key = "unknown"
	}
	if s := source.Slug(schedule); s != "" {
		key += "-" + s
	}
	key += "-" + source.Slug(item)
	seen[key]++
	if c := seen[key]; c > 1 {
		key = fmt.Sprintf("%s-%d", key, c)
	}

	e := &lexscreen.Entity{ID: SourceID + ":" + key, Source: SourceID}

	given, last := source.Clean(r.GivenName), source.Clean(r.LastName)
	entityName := source.Clean(r.EntityOrShip)
	title := source.Clean(r.TitleOrShip)
	imo := source.Clean(r.IMO)
	switch {
	case given != "" || last != "":
		e.Schema = lexscreen.SchemaPerson
		full := strings.TrimSpace(given + " " + last)
		n := lexscreen.Name{Full: full, Kind: lexscreen.NamePrimary, Script: source.Script(full)}
		if given != "" {
			n.Parts = append(n.Parts, lexscreen.NamePart{Kind: lexscreen.PartGiven, Value: given})
		}
		if last != "" {
			n.Parts = append(n.Parts, lexscreen.NamePart{Kind: lexscreen.PartFamily, Value: last})
		}
		e.AddName(n)
		if entityName != "" {
			e.AddName(lexscreen.Name{Full: entityName, Kind: lexscreen.NameAlias, Script: source.Script(entityName)})
		}
	case entityName != "":
		e.Schema = lexscreen.SchemaOrganization
		if imo != "" || (title != "" && shipTypes.MatchString(title)) {
			e.Schema = lexscreen.SchemaVessel
		}
		e.AddName(lexscreen.Name{Full: entityName, Kind: lexscreen.NamePrimary, Script: source.Script(entityName)})
		// Bilingual names "Iranian Army/Armée iranienne": each side is also an alias.
		if parts := strings.Split(entityName, "/"); len(parts) == 2 {
			a, b := strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1])
			if len(strings.Fields(a)) >= 2 && len(strings.Fields(b)) >= 2 {
				e.AddName(lexscreen.Name{Full: a, Kind: lexscreen.NameAlias, Script: source.Script(a)})
				e.AddName(lexscreen.Name{Full: b, Kind: lexscreen.NameAlias, Script: source.Script(b)})
			}
		}
	default:
		return nil, fmt.Errorf("record %s has no name (no GivenName, LastName or EntityOrShip)", key)
	}

	for _, a := range splitAliases(r.Aliases) {
		kind := lexscreen.NameAlias
		if e.Schema == lexscreen.SchemaPerson && len(strings.Fields(a.text)) == 1 {
			kind = lexscreen.NameWeakAlias
		}
		if a.text == e.Names[0].Full {
			continue
		}
		e.AddName(lexscreen.Name{Full: a.text, Kind: kind, Script: source.Script(a.text), Lang: a.lang})
	}

	if title != "" {
		if e.Schema == lexscreen.SchemaVessel {
			e.AddAttribute("vessel_type", title)
		} else {
			e.Titles = append(e.Titles, title)
		}
	}
	if imo != "" {
		num := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(imo, "IMO"), ":"))
		e.Identifiers = append(e.Identifiers, lexscreen.Identifier{Kind: lexscreen.IDIMO, Label: "ShipIMONumber", Number: num})
	}

	if dob := source.Clean(r.DOB); dob != "" {
		switch e.Schema {
		case lexscreen.SchemaVessel:
			e.AddAttribute("build_year", dob)
		case lexscreen.SchemaPerson:
			var bad []string
			for _, alt := range reOr.Split(dob, -1) {
				alt = strings.TrimSpace(alt)
				if alt == "" {
					continue
				}
				if v, ok := source.ParseDateValue(alt); ok {
					e.BirthDates = append(e.BirthDates, v)
				} else {
					bad = append(bad, alt)
				}
			}
			if len(bad) > 0 {
				e.AddAttribute("birth_date_text", strings.Join(bad, " or "))
			}
		default:
			e.AddAttribute("date_text", dob)
		}
	}

	if c := source.NewCountry(englishCountry); c.Code != "" {
		e.Countries = append(e.Countries, c)
	}

	d := lexscreen.Designation{Authority: Authority, List: ListName, Program: country, LegalBasis: LawSEMA}
	if strings.Contains(strings.ToLower(country), "justice for victims") {
		d.LegalBasis = LawJVCFOA
	}
	if lo := source.Clean(r.ListedOn); lo != "" {
		if v, ok := source.ParseDateValue(lo); ok {
			d.ListedOn = v
		} else {
			d.Remarks = "Date of listing: " + lo
		}
	}
	var ref []string
	if schedule != "" {
		ref = append(ref, "Schedule "+schedule)
	}
	ref = append(ref, "Item "+item)
	d.Reference = strings.Join(ref, ", ")
	e.Designations = append(e.Designations, d)

	for _, o := range r.Other {
		e.AddAttribute(snake(o.XMLName.Local), source.Clean(o.Value))
	}
	return e, nil
}

var reOr = regexp.MustCompile(`(?i)\s+or\s+`)

// snake turns an element name such as "DateOfDeath" into "date_of_death".
func snake(s string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			if prevLower {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			prevLower = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			prevLower = true
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
				b.WriteByte('_')
			}
			prevLower = false
		}
	}
	return strings.Trim(b.String(), "_")
}

type alias struct{ text, lang string }

var (
	reLangLabel = regexp.MustCompile(`(?i)\b(belarusian|belarussian|russian|ukrainian|arabic|persian|farsi|hebrew|chinese|korean)[\s\x{00A0}]*:`)
	langCodes   = map[string]string{
		"belarusian": "be", "belarussian": "be", "russian": "ru", "ukrainian": "uk", "arabic": "ar",
		"persian": "fa", "farsi": "fa", "hebrew": "he", "chinese": "zh", "korean": "ko",
	}
	reOrSep  = regexp.MustCompile(`(?i)\s+or\s+|/`)
	reAndSep = regexp.MustCompile(`\s+and\s+`)
	reAKA    = regexp.MustCompile(`(?i)(^|\s)(a\.?k\.?a\.?)$`)
)

// splitAliases splits the Aliases field into names by the rule described in
// the package documentation. Output order follows the text.
func splitAliases(s string) []alias {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var out []alias
	for _, semi := range strings.Split(joinWrappedLines(s), ";") {
		// Language labels start a new name and set its language.
		locs := reLangLabel.FindAllStringSubmatchIndex(semi, -1)
		type seg struct{ text, lang string }
		var segs []seg
		prev, lang := 0, ""
		for _, l := range locs {
			segs = append(segs, seg{semi[prev:l[0]], lang})
			lang = langCodes[strings.ToLower(semi[l[2]:l[3]])]
			prev = l[1]
		}
		segs = append(segs, seg{semi[prev:], lang})
		for _, sg := range segs {
			commas := splitCommas(sg.text)
			for i, c := range commas {
				pieces := []string{c}
				if len(commas) > 1 && i == len(commas)-1 {
					pieces = reAndSep.Split(c, -1)
				}
				for _, p := range pieces {
					for _, v := range reOrSep.Split(p, -1) {
						if v = tidyAlias(v); v != "" {
							out = append(out, alias{text: v, lang: sg.lang})
						}
					}
				}
			}
		}
	}
	return out
}

// joinWrappedLines turns newlines into separators (";") when the script
// changes across them and into spaces otherwise (line wraps).
func joinWrappedLines(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r", ""), "\n")
	var b strings.Builder
	prevScript, have := "", false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		words := strings.Fields(t)
		first, last := source.Script(words[0]), source.Script(words[len(words)-1])
		if have {
			if first != prevScript {
				b.WriteString("; ")
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(t)
		prevScript, have = last, true
	}
	return b.String()
}

// splitCommas splits on "," unless the text after the comma starts with a
// lower-case letter (then the comma is inside one name).
func splitCommas(s string) []string {
	parts := strings.Split(s, ",")
	var out []string
	for i, p := range parts {
		if i > 0 && len(out) > 0 {
			t := strings.TrimLeftFunc(p, unicode.IsSpace)
			if r, _ := utf8.DecodeRuneInString(t); unicode.IsLower(r) {
				out[len(out)-1] += "," + p
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

// tidyAlias cleans one alias: spaces, a trailing "AKA", unbalanced brackets
// and quotes at the ends. It returns "" for fragments without two letters.
func tidyAlias(s string) string {
	s = source.Clean(s)
	s = strings.TrimSpace(reAKA.ReplaceAllString(s, ""))
	for {
		t := strings.TrimSpace(strings.Trim(s, " ,:;-"))
		if strings.HasPrefix(t, "(") && !strings.Contains(t, ")") {
			t = t[1:]
		}
		if strings.HasSuffix(t, ")") && !strings.Contains(t, "(") {
			t = t[:len(t)-1]
		}
		if n := strings.Count(t, "\""); n%2 == 1 {
			if strings.HasPrefix(t, "\"") {
				t = t[1:]
			} else if strings.HasSuffix(t, "\"") {
				t = t[:len(t)-1]
			}
		}
		if (strings.HasPrefix(t, "“") && strings.HasSuffix(t, "”")) || (strings.HasPrefix(t, "\"") && strings.HasSuffix(t, "\"") && len(t) > 1) {
			_, a := utf8.DecodeRuneInString(t)
			_, z := utf8.DecodeLastRuneInString(t)
			t = t[a : len(t)-z]
		}
		t = strings.TrimSpace(t)
		if t == s {
			break
		}
		s = t
	}
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < 2 {
		return ""
	}
	return s
}
