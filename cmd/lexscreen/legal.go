package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/screening"
)

// legalFlags select the operator, date and what-if overlays whose legal
// consequences are added to matches.
type legalFlags struct {
	operator string
	date     string
	regimes  []string
	// currentLists keeps the current lists for a past date: the duties of
	// that day on today's designations.
	currentLists bool
}

func (f *legalFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.operator, "operator", "", "who screens: us-bank, eu-bank, eu-subsidiary-of-us-bank, uk-firm, border:XX (ISO country) or a profile YAML file")
	cmd.Flags().StringVar(&f.date, "date", "", "the date the obligations are for and, when past, whose lists to screen against, YYYY-MM-DD (default today)")
	cmd.Flags().BoolVar(&f.currentLists, "current-lists", false, "with a past --date, screen against the current lists anyway (that day's duties on today's designations)")
	cmd.Flags().StringArrayVar(&f.regimes, "regimes", nil, "what-if overlay YAML that changes the legal data (repeatable)")
}

// engine loads the legal regimes with the overlays.
func (f *legalFlags) engine() (*regime.Engine, error) {
	var names []string
	var data [][]byte
	for _, p := range f.regimes {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, lexscreen.Errorf(lexscreen.EINVALID, "--regimes %s: %v", p, err)
		}
		names, data = append(names, p), append(data, b)
	}
	return regime.LoadNamed(names, data)
}

// options turns the flags into screening options and the date whose lists
// to screen against (zero: today's, also with --current-lists). With no --operator the regimes are not
// applied (and --regimes alone is an error); --date alone only picks the
// lists (see app.screenerAt).
func (f *legalFlags) options() (screening.Options, time.Time, error) {
	var o screening.Options
	var asOf time.Time
	if f.date != "" {
		d, err := regime.ParseDate(f.date)
		if err != nil {
			return o, asOf, err
		}
		asOf = d
	}
	lists := asOf
	if f.currentLists {
		lists = time.Time{}
	}
	if f.operator == "" {
		if len(f.regimes) > 0 {
			return o, asOf, lexscreen.Errorf(lexscreen.EINVALID, "--regimes needs --operator (whose obligations?)")
		}
		return o, lists, nil
	}
	op, err := regime.ParseOperator(f.operator)
	if err != nil {
		return o, asOf, err
	}
	date := time.Now().UTC().Truncate(24 * time.Hour)
	if !asOf.IsZero() {
		date = asOf
	}
	eng, err := f.engine()
	if err != nil {
		return o, asOf, err
	}
	o.Regimes, o.Operator, o.Date = eng, op, date
	return o, lists, nil
}

