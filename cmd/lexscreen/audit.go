package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/server"
)

func (a *app) auditCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Check and replay the audit trail of lexscreen serve",
		Long: `Every screening made through the HTTP API is recorded in <data-dir>/audit.db: the request,
operator, date, list versions and store snapshots, engine version, threshold, result, API key and
time. Records are hash-chained: each record's hash covers its content and the previous hash.`,
	}
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Check the hash chain; report every altered or deleted record (exit 1 if any)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := a.audit()
			if err != nil {
				return err
			}
			rep, err := db.Verify(a.ctx)
			if err != nil {
				return err
			}
			if a.json {
				if err := a.printJSON(rep); err != nil {
					return err
				}
			} else if rep.OK {
				fmt.Fprintf(a.out, "OK: %d records, chain intact up to record %d.\n", rep.Records, rep.LastID)
			} else {
				fmt.Fprintf(a.out, "TAMPERED: %d problem(s) in %d records:\n", len(rep.Problems), rep.Records)
				for _, p := range rep.Problems {
					fmt.Fprintf(a.out, "  %s\n", p)
				}
			}
			if !rep.OK {
				return silentError{lexscreen.Errorf(lexscreen.EINTERNAL, "audit chain broken")}
			}
			return nil
		},
	}
	replay := &cobra.Command{
		Use:   "replay ID",
		Short: "Re-run a recorded screening on the very list versions it used and compare",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return lexscreen.Errorf(lexscreen.EINVALID, "record id %q: want a number", args[0])
			}
			adb, err := a.audit()
			if err != nil {
				return err
			}
			rec, err := adb.Get(a.ctx, id)
			if err != nil {
				return err
			}
			db, err := a.store()
			if err != nil {
				return err
			}
			rep, err := server.ReplayRecord(a.ctx, db, rec, Version)
			if err != nil {
				return err
			}
			if a.json {
				if err := a.printJSON(rep); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(a.out, "Record %d (%s, %s) replayed on snapshots %v:\n", rec.ID, rec.Kind, rec.Time.Format("2006-01-02 15:04:05Z"), rec.Snapshots)
				a.printResult(rep.Replayed)
				if rep.Identical {
					fmt.Fprintln(a.out, "\nIDENTICAL to the recorded result.")
				} else {
					fmt.Fprintln(a.out, "\nDIFFERENT from the recorded result:")
					for _, d := range rep.Differences {
						fmt.Fprintf(a.out, "  %s\n", d)
					}
				}
			}
			if !rep.Identical {
				return silentError{lexscreen.Errorf(lexscreen.EINTERNAL, "replay differs")}
			}
			return nil
		},
	}
	cmd.AddCommand(verify, replay)
	return cmd
}
