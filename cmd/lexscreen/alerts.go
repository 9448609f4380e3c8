package main

import (
	"fmt"
	"mime"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/server"
	"github.com/lexscreen/lexscreen/workspace"
)

// onAlert reads an alert id argument, who acts, and opens the workspace:
// what every action on an alert needs first.
func (a *app) onAlert(arg string) (int64, workspace.Actor, *workspace.Store, error) {
	id, err := alertID(arg)
	if err != nil {
		return 0, workspace.Actor{}, nil, err
	}
	actor, err := a.actor()
	if err != nil {
		return 0, workspace.Actor{}, nil, err
	}
	ws, err := a.workspace()
	return id, actor, ws, err
}

func alertID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, lexscreen.Errorf(lexscreen.EINVALID, "alert %q: want its number (lexscreen alerts list)", s)
	}
	return id, nil
}

func (a *app) alertsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "alerts",
		Short: "Alerts of the workspace: list, show, decide, approve (four eyes), comment, assign, export",
		Long: `An alert is a (subject, listed entity) pair a screening matched at or above the threshold, with the
whole result frozen (list versions, engine, obligations). An analyst decides it (true_match,
false_positive or escalate, with a reason); the decision takes effect only when a second person
with the approver role approves it: the maker can never approve their own decision (the database
refuses it). An approved false positive suppresses the same pair until the subject's data or the
listing changes; then the pair alerts again and the alert shows what changed.

Who acts is --as USER or --as KEY (or $LEXSCREEN_AS); every action is in the audit log.

Workflow:
  lexscreen subjects import customers.csv --operator us-bank --as ana
  lexscreen alerts list --queue
  lexscreen alerts decide 12 --outcome false_positive --reason "born 1971, listed person 1967" --as ana
  lexscreen alerts approve 12 --as bob
  lexscreen alerts export --format xlsx -o alerts.xlsx`,
	}
	a.asFlag(cmd)
	var f workspace.AlertFilter
	list := &cobra.Command{
		Use:   "list",
		Short: "List alerts (--queue: open and escalated ones, oldest first)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.workspace()
			if err != nil {
				return err
			}
			p, err := ws.Alerts(a.ctx, f)
			if err != nil {
				return err
			}
			if a.json {
				return a.printJSON(p)
			}
			var rows [][]string
			for _, al := range p.Alerts {
				rows = append(rows, []string{strconv.FormatInt(al.ID, 10), al.Status, al.Opened.Format("2006-01-02"), al.Due.Format("2006-01-02"),
					al.SubjectID, al.Subject.Query.Name, al.EntityID, al.EntityName, fmt.Sprintf("%.2f", al.Score), al.Assignee})
			}
			table(a.out, []string{"ID", "STATUS", "OPENED", "DUE", "SUBJECT", "NAME", "LISTED", "LISTED NAME", "SCORE", "ASSIGNEE"}, rows)
			if p.NextOffset > 0 {
				a.note("%d of %d; next page: --offset %d", len(p.Alerts), p.Total, p.NextOffset)
			}
			return nil
		},
	}
	addFilter := func(c *cobra.Command) {
		c.Flags().StringSliceVar(&f.Status, "status", nil, "only these statuses: open, pending, escalated, true_match, false_positive, superseded")
		c.Flags().StringVar(&f.SubjectID, "subject", "", "only this subject id")
		c.Flags().StringVar(&f.EntityID, "entity", "", "only this listed entity id")
		c.Flags().StringVar(&f.Assignee, "assignee", "", "only alerts assigned to this actor (user:NAME, key:ID)")
	}
	addFilter(list)
	list.Flags().BoolVar(&f.Queue, "queue", false, "the work queue: open and escalated alerts, oldest opened first")
	list.Flags().IntVar(&f.Offset, "offset", 0, "skip this many")
	list.Flags().IntVar(&f.Limit, "limit", 100, "alerts per page (at most 1000)")
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show an alert: the match, obligations, list versions, decisions, comments, history",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := alertID(args[0])
			if err != nil {
				return err
			}
			ws, err := a.workspace()
			if err != nil {
				return err
			}
			al, err := ws.Alert(a.ctx, id)
			if err != nil {
				return err
			}
			if a.json {
				return a.printJSON(al)
			}
			a.printAlert(al)
			return nil
		},
	}
	var outcome, reason string
	var attach []string
	decide := &cobra.Command{
		Use:   "decide ID --outcome true_match|false_positive|escalate --reason TEXT [--attach FILE]...",
		Short: "Decide an alert (takes effect once another person approves it)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := alertID(args[0])
			if err != nil {
				return err
			}
			actor, err := a.actor()
			if err != nil {
				return err
			}
			in := workspace.DecisionInput{Outcome: outcome, Reason: reason}
			for _, p := range attach {
				b, err := os.ReadFile(p)
				if err != nil {
					return lexscreen.Errorf(lexscreen.EINVALID, "--attach: %v", err)
				}
				in.Attachments = append(in.Attachments, workspace.Attachment{Name: filepath.Base(p), Type: mime.TypeByExtension(filepath.Ext(p)), Content: b})
			}
			ws, err := a.workspace()
			if err != nil {
				return err
			}
			d, err := ws.Decide(a.ctx, actor, id, in)
			if err != nil {
				return err
			}
			if a.json {
				return a.printJSON(d)
			}
			fmt.Fprintf(a.out, "Decision %d on alert %d: %s, by %s. It takes effect once an approver other than you approves it.\n", d.ID, id, d.Outcome, d.Maker)
			return nil
		},
	}
	decide.Flags().StringVar(&outcome, "outcome", "", "true_match, false_positive or escalate")
	decide.Flags().StringVar(&reason, "reason", "", "why (required; kept for the examiner)")
	decide.Flags().StringArrayVar(&attach, "attach", nil, "a file to keep with the decision (repeatable; at most 10 MiB each)")
	decide.MarkFlagRequired("outcome")
	var reject bool
	var note string
	approve := &cobra.Command{
		Use:   "approve ID [--reject --note TEXT]",
		Short: "Approve (or reject) the pending decision of an alert: the second pair of eyes",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, actor, ws, err := a.onAlert(args[0])
			if err != nil {
				return err
			}
			d, err := ws.Check(a.ctx, actor, id, !reject, note)
			if err != nil {
				return err
			}
			if a.json {
				return a.printJSON(d)
			}
			fmt.Fprintf(a.out, "Decision %d on alert %d (%s by %s) %s by %s.\n", d.ID, id, d.Outcome, d.Maker, d.State, d.Checker)
			return nil
		},
	}
	approve.Flags().BoolVar(&reject, "reject", false, "reject the decision: the alert goes back to be decided again")
	approve.Flags().StringVar(&note, "note", "", "the checker's note (required with --reject)")
	comment := &cobra.Command{
		Use:   "comment ID TEXT",
		Short: "Comment on an alert",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, actor, ws, err := a.onAlert(args[0])
			if err != nil {
				return err
			}
			c, err := ws.AddComment(a.ctx, actor, id, strings.Join(args[1:], " "))
			if err != nil {
				return err
			}
			if a.json {
				return a.printJSON(c)
			}
			fmt.Fprintf(a.out, "Comment %d added to alert %d.\n", c.ID, id)
			return nil
		},
	}
	var due string
	assign := &cobra.Command{
		Use:   "assign ID ASSIGNEE [--due YYYY-MM-DD]",
		Short: "Assign an alert (\"\" to nobody) and set when it is due",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := alertID(args[0])
			if err != nil {
				return err
			}
			d, err := server.ParseDue(due)
			if err != nil {
				return err
			}
			actor, err := a.actor()
			if err != nil {
				return err
			}
			ws, err := a.workspace()
			if err != nil {
				return err
			}
			al, err := ws.Assign(a.ctx, actor, id, args[1], d)
			if err != nil {
				return err
			}
			if a.json {
				return a.printJSON(al)
			}
			fmt.Fprintf(a.out, "Alert %d assigned to %q, due %s.\n", id, al.Assignee, al.Due.Format("2006-01-02"))
			return nil
		},
	}
	assign.Flags().StringVar(&due, "due", "", "YYYY-MM-DD or RFC 3339 (default: unchanged)")
	var format, what, output string
	export := &cobra.Command{
		Use:   "export --format csv|xlsx|json [--what alerts|decisions] [-o FILE]",
		Short: "Export alerts or decisions for an examiner (CSV, XLSX, JSON)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ws, err := a.workspace()
			if err != nil {
				return err
			}
			w := a.out
			if output != "" {
				file, err := os.OpenFile(output, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
				if err != nil {
					return lexscreen.Errorf(lexscreen.EINVALID, "-o: %v", err)
				}
				defer file.Close()
				w = file
			} else if format == workspace.FormatXLSX {
				return lexscreen.Errorf(lexscreen.EINVALID, "--format xlsx needs -o FILE")
			}
			n, err := ws.Export(a.ctx, w, what, format, f)
			if err != nil {
				return err
			}
			if output != "" {
				a.note("%d %s written to %s.", n, what, output)
			}
			return nil
		},
	}
	addFilter(export)
	export.Flags().StringVar(&format, "format", "csv", "csv, xlsx or json")
	export.Flags().StringVar(&what, "what", "alerts", "alerts (one row per alert with its last decision) or decisions (one row per decision)")
	export.Flags().StringVarP(&output, "output", "o", "", "write to this file (0600) instead of stdout")
	cmd.AddCommand(list, show, decide, approve, comment, assign, export)
	return cmd
}

