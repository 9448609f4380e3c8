package uk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lexscreen/lexscreen/source"
)

// rowReader yields the rows of one table: cells and the 1-based line (CSV)
// or row number (spreadsheets). It returns io.EOF at the end.
type rowReader interface {
	next() ([]string, int, error)
}

// tableSpec describes one tabular layout.
type tableSpec struct {
	src, authority, list string
	key                  field // column that identifies the entity
	consecutive          bool  // rows of one entity are adjacent (see grouper)
	strictWidth          bool  // every row must have the header's width (CSV)
	unit                 string
}

// isHeader reports whether cells look like the header row of spec.
func (s tableSpec) isHeader(cells []string) bool {
	c := newColumns(cells)
	return c.has(s.key) && c.has(fName6)
}

// parseTable reads banner rows (publication date), the header, then the
// data rows of a UK table, merging rows per key.
func parseTable(ctx context.Context, file source.File, rr rowReader, spec tableSpec, emit source.Emit) (source.Meta, error) {
	meta := source.Meta{Source: spec.src}
	var cols *columns
	g := newGrouper(spec.consecutive, spec.src, spec.authority, spec.list, emit)
	rows := 0
	for {
		cells, line, err := rr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return meta, source.WrapError(file.Name, line, "", err)
		}
		rows++
		if rows%256 == 1 {
			if err := ctx.Err(); err != nil {
				return meta, err
			}
		}
		if cols == nil {
			if spec.isHeader(cells) {
				cols = newColumns(cells)
				continue
			}
			if t, v, ok := bannerDate(strings.Join(cells, " ")); ok && meta.Published.IsZero() {
				meta.Published, meta.Version = t, v
				continue
			}
			if allEmpty(cells) || rows <= 3 {
				continue // blank or unrecognised banner rows before the header
			}
			return meta, source.NewError(file.Name, line, "", "no header row with %q and %q columns in the first rows", "Name 6", keyLabel(spec.key))
		}
		if allEmpty(cells) {
			continue
		}
		if spec.strictWidth && len(cells) != cols.width {
			if len(cells) < cols.width || !allEmpty(cells[cols.width:]) {
				return meta, source.NewError(file.Name, line, "", "row %d: %d columns, want %d", line, len(cells), cols.width)
			}
		}
		r := row{cols: cols, cells: cells}
		key := r.get(spec.key)
		if key == "" {
			return meta, source.NewError(file.Name, line, keyLabel(spec.key), "row %d: empty %s", line, keyLabel(spec.key))
		}
		b, problem, err := g.get(key, line)
		if err != nil {
			return meta, err
		}
		if problem != "" {
			return meta, source.NewError(file.Name, line, keyLabel(spec.key)+"="+key, "row %d: %s", line, problem)
		}
		b.addRow(r)
	}
	if cols == nil {
		return meta, source.NewError(file.Name, 0, "", "no header row with %q and %q columns: not a %s file", "Name 6", keyLabel(spec.key), spec.unit)
	}
	if err := g.close(); err != nil {
		return meta, err
	}
	return meta, nil
}

func keyLabel(f field) string {
	switch f {
	case fGroupID:
		return "Group ID"
	case fUniqueID:
		return "Unique ID"
	}
	return fmt.Sprint(int(f))
}

func allEmpty(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
