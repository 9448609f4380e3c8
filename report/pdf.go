package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"

	"github.com/lexscreen/lexscreen/regime"
)

// MaxPDFItems is how many listings of each of the short sections (in
// conflict, must not comply, what the overlay changes) the PDF prints in
// full; past it, it says how many more the XLSX holds.
const MaxPDFItems = 200

// WritePDF writes the exposure as an A4 landscape PDF: the summary and
// lists used, the counts by list and program (with and without the
// overlay), the listings in conflict and that must not be complied with,
// each with its duties, legal basis and confidence, and the listings the
// overlay moves. The long sections (binding, risk) are counted, not listed:
// the XLSX holds every row. Text the PDF's font can't show (a name in a
// non-Latin script) is replaced by "?" and the page says so.
func WritePDF(w io.Writer, x Exposure) error {
	p := fpdf.New("L", "mm", "A4", "")
	p.SetTitle("Exposure report: "+x.Operator+" on "+x.Date, true)
	p.SetCreator("lexscreen", true)
	p.SetAutoPageBreak(true, 15)
	p.AliasNbPages("{nb}")
	tr := p.UnicodeTranslatorFromDescriptor("") // cp1252
	lossy := false
	txt := func(s string) string {
		out := tr(s)
		// The translator drops what cp1252 lacks; count the runes to tell.
		if utf8.RuneCountInString(s) != len(out) {
			lossy = true
			var b strings.Builder
			for _, r := range s {
				if t := tr(string(r)); t != "" {
					b.WriteString(t)
				} else {
					b.WriteByte('?')
				}
			}
			return b.String()
		}
		return out
	}
	p.SetFooterFunc(func() {
		p.SetY(-10)
		p.SetFont("Helvetica", "", 8)
		p.CellFormat(0, 5, txt(fmt.Sprintf("lexscreen exposure report, %s on %s, generated %s. Page %d of {nb}",
			x.Operator, x.Date, x.Generated.UTC().Format("2006-01-02 15:04 UTC"), p.PageNo())), "", 0, "C", false, 0, "")
	})
	p.AddPage()
	p.SetFont("Helvetica", "B", 16)
	p.CellFormat(0, 10, txt("Exposure report: "+x.Operator+" on "+x.Date), "", 1, "L", false, 0, "")
	p.SetFont("Helvetica", "", 10)
	p.MultiCell(0, 5, txt(fmt.Sprintf("What the law requires of operator %s on %s for each of the %d listings of the lists below, by section. "+
		"Every duty carries its legal basis and a confidence tag (V verified, V-2nd secondary source, D derived, M from memory: UNCONFIRMED).",
		x.Operator, x.Date, x.Base.Listings)), "", "L", false)
	if x.Overlay != nil {
		p.MultiCell(0, 5, txt("What-if overlay compared: "+x.OverlayName+". It is a hypothesis, not the law in force."), "", "L", false)
	}
	p.Ln(2)

	// Counts by section.
	head := []string{"Section", "No overlay"}
	widths := []float64{60, 30}
	if x.Overlay != nil {
		head, widths = append(head, "With overlay"), append(widths, 30)
	}
	table(p, txt, head, widths)
	base := Counts(x.Base)
	var over map[string]int
	if x.Overlay != nil {
		over = Counts(*x.Overlay)
	}
	for _, s := range append(Sections, struct{ ID, Title string }{NotApplicable, "Not applicable"}) {
		row := []string{s.Title, strconv.Itoa(base[s.ID])}
		if over != nil {
			row = append(row, strconv.Itoa(over[s.ID]))
		}
		tableRow(p, txt, row, widths)
	}
	p.Ln(3)

	section(p, txt, "Lists evaluated")
	widths = []float64{60, 80, 35, 25, 25}
	table(p, txt, []string{"List", "Version", "Published", "Age (days)", "Snapshot"}, widths)
	for _, l := range x.Lists {
		tableRow(p, txt, []string{l.Source, l.Version, l.Published, strconv.Itoa(l.AgeDays), strconv.FormatInt(l.Snapshot, 10)}, widths)
	}
	for _, wn := range x.Warnings {
		p.MultiCell(0, 5, txt("Warning: "+wn), "", "L", false)
	}
	p.Ln(3)

	section(p, txt, "By list and program (no overlay)")
	programTable(p, txt, ByProgram(x.Base))
	if x.Overlay != nil {
		section(p, txt, "By list and program (with overlay)")
		programTable(p, txt, ByProgram(*x.Overlay))
		changes := Compare(x.Base, *x.Overlay)
		section(p, txt, fmt.Sprintf("What the overlay changes: %d listings", len(changes)))
		widths = []float64{55, 75, 35, 35, 35, 42}
		table(p, txt, []string{"Entity id", "Name", "Without", "With", "List", "Duties with overlay"}, widths)
		for i, c := range changes {
			if i == MaxPDFItems {
				p.MultiCell(0, 5, txt(fmt.Sprintf("... and %d more: see the XLSX export (sheet %q).", len(changes)-i, SheetChanges)), "", "L", false)
				break
			}
			tableRow(p, txt, []string{c.EntityID, c.Name, SectionTitle(c.Without), SectionTitle(c.With), c.Source, strings.Join(c.Kinds, ", ")}, widths)
		}
	}
	detail(p, txt, "In conflict (no overlay)", x.Base.InConflict)
	detail(p, txt, "Must not comply (no overlay)", x.Base.MustNotComply)
	if x.Overlay != nil {
		detail(p, txt, "In conflict (with overlay)", x.Overlay.InConflict)
		detail(p, txt, "Must not comply (with overlay)", x.Overlay.MustNotComply)
	}
	if lossy {
		p.Ln(3)
		p.SetFont("Helvetica", "I", 9)
		p.MultiCell(0, 5, "Some names or texts are in characters this PDF's font cannot show; they are printed as '?'. The XLSX and JSON exports hold them in full.", "", "L", false)
	}
	if err := p.Error(); err != nil {
		return fmt.Errorf("report: pdf: %w", err)
	}
	return p.Output(w)
}

