package workspace

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
)

// Alert statuses.
const (
	StatusOpen          = "open"           // to decide
	StatusPending       = "pending"        // decided, waiting for a second person's approval
	StatusEscalated     = "escalated"      // escalation approved: to decide again, outside the business line
	StatusTrueMatch     = "true_match"     // closed: the subject is the listed entity (approved)
	StatusFalsePositive = "false_positive" // closed: it is not (approved); suppresses the same pair
	StatusSuperseded    = "superseded"     // closed: a newer alert on the same pair replaced it undecided
)

// AdHocPrefix starts the subject id of an alert opened by an ad-hoc
// screening (no subject of the book): "adhoc:" and the query's fingerprint.
const AdHocPrefix = "adhoc:"

// Alert is one (subject, listed entity) pair a screening matched at or
// above its threshold, with the whole result frozen as it was answered
// (list versions, engine version and threshold, obligations).
type Alert struct {
	ID                int64             `json:"id"`
	Status            string            `json:"status"`
	SubjectID         string            `json:"subject_id"`
	Subject           lexscreen.Subject `json:"subject"` // as screened
	EntityID          string            `json:"entity_id"`
	EntityName        string            `json:"entity_name"`
	EntityFingerprint string            `json:"entity_fingerprint"` // "" when it was not known: never suppressed then
	// Entity is the listing as it was when the alert opened, when the
	// store could read it.
	Entity   *lexscreen.Entity `json:"entity,omitempty"`
	Score    float64           `json:"score"`
	Result   lexscreen.Result  `json:"result"`
	Run      string            `json:"run"`
	Assignee string            `json:"assignee,omitempty"`
	Due      time.Time         `json:"due"`
	Opened   time.Time         `json:"opened"`
	Updated  time.Time         `json:"updated"`
	LastSeen time.Time         `json:"last_seen"`
	LastRun  string            `json:"last_run"`
	// Previous is the earlier alert on the same pair this one follows,
	// and Changes what changed since it (a re-alert).
	Previous       int64      `json:"previous,omitempty"`
	Changes        *Changes   `json:"changes,omitempty"`
	ListingRemoved *time.Time `json:"listing_removed,omitempty"`
	// Payment is the payment and party whose screening opened the alert
	// (FoundPayment); nil for any other alert. Filled in by Alert.
	Payment *PaymentContext `json:"payment,omitempty"`

	// Filled in by Alert (one alert), not by Alerts (lists).
	Decisions []Decision     `json:"decisions,omitempty"`
	Comments  []Comment      `json:"comments,omitempty"`
	History   []HistoryEntry `json:"history,omitempty"`
}

// Match is the match of the frozen result on the alert's entity.
func (a *Alert) Match() *lexscreen.Match {
	for i := range a.Result.Matches {
		if a.Result.Matches[i].Entity.ID == a.EntityID {
			return &a.Result.Matches[i]
		}
	}
	return nil
}

// Closed says whether an alert needs no more work.
func (a *Alert) Closed() bool {
	switch a.Status {
	case StatusTrueMatch, StatusFalsePositive, StatusSuperseded:
		return true
	}
	return false
}

const alertColumns = `id, status, subject_id, subject, subject_fp, entity_id, entity_name, entity_fp, entity, score, ` + alertResult + `, run,
	assignee, due, opened, updated, last_seen, last_run, previous, changes, listing_removed`

// alertResult is the SQL of an alert's frozen result: shared with the other
// alerts of its screening (frozen_results), or its own.
const alertResult = `COALESCE((SELECT f.result FROM frozen_results f WHERE f.hash = alerts.result_hash), alerts.result)`

func scanAlert(row interface{ Scan(...any) error }) (*Alert, error) {
	var a Alert
	var subject, sfp, result, due, opened, updated, lastSeen string
	var entity, changes, removed sql.NullString
	var previous sql.NullInt64
	err := row.Scan(&a.ID, &a.Status, &a.SubjectID, &subject, &sfp, &a.EntityID, &a.EntityName, &a.EntityFingerprint, &entity,
		&a.Score, &result, &a.Run, &a.Assignee, &due, &opened, &updated, &lastSeen, &a.LastRun, &previous, &changes, &removed)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(subject), &a.Subject); err != nil {
		return nil, lexscreen.Errorf(lexscreen.EINTERNAL, "alert %d: stored subject unreadable: %v", a.ID, err)
	}
	if err := json.Unmarshal([]byte(result), &a.Result); err != nil {
		return nil, lexscreen.Errorf(lexscreen.EINTERNAL, "alert %d: stored result unreadable: %v", a.ID, err)
	}
	if entity.Valid {
		a.Entity = &lexscreen.Entity{}
		if err := json.Unmarshal([]byte(entity.String), a.Entity); err != nil {
			return nil, lexscreen.Errorf(lexscreen.EINTERNAL, "alert %d: stored listing unreadable: %v", a.ID, err)
		}
	}
	if changes.Valid {
		a.Changes = &Changes{}
		if err := json.Unmarshal([]byte(changes.String), a.Changes); err != nil {
			return nil, lexscreen.Errorf(lexscreen.EINTERNAL, "alert %d: stored changes unreadable: %v", a.ID, err)
		}
	}
	a.Previous = previous.Int64
	a.Due, a.Opened, a.Updated, a.LastSeen = parseTime(due), parseTime(opened), parseTime(updated), parseTime(lastSeen)
	a.ListingRemoved = nullTime(removed)
	return &a, nil
}

