package ofacxml

import (
	"context"
	"encoding/xml"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// FormatXML reads the legacy OFAC sdnList XML (SDN.XML, CONSOLIDATED.XML),
// in the old http://tempuri.org/sdnList.xsd namespace and the 2024 Sanctions
// List Service one.
var FormatXML = source.Format{
	ID:    "ofac-xml",
	Title: "OFAC legacy XML (SDN.XML, CONSOLIDATED.XML)",
	Sniff: func(name string, head []byte) bool {
		return rootLocal(head) == "sdnList"
	},
	Parse: parseLegacy,
}

type legacyEntry struct {
	UID       string   `xml:"uid"`
	FirstName string   `xml:"firstName"`
	LastName  string   `xml:"lastName"`
	Title     string   `xml:"title"`
	SDNType   string   `xml:"sdnType"`
	Remarks   string   `xml:"remarks"`
	Programs  []string `xml:"programList>program"`
	IDs       []struct {
		Type       string `xml:"idType"`
		Number     string `xml:"idNumber"`
		Country    string `xml:"idCountry"`
		IssueDate  string `xml:"issueDate"`
		Expiration string `xml:"expirationDate"`
	} `xml:"idList>id"`
	AKAs []struct {
		Type      string `xml:"type"`
		Category  string `xml:"category"`
		LastName  string `xml:"lastName"`
		FirstName string `xml:"firstName"`
	} `xml:"akaList>aka"`
	Addresses []struct {
		Address1   string `xml:"address1"`
		Address2   string `xml:"address2"`
		Address3   string `xml:"address3"`
		City       string `xml:"city"`
		State      string `xml:"stateOrProvince"`
		PostalCode string `xml:"postalCode"`
		Country    string `xml:"country"`
		Region     string `xml:"region"`
	} `xml:"addressList>address"`
	Nationalities []struct {
		Country string `xml:"country"`
	} `xml:"nationalityList>nationality"`
	Citizenships []struct {
		Country string `xml:"country"`
	} `xml:"citizenshipList>citizenship"`
	DOBs []struct {
		Date string `xml:"dateOfBirth"`
	} `xml:"dateOfBirthList>dateOfBirthItem"`
	POBs []struct {
		Place string `xml:"placeOfBirth"`
	} `xml:"placeOfBirthList>placeOfBirthItem"`
	Vessel *struct {
		CallSign   string `xml:"callSign"`
		VesselType string `xml:"vesselType"`
		Flag       string `xml:"vesselFlag"`
		Owner      string `xml:"vesselOwner"`
		Tonnage    string `xml:"tonnage"`
		GRT        string `xml:"grossRegisteredTonnage"`
	} `xml:"vesselInfo"`
}

var reLinkedTo = regexp.MustCompile(`(?i)Linked To:\s*([^)]+?)\s*(?:\)|;|$)`)

func parseLegacy(ctx context.Context, files []source.File, emit source.Emit) (source.Meta, error) {
	var meta source.Meta
	if err := ctx.Err(); err != nil {
		return meta, err
	}
	if len(files) != 1 {
		return meta, source.NewError("", 0, "", "ofac-xml reads one file, got %d", len(files))
	}
	f := files[0]
	meta.Source = sourceForName(f.Name)
	rc, err := f.Open()
	if err != nil {
		return meta, err
	}
	defer rc.Close()
	d := newDecoder(f.Name, rc)
	root, err := firstStart(d)
	if err != nil {
		return meta, xmlError(f.Name, d, "sdnList", err)
	}
	if root.Name.Local != "sdnList" {
		line, _ := d.InputPos()
		return meta, source.NewError(f.Name, line, root.Name.Local, "root element is <%s>, want <sdnList>", root.Name.Local)
	}
	count := 0
	lastUID := ""
	for {
		if err := ctx.Err(); err != nil {
			return meta, err
		}
		tok, err := d.Token()
		if err != nil {
			inside := "sdnList"
			if lastUID != "" {
				inside = "sdnList, after sdnEntry uid=" + lastUID
			}
			return meta, xmlError(f.Name, d, inside, err)
		}
		switch t := tok.(type) {
		case xml.EndElement: // </sdnList>
			if err := checkDeclared(f.Name, meta.Declared, count); err != nil {
				return meta, err
			}
			return meta, trailing(f.Name, d)
		case xml.StartElement:
			switch t.Name.Local {
			case "publshInformation", "publishInformation":
				var pi struct {
					Date  string `xml:"Publish_Date"`
					Count string `xml:"Record_Count"`
				}
				if err := d.DecodeRecord(&pi, &t); err != nil {
					return meta, xmlError(f.Name, d, t.Name.Local, err)
				}
				if s := source.Clean(pi.Date); s != "" {
					pd, ok := source.ParseMDY(s)
					if !ok {
						line, _ := d.InputPos()
						return meta, source.NewError(f.Name, line, "Publish_Date", "bad publish date %q, want MM/DD/YYYY", s)
					}
					meta.Published = dateTime(pd)
					meta.Version = pd.String()
				}
				if s := source.Clean(pi.Count); s != "" {
					n, err := strconv.Atoi(s)
					if err != nil || n < 0 {
						line, _ := d.InputPos()
						return meta, source.NewError(f.Name, line, "Record_Count", "bad record count %q", s)
					}
					meta.Declared = n
				}
			case "sdnEntry":
				var le legacyEntry
				if err := d.DecodeRecord(&le, &t); err != nil {
					inside := "sdnEntry"
					if lastUID != "" {
						inside = "sdnEntry after uid=" + lastUID
					}
					return meta, xmlError(f.Name, d, inside, err)
				}
				e, err := legacyEntity(meta.Source, &le)
				if err != nil {
					line, _ := d.InputPos()
					return meta, source.NewError(f.Name, line, "sdnEntry", "%v", err)
				}
				lastUID = le.UID
				count++
				if err := emit(e); err != nil {
					return meta, err
				}
			default:
				if err := d.Skip(); err != nil {
					return meta, xmlError(f.Name, d, t.Name.Local, err)
				}
			}
		}
	}
}

// trailing checks nothing but white space, comments or processing
// instructions follows the root element.
func trailing(file string, d *source.XMLDecoder) error {
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return xmlError(file, d, "end of document", err)
		}
		if _, ok := tok.(xml.StartElement); ok {
			line, _ := d.InputPos()
			return source.NewError(file, line, "", "content after the root element")
		}
	}
}

