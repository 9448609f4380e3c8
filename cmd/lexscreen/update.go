package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/ingest"
	"github.com/lexscreen/lexscreen/source"
	"github.com/lexscreen/lexscreen/source/formats"
	"github.com/lexscreen/lexscreen/update"
)

type updateReport struct {
	Source   string              `json:"source"`
	Status   string              `json:"status"` // "updated", "unchanged", "failed"
	Snapshot *lexscreen.Snapshot `json:"snapshot,omitempty"`
	Kept     *lexscreen.Snapshot `json:"kept,omitempty"` // the snapshot still in use after a failure
	Error    *lexscreen.Error    `json:"error,omitempty"`
	Note     string              `json:"note,omitempty"`
}

func (a *app) updateCommand() *cobra.Command {
	f := update.NewFetcher()
	var force bool
	cmd := &cobra.Command{
		Use:   "update [SOURCE...]",
		Short: "Download the current lists from their publishers and import them",
		Long: `Download the current files of each list from the publisher's official address, check that
they parse, and import them as new snapshots. A publisher that fails, refuses (HTTP 403) or sends a
file that does not parse changes nothing: the last good snapshot stays in use. Redirects are
followed; failures that may pass (network errors, HTTP 429 and 5xx) are retried with back-off.
Sources: ` + targetNames() + `.`,
		Example: `  lexscreen update
  lexscreen update us-ofac-sdn un-sc
  lexscreen update --mirror https://mirror.example.bank   # same paths on an internal mirror`,
		RunE: func(cmd *cobra.Command, args []string) error {
			targets, err := pickTargets(args)
			if err != nil {
				return err
			}
			return a.runUpdate(f, targets, force)
		},
	}
	cmd.Flags().StringVar(&f.Mirror, "mirror", "", "fetch from this scheme://host instead of each publisher's host (same paths)")
	cmd.Flags().IntVar(&f.Retries, "retries", f.Retries, "further attempts after a failure that may pass")
	cmd.Flags().DurationVar(&f.Backoff, "backoff", f.Backoff, "wait before the first retry; doubles each time")
	cmd.Flags().DurationVar(&f.Timeout, "timeout", f.Timeout, "time limit per file download")
	cmd.Flags().BoolVar(&force, "force", false, "accept a list that lost more than 20% of its entities")
	return cmd
}

func targetNames() string {
	s := ""
	for i, t := range update.Official {
		if i > 0 {
			s += ", "
		}
		s += t.Source
	}
	return s
}

func pickTargets(names []string) ([]update.Target, error) {
	if len(names) == 0 {
		return update.Official, nil
	}
	var out []update.Target
	for _, n := range names {
		found := false
		for _, t := range update.Official {
			if t.Source == n {
				out = append(out, t)
				found = true
			}
		}
		if !found {
			return nil, lexscreen.Errorf(lexscreen.EINVALID, "no official download known for %q; known: %s", n, targetNames())
		}
	}
	return out, nil
}

func (a *app) runUpdate(f *update.Fetcher, targets []update.Target, force bool) error {
	db, err := a.store()
	if err != nil {
		return err
	}
	dataDir, _ := a.dataPath()
	cur, err := db.Current(a.ctx)
	if err != nil {
		return err
	}
	inUse := map[string]lexscreen.Snapshot{}
	for _, s := range cur {
		inUse[s.Source] = s
	}
	var reports []updateReport
	failed := 0
	var lastErr error
	for _, t := range targets {
		rep := updateReport{Source: t.Source, Note: t.Note}
		snap, dup, err := a.updateOne(f, t, dataDir, force)
		switch {
		case err != nil:
			failed++
			lastErr = err
			rep.Status, rep.Error = "failed", asAppError(err)
			if k, ok := inUse[t.Source]; ok {
				rep.Kept = &k
			}
		case dup:
			rep.Status, rep.Snapshot = "unchanged", &snap
		default:
			rep.Status, rep.Snapshot = "updated", &snap
		}
		reports = append(reports, rep)
		if !a.json {
			a.printUpdate(rep)
		}
	}
	if a.json {
		if err := a.printJSON(map[string]any{"updates": reports}); err != nil {
			return err
		}
	}
	if failed > 0 {
		return silentError{fmt.Errorf("%d of %d lists could not be updated: %w", failed, len(targets), lastErr)}
	}
	return nil
}

func (a *app) printUpdate(r updateReport) {
	switch r.Status {
	case "updated":
		fmt.Fprintf(a.out, "%-13s updated: snapshot %d, version %s, %s entities\n", r.Source, r.Snapshot.ID, r.Snapshot.Version, thousands(r.Snapshot.Entities))
	case "unchanged":
		fmt.Fprintf(a.out, "%-13s unchanged since snapshot %d (%s)\n", r.Source, r.Snapshot.ID, r.Snapshot.Version)
	default:
		kept := "no snapshot of it is in the store"
		if r.Kept != nil {
			kept = fmt.Sprintf("keeping snapshot %d (%s)", r.Kept.ID, r.Kept.Version)
		}
		fmt.Fprintf(a.errOut, "%-13s FAILED, %s: %s\n", r.Source, kept, r.Error.Error())
		if r.Note != "" {
			fmt.Fprintf(a.errOut, "%-13s note: %s\n", "", r.Note)
		}
	}
}

func (a *app) updateOne(f *update.Fetcher, t update.Target, dataDir string, force bool) (lexscreen.Snapshot, bool, error) {
	format := formats.ByID(t.Format)
	if format == nil {
		return lexscreen.Snapshot{}, false, lexscreen.Errorf(lexscreen.EINTERNAL, "update target %s names unknown format %q", t.Source, t.Format)
	}
	dir, err := os.MkdirTemp(dataDir, ".update-"+t.Source+"-")
	if err != nil {
		return lexscreen.Snapshot{}, false, err
	}
	defer os.RemoveAll(dir)
	a.note("%-13s downloading %d file(s) ...", t.Source, len(t.Files))
	paths, err := f.FetchTarget(a.ctx, t, dir)
	if err != nil {
		return lexscreen.Snapshot{}, false, err
	}
	job := formats.Job{Format: *format, Dir: dir}
	for _, p := range paths {
		job.Files = append(job.Files, source.OSFile(p))
	}
	db, err := a.store()
	if err != nil {
		return lexscreen.Snapshot{}, false, err
	}
	res, err := ingest.Job(a.ctx, db, job, ingest.Options{Force: force, Origin: "update " + filepath.Base(t.Files[0].URL), Published: publishedToday(format.ID)})
	if err != nil {
		return lexscreen.Snapshot{}, false, err
	}
	return res.Snapshot, res.Duplicate, nil
}

// publishedToday: formats whose files carry no date (OFAC CSV) are dated by
// the day they were fetched; others keep the publisher's own date.
func publishedToday(format string) time.Time {
	if format == "ofac-csv" {
		return time.Now().UTC().Truncate(24 * time.Hour)
	}
	return time.Time{}
}
