package workspace

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/payments"
)

// Subject id prefixes of the alerts a payment screening opens: a party
// ("party:") or a listed name found in free text ("text:"), then the
// fingerprint of what was screened. The same party (name, BIC, country,
// LEI) in any payment is the same subject, so that an approved false
// positive suppresses it in the next payment; a party whose data changed
// is another subject, and alerts again.
const (
	PartyPrefix = "party:"
	TextPrefix  = "text:"
)

// PaymentContext is what an alert opened by a payment screening keeps of
// the payment and of the party in it.
type PaymentContext struct {
	Seq       int    `json:"seq"`
	Type      string `json:"type"`
	Reference string `json:"reference,omitempty"` // MsgId/EndToEndId or MT field 20
	Related   string `json:"related,omitempty"`
	UETR      string `json:"uetr,omitempty"`
	ValueDate string `json:"value_date,omitempty"`
	Amount    string `json:"amount,omitempty"`
	Currency  string `json:"currency,omitempty"`
	// Role, Field and Name say which party (or free-text span) matched.
	Role  string `json:"role"`
	Field string `json:"field"`
	Name  string `json:"name"`
	Line  int    `json:"line,omitempty"`
	// Decision and Reason are the party's; PaymentDecision the payment's.
	Decision        payments.Decision `json:"decision"`
	Reason          string            `json:"reason,omitempty"`
	PaymentDecision payments.Decision `json:"payment_decision"`
	Pair            string            `json:"pair,omitempty"`
}

// PaymentHit is one party of a payment to record: its subject, the
// screening of it as a Result (its matches with obligations, conflicts,
// list versions, engine), the fingerprints of the listings and the payment.
type PaymentHit struct {
	Subject            lexscreen.Subject
	Result             lexscreen.Result
	EntityFingerprints map[string]string
	Payment            PaymentContext
}

// PaymentHits turns a screened payment into the hits to record, one per
// party or free-text name not passed (payments.Result.Hits), without the
// listing fingerprints (Fingerprints). lists and engine are those of the
// screening.
func PaymentHits(res payments.Result, lists []lexscreen.ListVersion, engine lexscreen.Engine) []PaymentHit {
	var out []PaymentHit
	m := res.Message
	for _, h := range res.Hits() {
		fp := lexscreen.SubjectFingerprint(h.Query)
		prefix := PartyPrefix
		if h.Role == "free_text" {
			prefix = TextPrefix
		}
		r := lexscreen.Result{Query: h.Query, Operator: res.Operator, Date: res.Date, Matches: h.Matches, Conflicts: h.Conflicts,
			Lists: lists, Engine: engine, Warnings: res.Warnings}
		out = append(out, PaymentHit{
			Subject: lexscreen.Subject{ID: prefix + fp, Query: h.Query, Operator: res.Operator, Fingerprint: fp},
			Result:  r,
			Payment: PaymentContext{Seq: m.Seq, Type: m.Type, Reference: m.Reference, Related: m.Related, UETR: m.UETR,
				ValueDate: m.ValueDate, Amount: m.Amount, Currency: m.Currency, Role: h.Role, Field: h.Field, Name: h.Name,
				Line: h.Line, Decision: h.Decision, Reason: h.Reason, PaymentDecision: res.Decision, Pair: res.Pair},
		})
	}
	return out
}

// Outcomes of one (party, listed entity) pair of a payment.
const (
	OutcomeOpened     = "opened"     // a new alert
	OutcomeRealerted  = "realerted"  // a new alert on a pair seen before whose listing changed
	OutcomeExisting   = "existing"   // the pair's alert, with the same fingerprints, already exists
	OutcomeSuppressed = "suppressed" // an approved false positive suppresses the pair
)

