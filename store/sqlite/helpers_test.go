package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
)

func openTemp(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// person is a small synthetic entity.
func person(src, key, name string) *lexscreen.Entity {
	return &lexscreen.Entity{
		ID: src + ":" + key, Source: src, Schema: lexscreen.SchemaPerson,
		Names: []lexscreen.Name{{Full: name, Kind: lexscreen.NamePrimary}},
		Designations: []lexscreen.Designation{{Authority: "TEST", Program: "PROG-A",
			ListedOn: lexscreen.Single(lexscreen.PartialDate{Year: 2020, Month: 3})}},
	}
}

// importEntities imports ents as one snapshot.
func importEntities(t testing.TB, db *DB, snap lexscreen.Snapshot, ents []*lexscreen.Entity, opts CommitOptions) (lexscreen.Snapshot, error) {
	t.Helper()
	imp, err := db.BeginImport(context.Background(), snap)
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Rollback()
	for _, e := range ents {
		if err := imp.Add(e); err != nil {
			return lexscreen.Snapshot{}, err
		}
	}
	return imp.Commit(opts)
}

func mustImport(t testing.TB, db *DB, snap lexscreen.Snapshot, ents []*lexscreen.Entity) lexscreen.Snapshot {
	t.Helper()
	s, err := importEntities(t, db, snap, ents, CommitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var (
	givenNames  = []string{"Ivan", "Ahmed", "Maria", "Chen", "Olga", "Mohammed", "Pierre", "Fatima", "Sergei", "Kim"}
	familyNames = []string{"Petrov", "Al-Rashid", "Gonzalez", "Wei", "Ivanova", "Haddad", "Dubois", "Nasser", "Smirnov", "Jong"}
	cyrillic    = []string{"Иван", "Петров", "Ольга", "Иванова", "Сергей", "Смирнов"}
	cities      = []string{"Moscow", "Tehran", "Damascus", "Pyongyang", "Caracas", "Minsk", "Beirut", "Havana"}
	countries   = []lexscreen.Country{{Code: "RU", Name: "Russia"}, {Code: "IR", Name: "Iran"}, {Code: "SY", Name: "Syria"},
		{Code: "KP", Name: "North Korea"}, {Code: "VE", Name: "Venezuela"}, {Code: "BY", Name: "Belarus"}}
	programsList = []string{"RUSSIA-EO14024", "SDGT", "IRAN", "SYRIA", "DPRK3", "VENEZUELA-EO13850", "BELARUS"}
)

// synthetic is a realistic entity (names, aliases, dates, addresses,
// identifiers, designations), deterministic for (src, i, rev).
func synthetic(src string, i, rev int) *lexscreen.Entity {
	r := rand.New(rand.NewPCG(uint64(i), uint64(rev)))
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	given, family := pick(givenNames), pick(familyNames)
	e := &lexscreen.Entity{
		ID: fmt.Sprintf("%s:%d", src, 10000+i), Source: src, Schema: lexscreen.SchemaPerson,
		Gender: []string{"male", "female"}[r.IntN(2)],
	}
	e.Names = append(e.Names, lexscreen.Name{Full: given + " " + family, Kind: lexscreen.NamePrimary,
		Parts: []lexscreen.NamePart{{Kind: lexscreen.PartGiven, Value: given}, {Kind: lexscreen.PartFamily, Value: family}}})
	for k := r.IntN(4); k > 0; k-- {
		e.AddName(lexscreen.Name{Full: pick(givenNames) + " " + pick(familyNames), Kind: lexscreen.NameAlias})
	}
	if r.IntN(3) == 0 {
		e.AddName(lexscreen.Name{Full: pick(cyrillic) + " " + pick(cyrillic), Kind: lexscreen.NameAlias, Script: "Cyrl", Lang: "ru"})
	}
	if r.IntN(5) == 0 {
		e.AddName(lexscreen.Name{Full: family, Kind: lexscreen.NameWeakAlias})
	}
	y := 1940 + r.IntN(60)
	switch r.IntN(3) {
	case 0:
		e.BirthDates = []lexscreen.DateValue{lexscreen.Single(lexscreen.PartialDate{Year: y, Month: 1 + r.IntN(12), Day: 1 + r.IntN(28)})}
	case 1:
		e.BirthDates = []lexscreen.DateValue{lexscreen.Single(lexscreen.PartialDate{Year: y})}
	case 2:
		e.BirthDates = []lexscreen.DateValue{{From: lexscreen.PartialDate{Year: y}, To: lexscreen.PartialDate{Year: y + 2}, Circa: true}}
	}
	c := countries[r.IntN(len(countries))]
	e.BirthPlaces = []lexscreen.Place{{Text: pick(cities) + ", " + c.Name, City: pick(cities), Country: c}}
	e.Nationalities = []lexscreen.Country{c}
	for k := 1 + r.IntN(2); k > 0; k-- {
		e.Addresses = append(e.Addresses, lexscreen.Address{Street: fmt.Sprintf("%d %s Street", 1+r.IntN(200), pick(familyNames)),
			City: pick(cities), PostalCode: fmt.Sprintf("%06d", r.IntN(999999)), Country: c})
	}
	e.Identifiers = []lexscreen.Identifier{{Kind: lexscreen.IDPassport, Label: "Passport", Number: fmt.Sprintf("%09d", r.IntN(999999999)),
		Country: c, Issued: lexscreen.PartialDate{Year: 2010 + r.IntN(10), Month: 1 + r.IntN(12)}}}
	for k := 1 + r.IntN(2); k > 0; k-- {
		e.Designations = append(e.Designations, lexscreen.Designation{Authority: "US-OFAC", List: "SDN", Program: pick(programsList),
			LegalBasis: "EO 14024", ListedOn: lexscreen.Single(lexscreen.PartialDate{Year: 2014 + r.IntN(10), Month: 1 + r.IntN(12), Day: 1 + r.IntN(28)}),
			Reference: fmt.Sprintf("REF.%d", i), Measures: []string{"Block"}})
	}
	e.AddAttribute("secondary_sanctions_risk", "Section 11 of Executive Order 14024")
	e.Remarks = fmt.Sprintf("Synthetic record %d; linked to %s %s.", i, pick(givenNames), pick(familyNames))
	return e
}
