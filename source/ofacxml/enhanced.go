package ofacxml

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"os"
	"path"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// FormatEnhanced reads the OFAC Sanctions List Service "Enhanced" XML
// (SDN_ENHANCED.XML, CONS_ENHANCED.XML), as the XML itself or as the .ZIP
// that holds it.
var FormatEnhanced = source.Format{
	ID:    "ofac-enhanced-xml",
	Title: "OFAC Enhanced XML (SDN_ENHANCED.XML, CONS_ENHANCED.XML, or their .ZIP)",
	Sniff: func(name string, head []byte) bool {
		lower := strings.ToLower(name)
		if bytes.HasPrefix(head, []byte("PK\x03\x04")) || strings.HasSuffix(lower, ".zip") {
			return strings.Contains(lower, "enhanced")
		}
		return rootLocal(head) == "sanctionsData"
	},
	Parse: parseEnhanced,
}

type enhRef struct {
	ID   string `xml:"refId,attr"`
	Text string `xml:",chardata"`
}

type enhEntity struct {
	ID          string `xml:"id,attr"`
	GeneralInfo struct {
		IdentityID string `xml:"identityId"`
		EntityType string `xml:"entityType"`
		Remarks    string `xml:"remarks"`
	} `xml:"generalInfo"`
	Lists []struct {
		Text          string `xml:",chardata"`
		DatePublished string `xml:"datePublished,attr"`
	} `xml:"sanctionsLists>sanctionsList"`
	Programs    []string `xml:"sanctionsPrograms>sanctionsProgram"`
	Types       []string `xml:"sanctionsTypes>sanctionsType"`
	Authorities []string `xml:"legalAuthorities>legalAuthority"`
	Names       []struct {
		IsPrimary    string `xml:"isPrimary"`
		IsLowQuality string `xml:"isLowQuality"`
		AliasType    string `xml:"aliasType"`
		Translations []struct {
			Script         enhRef `xml:"script"`
			FormattedFirst string `xml:"formattedFirstName"`
			FormattedLast  string `xml:"formattedLastName"`
			FormattedFull  string `xml:"formattedFullName"`
			Parts          []struct {
				Type  string `xml:"type"`
				Value string `xml:"value"`
			} `xml:"nameParts>namePart"`
		} `xml:"translations>translation"`
	} `xml:"names>name"`
	Addresses []struct {
		Country      enhRef `xml:"country"`
		Translations []struct {
			IsPrimary string `xml:"isPrimary"`
			Parts     []struct {
				Type  string `xml:"type"`
				Value string `xml:"value"`
			} `xml:"addressParts>addressPart"`
		} `xml:"translations>translation"`
	} `xml:"addresses>address"`
	Features []struct {
		Type      string `xml:"type"`
		Value     string `xml:"value"`
		ValueDate *struct {
			FromBegin   string `xml:"fromDateBegin"`
			FromEnd     string `xml:"fromDateEnd"`
			ToBegin     string `xml:"toDateBegin"`
			ToEnd       string `xml:"toDateEnd"`
			Approximate string `xml:"isApproximate"`
			DateRange   string `xml:"isDateRange"`
		} `xml:"valueDate"`
		ValueRefID string `xml:"valueRefId"`
		Comments   string `xml:"comments"`
	} `xml:"features>feature"`
	Documents []struct {
		Type             string `xml:"type"`
		Number           string `xml:"documentNumber"`
		IsValid          string `xml:"isValid"`
		IssuingCountry   enhRef `xml:"issuingCountry"`
		IssuingLocation  string `xml:"issuingLocation"`
		IssuingAuthority string `xml:"issuingAuthority"`
		IssueDate        string `xml:"issueDate"`
		ExpirationDate   string `xml:"expirationDate"`
	} `xml:"identityDocuments>identityDocument"`
	Relationships []struct {
		Type    string `xml:"type"`
		Related struct {
			EntityID string `xml:"entityId,attr"`
			Name     string `xml:",chardata"`
		} `xml:"relatedEntity"`
	} `xml:"relationships>relationship"`
}

// openEnhanced opens the XML of f, unpacking it from a zip when f is one.
// The zip's central directory needs random access: an *os.File is used
// directly, any other reader is spooled to a temporary file first. The XML
// entry itself is streamed, under the limits of source.OpenZip.
func openEnhanced(f source.File) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	br := &peekCloser{rc: rc}
	head, _ := br.peek(4)
	if !bytes.Equal(head, []byte("PK\x03\x04")) {
		return br, nil
	}
	var in io.Reader = br
	if _, ok := rc.(*os.File); ok {
		in = rc // read in place (ReadAt ignores the bytes peeked)
	}
	zr, cleanup, err := source.OpenZip(f.Name, "OFAC Enhanced XML zip", in)
	if err != nil {
		rc.Close()
		return nil, err
	}
	done := func() { cleanup(); rc.Close() }
	for _, zf := range zr.File {
		if strings.EqualFold(path.Ext(zf.Name), ".xml") {
			xr, err := source.OpenZipEntry(f.Name, zf)
			if err != nil {
				done()
				return nil, err
			}
			return &zipEntry{ReadCloser: xr, cleanup: done}, nil
		}
	}
	done()
	return nil, source.NewError(f.Name, 0, "", "zip archive holds no .xml file")
}

