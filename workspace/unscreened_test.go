package workspace

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen"
)

// Subjects created or changed wait for a screening until one of their very
// data is recorded; unchanged ones don't wait; a subject changed after its
// screening waits again; deleted subjects don't.
func TestUnscreenedMarks(t *testing.T) { onEachBackend(t, testUnscreenedMarks) }

func testUnscreenedMarks(t *testing.T, newFixture func(testing.TB) *fixture) {
	ctx := context.Background()
	f := newFixture(t)
	admin := Actor{ID: "key:admin", Role: "admin"}
	book := "id,name,dob,country\nC-1,Viktor Bout,1967-01-13,RU\nC-2,Maria Garcia,1980,ES\nC-3,Ali Hassan,1975,EG\n"
	if _, err := f.s.Import(ctx, admin, "book.csv", []byte(book), ImportOptions{Operator: "us-bank"}); err != nil {
		t.Fatal(err)
	}
	pending := func() []string {
		t.Helper()
		ps, err := f.s.Unscreened(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, p := range ps {
			ids = append(ids, p.ID+"/"+p.Operator)
		}
		return ids
	}
	if got := fmt.Sprint(pending()); got != "[C-1/us-bank C-2/us-bank C-3/us-bank]" {
		t.Fatalf("after import: %s", got)
	}
	ps, _ := f.s.Unscreened(ctx, 0, 100)
	// C-1 screened as imported; C-2 screened, but with older data (its
	// screening raced a change): its mark stays.
	stale := ps[1].Subject
	stale.Fingerprint = "not-what-is-stored"
	if err := f.s.MarkScreened(ctx, []lexscreen.Subject{ps[0].Subject, stale}); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(pending()); got != "[C-2/us-bank C-3/us-bank]" {
		t.Fatalf("after screening C-1: %s", got)
	}
	// Importing the same file changes nothing; a new date of birth for C-1
	// and a new operator for all make them wait again.
	if _, err := f.s.Import(ctx, admin, "book.csv", []byte(book), ImportOptions{Operator: "us-bank"}); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(pending()); got != "[C-2/us-bank C-3/us-bank]" {
		t.Fatalf("same file again: %s", got)
	}
	changed := strings.Replace(book, "1967-01-13", "1967-01-31", 1)
	if _, err := f.s.Import(ctx, admin, "book.csv", []byte(changed), ImportOptions{Operator: "eu-bank"}); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(pending()); got != "[C-1/eu-bank C-2/eu-bank C-3/eu-bank]" {
		t.Fatalf("after a change: %s", got)
	}
	seq, n, err := f.s.UnscreenedMark(ctx)
	if err != nil || n != 3 {
		t.Fatalf("mark %d count %d %v", seq, n, err)
	}
	if err := f.s.DeleteSubject(ctx, admin, "C-3"); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(pending()); got != "[C-1/eu-bank C-2/eu-bank]" {
		t.Fatalf("after deleting C-3: %s", got)
	}
	// A change after the mark a full run started from survives it.
	if _, err := f.s.Put(ctx, admin, lexscreen.Subject{ID: "C-4", Query: lexscreen.Query{Name: "Ana Ruiz"}}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.MarkScreenedUpTo(ctx, seq); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(pending()); got != "[C-4/]" {
		t.Fatalf("after a full run up to %d: %s", seq, got)
	}
}
