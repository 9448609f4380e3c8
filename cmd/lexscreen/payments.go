package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/payments"
)

// paymentsOutput is what screen-payment --json prints.
type paymentsOutput struct {
	Payments []payments.Result       `json:"payments"`
	Errors   []*payments.ParseError  `json:"errors"`
	Counts   payments.Counts         `json:"counts"`
	Lists    []lexscreen.ListVersion `json:"lists"`
	Warnings []lexscreen.Warning     `json:"warnings,omitempty"`
	Seconds  float64                 `json:"seconds"`
}

func (a *app) screenPaymentCommand() *cobra.Command {
	var lf legalFlags
	var threshold, textThreshold float64
	var limit, workers int
	var failOnMatch bool
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
pass.`,
		Example: `  lexscreen screen-payment --operator us-bank payments.xml
  lexscreen screen-payment --operator eu-bank --json mt103-batch.fin
  lexscreen screen-payment --operator eu-subsidiary-of-us-bank --regimes examples/eu-blocks-icc-2027.yaml cov.fin
  cat pacs008.xml | lexscreen screen-payment --operator us-bank --fail-on-match - || echo "held"`,
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
			start := time.Now()
			out := paymentsOutput{Payments: []payments.Result{}, Errors: []*payments.ParseError{}, Lists: s.Lists(),
				Warnings: s.ListWarnings(a.maxListAge), Counts: payments.Counts{Decisions: map[payments.Decision]int{}}}
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
				res, c, err := ps.ScreenAll(r, opts, workers, func(pe *payments.ParseError) {
					out.Errors = append(out.Errors, pe)
					if !a.json {
						fmt.Fprintf(a.errOut, "lexscreen: %v\n", pe)
					}
				})
				if err != nil {
					return err
				}
				out.Payments = append(out.Payments, res...)
				out.Counts.Payments += c.Payments
				out.Counts.Unreadable += c.Unreadable
				out.Counts.Pairs += c.Pairs
				for d, n := range c.Decisions {
					out.Counts.Decisions[d] += n
				}
			}
			out.Seconds = time.Since(start).Seconds()
			if a.json {
				if err := a.printJSON(out); err != nil {
					return err
				}
			} else {
				a.printPayments(out)
				a.printWarnings(out.Warnings)
			}
			flagged := out.Counts.Payments - out.Counts.Decisions[payments.Pass]
			if out.Counts.Unreadable > 0 {
				return silentError{lexscreen.Errorf(exitPartialCode, "%d message(s) could not be read", out.Counts.Unreadable)}
			}
			if failOnMatch && flagged > 0 {
				return silentError{lexscreen.Errorf(exitMatchCode, "%d payment(s) not passed", flagged)}
			}
			return a.strictCheck(len(out.Warnings))
		},
	}
	lf.register(cmd)
	cmd.Flags().Float64Var(&threshold, "threshold", match.DefaultThreshold, "lowest score of a party's name reported as a match, 0..1")
	cmd.Flags().Float64Var(&textThreshold, "text-threshold", payments.DefaultTextThreshold, "lowest score of a listed name found in free text, 0..1")
	cmd.Flags().IntVar(&limit, "limit", match.DefaultLimit, "most matches reported per party")
	cmd.Flags().IntVar(&workers, "workers", 0, "payments screened at once (default: one per core)")
	cmd.Flags().BoolVar(&failOnMatch, "fail-on-match", false, "exit with code 6 when a payment is not a pass (for scripts)")
	return cmd
}

// printPayments writes one line per payment, and for each one not passed
// the parties and text that stopped it with the duties.
func (a *app) printPayments(out paymentsOutput) {
	w := a.out
	var rows [][]string
	for _, r := range out.Payments {
		m := r.Message
		rows = append(rows, []string{fmt.Sprint(m.Seq), m.Type, m.Reference, r.Date, strings.ToUpper(string(r.Decision))})
	}
	table(w, []string{"#", "TYPE", "REFERENCE", "DATE", "DECISION"}, rows)
	for _, r := range out.Payments {
		if r.Decision == payments.Pass && len(r.Conflicts) == 0 {
			continue
		}
		m := r.Message
		fmt.Fprintf(w, "\n#%d %s %s (line %d), obligations of %s on %s (%s): %s\n  %s\n", m.Seq, m.Type, m.Reference, m.Line,
			firstNonEmpty(r.Operator, "no operator"), r.Date, r.DateFrom, strings.ToUpper(string(r.Decision)), r.Reason)
		if r.Pair != "" {
			fmt.Fprintf(w, "  shares its decision with %s\n", r.Pair)
		}
		for _, p := range r.Parties {
			for _, mt := range p.Matches {
				fmt.Fprintf(w, "  %s [%s] %s by %s: %s %s (%.2f) -> %s\n", p.Role, p.Field, firstNonEmpty(p.Name, p.BIC, p.LEI), p.ScreenedFor,
					mt.Entity.ID, mt.Entity.Name, mt.Score, p.Decision)
				printObligations(a, mt.Obligations)
			}
		}
		for _, h := range r.TextHits {
			fmt.Fprintf(w, "  free text [%s] %q: %s %s (%.2f) -> %s\n", h.Field, h.Span, h.Match.Entity.ID, h.Match.Entity.Name, h.Match.Score, h.Decision)
			printObligations(a, h.Match.Obligations)
		}
		for _, c := range r.Conflicts {
			fmt.Fprintf(w, "  CONFLICT: %s\n", c)
		}
	}
	c := out.Counts
	fmt.Fprintf(w, "\n%d payment(s) in %.2fs: %d pass, %d hold, %d reject, %d block; %d cover pair(s); %d unreadable.\n",
		c.Payments, out.Seconds, c.Decisions[payments.Pass], c.Decisions[payments.Hold], c.Decisions[payments.Reject],
		c.Decisions[payments.Block], c.Pairs, c.Unreadable)
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

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
