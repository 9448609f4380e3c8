package ofacxml

import (
	"context"
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// FormatAdvanced reads the OFAC "Advanced" XML (SDN_ADVANCED.XML,
// CONS_ADVANCED.XML): the UN Sanctions Data Model with root <Sanctions>, in
// the http://www.un.org/sanctions/1.0 namespace or the 2024 ADVANCED_XML one.
//
// The file (~126 MB for the SDN list) is read in two streaming passes. Pass
// 1 keeps the reference value sets (code tables, a few thousand short
// strings) and, per profile, the compact results of ProfileRelationships
// and SanctionsEntries, which come after the parties: designations
// (program, list, legal basis, date) and links (relation, target id). It
// skips everything else. Pass 2 keeps Locations by ID and IDRegDocuments by
// IdentityID, which come before the parties, then decodes one
// DistinctParty at a time and emits it whole. Memory is therefore bounded
// by the code tables, locations and documents plus a few small structs per
// party, never by the parties' names and features.
var FormatAdvanced = source.Format{
	ID:    "ofac-advanced-xml",
	Title: "OFAC Advanced XML (SDN_ADVANCED.XML, CONS_ADVANCED.XML)",
	Sniff: func(name string, head []byte) bool {
		if rootLocal(head) != "Sanctions" {
			return false
		}
		h := string(head)
		return strings.Contains(h, "un.org/sanctions") || strings.Contains(h, "ADVANCED_XML") ||
			strings.Contains(strings.ToLower(name), "advanced")
	},
	Parse: parseAdvanced,
}

type refVal struct {
	XMLName xml.Name
	ID      string     `xml:"ID,attr"`
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
}

func (r refVal) attr(name string) string {
	for _, a := range r.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// refs holds the reference value sets: element name -> ID -> value.
type refs map[string]map[string]refVal

func (r refs) text(set, id string) string { return source.Clean(r[set][id].Text) }

func (r refs) country(id string) lexscreen.Country {
	v, ok := r["Country"][id]
	if !ok {
		return lexscreen.Country{}
	}
	c := source.NewCountry(v.Text)
	if iso := strings.ToUpper(strings.TrimSpace(v.attr("ISO2"))); len(iso) == 2 && c.Name != "" {
		c.Code = iso
	}
	return c
}

type advDate struct {
	Year  string `xml:"Year"`
	Month string `xml:"Month"`
	Day   string `xml:"Day"`
}

func (a advDate) partial() lexscreen.PartialDate {
	y, _ := strconv.Atoi(strings.TrimSpace(a.Year))
	m, _ := strconv.Atoi(strings.TrimSpace(a.Month))
	d, _ := strconv.Atoi(strings.TrimSpace(a.Day))
	if m == 0 {
		d = 0
	}
	pd := lexscreen.PartialDate{Year: y, Month: m, Day: d}
	if !pd.Valid() {
		return lexscreen.PartialDate{}
	}
	return pd
}

type advBound struct {
	Approximate string   `xml:"Approximate,attr"`
	From        *advDate `xml:"From"`
	To          *advDate `xml:"To"`
}

type advPeriod struct {
	Start advBound `xml:"Start"`
	End   advBound `xml:"End"`
}

// value turns a DatePeriod into a DateValue: earliest = Start/From, latest =
// End/To; a year-only date (Jan 1..Dec 31) comes back as that year.
func (p *advPeriod) value() lexscreen.DateValue {
	if p == nil {
		return lexscreen.DateValue{}
	}
	pick := func(ds ...*advDate) lexscreen.PartialDate {
		for _, d := range ds {
			if d != nil {
				if pd := d.partial(); !pd.IsZero() {
					return pd
				}
			}
		}
		return lexscreen.PartialDate{}
	}
	a := pick(p.Start.From, p.Start.To, p.End.From, p.End.To)
	b := pick(p.End.To, p.End.From, p.Start.To, p.Start.From)
	return spanValue(a, b, isTrue(p.Start.Approximate) || isTrue(p.End.Approximate), "")
}

type advParty struct {
	FixedRef string `xml:"FixedRef,attr"`
	Comment  string `xml:"Comment"`
	Profiles []struct {
		ID             string `xml:"ID,attr"`
		PartySubTypeID string `xml:"PartySubTypeID,attr"`
		Comment        string `xml:"Comment"`
		Identities     []struct {
			ID      string `xml:"ID,attr"`
			Aliases []struct {
				AliasTypeID string `xml:"AliasTypeID,attr"`
				Primary     string `xml:"Primary,attr"`
				LowQuality  string `xml:"LowQuality,attr"`
				Names       []struct {
					Parts []struct {
						Value struct {
							GroupID  string `xml:"NamePartGroupID,attr"`
							ScriptID string `xml:"ScriptID,attr"`
							Text     string `xml:",chardata"`
						} `xml:"NamePartValue"`
					} `xml:"DocumentedNamePart"`
				} `xml:"DocumentedName"`
			} `xml:"Alias"`
			Groups []struct {
				ID     string `xml:"ID,attr"`
				TypeID string `xml:"NamePartTypeID,attr"`
			} `xml:"NamePartGroups>MasterNamePartGroup>NamePartGroup"`
		} `xml:"Identity"`
		Features []struct {
			TypeID   string `xml:"FeatureTypeID,attr"`
			Versions []struct {
				Comment string     `xml:"Comment"`
				Period  *advPeriod `xml:"DatePeriod"`
				Details []struct {
					DetailReferenceID string `xml:"DetailReferenceID,attr"`
					Text              string `xml:",chardata"`
				} `xml:"VersionDetail"`
				Locations []struct {
					ID string `xml:"LocationID,attr"`
				} `xml:"VersionLocation"`
			} `xml:"FeatureVersion"`
		} `xml:"Feature"`
	} `xml:"Profile"`
}

// advLocation is a Location reduced to what entities need.
type advLocation struct {
	country lexscreen.Country
	parts   [][2]string // LocPartType text, value
}

func (l advLocation) address() lexscreen.Address {
	a := lexscreen.Address{Country: l.country}
	var street, other []string
	for _, p := range l.parts {
		switch strings.ToUpper(p[0]) {
		case "ADDRESS1", "ADDRESS2", "ADDRESS3":
			street = append(street, p[1])
		case "CITY":
			a.City = p[1]
		case "STATE/PROVINCE", "REGION":
			a.Region = joinNonEmpty(", ", a.Region, p[1])
		case "POSTAL CODE":
			a.PostalCode = p[1]
		default:
			other = append(other, p[1])
		}
	}
	a.Street = joinNonEmpty(", ", street...)
	a.Note = joinNonEmpty("; ", other...)
	a.Full = joinNonEmpty(", ", a.Street, a.City, a.Region, a.PostalCode, a.Note, a.Country.Name)
	return a
}

// advPass1 is what the first pass keeps.
type advPass1 struct {
	refs      refs
	fixedRef  map[string]string // profile ID -> party FixedRef
	desigs    map[string][]lexscreen.Designation
	links     map[string][]advLink
	published lexscreen.PartialDate
	parties   int
}

type advLink struct {
	relation, toProfile string
	former              bool
}

func parseAdvanced(ctx context.Context, files []source.File, emit source.Emit) (source.Meta, error) {
	var meta source.Meta
	if err := ctx.Err(); err != nil {
		return meta, err
	}
	if len(files) != 1 {
		return meta, source.NewError("", 0, "", "ofac-advanced-xml reads one file, got %d", len(files))
	}
	f := files[0]
	meta.Source = sourceForName(f.Name)
	p1 := &advPass1{refs: refs{}, fixedRef: map[string]string{}, desigs: map[string][]lexscreen.Designation{}, links: map[string][]advLink{}}
	if err := advPass(ctx, f, func(d *source.XMLDecoder, se xml.StartElement) error {
		return advFirst(f.Name, d, se, p1)
	}); err != nil {
		return meta, err
	}
	if !p1.published.IsZero() {
		meta.Published = dateTime(p1.published)
		meta.Version = p1.published.String()
	}
	locs := map[string]advLocation{}
	docs := map[string][]lexscreen.Identifier{}
	count := 0
	err := advPass(ctx, f, func(d *source.XMLDecoder, se xml.StartElement) error {
		switch se.Name.Local {
		case "Location":
			var l struct {
				ID        string `xml:"ID,attr"`
				Countries []struct {
					ID string `xml:"CountryID,attr"`
				} `xml:"LocationCountry"`
				Parts []struct {
					TypeID string `xml:"LocPartTypeID,attr"`
					Values []struct {
						Primary string `xml:"Primary,attr"`
						Value   string `xml:"Value"`
					} `xml:"LocationPartValue"`
				} `xml:"LocationPart"`
			}
			if err := d.DecodeRecord(&l, &se); err != nil {
				return xmlError(f.Name, d, "Location ID="+attr(se, "ID"), err)
			}
			var loc advLocation
			if len(l.Countries) > 0 {
				loc.country = p1.refs.country(l.Countries[0].ID)
			}
			for _, p := range l.Parts {
				for i, v := range p.Values {
					if i > 0 && !isTrue(v.Primary) {
						continue
					}
					if s := source.Clean(v.Value); s != "" {
						loc.parts = append(loc.parts, [2]string{p1.refs.text("LocPartType", p.TypeID), s})
						break
					}
				}
			}
			locs[l.ID] = loc
		case "IDRegDocument":
			var doc struct {
				TypeID     string `xml:"IDRegDocTypeID,attr"`
				IdentityID string `xml:"IdentityID,attr"`
				CountryID  string `xml:"IssuedBy-CountryID,attr"`
				Authority  string `xml:"IssuingAuthority"`
				Number     string `xml:"IDRegistrationNo"`
				Comment    string `xml:"Comment"`
				Dates      []struct {
					TypeID string     `xml:"IDRegDocDateTypeID,attr"`
					Period *advPeriod `xml:"DatePeriod"`
				} `xml:"DocumentDate"`
			}
			if err := d.DecodeRecord(&doc, &se); err != nil {
				return xmlError(f.Name, d, "IDRegDocument ID="+attr(se, "ID"), err)
			}
			num := source.Clean(doc.Number)
			if num == "" {
				return nil
			}
			label := p1.refs.text("IDRegDocType", doc.TypeID)
			id := lexscreen.Identifier{Kind: source.IdentifierKind(label), Label: label, Number: num, Country: p1.refs.country(doc.CountryID)}
			for _, dd := range doc.Dates {
				v := dd.Period.value()
				switch strings.ToLower(p1.refs.text("IDRegDocDateType", dd.TypeID)) {
				case "issue date":
					id.Issued = v.From
				case "expiration date":
					id.Expires = v.From
				}
			}
			id.Note = joinNonEmpty("; ", prefixed("issued by ", doc.Authority), doc.Comment)
			docs[doc.IdentityID] = append(docs[doc.IdentityID], id)
		case "DistinctParty":
			var p advParty
			if err := d.DecodeRecord(&p, &se); err != nil {
				return xmlError(f.Name, d, "DistinctParty FixedRef="+attr(se, "FixedRef"), err)
			}
			e, err := advEntity(meta.Source, &p, p1, locs, docs)
			if err != nil {
				line, _ := d.InputPos()
				return source.NewError(f.Name, line, "DistinctParty FixedRef="+p.FixedRef, "%v", err)
			}
			count++
			return emit(e)
		default:
			if err := d.Skip(); err != nil {
				return xmlError(f.Name, d, se.Name.Local, err)
			}
		}
		return nil
	})
	if err != nil {
		return meta, err
	}
	if count != p1.parties {
		return meta, source.NewError(f.Name, 0, "", "file changed between passes: %d parties, then %d", p1.parties, count)
	}
	return meta, nil
}

func prefixed(prefix, s string) string {
	if s = source.Clean(s); s != "" {
		return prefix + s
	}
	return ""
}

// advContainers are the elements whose children the passes look at.
var advContainers = map[string]bool{"Locations": true, "IDRegDocuments": true, "DistinctParties": true,
	"ProfileRelationships": true, "SanctionsEntries": true}

// advPass streams the document once, calling leaf for DateOfIssue,
// ReferenceValueSets and every child of the container elements.
func advPass(ctx context.Context, f source.File, leaf func(*source.XMLDecoder, xml.StartElement) error) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	d := newDecoder(f.Name, rc)
	root, err := firstStart(d)
	if err != nil {
		return xmlError(f.Name, d, "Sanctions", err)
	}
	if root.Name.Local != "Sanctions" {
		line, _ := d.InputPos()
		return source.NewError(f.Name, line, root.Name.Local, "root element is <%s>, want <Sanctions>", root.Name.Local)
	}
	container := ""
	last := ""
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		tok, err := d.Token()
		if err != nil {
			inside := "Sanctions"
			if container != "" {
				inside = container
			}
			if last != "" {
				inside += ", after " + last
			}
			return xmlError(f.Name, d, inside, err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if container == "" {
				return trailing(f.Name, d)
			}
			container = ""
		case xml.StartElement:
			switch {
			case container == "" && advContainers[t.Name.Local]:
				container = t.Name.Local
			case container != "" || t.Name.Local == "DateOfIssue" || t.Name.Local == "ReferenceValueSets":
				if err := leaf(d, t); err != nil {
					return err
				}
				if id := firstNonEmpty(attr(t, "FixedRef"), attr(t, "ID")); id != "" {
					last = t.Name.Local + " " + id
				}
			default:
				if err := d.Skip(); err != nil {
					return xmlError(f.Name, d, t.Name.Local, err)
				}
			}
		}
	}
}

// advFirst handles one element in pass 1.
func advFirst(file string, d *source.XMLDecoder, se xml.StartElement, p1 *advPass1) error {
	name := se.Name.Local
	switch name {
	case "DateOfIssue":
		var di advDate
		if err := d.DecodeRecord(&di, &se); err != nil {
			return xmlError(file, d, name, err)
		}
		p1.published = di.partial()
	case "ReferenceValueSets":
		var sets struct {
			Sets []struct {
				XMLName xml.Name
				Items   []refVal `xml:",any"`
			} `xml:",any"`
		}
		if err := d.DecodeRecord(&sets, &se); err != nil {
			return xmlError(file, d, name, err)
		}
		for _, s := range sets.Sets {
			for _, it := range s.Items {
				k := it.XMLName.Local
				if p1.refs[k] == nil {
					p1.refs[k] = map[string]refVal{}
				}
				it.Text = source.Clean(it.Text)
				p1.refs[k][it.ID] = it
			}
		}
	case "DistinctParty":
		var p struct {
			FixedRef string `xml:"FixedRef,attr"`
			Profiles []struct {
				ID string `xml:"ID,attr"`
			} `xml:"Profile"`
		}
		if err := d.DecodeRecord(&p, &se); err != nil {
			return xmlError(file, d, "DistinctParty FixedRef="+attr(se, "FixedRef"), err)
		}
		p1.parties++
		for _, pr := range p.Profiles {
			p1.fixedRef[pr.ID] = p.FixedRef
		}
	case "ProfileRelationship":
		var r struct {
			From   string `xml:"From-ProfileID,attr"`
			To     string `xml:"To-ProfileID,attr"`
			TypeID string `xml:"RelationTypeID,attr"`
			Former string `xml:"Former,attr"`
		}
		if err := d.DecodeRecord(&r, &se); err != nil {
			return xmlError(file, d, "ProfileRelationship ID="+attr(se, "ID"), err)
		}
		rel := source.Snake(p1.refs.text("RelationType", r.TypeID))
		if rel == "" {
			rel = "linked_to"
		}
		p1.links[r.From] = append(p1.links[r.From], advLink{relation: rel, toProfile: r.To, former: isTrue(r.Former)})
	case "SanctionsEntry":
		var s struct {
			ProfileID string `xml:"ProfileID,attr"`
			ListID    string `xml:"ListID,attr"`
			Events    []struct {
				LegalBasisID string  `xml:"LegalBasisID,attr"`
				Date         advDate `xml:"Date"`
			} `xml:"EntryEvent"`
			Measures []struct {
				TypeID  string `xml:"SanctionsTypeID,attr"`
				Comment string `xml:"Comment"`
			} `xml:"SanctionsMeasure"`
		}
		if err := d.DecodeRecord(&s, &se); err != nil {
			return xmlError(file, d, "SanctionsEntry ID="+attr(se, "ID"), err)
		}
		list := displayList(p1.refs.text("List", s.ListID))
		var listed lexscreen.DateValue
		var legal []string
		for _, ev := range s.Events {
			if pd := ev.Date.partial(); !pd.IsZero() && (listed.IsZero() || pd.First().Before(listed.From.First())) {
				listed = lexscreen.Single(pd)
			}
			if lb := p1.refs["LegalBasis"][ev.LegalBasisID]; lb.ID != "" {
				legal = append(legal, firstNonEmpty(source.Clean(lb.attr("LegalBasisShortRef")), lb.Text))
			}
		}
		var programs, measures []string
		for _, m := range s.Measures {
			typ := p1.refs.text("SanctionsType", m.TypeID)
			if strings.EqualFold(typ, "Program") {
				if c := source.Clean(m.Comment); c != "" {
					programs = append(programs, c)
				}
			} else if typ != "" {
				measures = append(measures, typ)
			}
		}
		for _, pg := range programs {
			p1.desigs[s.ProfileID] = append(p1.desigs[s.ProfileID], lexscreen.Designation{Authority: "US-OFAC", List: list,
				Program: pg, LegalBasis: joinNonEmpty("; ", legal...), ListedOn: listed, Measures: measures})
		}
		if len(programs) == 0 {
			p1.desigs[s.ProfileID] = append(p1.desigs[s.ProfileID], lexscreen.Designation{Authority: "US-OFAC", List: list,
				LegalBasis: joinNonEmpty("; ", legal...), ListedOn: listed, Measures: measures})
		}
	default:
		if err := d.Skip(); err != nil {
			return xmlError(file, d, name+" "+attr(se, "ID"), err)
		}
	}
	return nil
}

// displayList shortens OFAC's two main list names; others stay verbatim.
func displayList(s string) string {
	switch strings.ToLower(s) {
	case "sdn list":
		return "SDN"
	case "consolidated list":
		return "Consolidated"
	}
	return s
}

func advEntity(src string, p *advParty, p1 *advPass1, locs map[string]advLocation, docs map[string][]lexscreen.Identifier) (*lexscreen.Entity, error) {
	ref := strings.TrimSpace(p.FixedRef)
	if ref == "" {
		return nil, constError("DistinctParty without FixedRef")
	}
	if len(p.Profiles) == 0 {
		return nil, constError("DistinctParty without Profile")
	}
	r := p1.refs
	e := &lexscreen.Entity{ID: src + ":" + ref, Source: src, Schema: lexscreen.SchemaUnknown}
	var remarks []string
	if c := source.Clean(p.Comment); c != "" {
		remarks = append(remarks, c)
	}
	for _, pr := range p.Profiles {
		if e.Schema == lexscreen.SchemaUnknown {
			sub := r["PartySubType"][pr.PartySubTypeID]
			e.Schema = lexscreen.ParseSchema(sub.Text)
			if e.Schema == lexscreen.SchemaUnknown {
				e.Schema = lexscreen.ParseSchema(r.text("PartyType", sub.attr("PartyTypeID")))
			}
		}
		if c := source.Clean(pr.Comment); c != "" {
			remarks = append(remarks, c)
		}
		for _, id := range pr.Identities {
			groups := map[string]string{}
			for _, g := range id.Groups {
				groups[g.ID] = r.text("NamePartType", g.TypeID)
			}
			for _, al := range id.Aliases {
				kind := nameKind(r.text("AliasType", al.AliasTypeID), isTrue(al.LowQuality))
				if isTrue(al.Primary) {
					kind = lexscreen.NamePrimary
				}
				for _, dn := range al.Names {
					var parts []lexscreen.NamePart
					script := ""
					for _, np := range dn.Parts {
						v := source.Clean(np.Value.Text)
						if v == "" {
							continue
						}
						parts = append(parts, lexscreen.NamePart{Kind: partKind(groups[np.Value.GroupID]), Value: v})
						if script == "" {
							sv := r["Script"][np.Value.ScriptID]
							script = firstNonEmpty(normScript(sv.attr("ScriptCode")), scriptCode(sv.Text))
						}
					}
					if len(parts) > 0 {
						e.AddName(makeName(kind, parts, script))
					}
				}
			}
			e.Identifiers = append(e.Identifiers, docs[id.ID]...)
			delete(docs, id.ID)
		}
		for _, ft := range pr.Features {
			label := r.text("FeatureType", ft.TypeID)
			for _, v := range ft.Versions {
				advFeature(e, label, v.Period, v.Details, v.Locations, source.Clean(v.Comment), r, locs)
			}
		}
		for _, dg := range p1.desigs[pr.ID] {
			if !hasDesignation(e.Designations, dg) {
				e.Designations = append(e.Designations, dg)
			}
		}
		for _, l := range p1.links[pr.ID] {
			rel := l.relation
			if l.former {
				rel = "former_" + rel
			}
			target := l.toProfile
			if fr := p1.fixedRef[l.toProfile]; fr != "" {
				target = fr
			}
			e.Links = append(e.Links, lexscreen.Link{Relation: rel, TargetID: src + ":" + target})
		}
		delete(p1.desigs, pr.ID)
		delete(p1.links, pr.ID)
	}
	e.Remarks = strings.Join(remarks, " ")
	return e, nil
}

func hasDesignation(list []lexscreen.Designation, d lexscreen.Designation) bool {
	for _, o := range list {
		if o.Authority == d.Authority && o.List == d.List && o.Program == d.Program && o.LegalBasis == d.LegalBasis && o.ListedOn == d.ListedOn {
			return true
		}
	}
	return false
}

func normScript(code string) string {
	code = strings.TrimSpace(code)
	if len(code) != 4 || strings.EqualFold(code, "Latn") {
		return ""
	}
	return strings.ToUpper(code[:1]) + strings.ToLower(code[1:])
}

// advFeature files one FeatureVersion onto e.
func advFeature(e *lexscreen.Entity, label string, period *advPeriod, details []struct {
	DetailReferenceID string `xml:"DetailReferenceID,attr"`
	Text              string `xml:",chardata"`
}, locations []struct {
	ID string `xml:"LocationID,attr"`
}, comment string, r refs, locs map[string]advLocation) {
	var texts []string
	for _, d := range details {
		if s := source.Clean(d.Text); s != "" {
			texts = append(texts, s)
		} else if s := r.text("DetailReference", d.DetailReferenceID); s != "" {
			texts = append(texts, s)
		}
	}
	value := strings.Join(texts, " ")
	l := strings.ToLower(label)
	switch l {
	case "birthdate":
		if v := period.value(); !v.IsZero() {
			addDate(&e.BirthDates, v)
		} else if v, ok := source.ParseDateValue(value); ok {
			addDate(&e.BirthDates, v)
		}
		return
	case "place of birth":
		for _, lr := range locations {
			loc := locs[lr.ID]
			a := loc.address()
			text := joinNonEmpty(", ", a.Street, a.City, a.Region, a.Note, loc.country.Name)
			addPlace(&e.BirthPlaces, lexscreen.Place{Text: text, City: a.City, Region: a.Region, Country: loc.country})
		}
		if value != "" {
			addPlace(&e.BirthPlaces, placeOf(value))
		}
		return
	case "nationality country", "citizenship country":
		list := &e.Nationalities
		if l == "citizenship country" {
			list = &e.Citizenships
		}
		for _, lr := range locations {
			addCountry(list, locs[lr.ID].country)
		}
		if value != "" {
			addCountry(list, source.NewCountry(value))
		}
		return
	case "vessel flag":
		for _, lr := range locations {
			if c := locs[lr.ID].country; c.Name != "" {
				e.AddAttribute("flag", c.Name)
				addCountry(&e.Countries, c)
			}
		}
		if value != "" {
			applyDetail(e, label, value, lexscreen.Country{}, lexscreen.PartialDate{}, lexscreen.PartialDate{}, comment)
		}
		return
	case "location", "address":
		for _, lr := range locations {
			if a := locs[lr.ID].address(); a.Full != "" {
				e.Addresses = append(e.Addresses, a)
			}
		}
		return
	}
	if value == "" {
		if v := period.value(); !v.IsZero() {
			value = v.String()
		}
	}
	if value == "" {
		for _, lr := range locations {
			loc := locs[lr.ID]
			value = firstNonEmpty(loc.country.Name, loc.address().Full)
			if value != "" {
				break
			}
		}
	}
	applyDetail(e, label, value, lexscreen.Country{}, lexscreen.PartialDate{}, lexscreen.PartialDate{}, comment)
}
