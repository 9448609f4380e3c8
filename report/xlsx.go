package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/regime"
)

// Sheet names of the XLSX export.
const (
	SheetSummary   = "Summary"
	SheetPrograms  = "By list and program"
	SheetListings  = "Obligations"
	SheetOverlay   = "Obligations with overlay"
	SheetChanges   = "Overlay changes"
	maxCellLength  = 32767 // Excel's limit on a cell's text
	truncateMarker = " [truncated: see the JSON report]"
)

// listingHeader is the header of the obligations sheets: one row per
// obligation of each listing (a listing with none has one row).
var listingHeader = []any{"Section", "Entity id", "Name", "List", "Programs", "Duty", "Authority", "Legal basis", "Deadline",
	"Confidence", "Confidence limited by", "Flags", "Explanation", "Source", "Conflicts"}

// WriteXLSX writes the exposure as a workbook: a summary, the counts by list
// and program, every obligation of every listing (with and without the
// overlay) and the listings the overlay moves. It streams the large sheets.
func WriteXLSX(w io.Writer, x Exposure) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return err
	}
	if err := writeSummary(f, x); err != nil {
		return fmt.Errorf("report: summary sheet: %w", err)
	}
	if err := writePrograms(f, x); err != nil {
		return fmt.Errorf("report: program sheet: %w", err)
	}
	if err := writeListings(f, SheetListings, x.Base); err != nil {
		return fmt.Errorf("report: obligations sheet: %w", err)
	}
	if x.Overlay != nil {
		if err := writeListings(f, SheetOverlay, *x.Overlay); err != nil {
			return fmt.Errorf("report: overlay sheet: %w", err)
		}
		if err := writeChanges(f, Compare(x.Base, *x.Overlay)); err != nil {
			return fmt.Errorf("report: changes sheet: %w", err)
		}
	}
	return f.Write(w)
}

func writeSummary(f *excelize.File, x Exposure) error {
	rows := [][]any{
		{"Exposure report"},
		{"Operator", x.Operator},
		{"Date", x.Date},
		{"Generated", x.Generated.UTC().Format("2006-01-02 15:04:05 UTC")},
		{"Listings evaluated", x.Base.Listings},
	}
	if x.Overlay != nil {
		rows = append(rows, []any{"What-if overlay", x.OverlayName})
	}
	rows = append(rows, []any{}, []any{"Section", "Listings (no overlay)"})
	if x.Overlay != nil {
		rows[len(rows)-1] = append(rows[len(rows)-1], "Listings (with overlay)")
	}
	base := Counts(x.Base)
	var over map[string]int
	if x.Overlay != nil {
		over = Counts(*x.Overlay)
	}
	for _, s := range append(Sections, struct{ ID, Title string }{NotApplicable, "Not applicable"}) {
		row := []any{s.Title, base[s.ID]}
		if over != nil {
			row = append(row, over[s.ID])
		}
		rows = append(rows, row)
	}
	rows = append(rows, []any{}, []any{"List", "Version", "Published", "Age (days)", "Snapshot"})
	for _, l := range x.Lists {
		rows = append(rows, []any{l.Source, l.Version, l.Published, l.AgeDays, l.Snapshot})
	}
	if len(x.Warnings) > 0 {
		rows = append(rows, []any{}, []any{"Warnings"})
		for _, w := range x.Warnings {
			rows = append(rows, []any{cell(w)})
		}
	}
	for i, row := range rows {
		if len(row) == 0 {
			continue
		}
		at, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(SheetSummary, at, &row); err != nil {
			return err
		}
	}
	return f.SetColWidth(SheetSummary, "A", "A", 28)
}

func writePrograms(f *excelize.File, x Exposure) error {
	if _, err := f.NewSheet(SheetPrograms); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(SheetPrograms)
	if err != nil {
		return err
	}
	header := []any{"List", "Program"}
	for _, s := range Sections {
		header = append(header, s.Title)
	}
	header = append(header, "Listings", "Duties")
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for i, row := range ByProgram(x.Base) {
		r := []any{row.Source, row.Program}
		for _, s := range Sections {
			r = append(r, row.Sections[s.ID])
		}
		r = append(r, row.Total, strings.Join(row.Kinds, ", "))
		at, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(at, r); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func writeListings(f *excelize.File, sheet string, r regime.Report) error {
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", listingHeader); err != nil {
		return err
	}
	n := 2
	for _, it := range Items(r) {
		conflicts := make([]string, 0, len(it.Conflicts))
		for _, c := range it.Conflicts {
			conflicts = append(conflicts, c.Explanation)
		}
		obs := it.Obligations
		if len(obs) == 0 {
			obs = append(obs, lexscreen.Obligation{Kind: "(none)"})
		}
		for _, o := range obs {
			flags := make([]string, 0, len(o.Flags))
			for _, fl := range o.Flags {
				flags = append(flags, fl.Code+" since "+fl.Since+": "+fl.Text)
			}
			row := []any{SectionTitle(it.Section), it.EntityID, cell(it.Name), it.Source, strings.Join(it.Programs, ", "), o.Kind, o.Authority,
				cell(o.Basis), o.Deadline, o.Confidence, cell(o.ConfidenceLimitedBy), cell(strings.Join(flags, "; ")), cell(o.Explanation), cell(o.Source),
				cell(strings.Join(conflicts, " | "))}
			at, _ := excelize.CoordinatesToCellName(1, n)
			if err := sw.SetRow(at, row); err != nil {
				return err
			}
			n++
		}
	}
	return sw.Flush()
}

func writeChanges(f *excelize.File, changes []Change) error {
	if _, err := f.NewSheet(SheetChanges); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(SheetChanges)
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{"Entity id", "Name", "List", "Without overlay", "With overlay", "Duties with overlay"}); err != nil {
		return err
	}
	for i, c := range changes {
		at, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(at, []any{c.EntityID, cell(c.Name), c.Source, SectionTitle(c.Without), SectionTitle(c.With), strings.Join(c.Kinds, ", ")}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// cell keeps a text within Excel's cell limit, saying where it was cut.
func cell(s string) string {
	if len(s) <= maxCellLength {
		return s
	}
	cut := maxCellLength - len(truncateMarker)
	for cut > 0 && s[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
		cut--
	}
	return s[:cut] + truncateMarker
}
