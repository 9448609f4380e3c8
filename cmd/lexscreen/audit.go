package main

import (
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/server"
)

func (a *app) auditCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Check and replay the audit trail of lexscreen serve",
		Long: `Every screening made through the HTTP API is recorded in <data-dir>/audit.db (with a
postgres:// --store, in that database, one chain for all the servers sharing it): the request,
operator, date, list versions and store snapshots, engine version, threshold, result, API key and
time. Records are hash-chained: each record's hash covers its content and the previous hash, and
lexscreen serve signs checkpoints of the chain (record count and last hash) with an ed25519 key
kept outside the database, appended to <data-dir>/audit.checkpoints (see server/API.md, "Audit
log: threat model").`,
	}
	var checkpoint, publicKey string
	var maxProblems int
	verify := &cobra.Command{
		Use:   "verify [--checkpoint FILE] [--public-key KEY]",
		Short: "Check the hash chain and its signed checkpoints; report altered, deleted or cut records (exit 1 if any)",
		Long: `Check every record's hash and its link to the record before it, and the signed checkpoints:
each says how many records the log had and the hash of the last one, signed by the server's key
(lexscreen serve --audit-key). Records up to the last checkpoint are then proven complete and
unaltered: a cut tail, an altered record or a recomputed chain are reported. Records after the
last checkpoint are covered by the chain alone.

--checkpoint defaults to <data-dir>/audit.checkpoints when it exists, --public-key to the public
half of --audit-key (<data-dir>/audit.key). Give --public-key from a copy kept where whoever can
write audit.db cannot (lexscreen audit public-key prints it).

The first --max-problems problems are listed and all are counted; memory stays bounded whatever
the number of records.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := a.audit()
			if err != nil {
				return err
			}
			opts := audit.VerifyOptions{MaxProblems: maxProblems}
			if checkpoint == "" {
				if p, err := a.auditCheckpointsPath(); err == nil {
					if _, err := os.Stat(p); err == nil {
						checkpoint = p
					}
				}
			}
			if checkpoint != "" {
				if opts.Verifier, err = a.auditVerifier(publicKey); err != nil {
					return err
				}
				opts.CheckpointFile = checkpoint
			}
			rep, err := db.VerifyWith(a.ctx, opts)
			if err != nil {
				return err
			}
			if a.json {
				if err := a.printJSON(rep); err != nil {
					return err
				}
			} else {
				printVerify(a.out, rep)
			}
			if !rep.OK {
				return silentError{lexscreen.Errorf(lexscreen.EINTERNAL, "audit chain broken")}
			}
			return nil
		},
	}
	verify.Flags().StringVar(&checkpoint, "checkpoint", "", "signed checkpoints file (default <data-dir>/audit.checkpoints if it exists)")
	verify.Flags().StringVar(&publicKey, "public-key", "", "the log's public key (name+id+key) or a file holding it (default: the public half of --audit-key)")
	verify.Flags().IntVar(&maxProblems, "max-problems", 20, "list at most this many problems (all are counted)")
	publicKeyCmd := &cobra.Command{
		Use:   "public-key",
		Short: "Print the public key of the audit checkpoints (for audit verify --public-key, on another machine)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := a.auditVerifier("")
			if err != nil {
				return err
			}
			fmt.Fprintln(a.out, v)
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
	cmd.PersistentFlags().StringVar(&a.auditKey, "audit-key", "", "the audit signing key (default <data-dir>/audit.key)")
	cmd.PersistentFlags().StringVar(&a.auditCheckpoints, "audit-checkpoints", "", "the signed checkpoints file (default <data-dir>/audit.checkpoints)")
	cmd.AddCommand(verify, replay, publicKeyCmd)
	return cmd
}

// auditVerifier reads the public key given (a key or a file holding one),
// else derives it from the signing key file.
func (a *app) auditVerifier(given string) (*audit.Verifier, error) {
	if given != "" {
		text := given
		if b, err := os.ReadFile(given); err == nil {
			text = string(b)
		}
		v, err := audit.ParseVerifier(text)
		if err != nil {
			return nil, lexscreen.Errorf(lexscreen.EINVALID, "--public-key: %v", err)
		}
		return v, nil
	}
	path, err := a.auditKeyPath()
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "no public key to check the checkpoints with: --public-key not given and the signing key %s cannot be read (%v)", path, err)
	}
	s, err := audit.ParseSigner(string(b))
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "audit key %s: %v", path, err)
	}
	return s.Verifier(), nil
}

// printVerify prints a verify report for people.
func printVerify(w io.Writer, rep audit.Report) {
	if rep.OK {
		fmt.Fprintf(w, "OK: %d records, chain intact up to record %d.\n", rep.Records, rep.LastID)
	} else {
		fmt.Fprintf(w, "TAMPERED: %d problem(s) in %d records:\n", rep.ProblemCount, rep.Records)
		for _, p := range rep.Problems {
			fmt.Fprintf(w, "  %s\n", p)
		}
		if more := rep.ProblemCount - int64(len(rep.Problems)); more > 0 {
			fmt.Fprintf(w, "  ... and %d more (--max-problems)\n", more)
		}
	}
	if rep.Checkpoints > 0 {
		fmt.Fprintf(w, "Signed checkpoints: %d checked; records 1 to %d proven by them, %d after the last one covered by the chain only.\n",
			rep.Checkpoints, rep.CheckpointSize, rep.Unprotected)
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "Note: %s.\n", n)
	}
}
