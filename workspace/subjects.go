package workspace

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
)

// SubjectRecord is a subject of the book with its times.
type SubjectRecord struct {
	lexscreen.Subject
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// reservedPrefixes start the subject ids of alerts that no book subject
// owns: a book id may not take them, or its alerts would mix with theirs.
var reservedPrefixes = []struct{ prefix, what string }{
	{AdHocPrefix, "ad-hoc screenings"},
	{PartyPrefix, "parties of screened payments"},
	{TextPrefix, "names found in the free text of payments"},
}

// checkSubject fills in the fingerprint and refuses a subject that can't
// be screened.
func checkSubject(sub *lexscreen.Subject) error {
	sub.ID = strings.TrimSpace(sub.ID)
	if sub.ID == "" {
		return lexscreen.Errorf(lexscreen.EINVALID, "subject id: required (the operator's customer reference)")
	}
	if len(sub.ID) > 200 {
		return lexscreen.Errorf(lexscreen.EINVALID, "subject id %.40q…: at most 200 bytes", sub.ID)
	}
	for _, r := range reservedPrefixes {
		if strings.HasPrefix(sub.ID, r.prefix) {
			return lexscreen.Errorf(lexscreen.EINVALID, "subject id %q: ids starting %q name %s, not subjects of the book", sub.ID, r.prefix, r.what)
		}
	}
	if strings.TrimSpace(sub.Query.Name) == "" && len(sub.Query.Identifiers) == 0 {
		return lexscreen.Errorf(lexscreen.EINVALID, "subject %s: no name and no identifier: nothing to screen", sub.ID)
	}
	sub.Query.ID = ""
	sub.Fingerprint = lexscreen.SubjectFingerprint(sub.Query)
	return nil
}

// PutResult says what Put did to a subject.
type PutResult struct {
	Subject SubjectRecord `json:"subject"`
	// Change is "created", "updated" (a screening field or the operator
	// changed) or "unchanged".
	Change string `json:"change"`
}

// Put creates or replaces a subject.
func (s *Store) Put(ctx context.Context, actor Actor, sub lexscreen.Subject) (PutResult, error) {
	var out PutResult
	if err := checkSubject(&sub); err != nil {
		return out, err
	}
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
		var err error
		out, err = s.put(ctx, tx, sub)
		if err != nil {
			return err
		}
		if out.Change != "unchanged" {
			c.act(actor, "subject."+out.Change, "subject:"+sub.ID, out.Subject)
		}
		return nil
	})
	return out, err
}