type zipEntry struct {
	io.ReadCloser
	cleanup func()
}

func (z *zipEntry) Close() error {
	err := z.ReadCloser.Close()
	z.cleanup()
	return err
}

// peekCloser lets the first bytes be looked at before reading.
type peekCloser struct {
	rc  io.ReadCloser
	buf []byte
}

func (p *peekCloser) peek(n int) ([]byte, error) {
	for len(p.buf) < n {
		b := make([]byte, n-len(p.buf))
		m, err := p.rc.Read(b)
		p.buf = append(p.buf, b[:m]...)
		if err != nil {
			return p.buf, err
		}
	}
	return p.buf[:n], nil
}

func (p *peekCloser) Read(b []byte) (int, error) {
	if len(p.buf) > 0 {
		n := copy(b, p.buf)
		p.buf = p.buf[n:]
		return n, nil
	}
	return p.rc.Read(b)
}

func (p *peekCloser) Close() error { return p.rc.Close() }

func parseEnhanced(ctx context.Context, files []source.File, emit source.Emit) (source.Meta, error) {
	var meta source.Meta
	if err := ctx.Err(); err != nil {
		return meta, err
	}
	if len(files) != 1 {
		return meta, source.NewError("", 0, "", "ofac-enhanced-xml reads one file, got %d", len(files))
	}
	f := files[0]
	meta.Source = sourceForName(f.Name)
	// Pass 1 collects the ids of the entities in the file (a compact set),
	// so that relationships can point at this list or, for targets that are
	// not in it, at the SDN list that non-SDN entries refer to.
	ids := map[string]struct{}{}
	if err := enhancedPass(ctx, f, &meta, func(d *source.XMLDecoder, se xml.StartElement) error {
		ids[attr(se, "id")] = struct{}{}
		if err := d.Skip(); err != nil {
			return xmlError(f.Name, d, "entity id="+attr(se, "id"), err)
		}
		return nil
	}, nil); err != nil {
		return meta, err
	}
	count := 0
	lastID := ""
	countries := map[string]string{}
	err := enhancedPass(ctx, f, &meta, func(d *source.XMLDecoder, se xml.StartElement) error {
		var ee enhEntity
		if err := d.DecodeRecord(&ee, &se); err != nil {
			inside := "entity id=" + attr(se, "id")
			return xmlError(f.Name, d, inside, err)
		}
		e, err := enhancedEntity(meta.Source, &ee, countries, ids)
		if err != nil {
			line, _ := d.InputPos()
			return source.NewError(f.Name, line, "entity", "%v (after entity id=%s)", err, lastID)
		}
		lastID = ee.ID
		count++
		return emit(e)
	}, countries)
	if err != nil {
		return meta, err
	}
	if len(ids) != count {
		return meta, source.NewError(f.Name, 0, "", "entity ids are not unique: %d entities, %d ids", count, len(ids))
	}
	return meta, nil
}

