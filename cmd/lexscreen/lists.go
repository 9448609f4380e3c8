package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/ingest"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/source"
)

func (a *app) listsCommand() *cobra.Command {
	var current bool
	cmd := &cobra.Command{
		Use:   "lists [SOURCE...]",
		Short: "Show the imported lists: versions, publisher dates, counts and age",
		Long: `Show every snapshot of every list in the store, oldest first per source. The snapshot in use
for each source (the one with the latest publisher date) is marked with '*'. AGE is the time since
the publisher's date: screening results are only as current as these lists.

Then what is missing or stale: a bundled list that could not be loaded, no official list in use,
an official list in use older than --max-list-age (marked "(stale)"). With --json: "lists",
"bundled" (each bundled list: loaded, superseded by a newer import, or missing), "warnings" and
"max_list_age_days" (0: no age check). With --strict, any warning makes the exit code 8.`,
		Example: `  lexscreen lists
  lexscreen lists --current --json
  lexscreen lists us-ofac-sdn
  lexscreen lists --strict --max-list-age 30 >/dev/null || echo "lists need updating"`,
		RunE: func(cmd *cobra.Command, args []string) error {
			// A bundled list that failed to load is shown as missing, with
			// the others; the command then fails with that error.
			loadErr := a.ensureLists()
			if loadErr != nil && a.ctx.Err() != nil {
				return loadErr
			}
			rows, err := a.listRows(args, current)
			if err != nil {
				return err
			}
			warnings := a.listWarnings(rows, args)
			if a.json {
				maxAge := 0
				if a.maxListAge > 0 {
					maxAge = int(a.maxListAge / (24 * time.Hour))
				}
				if err := a.printJSON(listsReport{Lists: rows, Bundled: a.bundled, Warnings: warnings, MaxListAgeDays: maxAge}); err != nil {
					return err
				}
				if loadErr != nil {
					return silentError{loadErr}
				}
				return a.strictCheck(len(warnings))
			}
			now := time.Now()
			var cells [][]string
			for _, r := range rows {
				mark := " "
				if r.Current {
					mark = "*"
				}
				pub, _ := time.Parse("2006-01-02", r.Published)
				ents := thousands(r.Entities)
				if r.Records > 0 && r.Records != r.Entities {
					ents += " (" + thousands(r.Records) + " rows)"
				}
				ageCell := age(pub, now)
				if r.Stale {
					ageCell += " (stale)"
				}
				cells = append(cells, []string{mark + " " + r.Source, r.Version, r.Published, ageCell,
					ents, thousands(r.Names), strconv.FormatInt(r.Snapshot, 10), r.Format, r.Origin})
			}
			table(a.out, []string{"  SOURCE", "VERSION", "PUBLISHED", "AGE", "ENTITIES", "NAMES", "SNAPSHOT", "FORMAT", "ORIGIN"}, cells)
			var superseded []string
			for _, st := range a.bundled {
				if st.Status == ingest.BundledSuperseded {
					superseded = append(superseded, st.Source+" "+st.Version)
				}
			}
			if len(superseded) > 0 {
				fmt.Fprintf(a.out, "\nBundled lists not loaded, superseded by newer imports: %s\n", strings.Join(superseded, ", "))
			}
			if len(warnings) > 0 {
				fmt.Fprintf(a.out, "\nMissing or stale (--max-list-age %s):\n", maxAgeFlag{&a.maxListAge})
				for _, w := range warnings {
					fmt.Fprintf(a.out, "  ! %s\n", w.Message)
				}
			}
			if loadErr != nil {
				return loadErr
			}
			return a.strictCheck(len(warnings))
		},
	}
	cmd.Flags().BoolVar(&current, "current", false, "only the snapshot in use for each source")
	return cmd
}

// listsReport is `lists --json`.
type listsReport struct {
	Lists          []lexscreen.ListRow   `json:"lists"`
	Bundled        []ingest.BundledState `json:"bundled"`
	Warnings       []lexscreen.Warning   `json:"warnings"`
	MaxListAgeDays int                   `json:"max_list_age_days"`
}

// listWarnings is what is missing or stale among the lists in use (of the
// sources asked for, or all): bundled lists that failed to load, then the
// screening warnings (screening.ListWarnings). It marks the stale rows.
func (a *app) listWarnings(rows []lexscreen.ListRow, sources []string) []lexscreen.Warning {
	ws := []lexscreen.Warning{}
	for _, st := range a.bundled {
		if st.Status == ingest.BundledMissing && (len(sources) == 0 || slices.Contains(sources, st.Source)) {
			msg := "bundled list " + st.Source + " " + st.Version + " is not loaded"
			if st.Error != "" {
				msg += ": " + st.Error
			}
			ws = append(ws, lexscreen.Warning{Field: "lists", Value: st.Source, Message: msg})
		}
	}
	var inUse []lexscreen.ListVersion
	for i, r := range rows {
		if r.Current {
			lv := lexscreen.ListVersion{Source: r.Source, Version: r.Version, Published: r.Published, AgeDays: r.AgeDays}
			rows[i].Stale = screening.Stale(lv, a.maxListAge)
			inUse = append(inUse, lv)
		}
	}
	for _, w := range screening.ListWarnings(inUse, a.maxListAge) {
		if len(sources) > 0 && w.Value == "official" {
			continue // a question about some lists only
		}
		ws = append(ws, w)
	}
	return ws
}

func (a *app) listRows(sources []string, currentOnly bool) ([]lexscreen.ListRow, error) {
	db, err := a.store()
	if err != nil {
		return nil, err
	}
	cur, err := db.Current(a.ctx)
	if err != nil {
		return nil, err
	}
	inUse := map[int64]bool{}
	for _, s := range cur {
		inUse[s.ID] = true
	}
	want := map[string]bool{}
	for _, s := range sources {
		want[s] = true
	}
	all, err := db.Snapshots(a.ctx, "")
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var rows []lexscreen.ListRow
	now := time.Now()
	for _, s := range all {
		seen[s.Source] = true
		if (len(want) > 0 && !want[s.Source]) || (currentOnly && !inUse[s.ID]) {
			continue
		}
		rows = append(rows, source.ListRow(s, inUse[s.ID], now))
	}
	for s := range want {
		if !seen[s] {
			return nil, lexscreen.Errorf(lexscreen.ENOTFOUND, "no list %q in the store (see `lexscreen lists`)", s)
		}
	}
	return rows, nil
}
