package lexscreen

import "testing"

func TestSubjectFingerprint(t *testing.T) {
	a := Query{Name: "Maria  Garcia ", BirthDate: "1970-03-30", Countries: []string{"ES", "MX"}}
	same := Query{ID: "other-row", Name: "Maria Garcia", BirthDate: "1970-03-30", Countries: []string{"MX", " ES", "ES"}}
	if SubjectFingerprint(a) != SubjectFingerprint(same) {
		t.Fatal("order, spaces, duplicates or the row id changed the fingerprint")
	}
	for _, changed := range []Query{
		{Name: "Maria Garcia", BirthDate: "1970-03-31", Countries: []string{"ES", "MX"}},
		{Name: "Maria Garcia", BirthDate: "1970-03-30", Countries: []string{"ES"}},
		{Name: "María Garcia", BirthDate: "1970-03-30", Countries: []string{"ES", "MX"}},
		{Name: "Maria Garcia", BirthDate: "1970-03-30", Countries: []string{"ES", "MX"}, Identifiers: []string{"X1"}},
	} {
		if SubjectFingerprint(changed) == SubjectFingerprint(a) {
			t.Errorf("%+v: a changed field kept the fingerprint", changed)
		}
	}
}

func TestEntityFingerprint(t *testing.T) {
	e := &Entity{ID: "x:1", Source: "x", Names: []Name{{Full: "A B"}}}
	f := EntityFingerprint(e)
	e2 := *e
	e2.ID = "x:2"
	if EntityFingerprint(&e2) != f {
		t.Error("the id should not count")
	}
	e2.Names = append(e2.Names, Name{Full: "A C"})
	if EntityFingerprint(&e2) == f {
		t.Error("a new alias must change the fingerprint")
	}
}
