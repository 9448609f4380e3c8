package server

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/payments"
)

// PaymentsResponse is the answer of POST /v1/payments/screen: what
// `lexscreen screen-payment --json` prints, with the count of messages
// that could not be read.
type PaymentsResponse struct {
	Payments    []payments.Result       `json:"payments"`
	Errors      []*payments.ParseError  `json:"errors" doc:"each message that could not be read, located by message, line and field"`
	Counts      payments.Counts         `json:"counts"`
	NotScreened int                     `json:"not_screened" doc:"messages that could not be read, hence not screened (also in the header X-Payments-Not-Screened)"`
	Lists       []lexscreen.ListVersion `json:"lists"`
	Alerts      *PaymentAlerts          `json:"alerts,omitempty" doc:"with alert=1: per party not passed, the alert opened or found, or the decision that suppressed it"`
}

// paymentParams are the query parameters of POST /v1/payments/screen.
var paymentParams = []param{
	{Name: "operator", In: "query", Example: "us-bank", Description: "who screens: a built-in profile (us-bank, eu-bank, eu-subsidiary-of-us-bank, uk-firm, border:XX) or a profile of the server's --profiles directory; without it every match is held for review"},
	{Name: "date", In: "query", Example: "2025-09-01", Description: "YYYY-MM-DD: the date the obligations are for, instead of each payment's value date"},
	{Name: "regimes", In: "query", Description: "what-if overlay, a YAML document (needs operator)"},
	{Name: "alert", In: "query", Example: "1", Description: "1 or true: open alerts in the workspace for every party (or free-text name) held, rejected or blocked, one per (party, listed entity), unless an approved false positive suppresses the pair; the party is the subject party:<fingerprint> of its name, BIC, LEI and countries"},
}

// paymentsRoute is the route of POST /v1/payments/screen.
func (s *Server) paymentsRoute() route {
	return route{Method: "POST", Path: "/v1/payments/screen", Role: audit.RoleScreener, Batch: true,
		Summary:     "Screen payment messages (ISO 20022, SWIFT MT) party by party, with the legal answer",
		Description: "The body is ISO 20022 XML (pacs.008, pacs.009 and COV, pain.001, camt.056, camt.029: one document, several, in a BAH envelope or a list) with Content-Type application/xml, or SWIFT MT103/MT202/MT202COV messages with text/plain; any other type is told from the first bytes. Every party is screened by name, BIC, LEI and country, and free text for whole listed names; each party and payment get pass, hold, reject or block for the operator on the value date (or date). A message that cannot be read is reported in errors and counted in not_screened (and the header X-Payments-Not-Screened); the others are screened (200). If none could be read the answer is 422. Each payment screened is recorded in the audit chain (kind payment) before the answer is sent. Body limit and time as /v1/screen/batch. With alert=1 (needs the workspace), every party or free-text name held, rejected or blocked opens an alert per listed entity on the subject party:<fingerprint> (text:<fingerprint>), with the payment kept in the alert (GET /v1/alerts/{id} shows it as payment), after the screenings are recorded; alerts.pairs says per pair the alert opened or found, or the approved decision that suppressed it, and the header X-Alerts-Opened lists the new alerts.",
		Params:      paymentParams, RequestType: "application/xml", AltRequests: map[string]any{"text/plain": ""}, Response: PaymentsResponse{},
		Answers: []answer{{Status: http.StatusUnprocessableEntity, Description: "no message of the body could be read: errors says why", Body: PaymentsResponse{}}},
		Example: `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">...</Document>`,
		handler: s.bounded(s.batches, s.handlePayments)}
}

