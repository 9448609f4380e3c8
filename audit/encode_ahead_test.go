package audit

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
)

// A record encoded ahead of Append (Encode) is stored as Append would
// have stored it: the same content, read back equal, and the chain
// verifies.
func TestEncodeAhead(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rec := matchRecord(t)
	plain, ahead := rec, rec
	if err := Encode(&ahead); err != nil {
		t.Fatal(err)
	}
	encoded := ahead.body
	if err := db.Append(ctx, &plain, &ahead); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ahead.body, encoded) {
		t.Error("Append encoded again a record Encode had prepared")
	}
	if !bytes.Equal(plain.body, ahead.body) || plain.ListSet != ahead.ListSet {
		t.Error("a record encoded ahead is stored differently from one Append encoded")
	}
	var got [2]*Record
	for i, id := range []int64{plain.ID, ahead.ID} {
		if got[i], err = db.Get(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got[0].Result, got[1].Result) || !bytes.Equal(got[0].Request, got[1].Request) || got[1].Operator != rec.Operator ||
		len(got[1].Lists) != len(rec.Lists) || len(got[1].Result) == 0 {
		t.Errorf("the record encoded ahead reads back differently: %+v", got[1])
	}
	rep, err := db.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK || rep.Records != 2 {
		t.Errorf("chain does not verify: %+v", rep)
	}
}
