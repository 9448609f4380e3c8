package workspace

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/lexscreen/lexscreen"
)

// A subject created or changed is marked unscreened in the same
// transaction, and the mark is removed only once a screening of that very
// data (fingerprint and operator) is recorded: a subject imported without
// screening (subjects import --no-screen, POST /v1/subjects/import?screen=false),
// or whose screening failed or never ran (a crash between the import and
// the screening), is screened by the next monitoring run, which would
// otherwise only look at what changed in the lists.

// PendingSubject is a subject waiting for its first screening since it
// was created or changed.
type PendingSubject struct {
	lexscreen.Subject
	// Seq orders the marks (a newer change has a higher one).
	Seq int64 `json:"seq"`
}

func markUnscreened(ctx context.Context, tx *sql.Tx, sub lexscreen.Subject, now time.Time) error {
	// The old mark goes and a new one (a higher seq) comes.
	if _, err := tx.ExecContext(ctx, `DELETE FROM unscreened WHERE subject_id = ?`, sub.ID); err != nil {
		return dbErr(err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO unscreened (subject_id, fingerprint, operator, since) VALUES (?, ?, ?, ?)`,
		sub.ID, sub.Fingerprint, sub.Operator, timeText(now))
	return dbErr(err)
}

// Unscreened returns up to limit subjects waiting for a screening, in the
// order they were marked, after the mark afterSeq (0: from the first).
func (s *Store) Unscreened(ctx context.Context, afterSeq int64, limit int) ([]PendingSubject, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT u.seq, s.id, s.query, s.operator, s.fingerprint FROM unscreened u JOIN subjects s ON s.id = u.subject_id
		WHERE u.seq > ? ORDER BY u.seq LIMIT ?`, afterSeq, limit)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []PendingSubject
	for rows.Next() {
		var p PendingSubject
		var q string
		if err := rows.Scan(&p.Seq, &p.ID, &q, &p.Operator, &p.Fingerprint); err != nil {
			return nil, dbErr(err)
		}
		if err := json.Unmarshal([]byte(q), &p.Query); err != nil {
			return nil, lexscreen.Errorf(lexscreen.EINTERNAL, "subject %s: stored query unreadable: %v", p.ID, err)
		}
		out = append(out, p)
	}
	return out, dbErr(rows.Err())
}

// UnscreenedMark is the newest mark of a subject waiting for a screening
// (0: none), and how many wait.
func (s *Store) UnscreenedMark(ctx context.Context) (seq int64, count int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0), count(*) FROM unscreened`).Scan(&seq, &count)
	return seq, count, dbErr(err)
}

// MarkScreened records that subjects were screened with the data given:
// each one's mark goes, unless the subject changed since (its data is not
// what was screened).
func (s *Store) MarkScreened(ctx context.Context, subs []lexscreen.Subject) error {
	if len(subs) == 0 {
		return nil
	}
	write := s.write
	if len(subs) > aloneAbove {
		write = s.writeAlone
	}
	return write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
		for _, sub := range subs {
			if _, err := tx.ExecContext(ctx, `DELETE FROM unscreened WHERE subject_id = ? AND fingerprint = ? AND operator = ?`,
				sub.ID, sub.Fingerprint, sub.Operator); err != nil {
				return dbErr(err)
			}
		}
		return nil
	})
}

// MarkScreenedUpTo removes the marks up to seq: a run that screened the
// whole book as it was when the mark seq was the newest.
func (s *Store) MarkScreenedUpTo(ctx context.Context, seq int64) error {
	return s.writeAlone(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM unscreened WHERE seq <= ?`, seq)
		return dbErr(err)
	})
}