// PaymentAlert says what recording one (party, listed entity) pair of a
// payment did: the alert it opened or found, or the decision that
// suppressed it.
type PaymentAlert struct {
	Payment    int    `json:"payment"` // the payment's Seq
	Reference  string `json:"reference,omitempty"`
	UETR       string `json:"uetr,omitempty"`
	Role       string `json:"role"`
	Field      string `json:"field"`
	Name       string `json:"name"`
	SubjectID  string `json:"subject_id"`
	EntityID   string `json:"entity_id"`
	EntityName string `json:"entity_name"`
	Outcome    string `json:"outcome"`
	// Alert is the alert opened or found (also, for a suppressed pair,
	// the alert whose approved false positive suppresses it).
	Alert int64 `json:"alert"`
	// Status is the alert's status (open, pending, false_positive ...).
	Status string `json:"status,omitempty"`
	// SuppressedBy is the approved false-positive decision that
	// suppresses the pair.
	SuppressedBy int64  `json:"suppressed_by,omitempty"`
	Note         string `json:"note"`
}

const paymentSchema = `CREATE TABLE IF NOT EXISTS alert_payments (
	alert_id INTEGER PRIMARY KEY REFERENCES alerts(id),
	payment  TEXT NOT NULL
)`

// FoundPayment records the hits of screened payments like FoundAs (one
// alert per pair unless suppressed or already alerted with the same
// fingerprints), keeps each new alert's payment context, notes each pair
// seen again in its alert's history, and records one audit action per
// payment with what became of each pair. It returns, per pair, the alert
// or the decision that suppressed it.
func (s *Store) FoundPayment(ctx context.Context, actor Actor, run string, hits []PaymentHit) ([]PaymentAlert, FoundReport, error) {
	rep := FoundReport{Opened: []int64{}, Realerted: []int64{}}
	if strings.TrimSpace(run) == "" {
		return nil, rep, lexscreen.Errorf(lexscreen.EINVALID, "run: required (what screening this is, for the record)")
	}
	listings := map[string]*lexscreen.Entity{}
	for _, h := range hits {
		for _, m := range h.Result.Matches {
			if _, done := listings[m.Entity.ID]; !done {
				listings[m.Entity.ID] = s.listing(ctx, h.Result, m.Entity.ID, h.EntityFingerprints[m.Entity.ID])
			}
		}
	}
	var out []PaymentAlert
	write := s.write
	if len(hits) > aloneAbove {
		write = s.writeAlone
	}
	err := write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
		rep, out = FoundReport{Opened: []int64{}, Realerted: []int64{}}, []PaymentAlert{}
		if !s.pg { // in PostgreSQL, a table of the migrations
			if _, err := tx.ExecContext(ctx, paymentSchema); err != nil {
				return dbErr(err)
			}
		}
		byPayment := map[string][]PaymentAlert{}
		var order []string
		for _, h := range hits {
			sub := h.Subject
			if sub.Fingerprint == "" {
				sub.Fingerprint = lexscreen.SubjectFingerprint(sub.Query)
			}
			sr := SubjectResult{Subject: sub, Result: h.Result, EntityFingerprints: h.EntityFingerprints}
			for _, m := range h.Result.Matches {
				pa, err := s.foundPaymentPair(ctx, tx, c, actor, run, sr, m, listings[m.Entity.ID], h.Payment, &rep)
				if err != nil {
					return err
				}
				key := fmt.Sprintf("%d\x00%s\x00%s", h.Payment.Seq, h.Payment.Reference, h.Payment.UETR)
				if _, ok := byPayment[key]; !ok {
					order = append(order, key)
				}
				byPayment[key] = append(byPayment[key], pa)
				out = append(out, pa)
			}
		}
		for _, k := range order {
			pas := byPayment[k]
			c.act(actor, "payment.alerts", "payment:"+cmp.Or(pas[0].UETR, pas[0].Reference, fmt.Sprint(pas[0].Payment)),
				map[string]any{"run": run, "reference": pas[0].Reference, "uetr": pas[0].UETR, "pairs": pas})
		}
		return nil
	})
	if err != nil {
		return nil, rep, err
	}
	return out, rep, nil
}

