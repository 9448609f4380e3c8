package workspace

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io"
	"strconv"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/batchfile"
)

// ImportOptions tune Import.
type ImportOptions struct {
	// Operator is the operator profile the imported subjects are screened
	// for ("" : the book's default).
	Operator string
	// Encoding and Format are batchfile's options.
	Encoding, Format string
}

// RowError is a row of a customer file that was not imported, and why.
type RowError struct {
	Line    int    `json:"line"`
	ID      string `json:"id,omitempty"`
	Message string `json:"message"`
}

// maxRowErrors is how many row errors an ImportReport lists (all are counted).
const maxRowErrors = 100

// ImportReport says what an import did. Failed > 0 means rows were not
// imported: the caller must say so (the CLI's exit code 7).
type ImportReport struct {
	File      string         `json:"file"`
	SHA256    string         `json:"sha256"`
	Info      batchfile.Info `json:"info"`
	Rows      int            `json:"rows"`
	Created   int            `json:"created"`
	Updated   int            `json:"updated"`
	Unchanged int            `json:"unchanged"`
	Failed    int            `json:"failed"`
	Errors    []RowError     `json:"errors"`
	// Changed are the subjects created or updated, to be screened.
	Changed []lexscreen.Subject `json:"-"`
}

// Import reads a customer file (CSV or JSON lines, batchfile's rules) into
// the book, in one transaction: every row is created, updated or left
// unchanged, or counted as failed with its line and reason (no id, no
// name, a duplicate id in the file, a row that can't be read). A file that
// can't be read at all is an error and changes nothing.
func (s *Store) Import(ctx context.Context, actor Actor, name string, data []byte, o ImportOptions) (ImportReport, error) {
	sum := sha256.Sum256(data)
	rep := ImportReport{File: name, SHA256: hex.EncodeToString(sum[:]), Errors: []RowError{}}
	rd, err := batchfile.New(name, data, batchfile.Options{Encoding: o.Encoding, Format: o.Format})
	if err != nil {
		return rep, err
	}
	fail := func(line int, id, msg string) {
		rep.Failed++
		if len(rep.Errors) < maxRowErrors {
			rep.Errors = append(rep.Errors, RowError{Line: line, ID: id, Message: msg})
		}
	}
	err = s.writeAlone(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
		seen := map[string]int{}
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			row, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			rep.Rows++
			if row.Err != nil {
				fail(row.Line, row.Query.ID, row.Err.Message)
				continue
			}
			if row.Query.ID == "row-"+strconv.Itoa(row.Seq) {
				fail(row.Line, "", "no id: a subject needs the operator's reference (a column id, customer id, reference ...)")
				continue
			}
			if first, dup := seen[row.Query.ID]; dup {
				fail(row.Line, row.Query.ID, "the id is already on line "+strconv.Itoa(first)+" of this file: this row is left out")
				continue
			}
			seen[row.Query.ID] = row.Line
			sub := lexscreen.Subject{ID: row.Query.ID, Query: row.Query, Operator: o.Operator}
			if err := checkSubject(&sub); err != nil {
				fail(row.Line, row.Query.ID, err.Error())
				continue
			}
			res, err := s.put(ctx, tx, sub)
			if err != nil {
				return err
			}
			switch res.Change {
			case "created":
				rep.Created++
			case "updated":
				rep.Updated++
			default:
				rep.Unchanged++
				continue
			}
			rep.Changed = append(rep.Changed, res.Subject.Subject)
		}
		rep.Info = rd.Info()
		ids := make([]string, len(rep.Changed))
		for i, sub := range rep.Changed {
			ids[i] = sub.ID
		}
		detail := map[string]any{"file": rep.File, "sha256": rep.SHA256, "operator": o.Operator, "rows": rep.Rows,
			"created": rep.Created, "updated": rep.Updated, "unchanged": rep.Unchanged, "failed": rep.Failed,
			"errors": rep.Errors, "changed_ids_sha256": hashStrings(ids)}
		if len(ids) <= 1000 {
			detail["changed_ids"] = ids
		}
		c.act(actor, "subjects.imported", "book", detail)
		return nil
	})
	if err != nil {
		rep.Changed = nil
		return rep, err
	}
	return rep, nil
}

// hashStrings is the SHA-256 of strings joined by newlines.
func hashStrings(ss []string) string {
	h := sha256.New()
	for _, s := range ss {
		io.WriteString(h, s)
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}
