package binfile

import "github.com/lexscreen/lexscreen"

// Date appends a date value.
func (w *Writer) Date(d lexscreen.DateValue) {
	for _, p := range []lexscreen.PartialDate{d.From, d.To} {
		w.Varint(int64(p.Year))
		w.Varint(int64(p.Month))
		w.Varint(int64(p.Day))
	}
	w.Bool(d.Circa)
	w.String(d.Text)
}

// Date reads what Writer.Date wrote.
func (r *Reader) Date() lexscreen.DateValue {
	var d lexscreen.DateValue
	d.From.Year, d.From.Month, d.From.Day = r.Int(), r.Int(), r.Int()
	d.To.Year, d.To.Month, d.To.Day = r.Int(), r.Int(), r.Int()
	d.Circa = r.Bool()
	d.Text = r.String()
	return d
}

// Designations appends designations, telling nil from empty.
func (w *Writer) Designations(ds []lexscreen.Designation) {
	w.Len(ds == nil, len(ds))
	for _, d := range ds {
		w.String(d.Authority)
		w.String(d.List)
		w.String(d.Program)
		w.String(d.LegalBasis)
		w.Date(d.ListedOn)
		w.String(d.Reference)
		w.Strings(d.Measures)
		w.String(d.Remarks)
	}
}

// Designations reads what Writer.Designations wrote.
func (r *Reader) Designations() []lexscreen.Designation {
	n, isNil := r.Len(8)
	if isNil {
		return nil
	}
	ds := make([]lexscreen.Designation, n)
	for i := range ds {
		d := &ds[i]
		d.Authority, d.List, d.Program, d.LegalBasis = r.String(), r.String(), r.String(), r.String()
		d.ListedOn = r.Date()
		d.Reference = r.String()
		d.Measures = r.Strings()
		d.Remarks = r.String()
	}
	return ds
}
