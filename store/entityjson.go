package store

import (
	"encoding/json"

	"github.com/lexscreen/lexscreen"
)

// UnmarshalEntity reads an entity's stored JSON into e, which must be
// zero, exactly as json.Unmarshal does, several times faster for the
// JSON json.Marshal writes (building the index of every list reads tens
// of thousands of entities). Whatever its fast reader does not know (a
// key it does not have, a key twice, an escape it leaves alone, anything
// malformed) is read again by json.Unmarshal, whose result and error are
// returned then.
func UnmarshalEntity(data []byte, e *lexscreen.Entity) error {
	var d jsonDec
	if d.entity(data, e) {
		return nil
	}
	*e = lexscreen.Entity{}
	return json.Unmarshal(data, e)
}

// jsonDec reads JSON into an entity. Its first failure sticks: every read
// after it does nothing, so a decoding function may read on and check
// once at the end.
type jsonDec struct {
	data []byte
	pos  int
	bad  bool
	buf  []byte // a string with escapes, unescaped
}

// entity reads data into e, and reports whether it could read all of it.
func (d *jsonDec) entity(data []byte, e *lexscreen.Entity) bool {
	d.data, d.pos = data, 0
	d.object(func(key []byte) int {
		switch string(key) {
		case "id":
			setString(d, &e.ID)
		case "source":
			setString(d, &e.Source)
		case "schema":
			setString(d, &e.Schema)
		case "names":
			array(d, &e.Names, d.name)
		case "gender":
			setString(d, &e.Gender)
		case "birth_dates":
			array(d, &e.BirthDates, d.dateValue)
		case "birth_places":
			array(d, &e.BirthPlaces, d.place)
		case "death_dates":
			array(d, &e.DeathDates, d.dateValue)
		case "nationalities":
			array(d, &e.Nationalities, d.country)
		case "citizenships":
			array(d, &e.Citizenships, d.country)
		case "countries":
			array(d, &e.Countries, d.country)
		case "titles":
			array(d, &e.Titles, d.string)
		case "positions":
			array(d, &e.Positions, d.string)
		case "identifiers":
			array(d, &e.Identifiers, d.identifier)
		case "addresses":
			array(d, &e.Addresses, d.address)
		case "contacts":
			array(d, &e.Contacts, d.contact)
		case "designations":
			array(d, &e.Designations, d.designation)
		case "links":
			array(d, &e.Links, d.link)
		case "attributes":
			d.attributes(&e.Attributes)
		case "remarks":
			setString(d, &e.Remarks)
		default:
			return -1
		}
		return 0
	})
	d.skipSpace()
	return !d.bad && d.pos == len(d.data)
}

func (d *jsonDec) name(n *lexscreen.Name) {
	d.object(func(key []byte) int {
		switch string(key) {
		case "full":
			setString(d, &n.Full)
		case "kind":
			setString(d, &n.Kind)
		case "script":
			setString(d, &n.Script)
		case "lang":
			setString(d, &n.Lang)
		case "parts":
			array(d, &n.Parts, d.namePart)
		default:
			return -1
		}
		return 0
	})
}

func (d *jsonDec) namePart(p *lexscreen.NamePart) {
	d.object(func(key []byte) int {
		switch string(key) {
		case "kind":
			setString(d, &p.Kind)
		case "value":
			setString(d, &p.Value)
		default:
			return -1
		}
		return 0
	})
}

func (d *jsonDec) country(c *lexscreen.Country) {
	d.object(func(key []byte) int {
		switch string(key) {
		case "code":
			setString(d, &c.Code)
		case "name":
			setString(d, &c.Name)
		default:
			return -1
		}
		return 0
	})
}

func (d *jsonDec) place(p *lexscreen.Place) {
	d.object(func(key []byte) int {
		switch string(key) {
		case "text":
			setString(d, &p.Text)
		case "city":
			setString(d, &p.City)
		case "region":
			setString(d, &p.Region)
		case "country":
			d.country(&p.Country)
		default:
			return -1
		}
		return 0
	})
}