func (a *app) regimesCommand() *cobra.Command {
	var f legalFlags
	cmd := &cobra.Command{
		Use:   "regimes",
		Short: "Show the legal rules lexscreen applies, with citations and confidence",
		Long: `Print every rule of the legal regimes (US OFAC, EU restrictive measures, UK SAMLA, UN Security
Council, the Rome Statute, blocking statutes, hostile listings) with its legal basis, source and
confidence: [V] checked against a primary source, [V-2nd] a secondary source, [D] derived,
[M] from memory only: UNCONFIRMED, to be checked before relying on it.

Each rule also shows its computed confidence: the weakest of its own text (a part the text
tags [M] or says is from memory makes the whole rule [M]) and of the dated facts results
under it can use (a State Party's entry-into-force date computed per art. 126(2) is [D], an
Annex entry, a situation's date), with the facts that limit it. Screening results do the same
per obligation ("confidence_limited_by" in --json): the weakest fact that answer used.`,
		Example: `  lexscreen regimes
  lexscreen regimes --regimes what-if.yaml   # with an overlay applied
  lexscreen regimes --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			eng, err := f.engine()
			if err != nil {
				return err
			}
			if a.json {
				return a.printJSON(map[string]any{"rules": eng.Rules()})
			}
			fmt.Fprint(a.out, eng.String())
			return nil
		},
	}
	cmd.Flags().BoolVar(&f.currentLists, "current-lists", false, "with a past --date, screen against the current lists anyway (that day's duties on today's designations)")
	cmd.Flags().StringArrayVar(&f.regimes, "regimes", nil, "what-if overlay YAML (repeatable)")
	return cmd
}

func (a *app) obligationsCommand() *cobra.Command {
	var f legalFlags
	var details bool
	cmd := &cobra.Command{
		Use:   "obligations --operator P [--date D] [--regimes F]",
		Short: "Exposure report: which listings bind an operator on a date, and which it must not comply with",
		Long: `Evaluate every listed entity of the lists in force on the date for one operator, and count each
listing once, in the first section that fits:

  binding          it must block, freeze, reject, report, arrest or refuse entry
  in conflict      it is bound (US law) AND a blocking statute forbids it to comply: each such
                   listing carries its conflict: the duties, the rules, why, and the ways out
                   (an authorisation under art. 5(2) of Reg. 2271/96 from the Commission, in the
                   UK from the Secretary of State; an OFAC specific licence), with citations
  must not comply  a blocking statute forbids complying with the US law of the listing
  listing date unknown
                   it would bind or forbid, but the list gives no listing date and the listing
                   is not shown to be in force on the date: not counted as binding
  risk only, no legal effect, and the number requiring nothing of this operator

The summary counts each section by list and program; --details lists every entity (ids in natural
order: sdn:9 before sdn:10). A past --date uses the lists in force that day (--current-lists: today's).
The duty to inform under a blocking statute (NOTIFY, art. 2 of Reg. 2271/96) arises only where an
annexed law affects the operator's economic or financial interests: say so in the profile
(interests_affected: [IRAN, CUBA] or [all]); otherwise the report gives a RISK saying when it would
arise. With --regimes, also what the overlay changes.`,
		Example: `  lexscreen obligations --operator eu-bank --date 2026-11-29
  lexscreen obligations --operator eu-subsidiary-of-us-bank --regimes eu-blocks-icc.yaml --details`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.operator == "" {
				return lexscreen.Errorf(lexscreen.EINVALID, "--operator is required")
			}
			opts, asOf, err := f.options()
			if err != nil {
				return err
			}
			s, err := a.screenerAt(asOf)
			if err != nil {
				return err
			}
			listings := s.Listings()
			rep, err := opts.Regimes.Exposure(opts.Operator, opts.Date, listings)
			if err != nil {
				return err
			}
			var changed []string
			if len(f.regimes) > 0 {
				base, err := regime.Load()
				if err != nil {
					return err
				}
				before, err := base.Exposure(opts.Operator, opts.Date, listings)
				if err != nil {
					return err
				}
				changed = exposureChanges(before, rep)
			}
			// The lists evaluated, and those left out (none that old) or stale:
			// a report never silently omits a list.
			lists, warns := s.Lists(), s.ListWarnings(0)
			if a.json {
				return a.printJSON(map[string]any{"report": rep, "overlay_changes": nonNil(changed), "lists": nonNil(lists), "warnings": nonNil(warns)})
			}
			printReportLists(a, lists, warns)
			if details {
				fmt.Fprint(a.out, rep.String())
			} else {
				printExposureSummary(a, rep)
			}
			if len(f.regimes) > 0 {
				fmt.Fprintf(a.out, "\nWhat the overlay changes (%d listings):\n", len(changed))
				for _, c := range changed {
					fmt.Fprintf(a.out, "  %s\n", c)
				}
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().BoolVar(&details, "details", false, "list every listing, not only counts by list and program")
	return cmd
}

// exposureChanges says, in natural order of entity ids, which listings the
// overlay moves from one section of the report to another.
func exposureChanges(before, after regime.Report) []string {
	type entry struct{ id, name, section string }
	cat := func(r regime.Report) map[string]entry {
		m := map[string]entry{}
		for _, sec := range r.Sections() {
			for _, it := range sec.Items {
				m[it.EntityID] = entry{it.EntityID, it.Name, strings.ReplaceAll(sec.Key, "_", " ")}
			}
		}
		return m
	}
	b, af := cat(before), cat(after)
	var changed []entry
	for k, v := range af {
		if b[k].section != v.section {
			changed = append(changed, v)
		}
	}
	for k, v := range b {
		if _, ok := af[k]; !ok {
			changed = append(changed, entry{v.id, v.name, ""})
		}
	}
	sort.Slice(changed, func(i, j int) bool { return regime.NaturalLess(changed[i].id, changed[j].id) })
	out := make([]string, len(changed))
	for i, c := range changed {
		out[i] = fmt.Sprintf("%s %s: %s -> %s", c.id, c.name, orNone(b[c.id].section), orNone(c.section))
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "nothing required"
	}
	return s
}

// printExposureSummary prints the report's sections with counts by list and
// program, and one conflict in full with its ways out.
func printExposureSummary(a *app, r regime.Report) {
	fmt.Fprintf(a.out, "Exposure of %s on %s: %s listings (counts by list and program; --details lists every entity)\n", r.Operator, r.Date, thousands(r.Listings))
	for _, sec := range r.Sections() {
		fmt.Fprintf(a.out, "\n%s: %s listings\n", sec.Title, thousands(len(sec.Items)))
		counts := map[string]int{}
		for _, it := range sec.Items {
			counts[groupOf(it)]++
		}
		keys := make([]string, 0, len(counts))
		for k := range counts {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			return counts[keys[i]] > counts[keys[j]] || counts[keys[i]] == counts[keys[j]] && keys[i] < keys[j]
		})
		for i, k := range keys {
			if i == 15 {
				fmt.Fprintf(a.out, "  ... %d more groups\n", len(keys)-15)
				break
			}
			fmt.Fprintf(a.out, "  %6s  %s\n", thousands(counts[k]), k)
		}
	}
	fmt.Fprintf(a.out, "\nRequiring nothing of this operator: %s listings\n", thousands(r.NotApplicable))
	if len(r.InConflict) > 0 {
		it := r.InConflict[0]
		fmt.Fprintf(a.out, "\nConflicts: %s listings, not resolved. The first (--details shows each):\n", thousands(len(r.InConflict)))
		for _, c := range it.Conflicts {
			fmt.Fprint(a.out, c.Text("  "))
		}
	}
}

// groupOf is an item's group in the summary: its list, its programs and the
// kinds of its obligations.
func groupOf(it regime.Item) string {
	src := it.Source
	if src == "" {
		src, _, _ = strings.Cut(it.EntityID, ":")
	}
	kinds := map[string]bool{}
	for _, o := range it.Obligations {
		kinds[string(o.Kind)] = true
	}
	var ks []string
	for k := range kinds {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	progs := strings.Join(it.Programs, ", ")
	if progs == "" {
		progs = "no program"
	}
	return src + " / " + progs + " [" + strings.Join(ks, ", ") + "]"
}

// printReportLists says which list versions a report evaluated and which
// lists it left out or found stale.
func printReportLists(a *app, lists []lexscreen.ListVersion, warns []lexscreen.Warning) {
	var vs []string
	for _, l := range lists {
		vs = append(vs, l.Source+" "+l.Version)
	}
	fmt.Fprintf(a.out, "Lists evaluated: %s\n", orNone(strings.Join(vs, ", ")))
	for _, w := range warns {
		fmt.Fprintf(a.out, "  ! %s\n", w.Message)
	}
	fmt.Fprintln(a.out)
}