// handlePayments screens the payment messages of the body.
func (s *Server) handlePayments(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for k := range q {
		if k != "operator" && k != "date" && k != "regimes" && k != "alert" {
			writeError(w, r, http.StatusBadRequest, "invalid", "unknown query parameter "+strconv.Quote(k)+": operator, date, regimes and alert are read")
			return
		}
	}
	var alerter *paymentAlerter
	switch q.Get("alert") {
	case "", "0", "false":
	case "1", "true":
		if s.cfg.Workspace == nil {
			writeError(w, r, http.StatusServiceUnavailable, lexscreen.EUNAVAILABLE, "alert=1: this server has no workspace (lexscreen serve opens <data-dir>/workspace.db); nothing was screened")
			return
		}
	default:
		writeError(w, r, http.StatusBadRequest, "invalid", "alert="+strconv.Quote(q.Get("alert"))+": want 1 or true (open alerts) or 0")
		return
	}
	lo, err := legalOptions(q.Get("operator"), nil, q.Get("date"), q.Get("regimes"), s.cfg.Profiles)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	opts := payments.Options{Regimes: lo.Regimes, Operator: lo.Operator}
	if q.Get("date") != "" {
		opts.Date = lo.Date
	}
	ix, err := s.current()
	if err != nil {
		writeErr(w, r, err)
		return
	}
	var reader payments.Reader
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/xml", "text/xml":
		reader = payments.NewReaderOf("body", payments.SyntaxISO, r.Body)
	case "text/plain":
		reader = payments.NewReaderOf("body", payments.SyntaxMT, r.Body)
	default:
		reader, _ = payments.NewReader("body", r.Body)
	}
	ctx := r.Context()
	ps := payments.NewScreener(ix.Screener)
	out := PaymentsResponse{Payments: []payments.Result{}, Errors: []*payments.ParseError{}, Lists: ix.Screener.Lists()}
	if q.Get("alert") == "1" || q.Get("alert") == "true" {
		alerter = s.newPaymentAlerter(out.Lists)
	}
	key := keyOf(r)
	now := time.Now().UTC()
	engine := "lexscreen payments " + match.Version
	var recs []*audit.Record
	c, err := ps.ScreenStream(reader, opts, 0, 0, func(res payments.Result) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		b, err := json.Marshal(res)
		if err != nil {
			return err
		}
		m := res.Message
		req, _ := json.Marshal(map[string]any{"type": m.Type, "reference": m.Reference, "uetr": m.UETR, "seq": m.Seq, "line": m.Line,
			"operator": q.Get("operator"), "date": q.Get("date"), "content_type": ct})
		recs = append(recs, &audit.Record{Time: now, Kind: "payment", KeyID: key.ID, Request: req, Operator: res.Operator,
			Date: res.Date, Regimes: q.Get("regimes"), Threshold: match.DefaultThreshold, Limit: match.DefaultLimit,
			Lists: out.Lists, Snapshots: ix.SnapshotIDs(), Engine: engine, Result: b})
		out.Payments = append(out.Payments, res)
		if alerter != nil {
			return alerter.add(ctx, res)
		}
		return nil
	}, func(pe *payments.ParseError) { out.Errors = append(out.Errors, pe) })
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, r, http.StatusRequestEntityTooLarge, "too_large", "the payment messages are larger than the server's --max-batch-body: send them in parts")
			return
		}
		writeErr(w, r, err)
		return
	}
	// Nothing is answered that is not recorded.
	if err := s.cfg.Audit.Append(ctx, recs...); err != nil {
		writeErr(w, r, err)
		return
	}
	s.metrics.screenings.WithLabelValues("payment").Add(float64(len(recs)))
	if alerter != nil {
		// The screenings are recorded; the alerts follow, as the key.
		if out.Alerts, err = alerter.record(ctx, r); err != nil {
			writeErr(w, r, err)
			return
		}
		w.Header().Set("X-Alerts-Opened", joinIDs(out.Alerts.Report.Opened))
	}
	out.Counts, out.NotScreened = c, c.Unreadable
	w.Header().Set("X-Payments-Not-Screened", strconv.Itoa(c.Unreadable))
	status := http.StatusOK
	if c.Payments == 0 && c.Unreadable > 0 {
		status = http.StatusUnprocessableEntity
	}
	writeJSON(w, status, out)
}
