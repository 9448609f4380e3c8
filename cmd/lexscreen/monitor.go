package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/batchfile"
	"github.com/lexscreen/lexscreen/monitor"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/store/sqlite"
)

// monitorRequest is one monitoring run to make (command or server).
type monitorRequest struct {
	book, out string // the customer file; the findings file
	full      bool
	opts      screening.Options
}

// monitorReport is what `lexscreen monitor --json` prints.
type monitorReport struct {
	Book      string               `json:"book"`
	Findings  string               `json:"findings"`
	Stats     *monitor.Stats       `json:"stats,omitempty"`
	Skipped   string               `json:"skipped,omitempty"` // why no run was needed
	BadRows   []monitor.BookError  `json:"bad_rows"`
	Lists     []lexscreen.Snapshot `json:"lists"`
	Monitored map[string]int64     `json:"previously_monitored"`
}

func (a *app) monitorCommand() *cobra.Command {
	var req monitorRequest
	var lf legalFlags
	var threshold float64
	cmd := &cobra.Command{
		Use:   "monitor --book FILE",
		Short: "Re-screen a customer book against what changed in the lists since the last run",
		Long: `Keep a customer book screened as the lists change. Each run compares the lists in use with the
snapshot set the last run monitored, and screens only the listed entities added or changed against an
index of the book (reverse screening): each (customer, listed entity) pair found is the match that
screening the customer would give, with the same score, explanation and, with --operator, obligations.
Listed entities removed from their lists are reported too, so that their alerts can be closed.

The first run, and a run with --full, screens the whole book against every list (after a change of
lexscreen's engine or of --threshold). Findings are appended to --out as JSON lines: {"kind":"found",
"subject":...,"result":...,"entity_fingerprints":...} or {"kind":"removed","entity_id":...}.

Runs are checkpointed in monitor.db in the data directory: a run that is interrupted (killed, a
crash, the machine stopped) resumes where it stopped when the same command is run again, and writes
no finding twice. A book whose records changed starts a new run.

The book is a CSV or JSON-lines file read as ` + "`lexscreen batch`" + ` reads it (id, name, type, dob, country,
identifiers columns); records without an id are named row-N, records that can't be screened are
listed under bad_rows and counted.`,
		Example: `  lexscreen monitor --book customers.csv                    # what changed since the last run
  lexscreen monitor --book customers.csv --full --out all.jsonl
  lexscreen monitor --book customers.csv --operator eu-bank --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if req.book == "" {
				return lexscreen.Errorf(lexscreen.EINVALID, "--book is required: the customer file (CSV or JSON lines) to keep screened")
			}
			opts, asOf, err := lf.options()
			if err != nil {
				return err
			}
			if screening.Past(asOf) {
				return lexscreen.Errorf(lexscreen.EINVALID, "monitor screens against the lists in use: a past --date is not supported (use batch --date)")
			}
			opts.Threshold, opts.MaxListAge = threshold, a.maxListAge
			req.opts = opts
			sc, err := a.screener()
			if err != nil {
				return err
			}
			db, err := a.store()
			if err != nil {
				return err
			}
			if req.out == "" {
				dir, err := a.dataPath()
				if err != nil {
					return err
				}
				req.out = filepath.Join(dir, "monitor-findings.jsonl")
			}
			rep, err := a.runMonitor(a.ctx, db, sc, req)
			if err != nil {
				return err
			}
			if a.json {
				return a.printJSON(rep)
			}
			a.printMonitor(rep)
			return nil
		},
	}
	lf.register(cmd)
	cmd.Flags().StringVar(&req.book, "book", "", "the customer book: a CSV or JSON-lines file (batch columns)")
	cmd.Flags().StringVar(&req.out, "out", "", "findings file, JSON lines, appended to (default <data-dir>/monitor-findings.jsonl)")
	cmd.Flags().BoolVar(&req.full, "full", false, "screen the whole book against every list, not only what changed")
	cmd.Flags().Float64Var(&threshold, "threshold", 0, "match threshold (default the engine's)")
	return cmd
}

// runMonitor makes one monitoring run of the book against the lists of
// sc, resuming an interrupted run of the same work.
func (a *app) runMonitor(ctx context.Context, db *sqlite.DB, sc *screening.Screener, req monitorRequest) (*monitorReport, error) {
	data, err := os.ReadFile(req.book)
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "cannot read the book: %v", err)
	}
	book, bad, err := monitor.ReadBook(filepath.Base(req.book), data, batchfile.Options{})
	if err != nil {
		return nil, err
	}
	rep := &monitorReport{Book: req.book, Findings: req.out, BadRows: nonNil(bad), Lists: sc.Snapshots()}
	dir, err := a.dataPath()
	if err != nil {
		return nil, err
	}
	st, err := monitor.OpenStore(ctx, filepath.Join(dir, "monitor.db"))
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "%v", err)
	}
	defer st.Close()
	if rep.Monitored, err = st.Monitored(ctx); err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "monitoring store: %v", err)
	}
	after := sc.Snapshots()
	job := monitor.Job{Kind: monitor.KindFull, After: after, Screener: sc, Options: req.opts}
	if len(rep.Monitored) > 0 && !req.full {
		var before []lexscreen.Snapshot
		for src, id := range rep.Monitored {
			s, err := db.Snapshot(ctx, id)
			if err != nil {
				return nil, fmt.Errorf("the snapshot %d of %s last monitored: %w", id, src, err)
			}
			before = append(before, s)
		}
		slices.SortFunc(before, func(x, y lexscreen.Snapshot) int { return int(x.ID - y.ID) })
		if sameSnapshots(before, after) {
			rep.Skipped = "no list changed since the last monitoring run (use --full to screen the whole book again)"
			return rep, nil
		}
		job.Kind, job.Before = monitor.KindDelta, before
		// Only the lists whose snapshot changed are read and compared.
		oldSnaps, newSnaps := changedSnapshots(before, after)
		if job.Delta, err = monitor.Compare(ctx, monitor.StoreEntities(db, oldSnaps), monitor.StoreEntities(db, newSnaps)); err != nil {
			return nil, err
		}
	} else if job.Delta, err = monitor.Listings(ctx, monitor.StoreEntities(db, after)); err != nil {
		return nil, err
	}
	if job.Book, err = monitor.BuildIndex(ctx, book, 0); err != nil {
		return nil, err
	}
	sink, err := monitor.OpenJSONLSink(req.out)
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "%v", err)
	}
	defer sink.Close()
	stats, err := (&monitor.Runner{Store: st, Sink: sink}).Run(ctx, job)
	if err != nil {
		return nil, err
	}
	stats.Unindexed = len(job.Book.Unindexed)
	rep.Stats = &stats
	return rep, nil
}

// changedSnapshots returns the snapshots of before and of after that are
// not in both.
func changedSnapshots(before, after []lexscreen.Snapshot) (old, cur []lexscreen.Snapshot) {
	in := func(s lexscreen.Snapshot, set []lexscreen.Snapshot) bool {
		return slices.ContainsFunc(set, func(x lexscreen.Snapshot) bool { return x.ID == s.ID })
	}
	for _, s := range before {
		if !in(s, after) {
			old = append(old, s)
		}
	}
	for _, s := range after {
		if !in(s, before) {
			cur = append(cur, s)
		}
	}
	return old, cur
}

// sameSnapshots reports whether two snapshot sets are the same.
func sameSnapshots(a, b []lexscreen.Snapshot) bool {
	ids := func(s []lexscreen.Snapshot) []int64 {
		var out []int64
		for _, x := range s {
			out = append(out, x.ID)
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(ids(a), ids(b))
}

func (a *app) printMonitor(rep *monitorReport) {
	w := a.out
	if rep.Skipped != "" {
		fmt.Fprintf(w, "Nothing to do: %s.\n", rep.Skipped)
	}
	if s := rep.Stats; s != nil {
		resumed := ""
		if s.Resumed {
			resumed = fmt.Sprintf(" (resumed: %d of %d chunks were already done)", s.Skipped, s.Chunks)
		}
		fmt.Fprintf(w, "Run %s, %s%s: %s subjects", s.Run, s.Kind, resumed, thousands(s.Subjects))
		if s.Kind == monitor.KindDelta {
			fmt.Fprintf(w, "; lists: %d listings added, %d changed, %d removed; %s subjects retrieved, %s screened",
				s.Added, s.Changed, s.Removed, thousands(s.Candidates), thousands(s.Screened))
		}
		fmt.Fprintf(w, ".\n%s subjects matched (%s pairs of subject and listed entity); findings in %s (%.1fs)\n",
			thousands(s.Matched), thousands(s.Pairs), rep.Findings, s.Elapsed.Seconds())
		if s.Failed > 0 || s.Unindexed > 0 {
			fmt.Fprintf(w, "%d subjects could not be screened and %d could not be indexed: fix their names or identifiers.\n", s.Failed, s.Unindexed)
		}
	}
	if len(rep.BadRows) > 0 {
		fmt.Fprintf(w, "%d records of %s were not read as subjects:\n", len(rep.BadRows), rep.Book)
		for i, b := range rep.BadRows {
			if i == 10 {
				fmt.Fprintf(w, "  ... (--json lists them all)\n")
				break
			}
			fmt.Fprintf(w, "  line %d (%s): %s\n", b.Line, b.ID, b.Message)
		}
	}
}