func (d *jsonDec) address(a *lexscreen.Address) {
	d.object(func(key []byte) int {
		switch string(key) {
		case "full":
			setString(d, &a.Full)
		case "street":
			setString(d, &a.Street)
		case "city":
			setString(d, &a.City)
		case "region":
			setString(d, &a.Region)
		case "postal_code":
			setString(d, &a.PostalCode)
		case "country":
			d.country(&a.Country)
		case "note":
			setString(d, &a.Note)
		default:
			return -1
		}
		return 0
	})
}

func (d *jsonDec) identifier(id *lexscreen.Identifier) {
	d.object(func(key []byte) int {
		switch string(key) {
		case "kind":
			setString(d, &id.Kind)
		case "label":
			setString(d, &id.Label)
		case "number":
			setString(d, &id.Number)
		case "country":
			d.country(&id.Country)
		case "issued":
			d.partialDate(&id.Issued)
		case "expires":
			d.partialDate(&id.Expires)
		case "note":
			setString(d, &id.Note)
		default:
			return -1
		}
		return 0
	})
}

func (d *jsonDec) contact(c *lexscreen.Contact) {
	d.object(func(key []byte) int {
		switch string(key) {
		case "kind":
			setString(d, &c.Kind)
		case "value":
			setString(d, &c.Value)
		default:
			return -1
		}
		return 0
	})
}

func (d *jsonDec) designation(g *lexscreen.Designation) {
	d.object(func(key []byte) int {
		switch string(key) {
		case "authority":
			setString(d, &g.Authority)
		case "list":
			setString(d, &g.List)
		case "program":
			setString(d, &g.Program)
		case "legal_basis":
			setString(d, &g.LegalBasis)
		case "listed_on":
			d.dateValue(&g.ListedOn)
		case "reference":
			setString(d, &g.Reference)
		case "measures":
			array(d, &g.Measures, d.string)
		case "remarks":
			setString(d, &g.Remarks)
		default:
			return -1
		}
		return 0
	})
}

func (d *jsonDec) link(l *lexscreen.Link) {
	d.object(func(key []byte) int {
		switch string(key) {
		case "relation":
			setString(d, &l.Relation)
		case "target_id":
			setString(d, &l.TargetID)
		case "target":
			setString(d, &l.Target)
		case "percent":
			setString(d, &l.Percent)
		case "start":
			setString(d, &l.Start)
		case "end":
			setString(d, &l.End)
		default:
			return -1
		}
		return 0
	})
}

func (d *jsonDec) dateValue(v *lexscreen.DateValue) {
	d.object(func(key []byte) int {
		switch string(key) {
		case "from":
			d.partialDate(&v.From)
		case "to":
			d.partialDate(&v.To)
		case "circa":
			d.bool(&v.Circa)
		case "text":
			setString(d, &v.Text)
		default:
			return -1
		}
		return 0
	})
}

// partialDate reads a date in its ISO form (PartialDate.UnmarshalText),
// left alone for null; a date it refuses fails.
func (d *jsonDec) partialDate(p *lexscreen.PartialDate) {
	if d.null() {
		return
	}
	if d.peek() != '"' {
		d.fail()
		return
	}
	if err := p.UnmarshalText([]byte(d.str())); err != nil {
		d.fail()
	}
}

// attributes reads a map of strings to lists of strings: a key twice
// keeps its last value, as with json.Unmarshal.
func (d *jsonDec) attributes(m *map[string][]string) {
	if d.null() {
		*m = nil
		return
	}
	d.expect('{')
	if *m == nil {
		*m = map[string][]string{}
	}
	if d.peek() == '}' {
		d.pos++
		return
	}
	for !d.bad {
		if d.peek() != '"' {
			d.fail()
			return
		}
		key := d.str()
		d.expect(':')
		var v []string
		array(d, &v, d.string)
		(*m)[key] = v
		if !d.more('}') {
			return
		}
	}
}
