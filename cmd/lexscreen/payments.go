package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/payments"
)

func (a *app) screenPaymentCommand() *cobra.Command {
	var lf legalFlags
	var threshold, textThreshold float64
	var limit, workers int
	var failOnMatch, alert bool
	cmd := &cobra.Command{
		Use:   "screen-payment FILE...",
		Short: "Screen payment messages (ISO 20022, SWIFT MT) party by party, with the legal answer",
		Long: `Read payment messages and screen every party they name, with what the law requires of --operator:
ISO 20022 pacs.008, pacs.009 (and its COV form), pain.001, camt.056 and camt.029 (one document, several
concatenated, each in a business application header envelope, or a list), and SWIFT MT103, MT202 and
MT202COV (one message after another). The syntax is told from the first bytes; "-" reads stdin.

Every party is screened: debtor, creditor, ultimate parties, initiating party, every agent and
intermediary (MT 50a, 52a-59a), by name, by BIC (a listed bank carrying that BIC as an identifier is
found without its name), by LEI, with its address country and the BIC's country (characters 5-6) as
evidence. Free text (remittance information, MT fields 70, 72 and 77B) is searched for listed names:
only a whole listed name (a middle name may be left out), at --text-threshold or above, is reported,
with the words of the text that matched.

The obligations are those of the payment's value date (interbank settlement date, requested
execution date, or the date of field 32A) unless --date is given. Each party, and the payment, get a
decision: pass, hold (for review: conflicting duties, a risk to weigh, a gap in the legal data, or no
--operator), reject, or block; the payment's is the strictest. An MT202COV and the MT103 it covers
(field 21 = field 20, or the same UETR; pacs.009COV and pacs.008 by UETR) share one decision when both
are read in the same run.

A message that cannot be read is reported with its file, message number, line and field, and the
others are screened; the run then exits with code 7. --fail-on-match exits 6 when a payment is not a
pass. Payments are read, screened and printed as a stream, so a file of any size runs in bounded memory
(--json prints one object whose "payments" array is written as the payments are screened).

--alert records the run in the workspace (<data-dir>/workspace.db), like an ad-hoc screening: every
party held, rejected or blocked opens an alert per listed entity it matched (or finds the alert that
already holds the pair), with the payment frozen in it (message type, reference, UETR, the party's role
and field, the decisions, obligations and conflicts). The party is the subject "party:<fingerprint>" of
its name, BIC, LEI and countries (a name found in free text: "text:<fingerprint>"), so the same party in
a later payment is the same subject: once a false positive on it is decided and approved by a second
person (lexscreen alerts decide / approve), the pair is suppressed in every later payment, until the
listing or the party's data (say its country) changes. The answer says per party the alert id, or the
decision that suppressed it. --as says who acts (a user or an API key), as for every workspace command.`,
		Example: `  lexscreen screen-payment --operator us-bank payments.xml
  lexscreen screen-payment --operator eu-bank --json mt103-batch.fin
  lexscreen screen-payment --operator eu-subsidiary-of-us-bank --regimes examples/eu-blocks-icc-2027.yaml cov.fin
  cat pacs008.xml | lexscreen screen-payment --operator us-bank --fail-on-match - || echo "held"
  lexscreen screen-payment --operator eu-bank --alert --as ana payments.xml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if threshold <= 0 || threshold > 1 || textThreshold <= 0 || textThreshold > 1 {
				return lexscreen.Errorf(lexscreen.EINVALID, "--threshold and --text-threshold: want numbers above 0 and at most 1")
			}
			sopts, _, err := lf.options()
			if err != nil {
				return err
			}
			opts := payments.Options{Threshold: threshold, Limit: limit, TextThreshold: textThreshold,
				Regimes: sopts.Regimes, Operator: sopts.Operator}
			if lf.date != "" {
				opts.Date = sopts.Date
			}
			s, err := a.screener()
			if err != nil {
				return err
			}
			ps := payments.NewScreener(s)
			lists := s.Lists()
			var alerter *paymentAlerter
			if alert {
				engine := lexscreen.Engine{Version: "lexscreen payments " + match.Version, Threshold: threshold}
				if alerter, err = a.newPaymentAlerter(lists, engine); err != nil {
					return err
				}
			}
			start := time.Now()
			tail := paymentsTail{Errors: []*payments.ParseError{}, Lists: lists, Warnings: s.ListWarnings(a.maxListAge),
				Counts: payments.Counts{Decisions: map[payments.Decision]int{}}}
			pw := &paymentWriter{w: a.out, json: a.json}
			pw.begin()
			emit := func(res payments.Result) error {
				if err := a.ctx.Err(); err != nil {
					return err
				}
				if alerter != nil {
					if err := alerter.add(res); err != nil {
						return err
					}
				}
				return pw.payment(a, res)
			}
			for _, path := range args {
				f, name := a.in, "stdin"
				if path != "-" {
					fh, err := os.Open(path)
					if err != nil {
						return &lexscreen.Error{Code: lexscreen.EINVALID, File: path, Message: "cannot read the payment file: " + err.Error(), Err: err}
					}
					defer fh.Close()
					f, name = fh, path
				}
				r, _ := payments.NewReader(name, f)
				c, err := ps.ScreenStream(r, opts, workers, 0, emit, func(pe *payments.ParseError) {
					tail.Errors = append(tail.Errors, pe)
					if !a.json {
						fmt.Fprintf(a.errOut, "lexscreen: %v\n", pe)
					}
				})
				if err != nil {
					return err
				}
				tail.Counts.Payments += c.Payments
				tail.Counts.Unreadable += c.Unreadable
				tail.Counts.Pairs += c.Pairs
				for d, n := range c.Decisions {
					tail.Counts.Decisions[d] += n
				}
			}
			if alerter != nil {
				if err := alerter.flush(); err != nil {
					return err
				}
				tail.Alerts = &alerter.out
			}
			tail.Seconds = time.Since(start).Seconds()
			if err := pw.end(a, tail); err != nil {
				return err
			}
			if !a.json {
				a.printWarnings(tail.Warnings)
			}
			flagged := tail.Counts.Payments - tail.Counts.Decisions[payments.Pass]
			if tail.Counts.Unreadable > 0 {
				return silentError{lexscreen.Errorf(exitPartialCode, "%d message(s) could not be read", tail.Counts.Unreadable)}
			}
			if failOnMatch && flagged > 0 {
				return silentError{lexscreen.Errorf(exitMatchCode, "%d payment(s) not passed", flagged)}
			}
			return a.strictCheck(len(tail.Warnings))
		},
	}
	lf.register(cmd)
	cmd.Flags().Float64Var(&threshold, "threshold", match.DefaultThreshold, "lowest score of a party's name reported as a match, 0..1")
	cmd.Flags().Float64Var(&textThreshold, "text-threshold", payments.DefaultTextThreshold, "lowest score of a listed name found in free text, 0..1")
	cmd.Flags().IntVar(&limit, "limit", match.DefaultLimit, "most matches reported per party")
	cmd.Flags().IntVar(&workers, "workers", 0, "payments screened at once (default: one per core)")
	cmd.Flags().BoolVar(&failOnMatch, "fail-on-match", false, "exit with code 6 when a payment is not a pass (for scripts)")
	cmd.Flags().BoolVar(&alert, "alert", false, "open alerts in the workspace for the parties not passed (needs --as)")
	a.asFlag(cmd)
	return cmd
}

func printObligations(a *app, obs []lexscreen.Obligation) {
	for _, o := range obs {
		dl := ""
		if o.Deadline != "" {
			dl = ", by " + o.Deadline
		}
		fmt.Fprintf(a.out, "      %s (%s%s): %s [%s]\n", o.Kind, o.Authority, dl, o.Basis, o.Confidence)
	}
}