func getAlert(ctx context.Context, q querier, id int64) (*Alert, error) {
	a, err := scanAlert(q.QueryRowContext(ctx, `SELECT `+alertColumns+` FROM alerts WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return nil, lexscreen.Errorf(lexscreen.ENOTFOUND, "no alert %d", id)
	}
	if err != nil {
		return nil, dbErr(err)
	}
	return a, nil
}

// Alert returns one alert with its decisions (and their attachments'
// names, types, sizes and hashes), comments and status history.
func (s *Store) Alert(ctx context.Context, id int64) (*Alert, error) {
	a, err := getAlert(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if a.Decisions, err = s.decisions(ctx, id); err != nil {
		return nil, err
	}
	if a.Comments, err = s.comments(ctx, id); err != nil {
		return nil, err
	}
	if a.History, err = s.history(ctx, id); err != nil {
		return nil, err
	}
	if a.Payment, err = s.Payment(ctx, id); err != nil {
		return nil, err
	}
	return a, nil
}

// AlertFilter selects alerts.
type AlertFilter struct {
	Status    []string // default: all (Queue: open and escalated)
	SubjectID string
	EntityID  string
	Assignee  string
	Operator  string // the operator profile the subject was screened for
	// Queue orders the oldest opened first (the work queue); otherwise by id.
	Queue  bool
	Offset int
	Limit  int
}

// AlertPage is one page of alerts.
type AlertPage struct {
	Alerts []*Alert `json:"alerts"`
	Total  int      `json:"total"`
	// NextOffset is the offset of the next page (0 at the end).
	NextOffset int `json:"next_offset,omitempty"`
}

// Alerts lists alerts, without their decisions, comments and history.
func (s *Store) Alerts(ctx context.Context, f AlertFilter) (AlertPage, error) {
	limit, err := page(f.Limit)
	if err != nil {
		return AlertPage{}, err
	}
	if f.Offset < 0 {
		return AlertPage{}, lexscreen.Errorf(lexscreen.EINVALID, "offset %d: want 0 or more", f.Offset)
	}
	status := f.Status
	if len(status) == 0 && f.Queue {
		status = []string{StatusOpen, StatusEscalated}
	}
	var where []string
	var args []any
	if len(status) > 0 {
		for _, st := range status {
			if !validStatus(st) {
				return AlertPage{}, lexscreen.Errorf(lexscreen.EINVALID, "status %q: want open, pending, escalated, true_match, false_positive or superseded", st)
			}
			args = append(args, st)
		}
		where = append(where, "status IN (?"+strings.Repeat(", ?", len(status)-1)+")")
	}
	for _, c := range []struct{ col, v string }{{"subject_id", f.SubjectID}, {"entity_id", f.EntityID}, {"assignee", f.Assignee}} {
		if c.v != "" {
			where = append(where, c.col+" = ?")
			args = append(args, c.v)
		}
	}
	if f.Operator != "" {
		where = append(where, s.jsonText("subject", "operator")+" = ?")
		args = append(args, f.Operator)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	out := AlertPage{Alerts: []*Alert{}}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM alerts`+cond, args...).Scan(&out.Total); err != nil {
		return out, dbErr(err)
	}
	order := " ORDER BY id"
	if f.Queue {
		order = " ORDER BY opened, id"
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+alertColumns+` FROM alerts`+cond+order+` LIMIT ? OFFSET ?`, append(args, limit, f.Offset)...)
	if err != nil {
		return out, dbErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanAlert(rows)
		if err != nil {
			return out, dbErr(err)
		}
		out.Alerts = append(out.Alerts, a)
	}
	if f.Offset+len(out.Alerts) < out.Total {
		out.NextOffset = f.Offset + len(out.Alerts)
	}
	return out, dbErr(rows.Err())
}

func validStatus(s string) bool {
	switch s {
	case StatusOpen, StatusPending, StatusEscalated, StatusTrueMatch, StatusFalsePositive, StatusSuperseded:
		return true
	}
	return false
}

// addHistory notes a step of an alert's life in tx.
func (s *Store) addHistory(ctx context.Context, tx *sql.Tx, alert int64, t time.Time, actor Actor, action, from, to, note string) error {
	_, err := s.stmt(ctx, tx, qInsertHistory).ExecContext(ctx, alert, timeText(t), actor.ID, action, from, to, note)
	return dbErr(err)
}

// setStatus changes an alert's status in tx and notes it in its history.
func (s *Store) setStatus(ctx context.Context, tx *sql.Tx, a *Alert, t time.Time, actor Actor, to, note string) error {
	if _, err := s.stmt(ctx, tx, qSetStatus).ExecContext(ctx, to, timeText(t), a.ID); err != nil {
		return dbErr(err)
	}
	if err := s.addHistory(ctx, tx, a.ID, t, actor, "status", a.Status, to, note); err != nil {
		return err
	}
	a.Status = to
	return nil
}
