package monitor

import (
	"context"
	"testing"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/batchfile"
)

func TestReadBook(t *testing.T) {
	data := "id,name,dob,country\nb,Ingeborg Abrahamsen,1972-11-21,NO\na,Acme Trading LLC,,\n,Pierre Dubois,,FR\nb,Someone Else,,\nc,,,\n"
	book, bad, err := ReadBook("book.csv", []byte(data), batchfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	book.Each(context.Background(), func(s lexscreen.Subject) error {
		ids = append(ids, s.ID)
		if s.Fingerprint != lexscreen.SubjectFingerprint(s.Query) || s.Query.ID != "" {
			t.Errorf("%s: fingerprint %q, query id %q", s.ID, s.Fingerprint, s.Query.ID)
		}
		return nil
	})
	if len(ids) != 3 || ids[0] != "a" || ids[1] != "b" || ids[2] != "row-3" {
		t.Errorf("subjects %v: want a, b, row-3 in id order", ids)
	}
	if len(bad) != 2 {
		t.Errorf("bad rows %+v: want the duplicate id and the row without a name", bad)
	}
}

func FuzzReadBook(f *testing.F) {
	f.Add([]byte("id,name\n1,Ann Smith\n2,Bob\n"))
	f.Add([]byte(`{"id":"x","name":"Владимир Путин","dob":"1952"}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		book, bad, err := ReadBook("f.csv", data, batchfile.Options{})
		if err != nil {
			return
		}
		seen := map[string]bool{}
		book.Each(context.Background(), func(s lexscreen.Subject) error {
			if s.ID == "" || seen[s.ID] {
				t.Fatalf("subject id %q empty or repeated", s.ID)
			}
			seen[s.ID] = true
			return nil
		})
		_ = bad
	})
}
