package workspace

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lexscreen/lexscreen"
)

// Export formats.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
	FormatJSON = "json"
)

// ExportFormats lists the export formats.
var ExportFormats = []string{FormatCSV, FormatXLSX, FormatJSON}

// alertHeader is the columns of an alert export: one row per alert, with
// its last decision, for an examiner.
var alertHeader = []string{"alert", "status", "opened", "due", "assignee", "subject_id", "subject_name", "subject_fingerprint",
	"entity_id", "entity_name", "entity_fingerprint", "score", "operator", "date", "lists", "engine", "threshold", "obligations",
	"run", "last_seen", "previous", "changes", "listing_removed",
	"decision", "outcome", "reason", "maker", "made", "state", "checker", "checked", "check_note"}

// decisionHeader is the columns of a decision export: one row per decision.
var decisionHeader = []string{"decision", "alert", "subject_id", "entity_id", "outcome", "reason", "maker", "maker_role", "made",
	"state", "checker", "checker_role", "checked", "check_note", "attachments"}

// Export writes alerts (what "alerts") or their decisions (what
// "decisions") selected by f, every page of them, in a format.
func (s *Store) Export(ctx context.Context, w io.Writer, what, format string, f AlertFilter) (int, error) {
	if what != "alerts" && what != "decisions" {
		return 0, lexscreen.Errorf(lexscreen.EINVALID, "export %q: want alerts or decisions", what)
	}
	var alerts []*Alert
	f.Offset, f.Limit = 0, 1000
	for {
		p, err := s.Alerts(ctx, f)
		if err != nil {
			return 0, err
		}
		for _, a := range p.Alerts {
			if a.Decisions, err = s.decisions(ctx, a.ID); err != nil {
				return 0, err
			}
		}
		alerts = append(alerts, p.Alerts...)
		if p.NextOffset == 0 {
			break
		}
		f.Offset = p.NextOffset
	}
	header, rows := alertHeader, alertRows(alerts)
	if what == "decisions" {
		header, rows = decisionHeader, decisionRows(alerts)
	}
	switch format {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if what == "alerts" {
			return len(rows), enc.Encode(map[string]any{"alerts": nonNilAlerts(alerts), "exported": s.now()})
		}
		var ds []Decision
		for _, a := range alerts {
			ds = append(ds, a.Decisions...)
		}
		if ds == nil {
			ds = []Decision{}
		}
		return len(rows), enc.Encode(map[string]any{"decisions": ds, "exported": s.now()})
	case FormatCSV:
		cw := csv.NewWriter(w)
		cw.Write(header)
		for _, r := range rows {
			cw.Write(csvSafe(r))
		}
		cw.Flush()
		return len(rows), cw.Error()
	case FormatXLSX:
		x := excelize.NewFile()
		defer x.Close()
		sheet := what
		x.SetSheetName("Sheet1", sheet)
		sw, err := x.NewStreamWriter(sheet)
		if err != nil {
			return 0, err
		}
		row := func(n int, vals []string) error {
			cells := make([]any, len(vals))
			for i, v := range vals {
				cells[i] = v
			}
			cell, _ := excelize.CoordinatesToCellName(1, n)
			return sw.SetRow(cell, cells)
		}
		if err := row(1, header); err != nil {
			return 0, err
		}
		for i, r := range rows {
			if err := row(i+2, r); err != nil {
				return 0, err
			}
		}
		if err := sw.Flush(); err != nil {
			return 0, err
		}
		return len(rows), x.Write(w)
	}
	return 0, lexscreen.Errorf(lexscreen.EINVALID, "format %q: want csv, xlsx or json", format)
}

func nonNilAlerts(a []*Alert) []*Alert {
	if a == nil {
		return []*Alert{}
	}
	return a
}

// csvSafe keeps a spreadsheet from running a cell as a formula (names
// come from customers and lists).
func csvSafe(r []string) []string {
	out := make([]string, len(r))
	for i, v := range r {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				v = "'" + v
			}
		}
		out[i] = v
	}
	return out
}

func tm(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func tmp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return tm(*t)
}

func alertRows(alerts []*Alert) [][]string {
	var out [][]string
	for _, a := range alerts {
		var lists, obligations []string
		for _, l := range a.Result.Lists {
			lists = append(lists, fmt.Sprintf("%s %s (%s, snapshot %d)", l.Source, l.Version, l.Published, l.Snapshot))
		}
		if m := a.Match(); m != nil {
			for _, o := range m.Obligations {
				obligations = append(obligations, fmt.Sprintf("%s by %s [%s; %s; confidence %s]", o.Kind, o.Authority, o.Basis, o.Source, o.Confidence))
			}
		}
		var prev, changes string
		if a.Previous != 0 {
			prev = strconv.FormatInt(a.Previous, 10)
		}
		if a.Changes != nil {
			changes = a.Changes.Summary
		}
		r := []string{strconv.FormatInt(a.ID, 10), a.Status, tm(a.Opened), tm(a.Due), a.Assignee, a.SubjectID, a.Subject.Query.Name,
			a.Subject.Fingerprint, a.EntityID, a.EntityName, a.EntityFingerprint, strconv.FormatFloat(a.Score, 'f', 4, 64),
			a.Result.Operator, a.Result.Date, strings.Join(lists, "; "), a.Result.Engine.Version,
			strconv.FormatFloat(a.Result.Engine.Threshold, 'f', 2, 64), strings.Join(obligations, "; "), a.Run, tm(a.LastSeen),
			prev, changes, tmp(a.ListingRemoved)}
		if n := len(a.Decisions); n > 0 {
			d := a.Decisions[n-1]
			r = append(r, strconv.FormatInt(d.ID, 10), d.Outcome, d.Reason, d.Maker, tm(d.Made), d.State, d.Checker, tmp(d.Checked), d.CheckNote)
		} else {
			r = append(r, "", "", "", "", "", "", "", "", "")
		}
		out = append(out, r)
	}
	return out
}

func decisionRows(alerts []*Alert) [][]string {
	var out [][]string
	for _, a := range alerts {
		for _, d := range a.Decisions {
			var atts []string
			for _, at := range d.Attachments {
				atts = append(atts, fmt.Sprintf("%s (%s, %d bytes, sha256 %s)", at.Name, at.Type, at.Size, at.SHA256))
			}
			out = append(out, []string{strconv.FormatInt(d.ID, 10), strconv.FormatInt(a.ID, 10), a.SubjectID, a.EntityID, d.Outcome,
				d.Reason, d.Maker, d.MakerRole, tm(d.Made), d.State, d.Checker, d.CheckerRole, tmp(d.Checked), d.CheckNote, strings.Join(atts, "; ")})
		}
	}
	return out
}