// put writes a checked subject in tx; a created or changed subject is
// marked unscreened until a screening of it says otherwise (MarkScreened).
func (s *Store) put(ctx context.Context, tx *sql.Tx, sub lexscreen.Subject) (res PutResult, err error) {
	defer func() {
		if err == nil && res.Change != "unchanged" {
			err = markUnscreened(ctx, tx, sub, s.now())
		}
	}()
	now := s.now()
	old, err := getSubject(ctx, tx, sub.ID)
	switch {
	case err == nil && old.Fingerprint == sub.Fingerprint && old.Operator == sub.Operator:
		return PutResult{Subject: old, Change: "unchanged"}, nil
	case err == nil:
		q, _ := json.Marshal(sub.Query)
		if _, err := tx.ExecContext(ctx, `UPDATE subjects SET name = ?, query = ?, operator = ?, fingerprint = ?, updated = ? WHERE id = ?`,
			sub.Query.Name, string(q), sub.Operator, sub.Fingerprint, timeText(now), sub.ID); err != nil {
			return PutResult{}, dbErr(err)
		}
		return PutResult{Subject: SubjectRecord{Subject: sub, Created: old.Created, Updated: now}, Change: "updated"}, nil
	case lexscreen.ErrorCode(err) == lexscreen.ENOTFOUND:
		q, _ := json.Marshal(sub.Query)
		if _, err := tx.ExecContext(ctx, `INSERT INTO subjects (id, name, query, operator, fingerprint, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			sub.ID, sub.Query.Name, string(q), sub.Operator, sub.Fingerprint, timeText(now), timeText(now)); err != nil {
			return PutResult{}, dbErr(err)
		}
		return PutResult{Subject: SubjectRecord{Subject: sub, Created: now, Updated: now}, Change: "created"}, nil
	default:
		return PutResult{}, err
	}
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

const subjectColumns = `id, query, operator, fingerprint, created, updated`

func scanSubject(row interface{ Scan(...any) error }) (SubjectRecord, error) {
	var r SubjectRecord
	var q, created, updated string
	if err := row.Scan(&r.ID, &q, &r.Operator, &r.Fingerprint, &created, &updated); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(q), &r.Query); err != nil {
		return r, lexscreen.Errorf(lexscreen.EINTERNAL, "subject %s: stored query unreadable: %v", r.ID, err)
	}
	r.Created, r.Updated = parseTime(created), parseTime(updated)
	return r, nil
}

func getSubject(ctx context.Context, q querier, id string) (SubjectRecord, error) {
	r, err := scanSubject(q.QueryRowContext(ctx, `SELECT `+subjectColumns+` FROM subjects WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return r, lexscreen.Errorf(lexscreen.ENOTFOUND, "no subject %q in the book", id)
	}
	if err != nil {
		return r, dbErr(err)
	}
	return r, nil
}

// Subject returns one subject.
func (s *Store) Subject(ctx context.Context, id string) (SubjectRecord, error) {
	return getSubject(ctx, s.db, id)
}

// DeleteSubject removes a subject from the book: it is no longer screened
// nor monitored. Its alerts, with the subject as it was screened, stay.
func (s *Store) DeleteSubject(ctx context.Context, actor Actor, id string) error {
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
		old, err := getSubject(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM subjects WHERE id = ?`, id); err != nil {
			return dbErr(err)
		}
		c.act(actor, "subject.deleted", "subject:"+id, old)
		return nil
	})
}

// SubjectPage is one page of the book.
type SubjectPage struct {
	Subjects []SubjectRecord `json:"subjects"`
	// Next is the id to pass as after for the next page ("" at the end).
	Next  string `json:"next,omitempty"`
	Total int    `json:"total"`
}

// Subjects lists up to limit subjects with an id after after, in id order.
func (s *Store) Subjects(ctx context.Context, after string, limit int) (SubjectPage, error) {
	limit, err := page(limit)
	if err != nil {
		return SubjectPage{}, err
	}
	out := SubjectPage{Subjects: []SubjectRecord{}}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM subjects`).Scan(&out.Total); err != nil {
		return out, dbErr(err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+subjectColumns+` FROM subjects WHERE id > ? ORDER BY id LIMIT ?`, after, limit+1)
	if err != nil {
		return out, dbErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanSubject(rows)
		if err != nil {
			return out, dbErr(err)
		}
		out.Subjects = append(out.Subjects, r)
	}
	if len(out.Subjects) > limit {
		out.Subjects = out.Subjects[:limit]
		out.Next = out.Subjects[limit-1].ID
	}
	return out, dbErr(rows.Err())
}

// Each calls fn for every subject of the book, in id order, stopping at
// fn's error (monitor.Book). It reads in pages, so fn may take its time
// and the book may change meanwhile (a subject added behind the cursor is
// seen, one deleted ahead is not).
func (s *Store) Each(ctx context.Context, fn func(lexscreen.Subject) error) error {
	after := ""
	for {
		rows, err := s.db.QueryContext(ctx, `SELECT `+subjectColumns+` FROM subjects WHERE id > ? ORDER BY id LIMIT 5000`, after)
		if err != nil {
			return dbErr(err)
		}
		var batch []lexscreen.Subject
		for rows.Next() {
			r, err := scanSubject(rows)
			if err != nil {
				rows.Close()
				return dbErr(err)
			}
			batch = append(batch, r.Subject)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return dbErr(err)
		}
		if len(batch) == 0 {
			return nil
		}
		for _, sub := range batch {
			if err := fn(sub); err != nil {
				return err
			}
		}
		after = batch[len(batch)-1].ID
	}
}

// BookStamp names the state of the book: it changes whenever a subject is
// added, changed or deleted (its count, last update and last row), so that
// an index of the book can be kept between monitoring runs and rebuilt
// only when the book changed.
func (s *Store) BookStamp(ctx context.Context) (string, error) {
	var n, maxRow int64
	var updated string
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(updated), ''), COALESCE(MAX(rowid), 0) FROM subjects`).Scan(&n, &updated, &maxRow)
	if err != nil {
		return "", dbErr(err)
	}
	return fmt.Sprintf("%d|%s|%d", n, updated, maxRow), nil
}