// enhancedPass streams one pass over the document, calling onEntity for
// each <entity>. countries, when not nil, is filled with COUNTRY reference
// values (refId -> ISO code).
func enhancedPass(ctx context.Context, f source.File, meta *source.Meta, onEntity func(*source.XMLDecoder, xml.StartElement) error, countries map[string]string) error {
	rc, err := openEnhanced(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	d := newDecoder(f.Name, rc)
	root, err := firstStart(d)
	if err != nil {
		return xmlError(f.Name, d, "sanctionsData", err)
	}
	if root.Name.Local != "sanctionsData" {
		line, _ := d.InputPos()
		return source.NewError(f.Name, line, root.Name.Local, "root element is <%s>, want <sanctionsData>", root.Name.Local)
	}
	var stack []string
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		tok, err := d.Token()
		if err != nil {
			inside := "sanctionsData"
			if len(stack) > 0 {
				inside = stack[len(stack)-1]
			}
			return xmlError(f.Name, d, inside, err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if len(stack) == 0 {
				return trailing(f.Name, d)
			}
			stack = stack[:len(stack)-1]
		case xml.StartElement:
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			switch {
			case t.Name.Local == "publicationInfo":
				var pi struct {
					DataAsOf string   `xml:"dataAsOf"`
					Lists    []string `xml:"filters>sanctionsLists>sanctionsList"`
				}
				if err := d.DecodeRecord(&pi, &t); err != nil {
					return xmlError(f.Name, d, "publicationInfo", err)
				}
				if s := source.Clean(pi.DataAsOf); s != "" {
					pd, err := lexscreen.ParseISODate(s)
					if err != nil {
						line, _ := d.InputPos()
						return source.NewError(f.Name, line, "dataAsOf", "bad date %q", s)
					}
					meta.Published = dateTime(pd)
					meta.Version = s
				}
				for _, l := range pi.Lists {
					switch strings.ToLower(source.Clean(l)) {
					case "consolidated list":
						meta.Source = sourceCons
					case "sdn list":
						meta.Source = sourceSDN
					}
				}
			case t.Name.Local == "referenceValue" && countries != nil:
				var rv struct {
					RefID string `xml:"refId,attr"`
					Type  string `xml:"type"`
					ISO   string `xml:"isoCode"`
				}
				if err := d.DecodeRecord(&rv, &t); err != nil {
					return xmlError(f.Name, d, "referenceValue refId="+attr(t, "refId"), err)
				}
				if rv.Type == "COUNTRY" && rv.ISO != "" {
					countries[rv.RefID] = strings.ToUpper(strings.TrimSpace(rv.ISO))
				}
			case t.Name.Local == "entity" && parent == "entities":
				if err := onEntity(d, t); err != nil {
					return err
				}
			case t.Name.Local == "entities" || t.Name.Local == "referenceValues":
				stack = append(stack, t.Name.Local)
			default:
				if err := d.Skip(); err != nil {
					return xmlError(f.Name, d, t.Name.Local, err)
				}
			}
		}
	}
}

func isTrue(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "true") }

func enhCountry(r enhRef, countries map[string]string) lexscreen.Country {
	c := source.NewCountry(r.Text)
	if iso := countries[r.ID]; iso != "" && c.Name != "" {
		c.Code = iso
	}
	return c
}

