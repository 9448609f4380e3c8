package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/workspace"
)

func (a *app) subjectsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "subjects",
		Short: "The customer book of the workspace: import, list, show, delete",
		Long: `The customer book (<data-dir>/workspace.db): the subjects an operator screens and monitors. Each has
the operator's id, the screening fields, a fingerprint of them and the operator profile it is
screened for. Importing or changing a subject screens it and opens an alert per listed entity it
matches (lexscreen alerts). Every change is recorded in the audit log with who made it (--as).`,
	}
	a.asFlag(cmd)
	var operator, encoding, format string
	var noScreen bool
	imp := &cobra.Command{
		Use:   "import FILE",
		Short: "Import a customer file (CSV or JSON lines) and screen the new and changed subjects",
		Long: `Read a customer file with the rules of lexscreen batch (headers in any case or language, a sniffed
delimiter, encodings) into the book: each row creates, updates or leaves a subject unchanged. Each
row needs an id column (customer id, reference ...). Rows that can't be imported are listed with
their line and reason, and make the exit code 7; so do subjects that could not be screened.
New and changed subjects are screened at once and open alerts (unless --no-screen).`,
		Example: `  lexscreen subjects import customers.csv --operator us-bank --as ana`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			actor, err := a.actor()
			if err != nil {
				return err
			}
			data, err := os.ReadFile(args[0])
			if err != nil {
				return lexscreen.Errorf(lexscreen.EINVALID, "%v", err)
			}
			if !noScreen {
				if err := a.ensureLists(); err != nil {
					return err
				}
			}
			ws, err := a.workspace()
			if err != nil {
				return err
			}
			rep, err := ws.Import(a.ctx, actor, filepath.Base(args[0]), data, workspace.ImportOptions{Operator: operator, Encoding: encoding, Format: format})
			if err != nil {
				return err
			}
			out := map[string]any{"import": rep}
			var unscreened []workspace.RowError
			var found *workspace.FoundReport
			if !noScreen {
				f, u, err := a.screenSubjects(actor, "import:"+filepath.Base(args[0]), rep.Changed)
				if err != nil {
					return err
				}
				found, unscreened = &f, u
				out["alerts"], out["unscreened"] = f, u
			}
			if a.json {
				if err := a.printJSON(out); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(a.out, "%d rows: %d created, %d updated, %d unchanged, %d not imported.\n", rep.Rows, rep.Created, rep.Updated, rep.Unchanged, rep.Failed)
				for _, e := range rep.Errors {
					fmt.Fprintf(a.errOut, "lexscreen: line %d %s: %s\n", e.Line, e.ID, e.Message)
				}
				if found != nil {
					fmt.Fprintf(a.out, "Screened %d: %d alerts opened (%d re-alerts), %d seen before, %d suppressed by approved false positives.\n",
						len(rep.Changed), len(found.Opened), len(found.Realerted), found.Unchanged, found.Suppressed)
				}
				for _, e := range unscreened {
					fmt.Fprintf(a.errOut, "lexscreen: %s not screened: %s\n", e.ID, e.Message)
				}
			}
			if rep.Failed > 0 || len(unscreened) > 0 {
				return silentError{lexscreen.Errorf(exitPartialCode, "%d rows not imported, %d subjects not screened", rep.Failed, len(unscreened))}
			}
			return nil
		},
	}
	imp.Flags().StringVar(&operator, "operator", "", "the operator profile the subjects are screened for (us-bank, eu-bank, ...)")
	imp.Flags().StringVar(&encoding, "encoding", "auto", "the file's encoding: auto, utf-8, windows-1252, latin-1")
	imp.Flags().StringVar(&format, "format", "", "csv or jsonl (default: from the name and content)")
	imp.Flags().BoolVar(&noScreen, "no-screen", false, "import without screening")
	var after string
	var limit int
	list := &cobra.Command{
		Use:   "list",
		Short: "List the book, in id order (--after, --limit for pages)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.workspace()
			if err != nil {
				return err
			}
			p, err := ws.Subjects(a.ctx, after, limit)
			if err != nil {
				return err
			}
			if a.json {
				return a.printJSON(p)
			}
			var rows [][]string
			for _, s := range p.Subjects {
				rows = append(rows, []string{s.ID, s.Query.Name, string(s.Query.Schema), s.Query.BirthDate, s.Operator, s.Fingerprint[:12]})
			}
			table(a.out, []string{"ID", "NAME", "TYPE", "DOB", "OPERATOR", "FINGERPRINT"}, rows)
			if p.Next != "" {
				a.note("%d of %d; next page: --after %s", len(p.Subjects), p.Total, p.Next)
			}
			return nil
		},
	}
	list.Flags().StringVar(&after, "after", "", "start after this id")
	list.Flags().IntVar(&limit, "limit", 100, "subjects per page (at most 1000)")
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show one subject",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.workspace()
			if err != nil {
				return err
			}
			s, err := ws.Subject(a.ctx, args[0])
			if err != nil {
				return err
			}
			if a.json {
				return a.printJSON(s)
			}
			q := s.Query
			fmt.Fprintf(a.out, "%s  %s\n  type %s  dob %s  countries %v  identifiers %v\n  operator %q  fingerprint %s\n  created %s  updated %s\n",
				s.ID, q.Name, q.Schema, q.BirthDate, q.Countries, q.Identifiers, s.Operator, s.Fingerprint, s.Created.Format("2006-01-02 15:04"), s.Updated.Format("2006-01-02 15:04"))
			return nil
		},
	}
	del := &cobra.Command{
		Use:   "delete ID",
		Short: "Remove a subject from the book (its alerts stay, as screened)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			actor, err := a.actor()
			if err != nil {
				return err
			}
			ws, err := a.workspace()
			if err != nil {
				return err
			}
			if err := ws.DeleteSubject(a.ctx, actor, args[0]); err != nil {
				return err
			}
			if a.json {
				return a.printJSON(map[string]string{"deleted": args[0]})
			}
			fmt.Fprintf(a.out, "Deleted %s from the book.\n", args[0])
			return nil
		},
	}
	screen := &cobra.Command{
		Use:   "screen [ID]...",
		Short: "Screen subjects again now (all of the book without ids) and open alerts for new or changed pairs",
		Long: `Screen subjects on the current lists. A pair alerted before with the same subject data and listing
opens no new alert; an approved false positive stays suppressed; a pair whose subject or listing
changed alerts again, with what changed. (Ongoing monitoring, lexscreen monitor, screens only what
a list change touches.)`,
		RunE: func(cmd *cobra.Command, args []string) error {
			actor, err := a.actor()
			if err != nil {
				return err
			}
			if err := a.ensureLists(); err != nil {
				return err
			}
			ws, err := a.workspace()
			if err != nil {
				return err
			}
			var subs []lexscreen.Subject
			if len(args) == 0 {
				err = ws.Each(a.ctx, func(s lexscreen.Subject) error { subs = append(subs, s); return nil })
			}
			for _, id := range args {
				s, e := ws.Subject(a.ctx, id)
				if e != nil {
					return e
				}
				subs = append(subs, s.Subject)
			}
			if err != nil {
				return err
			}
			f, unscreened, err := a.screenSubjects(actor, "rescreen", subs)
			if err != nil {
				return err
			}
			if a.json {
				if err := a.printJSON(map[string]any{"screened": len(subs), "alerts": f, "unscreened": unscreened}); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(a.out, "Screened %d: %d alerts opened (%d re-alerts), %d seen before, %d suppressed by approved false positives.\n",
					len(subs), len(f.Opened), len(f.Realerted), f.Unchanged, f.Suppressed)
				for _, e := range unscreened {
					fmt.Fprintf(a.errOut, "lexscreen: %s not screened: %s\n", e.ID, e.Message)
				}
			}
			if len(unscreened) > 0 {
				return silentError{lexscreen.Errorf(exitPartialCode, "%d subjects not screened", len(unscreened))}
			}
			return nil
		},
	}
	cmd.AddCommand(imp, list, show, del, screen)
	return cmd
}
