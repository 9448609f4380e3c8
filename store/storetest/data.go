package storetest

import (
	"fmt"
	"time"

	"github.com/lexscreen/lexscreen"
)

// The entities below are modelled on real OFAC SDN entries (names, programs
// and dates as OFAC published them), so that the canonical JSON, the diff of
// real-looking changes (an alias added, a program added) and the byte order
// of ids ("us-ofac-sdn:10001" < "us-ofac-sdn:9647") are exercised.

const src = "us-ofac-sdn"

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func ofac(key string, schema lexscreen.Schema, name string, program string, listed lexscreen.PartialDate, aliases ...string) *lexscreen.Entity {
	e := &lexscreen.Entity{ID: src + ":" + key, Source: src, Schema: schema,
		Names: []lexscreen.Name{{Full: name, Kind: lexscreen.NamePrimary}},
		Designations: []lexscreen.Designation{{Authority: "US-OFAC", List: "SDN", Program: program,
			ListedOn: lexscreen.Single(listed)}}}
	for _, a := range aliases {
		e.Names = append(e.Names, lexscreen.Name{Full: a, Kind: lexscreen.NameAlias})
	}
	return e
}

// baseList is a small SDN list as of its first snapshot.
func baseList() []*lexscreen.Entity {
	return []*lexscreen.Entity{
		ofac("36", lexscreen.SchemaOrganization, "AEROCARIBBEAN AIRLINES", "CUBA", lexscreen.PartialDate{Year: 1992}, "AERO-CARIBBEAN"),
		ofac("306", lexscreen.SchemaOrganization, "BANCO NACIONAL DE CUBA", "CUBA", lexscreen.PartialDate{Year: 1992}, "NATIONAL BANK OF CUBA"),
		ofac("9647", lexscreen.SchemaPerson, "AL-ZAWAHIRI, Ayman", "SDGT", lexscreen.PartialDate{Year: 2001, Month: 10, Day: 12}),
		ofac("10001", lexscreen.SchemaVessel, "ANTARCTIC", "CUBA", lexscreen.PartialDate{Year: 2005}),
		ofac("25639", lexscreen.SchemaPerson, "MADURO MOROS, Nicolas", "VENEZUELA", lexscreen.PartialDate{Year: 2017, Month: 7, Day: 31}),
	}
}

// filler makes n more entities of the list (for the shrink guard).
func filler(n int) []*lexscreen.Entity {
	out := make([]*lexscreen.Entity, n)
	for i := range out {
		out[i] = ofac(fmt.Sprint(50000+i), lexscreen.SchemaOrganization, fmt.Sprintf("FRONT COMPANY %d LLC", i),
			"RUSSIA-EO14024", lexscreen.PartialDate{Year: 2022, Month: 2, Day: 24})
	}
	return out
}

// clone is a deep copy through JSON-free field copies good enough here.
func clone(es []*lexscreen.Entity) []*lexscreen.Entity {
	out := make([]*lexscreen.Entity, len(es))
	for i, e := range es {
		c := *e
		c.Names = append([]lexscreen.Name(nil), e.Names...)
		c.Designations = append([]lexscreen.Designation(nil), e.Designations...)
		out[i] = &c
	}
	return out
}
