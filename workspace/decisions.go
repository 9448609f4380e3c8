package workspace

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
)

// Decision outcomes.
const (
	OutcomeTrueMatch     = "true_match"     // the subject is the listed entity
	OutcomeFalsePositive = "false_positive" // it is not
	OutcomeEscalate      = "escalate"       // someone outside the business line must decide
)

// Decision states.
const (
	DecisionPending  = "pending"
	DecisionApproved = "approved"
	DecisionRejected = "rejected"
)

// Roles that may make and check decisions.
var (
	makerRoles   = []string{"analyst", "approver", "admin"}
	checkerRoles = []string{"approver", "admin"}
)

// Decision is a maker's decision on an alert and, once checked, its
// checker's approval or rejection. It takes effect only when approved by
// someone other than its maker.
type Decision struct {
	ID          int64        `json:"id"`
	AlertID     int64        `json:"alert_id"`
	Outcome     string       `json:"outcome"`
	Reason      string       `json:"reason"`
	Maker       string       `json:"maker"`
	MakerRole   string       `json:"maker_role"`
	Made        time.Time    `json:"made"`
	State       string       `json:"state"`
	Checker     string       `json:"checker,omitempty"`
	CheckerRole string       `json:"checker_role,omitempty"`
	Checked     *time.Time   `json:"checked,omitempty"`
	CheckNote   string       `json:"check_note,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Attachment is a file given with a decision (its content is served
// apart, by id).
type Attachment struct {
	ID      int64  `json:"id,omitempty" doc:"set by the server (not sent in a decision)"`
	Name    string `json:"name"`
	Type    string `json:"type"`
	Size    int64  `json:"size,omitempty" doc:"bytes; set by the server"`
	SHA256  string `json:"sha256,omitempty" doc:"of the content; set by the server"`
	Content []byte `json:"content,omitempty"` // in a request; never in a listing
}

// DecisionInput is what a maker decides.
type DecisionInput struct {
	Outcome     string       `json:"outcome" doc:"true_match, false_positive or escalate"`
	Reason      string       `json:"reason" doc:"why: required, kept with the decision for the examiner"`
	Attachments []Attachment `json:"attachments,omitempty" doc:"files: name, type and content (base64 in JSON); each at most the server's size limit"`
}

func hasRole(roles []string, r string) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}

// Decide records a maker's decision on an open or escalated alert; the
// alert waits for approval (pending) until a second person checks it.
func (s *Store) Decide(ctx context.Context, actor Actor, alertID int64, in DecisionInput) (Decision, error) {
	var d Decision
	switch in.Outcome {
	case OutcomeTrueMatch, OutcomeFalsePositive, OutcomeEscalate:
	default:
		return d, lexscreen.Errorf(lexscreen.EINVALID, "outcome %q: want true_match, false_positive or escalate", in.Outcome)
	}
	if strings.TrimSpace(in.Reason) == "" {
		return d, lexscreen.Errorf(lexscreen.EINVALID, "reason: required: say why, for whoever reviews the decision")
	}
	if !hasRole(makerRoles, actor.Role) {
		return d, lexscreen.Errorf(lexscreen.EINVALID, "%s (role %s) may not decide alerts: an analyst, approver or admin decides", actor.ID, actor.Role)
	}
	for i, a := range in.Attachments {
		if strings.TrimSpace(a.Name) == "" {
			return d, lexscreen.Errorf(lexscreen.EINVALID, "attachment %d: name required", i+1)
		}
		if int64(len(a.Content)) > s.opts.MaxAttachment {
			return d, lexscreen.Errorf(lexscreen.EINVALID, "attachment %q: %d bytes, at most %d", a.Name, len(a.Content), s.opts.MaxAttachment)
		}
		if len(a.Content) == 0 {
			return d, lexscreen.Errorf(lexscreen.EINVALID, "attachment %q: empty", a.Name)
		}
	}
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
		a, err := getAlertHead(ctx, s.stmt(ctx, tx, qAlertHead), alertID)
		if err != nil {
			return err
		}
		if a.Status != StatusOpen && a.Status != StatusEscalated {
			return lexscreen.Errorf(lexscreen.ECONFLICT, "alert %d is %s: only an open or escalated alert can be decided", a.ID, a.Status)
		}
		now := s.now()
		d = Decision{AlertID: a.ID, Outcome: in.Outcome, Reason: in.Reason, Maker: actor.ID, MakerRole: actor.Role, Made: now, State: DecisionPending}
		err = s.stmt(ctx, tx, qInsertDecision).QueryRowContext(ctx,
			a.ID, d.Outcome, d.Reason, d.Maker, d.MakerRole, timeText(now), a.Status).Scan(&d.ID)
		if err != nil {
			return dbErr(err)
		}
		for _, at := range in.Attachments {
			sum := sha256.Sum256(at.Content)
			at.SHA256, at.Size = hex.EncodeToString(sum[:]), int64(len(at.Content))
			if at.Type == "" {
				at.Type = "application/octet-stream"
			}
			err := tx.QueryRowContext(ctx, `INSERT INTO attachments (decision_id, name, type, size, sha256, content) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
				d.ID, at.Name, at.Type, at.Size, at.SHA256, at.Content).Scan(&at.ID)
			if err != nil {
				return dbErr(err)
			}
			at.Content = nil
			d.Attachments = append(d.Attachments, at)
		}
		if err := s.setStatus(ctx, tx, a, now, actor, StatusPending, fmt.Sprintf("decision %d: %s, waiting for approval", d.ID, d.Outcome)); err != nil {
			return err
		}
		c.act(actor, "decision.made", fmt.Sprintf("alert:%d", a.ID), d)
		c.events = append(c.events, Event{Type: EventAlertDecided, Alert: a.ID, Actor: actor.ID, Data: d})
		return nil
	})
	return d, err
}