// foundPaymentPair records one pair in tx and says what became of it.
func (s *Store) foundPaymentPair(ctx context.Context, tx *sql.Tx, c *change, actor Actor, run string, sr SubjectResult,
	m lexscreen.Match, entity *lexscreen.Entity, pc PaymentContext, rep *FoundReport) (PaymentAlert, error) {
	pa := PaymentAlert{Payment: pc.Seq, Reference: pc.Reference, UETR: pc.UETR, Role: pc.Role, Field: pc.Field, Name: pc.Name,
		SubjectID: sr.Subject.ID, EntityID: m.Entity.ID, EntityName: m.Entity.Name}
	opened, realerted, suppressed := len(rep.Opened), len(rep.Realerted), rep.Suppressed
	if err := s.found(ctx, tx, c, actor, run, sr.Subject, sr, m, entity, nil, rep); err != nil {
		return pa, err
	}
	switch {
	case len(rep.Opened) > opened:
		pa.Alert, pa.Status, pa.Outcome = rep.Opened[len(rep.Opened)-1], StatusOpen, OutcomeOpened
		pa.Note = fmt.Sprintf("alert %d opened", pa.Alert)
		if len(rep.Realerted) > realerted {
			pa.Outcome, pa.Note = OutcomeRealerted, fmt.Sprintf("alert %d opened again: the listing or the party changed since the last decision", pa.Alert)
		}
		b, err := json.Marshal(pc)
		if err != nil {
			return pa, lexscreen.Errorf(lexscreen.EINTERNAL, "payment context: %v", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO alert_payments (alert_id, payment) VALUES (?, ?)`, pa.Alert, string(b)); err != nil {
			return pa, dbErr(err)
		}
	case rep.Suppressed > suppressed:
		pa.Outcome = OutcomeSuppressed
		err := tx.QueryRowContext(ctx, `SELECT alert_id, decision_id FROM suppressions WHERE subject_fp = ? AND entity_id = ? AND entity_fp = ?`,
			sr.Subject.Fingerprint, m.Entity.ID, sr.EntityFingerprints[m.Entity.ID]).Scan(&pa.Alert, &pa.SuppressedBy)
		if err != nil {
			return pa, dbErr(err)
		}
		pa.Status = StatusFalsePositive
		pa.Note = fmt.Sprintf("suppressed by decision %d (the approved false positive of alert %d)", pa.SuppressedBy, pa.Alert)
	default:
		pa.Outcome = OutcomeExisting
		err := tx.QueryRowContext(ctx, `SELECT id, status FROM alerts WHERE subject_id = ? AND entity_id = ? ORDER BY id DESC LIMIT 1`,
			sr.Subject.ID, m.Entity.ID).Scan(&pa.Alert, &pa.Status)
		if err != nil {
			return pa, dbErr(err)
		}
		pa.Note = fmt.Sprintf("alert %d (%s) already holds this pair", pa.Alert, pa.Status)
		note := fmt.Sprintf("seen again in payment %s %s, %s [%s] (run %s)", pc.Type, cmp.Or(pc.Reference, pc.UETR), pc.Role, pc.Field, run)
		if err := s.addHistory(ctx, tx, pa.Alert, s.now(), actor, "seen", "", "", note); err != nil {
			return pa, err
		}
	}
	return pa, nil
}

// Payment returns the payment context of an alert a payment screening
// opened, or nil for any other alert.
func (s *Store) Payment(ctx context.Context, alertID int64) (*PaymentContext, error) {
	var b string
	err := s.db.QueryRowContext(ctx, `SELECT payment FROM alert_payments WHERE alert_id = ?`, alertID).Scan(&b)
	if err == sql.ErrNoRows || err != nil && strings.Contains(err.Error(), "no such table") {
		return nil, nil
	}
	if err != nil {
		return nil, dbErr(err)
	}
	var pc PaymentContext
	if err := json.Unmarshal([]byte(b), &pc); err != nil {
		return nil, lexscreen.Errorf(lexscreen.EINTERNAL, "alert %d: stored payment unreadable: %v", alertID, err)
	}
	return &pc, nil
}
