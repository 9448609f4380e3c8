package monitor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/batchfile"
)

// MemBook is a Book held in memory, in id order.
type MemBook struct {
	subjects []lexscreen.Subject
}

// NewMemBook returns a book of subjects, sorted by id, with their
// fingerprints filled in. Two subjects with the same id are an error.
func NewMemBook(subjects []lexscreen.Subject) (*MemBook, error) {
	s := slices.Clone(subjects)
	slices.SortStableFunc(s, func(a, b lexscreen.Subject) int { return strings.Compare(a.ID, b.ID) })
	for i := range s {
		if s[i].ID == "" {
			return nil, lexscreen.Errorf(lexscreen.EINVALID, "subject %d has no id: every subject of a book needs one", i+1)
		}
		if i > 0 && s[i].ID == s[i-1].ID {
			return nil, lexscreen.Errorf(lexscreen.EINVALID, "subject id %q appears twice in the book", s[i].ID)
		}
		s[i].Query.ID = ""
		s[i].Fingerprint = lexscreen.SubjectFingerprint(s[i].Query)
	}
	return &MemBook{subjects: s}, nil
}

// Each calls fn for every subject in id order.
func (b *MemBook) Each(ctx context.Context, fn func(lexscreen.Subject) error) error {
	for i, s := range b.subjects {
		if i%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if err := fn(s); err != nil {
			return err
		}
	}
	return nil
}

// Len returns the number of subjects.
func (b *MemBook) Len() int { return len(b.subjects) }

// BookError is a record of a book file that could not be read as a
// subject: it is counted and reported, never screened.
type BookError struct {
	Line    int    `json:"line"`
	ID      string `json:"id,omitempty"`
	Message string `json:"message"`
}

// ReadBook reads a customer file (CSV or JSON lines, the batch reader's
// columns and rules) as a book. A record's id column names the subject;
// a record without one is named by its record number ("row-12"). Records
// that can't be screened are returned as BookErrors, not dropped silently.
func ReadBook(name string, data []byte, opts batchfile.Options) (*MemBook, []BookError, error) {
	r, err := batchfile.New(name, data, opts)
	if err != nil {
		return nil, nil, err
	}
	var subjects []lexscreen.Subject
	var bad []BookError
	seen := map[string]int{}
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		id := strings.TrimSpace(row.Query.ID)
		if id == "" {
			id = fmt.Sprintf("row-%d", row.Seq)
		}
		if row.Err != nil {
			bad = append(bad, BookError{Line: row.Line, ID: id, Message: row.Err.Message})
			continue
		}
		if first, dup := seen[id]; dup {
			bad = append(bad, BookError{Line: row.Line, ID: id,
				Message: fmt.Sprintf("id %q is already used by the record on line %d: ids must be unique in a book", id, first)})
			continue
		}
		seen[id] = row.Line
		subjects = append(subjects, lexscreen.Subject{ID: id, Query: row.Query})
	}
	b, err := NewMemBook(subjects)
	return b, bad, err
}
