package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/screening"
)

// queryFlags are the query options shared by screen and batch.
type queryFlags struct {
	schema    string
	dob       string
	countries []string
	ids       []string
	threshold float64
	limit     int
}

func (f *queryFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.schema, "type", "", "person, organization, vessel or aircraft (default: any)")
	cmd.Flags().StringVar(&f.dob, "dob", "", "date of birth: 1960-08-31, 31.08.1960, 31 August 1960, 1960-08, 1960, ~1960, 1960-1962 ...")
	cmd.Flags().StringSliceVar(&f.countries, "country", nil, "nationality or country, name or ISO code (repeatable)")
	cmd.Flags().StringSliceVar(&f.ids, "id-number", nil, "passport, national id, registration or IMO number (repeatable)")
	cmd.Flags().Float64Var(&f.threshold, "threshold", match.DefaultThreshold, "lowest score reported as a match, 0..1")
	cmd.Flags().IntVar(&f.limit, "limit", match.DefaultLimit, "most matches reported")
}

func (f *queryFlags) check() error {
	if f.threshold <= 0 || f.threshold > 1 {
		return lexscreen.Errorf(lexscreen.EINVALID, "--threshold %v: want a number above 0 and at most 1", f.threshold)
	}
	if f.limit <= 0 {
		return lexscreen.Errorf(lexscreen.EINVALID, "--limit %d: want at least 1", f.limit)
	}
	if f.schema != "" && lexscreen.ParseSchema(f.schema) == lexscreen.SchemaUnknown {
		return lexscreen.Errorf(lexscreen.EINVALID, "--type %q: want person, organization, vessel or aircraft", f.schema)
	}
	// A --dob that can't be read is not refused: the screening goes on
	// without it and the result says so in its warnings.
	return nil
}

func (f *queryFlags) query(name string) lexscreen.Query {
	q := lexscreen.Query{Name: name, BirthDate: f.dob, Countries: f.countries, Identifiers: f.ids}
	if f.schema != "" {
		q.Schema = lexscreen.ParseSchema(f.schema)
	}
	return q
}

func (a *app) screenCommand() *cobra.Command {
	var f queryFlags
	var lf legalFlags
	var failOnMatch bool
	cmd := &cobra.Command{
		Use:   "screen NAME",
		Short: "Screen one name against every list in use",
		Long: `Screen a person, organisation, vessel or aircraft against the current snapshot of every list.
Names in any script are matched (Cyrillic, Arabic, Chinese, Korean ... are transliterated), in any
order, with spelling variants, missing middle names and initials. Each match shows its calibrated
score (0..1; the default threshold is ` + fmt.Sprint(match.DefaultThreshold) + `), which listed name it matched and how each
word aligned, and what the date of birth, country or identifier did to the score.

With --operator, every match also carries what the law requires of that operator on --date
(BLOCK, REJECT, FREEZE, REPORT, DO_NOT_COMPLY, NOTIFY, ARREST_AND_SURRENDER, DENY_ENTRY, RISK,
NO_LEGAL_EFFECT), each with its authority, legal basis, deadline, source and confidence; incompatible duties are listed
as conflicts, never resolved silently. --regimes adds what-if overlays (see lexscreen regimes).

A past --date (with or without --operator) screens against the lists as they were on that day:
for each list, the newest snapshot of the store published on or before it, so that a name
delisted since is found. Each list of the result names its snapshot; a list with no snapshot
that old is left out and the result warns of it. Today or later uses the current snapshots;
--current-lists keeps them for a past date too (that day's duties on today's designations, as
when the store holds only the current version of a list).

The result names the version and age of every list it used. It warns (on stderr; in "warnings"
with --json) when no official list is in use or an official list is older than --max-list-age,
and when a field could not be read; with --strict such a result exits with code 8 (after
--fail-on-match's 6: a match is reported first).`,
		Example: `  lexscreen screen "Karim Khan"
  lexscreen screen --type person --dob 1970 --country GB "Karim Asad Ahmad Khan"
  lexscreen screen --json "Владимир Путин"
  lexscreen screen --operator eu-subsidiary-of-us-bank --date 2025-12-30 --current-lists "Karim Khan"
  lexscreen screen --operator border:MN --date 2024-09-03 --current-lists "Vladimir Putin"
  lexscreen screen --date 2025-06-30 "Acme Trading"   # the lists in force on 30 June 2025
  lexscreen screen --fail-on-match "ACME Trading LLC" || echo "review needed"
  lexscreen screen --strict --max-list-age 30 "ACME Trading LLC"   # exit 8 if a list is over 30 days old`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.check(); err != nil {
				return err
			}
			opts, asOf, err := lf.options()
			if err != nil {
				return err
			}
			opts.Threshold, opts.Limit, opts.MaxListAge = f.threshold, f.limit, a.maxListAge
			s, err := a.screenerAt(asOf)
			if err != nil {
				return err
			}
			q := f.query(strings.Join(args, " "))
			res, err := s.Screen(q, opts)
			if err != nil {
				return err
			}
			if a.json {
				if err := a.printJSON(res); err != nil {
					return err
				}
			} else {
				a.printResult(res)
				a.printWarnings(res.Warnings)
			}
			if failOnMatch && len(res.Matches) > 0 {
				return silentError{lexscreen.Errorf(exitMatchCode, "%d match(es)", len(res.Matches))}
			}
			return a.strictCheck(len(res.Warnings))
		},
	}
	f.register(cmd)
	lf.register(cmd)
	cmd.Flags().BoolVar(&failOnMatch, "fail-on-match", false, "exit with code 6 when anything matches (for scripts)")
	return cmd
}

// exitMatchCode is the error code that maps to exit code 6.
const exitMatchCode = "match"