func enhancedEntity(src string, ee *enhEntity, countries map[string]string, ids map[string]struct{}) (*lexscreen.Entity, error) {
	id := strings.TrimSpace(ee.ID)
	if id == "" {
		return nil, constError("entity without id")
	}
	e := &lexscreen.Entity{ID: src + ":" + id, Source: src, Schema: lexscreen.ParseSchema(ee.GeneralInfo.EntityType)}
	for _, n := range ee.Names {
		kind := nameKind(n.AliasType, isTrue(n.IsLowQuality))
		if isTrue(n.IsPrimary) {
			kind = lexscreen.NamePrimary
		}
		for _, tr := range n.Translations {
			var parts []lexscreen.NamePart
			for _, p := range tr.Parts {
				if v := source.Clean(p.Value); v != "" {
					parts = append(parts, lexscreen.NamePart{Kind: partKind(p.Type), Value: v})
				}
			}
			if len(parts) == 0 {
				parts = append(parts, lexscreen.NamePart{Kind: lexscreen.PartOther, Value: source.Clean(tr.FormattedFull)})
			}
			name := makeName(kind, parts, scriptCode(tr.Script.Text))
			// The formatted first/last names carry OFAC's display case
			// ("ZAHAR, Mahmoud") where parts may not ("Zahar").
			if first, last := source.Clean(tr.FormattedFirst), source.Clean(tr.FormattedLast); last != "" {
				name.Full = joinNonEmpty(" ", first, last)
			}
			e.AddName(name)
		}
	}
	for _, a := range ee.Addresses {
		addr := lexscreen.Address{Country: enhCountry(a.Country, countries)}
		var street []string
		for ti, tr := range a.Translations {
			if ti > 0 && !isTrue(tr.IsPrimary) {
				continue
			}
			for _, p := range tr.Parts {
				v := source.Clean(p.Value)
				switch strings.ToUpper(strings.TrimSpace(p.Type)) {
				case "CITY":
					addr.City = v
				case "STATE/PROVINCE", "REGION":
					addr.Region = joinNonEmpty(", ", addr.Region, v)
				case "POSTAL CODE":
					addr.PostalCode = v
				default:
					street = append(street, v)
				}
			}
			break
		}
		addr.Street = joinNonEmpty(", ", street...)
		addr.Full = joinNonEmpty(", ", addr.Street, addr.City, addr.Region, addr.PostalCode, addr.Country.Name)
		if addr.Full != "" {
			e.Addresses = append(e.Addresses, addr)
		}
	}
	for _, ft := range ee.Features {
		label := source.Clean(ft.Type)
		value := source.Clean(ft.Value)
		switch strings.ToLower(label) {
		case "birthdate":
			if ft.ValueDate != nil {
				vd := ft.ValueDate
				a, _ := lexscreen.ParseISODate(vd.FromBegin)
				b, _ := lexscreen.ParseISODate(firstNonEmpty(vd.ToEnd, vd.ToBegin, vd.FromEnd))
				addDate(&e.BirthDates, spanValue(a, b, isTrue(vd.Approximate), value))
			} else if v, ok := source.ParseDateValue(value); ok {
				addDate(&e.BirthDates, v)
			}
		case "place of birth":
			addPlace(&e.BirthPlaces, placeOf(value))
		case "nationality country":
			addCountry(&e.Nationalities, enhCountry(enhRef{ID: ft.ValueRefID, Text: value}, countries))
		case "citizenship country":
			addCountry(&e.Citizenships, enhCountry(enhRef{ID: ft.ValueRefID, Text: value}, countries))
		default:
			if ft.ValueDate != nil && ft.ValueDate.FromBegin != "" {
				vd := ft.ValueDate
				a, _ := lexscreen.ParseISODate(vd.FromBegin)
				b, _ := lexscreen.ParseISODate(firstNonEmpty(vd.ToEnd, vd.ToBegin, vd.FromEnd))
				if v := spanValue(a, b, isTrue(vd.Approximate), value); !v.IsZero() {
					value = v.String()
				}
			}
			applyDetail(e, label, value, lexscreen.Country{}, lexscreen.PartialDate{}, lexscreen.PartialDate{}, source.Clean(ft.Comments))
		}
	}
	for _, doc := range ee.Documents {
		num := source.Clean(doc.Number)
		if num == "" {
			continue
		}
		label := source.Clean(doc.Type)
		id := lexscreen.Identifier{Kind: source.IdentifierKind(label), Label: label, Number: num,
			Country: enhCountry(doc.IssuingCountry, countries)}
		id.Issued, _ = source.ParseDate(doc.IssueDate)
		id.Expires, _ = source.ParseDate(doc.ExpirationDate)
		var notes []string
		if s := source.Clean(doc.IssuingAuthority); s != "" {
			notes = append(notes, "issued by "+s)
		}
		if s := source.Clean(doc.IssuingLocation); s != "" && s != id.Country.Name {
			notes = append(notes, "issued in "+s)
		}
		if strings.EqualFold(strings.TrimSpace(doc.IsValid), "false") {
			notes = append(notes, "not valid")
		}
		id.Note = strings.Join(notes, "; ")
		e.Identifiers = append(e.Identifiers, id)
	}
	// Designations: one per program; the specific list (not the
	// "Consolidated List" meta-list) names the list, its publication date is
	// the listing date.
	list, listedOn := listName(src), lexscreen.DateValue{}
	for _, l := range ee.Lists {
		name := source.Clean(l.Text)
		if name == "" || strings.EqualFold(name, "Consolidated List") {
			continue
		}
		list = name
		if pd, err := lexscreen.ParseISODate(l.DatePublished); err == nil {
			listedOn = lexscreen.Single(pd)
		}
		break
	}
	var measures []string
	for _, t := range ee.Types {
		if t = source.Clean(t); t != "" {
			measures = append(measures, t)
		}
	}
	legal := joinNonEmpty("; ", ee.Authorities...)
	for _, p := range ee.Programs {
		if p = source.Clean(p); p != "" {
			e.Designations = append(e.Designations, lexscreen.Designation{Authority: "US-OFAC", List: list, Program: p,
				LegalBasis: legal, ListedOn: listedOn, Measures: measures})
		}
	}
	for _, r := range ee.Relationships {
		l := lexscreen.Link{Relation: source.Snake(r.Type), Target: source.Clean(r.Related.Name)}
		if rid := strings.TrimSpace(r.Related.EntityID); rid != "" {
			l.TargetID = linkTarget(src, rid, ids)
		}
		if l.Relation == "" {
			l.Relation = "linked_to"
		}
		e.Links = append(e.Links, l)
	}
	e.Remarks = source.Clean(ee.GeneralInfo.Remarks)
	return e, nil
}

// linkTarget is the entity id of a related OFAC uid: in this list when the
// file holds it, else in the SDN list (non-SDN entries link to SDN ones).
func linkTarget(src, uid string, ids map[string]struct{}) string {
	if _, ok := ids[uid]; ok || ids == nil {
		return src + ":" + uid
	}
	return sourceSDN + ":" + uid
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// scriptCode maps OFAC script names to ISO 15924 ("" for Latin).
func scriptCode(name string) string {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "latin":
		return ""
	case "cyrillic":
		return "Cyrl"
	case "arabic":
		return "Arab"
	case "chinese simplified":
		return "Hani"
	case "chinese traditional":
		return "Hani"
	case "chinese", "han":
		return "Hani"
	case "korean", "hangul":
		return "Kore"
	case "japanese":
		return "Jpan"
	case "greek":
		return "Grek"
	case "hebrew":
		return "Hebr"
	case "persian", "farsi":
		return "Arab"
	}
	return ""
}