func legacyEntity(src string, le *legacyEntry) (*lexscreen.Entity, error) {
	uid := strings.TrimSpace(le.UID)
	if uid == "" {
		return nil, errNoUID
	}
	e := &lexscreen.Entity{ID: src + ":" + uid, Source: src, Schema: lexscreen.ParseSchema(le.SDNType)}
	if e.Schema == lexscreen.SchemaUnknown && source.Clean(le.SDNType) == "" {
		e.Schema = lexscreen.SchemaOrganization // OFAC leaves the type empty for entities
	}
	e.AddName(legacyName(lexscreen.NamePrimary, le.FirstName, le.LastName))
	for _, a := range le.AKAs {
		weak := strings.EqualFold(strings.TrimSpace(a.Category), "weak")
		e.AddName(legacyName(nameKind(a.Type, weak), a.FirstName, a.LastName))
	}
	if t := source.Clean(le.Title); t != "" {
		e.Titles = append(e.Titles, t)
	}
	for _, dob := range le.DOBs {
		s := source.Clean(dob.Date)
		if s == "" {
			continue
		}
		if v, ok := source.ParseDateValue(s); ok {
			addDate(&e.BirthDates, v)
		} else {
			e.AddAttribute("birth_date_text", s)
		}
	}
	for _, p := range le.POBs {
		if s := source.Clean(p.Place); s != "" {
			addPlace(&e.BirthPlaces, placeOf(s))
		}
	}
	for _, n := range le.Nationalities {
		addCountry(&e.Nationalities, source.NewCountry(n.Country))
	}
	for _, n := range le.Citizenships {
		addCountry(&e.Citizenships, source.NewCountry(n.Country))
	}
	for _, id := range le.IDs {
		issued, _ := source.ParseDate(id.IssueDate)
		expires, _ := source.ParseDate(id.Expiration)
		applyDetail(e, id.Type, id.Number, source.NewCountry(id.Country), issued, expires, "")
	}
	for _, a := range le.Addresses {
		addr := lexscreen.Address{
			Street:     joinNonEmpty(", ", a.Address1, a.Address2, a.Address3),
			City:       source.Clean(a.City),
			Region:     joinNonEmpty(", ", a.State, a.Region),
			PostalCode: source.Clean(a.PostalCode),
			Country:    source.NewCountry(a.Country),
		}
		addr.Full = joinNonEmpty(", ", addr.Street, addr.City, addr.Region, addr.PostalCode, addr.Country.Name)
		if addr.Full != "" {
			e.Addresses = append(e.Addresses, addr)
		}
	}
	if v := le.Vessel; v != nil {
		e.AddAttribute("call_sign", source.Clean(v.CallSign))
		e.AddAttribute("vessel_type", source.Clean(v.VesselType))
		if fl := source.Clean(v.Flag); fl != "" {
			e.AddAttribute("flag", fl)
			addCountry(&e.Countries, source.NewCountry(fl))
		}
		e.AddAttribute("owner", source.Clean(v.Owner))
		e.AddAttribute("tonnage", source.Clean(v.Tonnage))
		e.AddAttribute("gross_registered_tonnage", source.Clean(v.GRT))
	}
	for _, p := range le.Programs {
		if p = source.Clean(p); p != "" {
			e.Designations = append(e.Designations, lexscreen.Designation{Authority: "US-OFAC", List: listName(src), Program: p})
		}
	}
	e.Remarks = source.Clean(le.Remarks)
	for _, m := range reLinkedTo.FindAllStringSubmatch(e.Remarks, -1) {
		e.Links = append(e.Links, lexscreen.Link{Relation: "linked_to", Target: strings.TrimSpace(m[1])})
	}
	return e, nil
}

// legacyName builds a name from the first/last split of the legacy XML.
func legacyName(kind lexscreen.NameKind, first, last string) lexscreen.Name {
	first, last = source.Clean(first), source.Clean(last)
	var parts []lexscreen.NamePart
	if first != "" {
		parts = append(parts, lexscreen.NamePart{Kind: lexscreen.PartGiven, Value: first})
	}
	if last != "" {
		k := lexscreen.PartFamily
		if first == "" {
			k = lexscreen.PartOther // entity, vessel, or a whole name in lastName
		}
		parts = append(parts, lexscreen.NamePart{Kind: k, Value: last})
	}
	return makeName(kind, parts, "")
}

// placeOf splits "City, Region, Country" place text; the last part becomes
// the country when it is one.
func placeOf(s string) lexscreen.Place {
	p := lexscreen.Place{Text: s}
	parts := strings.Split(s, ",")
	last := strings.TrimSpace(parts[len(parts)-1])
	if c := source.NewCountry(last); c.Code != "" {
		p.Country = c
		if len(parts) >= 2 {
			p.City = strings.TrimSpace(parts[0])
		}
		if len(parts) >= 3 {
			p.Region = strings.TrimSpace(strings.Join(parts[1:len(parts)-1], ","))
		}
	}
	return p
}

type constError string

func (e constError) Error() string { return string(e) }

const errNoUID = constError("sdnEntry without uid")
