package main

import (
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source"
)

// listRow is one snapshot in `lists --json`.
type listRow struct {
	Source      string    `json:"source"`
	Title       string    `json:"title,omitempty"`
	Snapshot    int64     `json:"snapshot"`
	Version     string    `json:"version"`
	Published   string    `json:"published"` // publisher's date, YYYY-MM-DD
	AgeDays     int       `json:"age_days"`
	Entities    int       `json:"entities"`
	Records     int       `json:"records,omitempty"` // publisher's records, when several make one entity
	Names       int       `json:"names"`
	Current     bool      `json:"current"` // the snapshot in use for this source
	Format      string    `json:"format"`
	Imported    time.Time `json:"imported"`
	Origin      string    `json:"origin,omitempty"`
	ContentHash string    `json:"content_hash"`
	Attribution string    `json:"attribution,omitempty"`
}

func (a *app) listsCommand() *cobra.Command {
	var current bool
	cmd := &cobra.Command{
		Use:   "lists [SOURCE...]",
		Short: "Show the imported lists: versions, publisher dates, counts and age",
		Long: `Show every snapshot of every list in the store, oldest first per source. The snapshot in use
for each source (the one with the latest publisher date) is marked with '*'. AGE is the time since
the publisher's date: screening results are only as current as these lists.`,
		Example: `  lexscreen lists
  lexscreen lists --current --json
  lexscreen lists us-ofac-sdn`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := a.ensureLists(); err != nil {
				return err
			}
			rows, err := a.listRows(args, current)
			if err != nil {
				return err
			}
			if a.json {
				return a.printJSON(map[string]any{"lists": rows})
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
				cells = append(cells, []string{mark + " " + r.Source, r.Version, r.Published, age(pub, now),
					ents, thousands(r.Names), strconv.FormatInt(r.Snapshot, 10), r.Format, r.Origin})
			}
			table(a.out, []string{"  SOURCE", "VERSION", "PUBLISHED", "AGE", "ENTITIES", "NAMES", "SNAPSHOT", "FORMAT", "ORIGIN"}, cells)
			return nil
		},
	}
	cmd.Flags().BoolVar(&current, "current", false, "only the snapshot in use for each source")
	return cmd
}

func (a *app) listRows(sources []string, currentOnly bool) ([]listRow, error) {
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
	var rows []listRow
	now := time.Now()
	for _, s := range all {
		seen[s.Source] = true
		if (len(want) > 0 && !want[s.Source]) || (currentOnly && !inUse[s.ID]) {
			continue
		}
		rows = append(rows, snapshotRow(s, inUse[s.ID], now))
	}
	for s := range want {
		if !seen[s] {
			return nil, lexscreen.Errorf(lexscreen.ENOTFOUND, "no list %q in the store (see `lexscreen lists`)", s)
		}
	}
	return rows, nil
}

func snapshotRow(s lexscreen.Snapshot, current bool, now time.Time) listRow {
	info := source.SourceInfos[s.Source]
	r := listRow{Source: s.Source, Title: info.Title, Snapshot: s.ID, Version: s.Version,
		Entities: s.Entities, Records: s.Records, Names: s.Names, Current: current, Format: s.Format, Imported: s.Imported,
		Origin: s.Origin, ContentHash: s.ContentHash, Attribution: info.Attribution}
	if !s.Published.IsZero() {
		r.Published = s.Published.Format("2006-01-02")
		r.AgeDays = int(now.Sub(s.Published).Hours() / 24)
	}
	return r
}
