package workspace

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
)

// Comment is a note on an alert.
type Comment struct {
	ID     int64     `json:"id"`
	Author string    `json:"author"`
	Text   string    `json:"text"`
	Time   time.Time `json:"time"`
}

// HistoryEntry is one step of an alert's life.
type HistoryEntry struct {
	Time   time.Time `json:"time"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"` // opened, status, assigned, commented, suppressed, listing_removed ...
	From   string    `json:"from,omitempty"`
	To     string    `json:"to,omitempty"`
	Note   string    `json:"note,omitempty"`
}

// AddComment adds a comment to an alert.
func (s *Store) AddComment(ctx context.Context, actor Actor, alertID int64, text string) (Comment, error) {
	var cm Comment
	if strings.TrimSpace(text) == "" {
		return cm, lexscreen.Errorf(lexscreen.EINVALID, "text: required")
	}
	if len(text) > 64<<10 {
		return cm, lexscreen.Errorf(lexscreen.EINVALID, "text: at most 64 KiB (attach longer documents to a decision)")
	}
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
		if _, err := getAlert(ctx, tx, alertID); err != nil {
			return err
		}
		now := s.now()
		cm = Comment{Author: actor.ID, Text: text, Time: now}
		err := tx.QueryRowContext(ctx, `INSERT INTO comments (alert_id, author, text, time) VALUES (?, ?, ?, ?) RETURNING id`,
			alertID, actor.ID, text, timeText(now)).Scan(&cm.ID)
		if err != nil {
			return dbErr(err)
		}
		if err := s.addHistory(ctx, tx, alertID, now, actor, "commented", "", "", fmt.Sprintf("comment %d", cm.ID)); err != nil {
			return err
		}
		c.act(actor, "alert.commented", fmt.Sprintf("alert:%d", alertID), cm)
		return nil
	})
	return cm, err
}

// Assign gives an alert to someone ("" : nobody) and, when due is not
// zero, sets the date it is due.
func (s *Store) Assign(ctx context.Context, actor Actor, alertID int64, assignee string, due time.Time) (*Alert, error) {
	var a *Alert
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
		var err error
		if a, err = getAlert(ctx, tx, alertID); err != nil {
			return err
		}
		now := s.now()
		if !due.IsZero() {
			a.Due = due.UTC()
		}
		note := fmt.Sprintf("assigned to %q (was %q), due %s", assignee, a.Assignee, a.Due.Format(time.RFC3339))
		if _, err := tx.ExecContext(ctx, `UPDATE alerts SET assignee = ?, due = ?, updated = ? WHERE id = ?`, assignee, timeText(a.Due), timeText(now), alertID); err != nil {
			return dbErr(err)
		}
		if err := s.addHistory(ctx, tx, alertID, now, actor, "assigned", "", "", note); err != nil {
			return err
		}
		a.Assignee, a.Updated = assignee, now
		c.act(actor, "alert.assigned", fmt.Sprintf("alert:%d", alertID), map[string]any{"assignee": assignee, "due": a.Due})
		return nil
	})
	return a, err
}

func (s *Store) comments(ctx context.Context, alertID int64) ([]Comment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, author, text, time FROM comments WHERE alert_id = ? ORDER BY id`, alertID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []Comment
	for rows.Next() {
		var c Comment
		var t string
		if err := rows.Scan(&c.ID, &c.Author, &c.Text, &t); err != nil {
			return nil, dbErr(err)
		}
		c.Time = parseTime(t)
		out = append(out, c)
	}
	return out, dbErr(rows.Err())
}

func (s *Store) history(ctx context.Context, alertID int64) ([]HistoryEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT time, actor, action, from_status, to_status, note FROM history WHERE alert_id = ? ORDER BY id`, alertID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []HistoryEntry
	for rows.Next() {
		var h HistoryEntry
		var t string
		if err := rows.Scan(&t, &h.Actor, &h.Action, &h.From, &h.To, &h.Note); err != nil {
			return nil, dbErr(err)
		}
		h.Time = parseTime(t)
		out = append(out, h)
	}
	return out, dbErr(rows.Err())
}