// screenerCache, when set (by the tests, which run many commands in one
// process), shares a Screener between runs on the same snapshots of the
// same store; load builds one, or reads it from indexFile (see
// screening.IndexFile; "" when none is kept). nil in lexscreen itself.
var screenerCache func(key, indexFile string, load func() (*screening.Screener, error)) (*screening.Screener, error)

// screener builds the matcher's index from the lists in use.
func (a *app) screener() (*screening.Screener, error) {
	return a.screenerAt(time.Time{})
}

// screenerAt builds the matcher's index from the lists in force on date:
// the current snapshots when date is zero, today or later; otherwise, for
// each list, the newest snapshot published on or before date (a list with
// none is left out, and every result warns of it).
func (a *app) screenerAt(date time.Time) (*screening.Screener, error) {
	if err := a.ensureLists(); err != nil {
		return nil, err
	}
	db, err := a.store()
	if err != nil {
		return nil, err
	}
	var cur []lexscreen.Snapshot
	var missing []lexscreen.Warning
	ageAt := time.Now()
	if screening.Past(date) {
		if cur, missing, err = screening.SnapshotsAt(a.ctx, db, date); err != nil {
			return nil, err
		}
		ageAt = date
	} else if cur, err = db.Current(a.ctx); err != nil {
		return nil, err
	}
	load := func() (*screening.Screener, error) {
		total := 0
		for _, s := range cur {
			total += s.Entities
		}
		bar := a.newCountBar(int64(total), "indexing lists")
		var tick func()
		if bar != nil {
			tick = func() { bar.Add(1) }
		}
		start := time.Now()
		s, err := screening.LoadSnapshots(a.ctx, db, cur, Version, ageAt, tick)
		if bar != nil {
			bar.Finish()
			bar.Clear()
		}
		if err == nil && s.Built() && time.Since(start) > 3*time.Second {
			a.note("Indexed %s entities in %.1fs.", thousands(total), time.Since(start).Seconds())
		}
		if err == nil {
			s.SetMissing(missing)
		}
		return s, err
	}
	if screenerCache == nil {
		return load()
	}
	key := db.Location()
	if screening.Past(date) {
		key += " as of " + date.Format("2006-01-02")
	}
	for _, s := range cur {
		key += fmt.Sprintf(" %d", s.ID)
	}
	return screenerCache(key, screening.IndexFile(db, cur, Version), func() (*screening.Screener, error) {
		s, err := load()
		if err == nil {
			s.Warm() // read now what it would read later from a store this run closes
		}
		return s, err
	})
}

func (a *app) printResult(res lexscreen.Result) {
	w := a.out
	var ages []string
	for _, l := range res.Lists {
		age := fmt.Sprintf("%d days old", l.AgeDays)
		if l.Snapshot != 0 {
			age += fmt.Sprintf(", snapshot %d", l.Snapshot)
		}
		ages = append(ages, fmt.Sprintf("%s %s (%s)", l.Source, l.Version, age))
	}
	fmt.Fprintf(w, "Screened %q against %d lists: %s\n", res.Query.Name, len(res.Lists), strings.Join(ages, ", "))
	if len(res.Matches) == 0 {
		fmt.Fprintf(w, "No match at threshold %.2f.\n", res.Engine.Threshold)
		return
	}
	fmt.Fprintf(w, "%d match(es) at threshold %.2f:\n\n", len(res.Matches), res.Engine.Threshold)
	var rows [][]string
	for _, m := range res.Matches {
		var progs []string
		for _, d := range m.Designations {
			if d.Program != "" && !slices.Contains(progs, d.Program) {
				progs = append(progs, d.Program)
			}
		}
		rows = append(rows, []string{fmt.Sprintf("%.2f", m.Score), m.Entity.ID, string(m.Entity.Schema), m.Entity.Name, strings.Join(progs, ", ")})
	}
	table(w, []string{"SCORE", "ENTITY", "TYPE", "NAME", "PROGRAMS"}, rows)
	fmt.Fprintln(w, "\nWhy:")
	for _, m := range res.Matches {
		fmt.Fprintf(w, "  %s: %s\n", m.Entity.ID, m.Explanation.Summary)
		for _, ev := range m.Explanation.Evidence {
			fmt.Fprintf(w, "      %s %+.2f: %s\n", ev.Kind, ev.Effect, ev.Detail)
		}
	}
	if res.Operator == "" {
		return
	}
	fmt.Fprintf(w, "\nWhat the law requires of %s on %s:\n", res.Operator, res.Date)
	for _, m := range res.Matches {
		fmt.Fprintf(w, "  %s (%s):\n", m.Entity.ID, m.Entity.Name)
		if len(m.Obligations) == 0 {
			fmt.Fprintln(w, "      (no obligation returned: a fault, every answer should carry its reason)")
		}
		for _, o := range m.Obligations {
			dl := ""
			if o.Deadline != "" {
				dl = ", deadline " + o.Deadline
			}
			fmt.Fprintf(w, "      %s by %s [%s]%s: %s\n        basis: %s; source: %s\n", o.Kind, o.Authority, o.Confidence, dl, o.Explanation, o.Basis, o.Source)
			if o.ConfidenceLimitedBy != "" {
				fmt.Fprintf(w, "        confidence [%s] limited by: %s\n", o.Confidence, o.ConfidenceLimitedBy)
			}
			for _, f := range o.Flags {
				fmt.Fprintf(w, "        %s since %s: %s\n", f.Code, f.Since, f.Text)
			}
		}
	}
	if len(res.Conflicts) > 0 {
		fmt.Fprintln(w, "\nConflicts (not resolved: take legal advice):")
		for _, c := range res.Conflicts {
			fmt.Fprint(w, c.Text("  "))
		}
	}
}