// printAlert prints an alert for a person.
func (a *app) printAlert(al *workspace.Alert) {
	w := a.out
	fmt.Fprintf(w, "Alert %d  %s  opened %s  due %s  assignee %q\n", al.ID, al.Status, al.Opened.Format("2006-01-02 15:04"), al.Due.Format("2006-01-02"), al.Assignee)
	q := al.Subject.Query
	fmt.Fprintf(w, "Subject  %s  %s (type %s, dob %s, countries %v)  fingerprint %s\n", al.SubjectID, q.Name, q.Schema, q.BirthDate, q.Countries, al.Subject.Fingerprint)
	fmt.Fprintf(w, "Listed   %s  %s  score %.2f  fingerprint %s\n", al.EntityID, al.EntityName, al.Score, al.EntityFingerprint)
	if m := al.Match(); m != nil {
		fmt.Fprintf(w, "Why      %s\n", m.Explanation.Summary)
		for _, o := range m.Obligations {
			fmt.Fprintf(w, "Duty     %s by %s: %s [%s; confidence %s]\n", o.Kind, o.Authority, o.Basis, o.Source, o.Confidence)
		}
	}
	for _, l := range al.Result.Lists {
		fmt.Fprintf(w, "List     %s %s (published %s, snapshot %d)\n", l.Source, l.Version, l.Published, l.Snapshot)
	}
	fmt.Fprintf(w, "Engine   %s, threshold %.2f; run %s\n", al.Result.Engine.Version, al.Result.Engine.Threshold, al.Run)
	if al.Changes != nil {
		fmt.Fprintf(w, "Changed  since alert %d: %s\n", al.Previous, al.Changes.Summary)
	}
	if al.ListingRemoved != nil {
		fmt.Fprintf(w, "Removed  the listing left its list on %s\n", al.ListingRemoved.Format("2006-01-02"))
	}
	for _, d := range al.Decisions {
		fmt.Fprintf(w, "Decision %d: %s by %s (%s) on %s: %q — %s", d.ID, d.Outcome, d.Maker, d.MakerRole, d.Made.Format("2006-01-02 15:04"), d.Reason, d.State)
		if d.Checker != "" {
			fmt.Fprintf(w, " by %s %q", d.Checker, d.CheckNote)
		}
		fmt.Fprintln(w)
		for _, at := range d.Attachments {
			fmt.Fprintf(w, "  attachment %d: %s (%s, %d bytes, sha256 %s)\n", at.ID, at.Name, at.Type, at.Size, at.SHA256)
		}
	}
	for _, c := range al.Comments {
		fmt.Fprintf(w, "Comment  %s %s: %s\n", c.Time.Format("2006-01-02 15:04"), c.Author, c.Text)
	}
	for _, h := range al.History {
		fmt.Fprintf(w, "History  %s %s %s %s→%s %s\n", h.Time.Format("2006-01-02 15:04:05"), h.Actor, h.Action, h.From, h.To, h.Note)
	}
}
