package workspace

import (
	"context"
	"testing"
)

// FuzzImport: any file either fails as a whole or accounts for every row
// (created, updated, unchanged or failed), and never breaks the store.
func FuzzImport(f *testing.F) {
	f.Add([]byte("id,name\nC-1,Anna Lindqvist\n,No Id\nC-1,Dup\n"), "book.csv")
	f.Add([]byte(`{"id":"C-2","name":"Lars Haugen","dob":"1970"}`+"\n{bad\n"), "book.jsonl")
	f.Add([]byte("Customer ID;Full Name\r\nC-3;Sofia Moreau\r\n"), "x.csv")
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		rep, err := fx.s.Import(context.Background(), analyst, name, data, ImportOptions{})
		if err != nil {
			return
		}
		if rep.Created+rep.Updated+rep.Unchanged+rep.Failed != rep.Rows {
			t.Fatalf("rows %d, accounted %d: %+v", rep.Rows, rep.Created+rep.Updated+rep.Unchanged+rep.Failed, rep)
		}
	})
}
