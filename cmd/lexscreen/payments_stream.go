package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/payments"
	"github.com/lexscreen/lexscreen/workspace"
)

// paymentsTail is what screen-payment --json prints after the payments,
// which it streams one by one: the output is one JSON object
// {"payments": [...], "errors": ..., "counts": ..., ...}.
type paymentsTail struct {
	Errors   []*payments.ParseError  `json:"errors"`
	Counts   payments.Counts         `json:"counts"`
	Lists    []lexscreen.ListVersion `json:"lists"`
	Warnings []lexscreen.Warning     `json:"warnings,omitempty"`
	// Alerts, with --alert, say per party not passed the alert opened or
	// found, or the decision that suppressed it.
	Alerts *paymentAlertsOut `json:"alerts,omitempty"`
	// Seconds is the time taken to read and screen.
	Seconds float64 `json:"seconds"`
}

// paymentAlertsOut is the workspace's answer to a run with --alert.
type paymentAlertsOut struct {
	Pairs  []workspace.PaymentAlert `json:"pairs"`
	Report workspace.FoundReport    `json:"report"`
}

// paymentWriter prints screened payments as they come: JSON array
// elements, or one table row each with the details of those not passed.
type paymentWriter struct {
	w    io.Writer
	json bool
	n    int
}

func (pw *paymentWriter) begin() {
	if pw.json {
		fmt.Fprint(pw.w, "{\n  \"payments\": [")
		return
	}
	fmt.Fprintf(pw.w, "%-5s  %-11s  %-40s  %-10s  %s\n", "#", "TYPE", "REFERENCE", "DATE", "DECISION")
}

func (pw *paymentWriter) payment(a *app, r payments.Result) error {
	defer func() { pw.n++ }()
	if pw.json {
		b, err := json.MarshalIndent(r, "    ", "  ")
		if err != nil {
			return err
		}
		sep := ","
		if pw.n == 0 {
			sep = ""
		}
		_, err = fmt.Fprintf(pw.w, "%s\n    %s", sep, b)
		return err
	}
	m := r.Message
	fmt.Fprintf(pw.w, "%-5d  %-11s  %-40s  %-10s  %s\n", m.Seq, m.Type, m.Reference, r.Date, strings.ToUpper(string(r.Decision)))
	if r.Decision != payments.Pass || len(r.Conflicts) > 0 {
		a.printPaymentDetails(r)
	}
	return nil
}

// end prints the tail: closes the JSON object, or the summary line and
// what the workspace did.
func (pw *paymentWriter) end(a *app, t paymentsTail) error {
	if pw.json {
		if pw.n > 0 {
			fmt.Fprint(pw.w, "\n  ")
		}
		b, err := json.MarshalIndent(t, "  ", "  ")
		if err != nil {
			return err
		}
		// b is "{\n  ...\n  }": continue the object opened by begin.
		_, err = fmt.Fprintf(pw.w, "],%s\n", strings.TrimPrefix(string(b), "{"))
		return err
	}
	c := t.Counts
	fmt.Fprintf(pw.w, "\n%d payment(s) in %.2fs: %d pass, %d hold, %d reject, %d block; %d cover pair(s); %d unreadable.\n",
		c.Payments, t.Seconds, c.Decisions[payments.Pass], c.Decisions[payments.Hold], c.Decisions[payments.Reject],
		c.Decisions[payments.Block], c.Pairs, c.Unreadable)
	if t.Alerts != nil {
		rep := t.Alerts.Report
		fmt.Fprintf(pw.w, "\nWorkspace: %d alert(s) opened (%d re-alerted), %d already open or decided, %d suppressed by an approved false positive.\n",
			len(rep.Opened), len(rep.Realerted), rep.Unchanged, rep.Suppressed)
		for _, p := range t.Alerts.Pairs {
			fmt.Fprintf(pw.w, "  #%d %s %s [%s] %s ~ %s: %s\n", p.Payment, p.Reference, p.Role, p.Field, p.Name, p.EntityID, p.Note)
		}
	}
	return nil
}