// Check approves (or, with approve false, rejects) the pending decision
// of an alert. The checker must be an approver (or admin) other than the
// maker: the database refuses it otherwise. An approved decision takes
// effect: the alert closes as a true match or false positive (which then
// suppresses the same pair), or becomes escalated. A rejected one sends
// the alert back to where it was, to be decided again.
func (s *Store) Check(ctx context.Context, actor Actor, alertID int64, approve bool, note string) (Decision, error) {
	var d Decision
	if !hasRole(checkerRoles, actor.Role) {
		return d, lexscreen.Errorf(lexscreen.EINVALID, "%s (role %s) may not approve decisions: an approver checks them", actor.ID, actor.Role)
	}
	if !approve && strings.TrimSpace(note) == "" {
		return d, lexscreen.Errorf(lexscreen.EINVALID, "note: required to reject a decision: say why, for its maker")
	}
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
		a, err := getAlertHead(ctx, s.stmt(ctx, tx, qAlertHead), alertID)
		if err != nil {
			return err
		}
		var from string
		d, from, err = pendingDecision(ctx, s.stmt(ctx, tx, qPendingDecision), alertID)
		if err == sql.ErrNoRows {
			return lexscreen.Errorf(lexscreen.ECONFLICT, "alert %d has no decision waiting for approval (status %s)", alertID, a.Status)
		}
		if err != nil {
			return err
		}
		if d.Maker == actor.ID {
			return lexscreen.Errorf(lexscreen.ECONFLICT, "four eyes: %s made decision %d and may not check it; another approver must", actor.ID, d.ID)
		}
		now := s.now()
		state, action, ev := DecisionApproved, "decision.approved", EventAlertApproved
		if !approve {
			state, action, ev = DecisionRejected, "decision.rejected", EventAlertRejected
		}
		if _, err := s.stmt(ctx, tx, qCheckDecision).ExecContext(ctx,
			state, actor.ID, actor.Role, timeText(now), note, d.ID); err != nil {
			return dbErr(err)
		}
		d.State, d.Checker, d.CheckerRole, d.Checked, d.CheckNote = state, actor.ID, actor.Role, &now, note
		to := from
		if approve {
			to = map[string]string{OutcomeTrueMatch: StatusTrueMatch, OutcomeFalsePositive: StatusFalsePositive, OutcomeEscalate: StatusEscalated}[d.Outcome]
		}
		if err := s.setStatus(ctx, tx, a, now, actor, to, fmt.Sprintf("decision %d %s", d.ID, state)); err != nil {
			return err
		}
		if approve && d.Outcome == OutcomeFalsePositive {
			if err := s.suppress(ctx, tx, c, a, d, now, actor); err != nil {
				return err
			}
		}
		c.act(actor, action, fmt.Sprintf("alert:%d", a.ID), d)
		c.events = append(c.events, Event{Type: ev, Alert: a.ID, Actor: actor.ID, Data: d})
		return nil
	})
	return d, err
}

