package main

import (
	"bufio"
	"os"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source/ftm"
)

func (a *app) exportCommand() *cobra.Command {
	var format, output string
	cmd := &cobra.Command{
		Use:   "export --format ftm [SOURCE...]",
		Short: "Write the lists in use as FollowTheMoney JSON lines",
		Long: `Write the entities of the lists in use (or of the SOURCEs named) as FollowTheMoney (FtM) JSON
lines, one entity a line, as OpenSanctions' entities.ftm.json: the FtM id, schema, datasets,
referents, first_seen and last_change of entities imported from FtM files are kept; other
entities keep their lexscreen id and carry the FtM properties their fields map to, with their
designations as nested Sanction entities (properties.sanctions). The file reads back with
` + "`lexscreen import`" + ` and into yente or nomenklatura. With --json a summary is printed (to stderr
when the entities go to stdout).`,
		Example: `  lexscreen export --format ftm > entities.ftm.json
  lexscreen export --format ftm us-ofac-sdn -o sdn.ftm.json --json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "ftm" {
				return lexscreen.Errorf(lexscreen.EINVALID, "--format %q: the only export format is ftm", format)
			}
			if err := a.ensureLists(); err != nil {
				return err
			}
			db, err := a.store()
			if err != nil {
				return err
			}
			cur, err := db.Current(a.ctx)
			if err != nil {
				return err
			}
			snaps := cur
			if len(args) > 0 {
				snaps = nil
				for _, want := range args {
					found := false
					for _, sn := range cur {
						if ftm.NamesSource(want, sn.Source) {
							snaps, found = append(snaps, sn), true
						}
					}
					if !found {
						return lexscreen.Errorf(lexscreen.ENOTFOUND, "no list %q in use (see `lexscreen lists`)", want)
					}
				}
			}
			dst := a.out
			summaryTo := a.out
			if output != "" && output != "-" {
				f, err := os.Create(output)
				if err != nil {
					return lexscreen.Errorf(lexscreen.EINVALID, "-o %s: %v", output, err)
				}
				defer f.Close()
				dst = f
			} else {
				summaryTo = os.Stderr
			}
			bw := bufio.NewWriterSize(dst, 64<<10)
			w := ftm.NewWriter(bw)
			perSource := map[string]int{}
			for _, sn := range snaps {
				before := w.Count()
				err := db.Entities(a.ctx, sn.ID, func(e *lexscreen.Entity) error {
					x := ftm.Export(e, nil)
					x.SetLastSeen(ftm.Timestamp(sn.Published.UTC().Format("2006-01-02T15:04:05")))
					return w.Write(x)
				})
				if err != nil {
					bw.Flush()
					return lexscreen.Errorf(lexscreen.EINTERNAL, "export of %s broke off after %d entities: %v", sn.Source, w.Count(), err)
				}
				perSource[sn.Source] = w.Count() - before
			}
			if err := bw.Flush(); err != nil {
				return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "write: %v", err)
			}
			if a.json {
				saved := a.out
				a.out = summaryTo
				defer func() { a.out = saved }()
				return a.printJSON(map[string]any{"format": "ftm", "entities": w.Count(), "sources": perSource, "output": output})
			}
			if output != "" && output != "-" {
				a.note("Wrote %d entities to %s.", w.Count(), output)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "ftm", "export format: ftm (FollowTheMoney JSON lines)")
	cmd.Flags().StringVarP(&output, "output", "o", "", "file to write (default stdout)")
	return cmd
}
