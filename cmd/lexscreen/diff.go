package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
	"github.com/lexscreen/lexscreen/store"
)

func (a *app) diffCommand() *cobra.Command {
	var program string
	var summary bool
	cmd := &cobra.Command{
		Use:   "diff SOURCE [FROM] [TO]",
		Short: "Show what changed in a list between two snapshots",
		Long: `Show the entities added to, removed from and changed in a list between two snapshots, field by
field. FROM and TO are snapshot numbers, version labels or publisher dates (see ` + "`lexscreen lists`" + `).
Without TO, the snapshot in use; without FROM, the snapshot before TO.`,
		Example: `  lexscreen diff us-ofac-sdn                               # latest change
  lexscreen diff us-ofac-sdn 2025-02-27 2025-12-24 --program ICC-EO14203
  lexscreen diff eu-fsf 3 7 --json`,
		Args: cobra.RangeArgs(1, 3),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.ensureLists(); err != nil {
				return err
			}
			db, err := a.store()
			if err != nil {
				return err
			}
			snaps, err := db.Snapshots(a.ctx, args[0])
			if err != nil {
				return err
			}
			if len(snaps) == 0 {
				return lexscreen.Errorf(lexscreen.ENOTFOUND, "no list %q in the store (see `lexscreen lists`)", args[0])
			}
			to := snaps[len(snaps)-1]
			if len(args) == 3 {
				if to, err = pickSnapshot(snaps, args[2]); err != nil {
					return err
				}
			}
			var from lexscreen.Snapshot
			if len(args) >= 2 {
				if from, err = pickSnapshot(snaps, args[1]); err != nil {
					return err
				}
			} else {
				i := slices.IndexFunc(snaps, func(s lexscreen.Snapshot) bool { return s.ID == to.ID })
				if i <= 0 {
					return lexscreen.Errorf(lexscreen.ENOTFOUND, "%s has only one snapshot before or at %s: nothing to compare", args[0], to.Version)
				}
				from = snaps[i-1]
			}
			d, err := db.Diff(a.ctx, from.ID, to.ID)
			if err != nil {
				return err
			}
			if program != "" {
				d = filterDiff(d, program)
			}
			if a.json {
				return a.printJSON(map[string]any{"source": args[0], "from": source.ListRow(from, false, from.Imported),
					"to": source.ListRow(to, false, to.Imported), "program": program, "added": nonNil(d.Added),
					"removed": nonNil(d.Removed), "changed": nonNil(d.Changed)})
			}
			a.printDiff(from, to, d, program, summary)
			return nil
		},
	}
	cmd.Flags().StringVar(&program, "program", "", "only entities under this program tag (e.g. ICC-EO14203)")
	cmd.Flags().BoolVar(&summary, "summary", false, "only the counts and the entities, not the changed fields")
	return cmd
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// pickSnapshot finds a snapshot by number, version label or publisher date.
func pickSnapshot(snaps []lexscreen.Snapshot, ref string) (lexscreen.Snapshot, error) {
	if n, err := strconv.ParseInt(ref, 10, 64); err == nil {
		for _, s := range snaps {
			if s.ID == n {
				return s, nil
			}
		}
	}
	var found []lexscreen.Snapshot
	for _, s := range snaps {
		if s.Version == ref || (!s.Published.IsZero() && s.Published.Format("2006-01-02") == ref) {
			found = append(found, s)
		}
	}
	if len(found) > 0 {
		return found[len(found)-1], nil
	}
	var have []string
	for _, s := range snaps {
		have = append(have, fmt.Sprintf("%d (%s)", s.ID, s.Version))
	}
	return lexscreen.Snapshot{}, lexscreen.Errorf(lexscreen.ENOTFOUND, "no snapshot %q of %s; it has: %s", ref, snaps[0].Source, strings.Join(have, ", "))
}

func hasProgram(programs []string, p string) bool {
	for _, x := range programs {
		if strings.EqualFold(x, p) {
			return true
		}
	}
	return false
}

func filterDiff(d *store.Diff, program string) *store.Diff {
	out := &store.Diff{}
	for _, e := range d.Added {
		if hasProgram(e.Programs, program) {
			out.Added = append(out.Added, e)
		}
	}
	for _, e := range d.Removed {
		if hasProgram(e.Programs, program) {
			out.Removed = append(out.Removed, e)
		}
	}
	for _, c := range d.Changed {
		if hasProgram(c.Programs, program) {
			out.Changed = append(out.Changed, c)
		}
	}
	return out
}

func (a *app) printDiff(from, to lexscreen.Snapshot, d *store.Diff, program string, summary bool) {
	w := a.out
	fmt.Fprintf(w, "%s: snapshot %d (%s) -> snapshot %d (%s)", to.Source, from.ID, from.Version, to.ID, to.Version)
	if program != "" {
		fmt.Fprintf(w, ", program %s", program)
	}
	fmt.Fprintf(w, "\n%d added, %d removed, %d changed\n", len(d.Added), len(d.Removed), len(d.Changed))
	if len(d.Added) > 0 {
		fmt.Fprintln(w, "\nAdded:")
		for _, e := range d.Added {
			fmt.Fprintf(w, "  + %-24s %-12s %s  [%s]\n", e.ID, e.Schema, e.Caption, strings.Join(e.Programs, ", "))
		}
	}
	if len(d.Removed) > 0 {
		fmt.Fprintln(w, "\nRemoved:")
		for _, e := range d.Removed {
			fmt.Fprintf(w, "  - %-24s %-12s %s  [%s]\n", e.ID, e.Schema, e.Caption, strings.Join(e.Programs, ", "))
		}
	}
	if len(d.Changed) > 0 {
		fmt.Fprintln(w, "\nChanged:")
		for _, c := range d.Changed {
			fmt.Fprintf(w, "  ~ %-24s %s\n", c.ID, c.Caption)
			if summary {
				continue
			}
			for _, f := range c.Fields {
				fmt.Fprintf(w, "      %s: %s -> %s\n", f.Field, showValue(f.From), showValue(f.To))
			}
		}
	}
}

func showValue(v string) string {
	if v == "" {
		return "(none)"
	}
	if len(v) > 120 {
		return v[:117] + "..."
	}
	return v
}