func section(p *fpdf.Fpdf, txt func(string) string, title string) {
	p.Ln(2)
	p.SetFont("Helvetica", "B", 12)
	p.CellFormat(0, 8, txt(title), "", 1, "L", false, 0, "")
	p.SetFont("Helvetica", "", 9)
}

func table(p *fpdf.Fpdf, txt func(string) string, head []string, widths []float64) {
	p.SetFont("Helvetica", "B", 9)
	p.SetFillColor(230, 230, 230)
	for i, h := range head {
		p.CellFormat(widths[i], 6, txt(h), "1", 0, "L", true, 0, "")
	}
	p.Ln(-1)
	p.SetFont("Helvetica", "", 9)
}

// tableRow writes one row, each cell cut to its width.
func tableRow(p *fpdf.Fpdf, txt func(string) string, cells []string, widths []float64) {
	for i, c := range cells {
		s := txt(c)
		for len(s) > 1 && p.GetStringWidth(s) > widths[i]-2 {
			s = s[:len(s)-2] + "~"
		}
		p.CellFormat(widths[i], 5, s, "1", 0, "L", false, 0, "")
	}
	p.Ln(-1)
}

func programTable(p *fpdf.Fpdf, txt func(string) string, rows []ProgramRow) {
	widths := []float64{40, 55, 20, 20, 20, 20, 20, 20, 62}
	head := []string{"List", "Program"}
	for _, s := range Sections {
		head = append(head, s.Title)
	}
	head = append(head, "Duties")
	p.SetFont("Helvetica", "B", 7)
	p.SetFillColor(230, 230, 230)
	for i, h := range head {
		p.CellFormat(widths[i], 6, txt(h), "1", 0, "L", true, 0, "")
	}
	p.Ln(-1)
	p.SetFont("Helvetica", "", 8)
	for _, r := range rows {
		cells := []string{r.Source, r.Program}
		for _, s := range Sections {
			cells = append(cells, strconv.Itoa(r.Sections[s.ID]))
		}
		cells = append(cells, strings.Join(r.Kinds, ", "))
		tableRow(p, txt, cells, widths)
	}
}

// detail prints each listing of a short section with its duties in full.
func detail(p *fpdf.Fpdf, txt func(string) string, title string, items []regime.Item) {
	if len(items) == 0 {
		return
	}
	section(p, txt, fmt.Sprintf("%s: %d listings", title, len(items)))
	for i, it := range items {
		if i == MaxPDFItems {
			p.MultiCell(0, 5, txt(fmt.Sprintf("... and %d more: see the XLSX export.", len(items)-i)), "", "L", false)
			return
		}
		p.SetFont("Helvetica", "B", 9)
		p.MultiCell(0, 5, txt(fmt.Sprintf("%s (%s; %s)", it.Name, it.EntityID, strings.Join(it.Programs, ", "))), "", "L", false)
		p.SetFont("Helvetica", "", 8)
		for _, o := range it.Obligations {
			p.MultiCell(0, 4, txt(fmt.Sprintf("%s [%s] %s. Basis: %s. %s", o.Kind, o.Confidence, o.Authority, o.Basis, o.Explanation)), "", "L", false)
		}
		for _, c := range it.Conflicts {
			p.MultiCell(0, 4, txt("Conflict: "+c.Explanation), "", "L", false)
			for _, wo := range c.WaysOut {
				p.MultiCell(0, 4, txt(fmt.Sprintf("  Way out: %s from %s (%s) [%s]", wo.What, wo.From, wo.Basis, wo.Confidence)), "", "L", false)
			}
		}
		p.Ln(1)
	}
}