// printPaymentDetails writes the parties and free text that stopped a
// payment, with the duties.
func (a *app) printPaymentDetails(r payments.Result) {
	w, m := a.out, r.Message
	fmt.Fprintf(w, "       line %d, obligations of %s on %s (%s): %s\n", m.Line, cmp.Or(r.Operator, "no operator"), r.Date, r.DateFrom, r.Reason)
	if r.Pair != "" {
		fmt.Fprintf(w, "       shares its decision with %s\n", r.Pair)
	}
	for _, p := range r.Parties {
		for _, mt := range p.Matches {
			fmt.Fprintf(w, "       %s [%s] %s by %s: %s %s (%.2f) -> %s\n", p.Role, p.Field, cmp.Or(p.Name, p.BIC, p.LEI), p.ScreenedFor,
				mt.Entity.ID, mt.Entity.Name, mt.Score, p.Decision)
			printObligations(a, mt.Obligations)
		}
	}
	for _, h := range r.TextHits {
		fmt.Fprintf(w, "       free text [%s] %q: %s %s (%.2f) -> %s\n", h.Field, h.Span, h.Match.Entity.ID, h.Match.Entity.Name, h.Match.Score, h.Decision)
		printObligations(a, h.Match.Obligations)
	}
	for _, c := range r.Conflicts {
		fmt.Fprintf(w, "       CONFLICT: %s\n", c)
	}
}

// paymentAlerter records the parties of screened payments that were not
// passed in the workspace, a few hundred at a time.
type paymentAlerter struct {
	a      *app
	ws     *workspace.Store
	lr     workspace.ListingReader
	actor  workspace.Actor
	run    string
	lists  []lexscreen.ListVersion
	engine lexscreen.Engine
	hits   []workspace.PaymentHit
	out    paymentAlertsOut
}

// paymentAlertBatch is how many hits are recorded in one transaction.
const paymentAlertBatch = 256

func (a *app) newPaymentAlerter(lists []lexscreen.ListVersion, engine lexscreen.Engine) (*paymentAlerter, error) {
	actor, err := a.actor()
	if err != nil {
		return nil, err
	}
	ws, err := a.workspace()
	if err != nil {
		return nil, err
	}
	db, err := a.store()
	if err != nil {
		return nil, err
	}
	return &paymentAlerter{a: a, ws: ws, lr: db, actor: actor, run: "payment:" + time.Now().UTC().Format(time.RFC3339Nano),
		lists: lists, engine: engine, out: paymentAlertsOut{Pairs: []workspace.PaymentAlert{},
			Report: workspace.FoundReport{Opened: []int64{}, Realerted: []int64{}}}}, nil
}

// add queues the hits of one payment, recording them when enough are queued.
func (pa *paymentAlerter) add(res payments.Result) error {
	for _, h := range workspace.PaymentHits(res, pa.lists, pa.engine) {
		fps, err := workspace.Fingerprints(pa.a.ctx, pa.lr, h.Result)
		if err != nil {
			return err
		}
		h.EntityFingerprints = fps
		pa.hits = append(pa.hits, h)
	}
	if len(pa.hits) >= paymentAlertBatch {
		return pa.flush()
	}
	return nil
}

// flush records the queued hits.
func (pa *paymentAlerter) flush() error {
	if len(pa.hits) == 0 {
		return nil
	}
	pairs, rep, err := pa.ws.FoundPayment(pa.a.ctx, pa.actor, pa.run, pa.hits)
	if err != nil {
		return err
	}
	pa.hits = pa.hits[:0]
	pa.out.Pairs = append(pa.out.Pairs, pairs...)
	r := &pa.out.Report
	r.Opened = append(r.Opened, rep.Opened...)
	r.Realerted = append(r.Realerted, rep.Realerted...)
	r.Unchanged += rep.Unchanged
	r.Suppressed += rep.Suppressed
	r.Unfingerprinted += rep.Unfingerprinted
	return nil
}