// suppress records an approved false positive as a good-guy pair.
func (s *Store) suppress(ctx context.Context, tx *sql.Tx, c *change, a *Alert, d Decision, now time.Time, actor Actor) error {
	if a.EntityFingerprint == "" {
		return s.addHistory(ctx, tx, a.ID, now, actor, "not_suppressed", "", "",
			"the listing's fingerprint was not known when the alert opened: the pair will alert again")
	}
	c.touchSuppression(a.Subject.Fingerprint, a.EntityID, a.EntityFingerprint)
	_, err := s.stmt(ctx, tx, qInsertSuppression).ExecContext(ctx,
		a.Subject.Fingerprint, a.EntityID, a.EntityFingerprint, a.ID, d.ID, timeText(now))
	if err != nil {
		return dbErr(err)
	}
	return s.addHistory(ctx, tx, a.ID, now, actor, "suppressed", "", "",
		"the same subject data and listing will not alert again; a change to either will")
}

// decisionColumns are the columns scanDecision reads.
const decisionColumns = `id, alert_id, outcome, reason, maker, maker_role, made, state, checker, checker_role, checked, check_note`

// scanDecision reads decisionColumns, then into extra.
func scanDecision(row interface{ Scan(...any) error }, extra ...any) (Decision, error) {
	var d Decision
	var made string
	var checker, checkerRole, checked sql.NullString
	if err := row.Scan(append([]any{&d.ID, &d.AlertID, &d.Outcome, &d.Reason, &d.Maker, &d.MakerRole, &made, &d.State, &checker, &checkerRole, &checked, &d.CheckNote}, extra...)...); err != nil {
		return d, err
	}
	d.Made, d.Checker, d.CheckerRole, d.Checked = parseTime(made), checker.String, checkerRole.String, nullTime(checked)
	return d, nil
}

// pendingDecision reads the pending decision of an alert (qPendingDecision)
// and the status it was made from; sql.ErrNoRows when there is none.
func pendingDecision(ctx context.Context, st *sql.Stmt, alertID int64) (d Decision, from string, err error) {
	d, err = scanDecision(st.QueryRowContext(ctx, alertID), &from)
	if err != nil && err != sql.ErrNoRows {
		err = dbErr(err)
	}
	return d, from, err
}

func decisionsOf(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, alertID int64) ([]Decision, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+decisionColumns+` FROM decisions WHERE alert_id = ? ORDER BY id`, alertID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []Decision
	for rows.Next() {
		d, err := scanDecision(rows)
		if err != nil {
			return nil, dbErr(err)
		}
		out = append(out, d)
	}
	return out, dbErr(rows.Err())
}

// decisions returns an alert's decisions with their attachments' metadata.
func (s *Store) decisions(ctx context.Context, alertID int64) ([]Decision, error) {
	ds, err := decisionsOf(ctx, s.db, alertID)
	if err != nil {
		return nil, err
	}
	for i := range ds {
		rows, err := s.db.QueryContext(ctx, `SELECT id, name, type, size, sha256 FROM attachments WHERE decision_id = ? ORDER BY id`, ds[i].ID)
		if err != nil {
			return nil, dbErr(err)
		}
		for rows.Next() {
			var a Attachment
			if err := rows.Scan(&a.ID, &a.Name, &a.Type, &a.Size, &a.SHA256); err != nil {
				rows.Close()
				return nil, dbErr(err)
			}
			ds[i].Attachments = append(ds[i].Attachments, a)
		}
		rows.Close()
	}
	return ds, nil
}

// AttachmentContent returns an attachment with its content.
func (s *Store) AttachmentContent(ctx context.Context, id int64) (Attachment, error) {
	var a Attachment
	err := s.db.QueryRowContext(ctx, `SELECT id, name, type, size, sha256, content FROM attachments WHERE id = ?`, id).
		Scan(&a.ID, &a.Name, &a.Type, &a.Size, &a.SHA256, &a.Content)
	if err == sql.ErrNoRows {
		return a, lexscreen.Errorf(lexscreen.ENOTFOUND, "no attachment %d", id)
	}
	return a, dbErr(err)
}
