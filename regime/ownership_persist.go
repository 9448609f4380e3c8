package regime

import (
	"maps"
	"math"
	"slices"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/internal/binfile"
)

// Encode writes the graph to w (nodes and holdings in id order: the same
// graph gives the same bytes). DecodeOwnership reads it back.
func (g *OwnershipGraph) Encode(w *binfile.Writer) {
	w.Uvarint(uint64(g.Unresolved))
	w.Uvarint(uint64(g.edges))
	ids := slices.Sorted(maps.Keys(g.nodes))
	w.Uvarint(uint64(len(ids)))
	for _, id := range ids {
		n := g.nodes[id]
		w.String(n.id)
		w.String(n.source)
		w.String(n.caption)
		w.String(string(n.schema))
		w.Designations(n.designations)
	}
	owned := slices.Sorted(maps.Keys(g.owners))
	w.Uvarint(uint64(len(owned)))
	for _, id := range owned {
		w.String(id)
		es := g.owners[id]
		w.Uvarint(uint64(len(es)))
		for _, e := range es {
			w.String(e.owner)
			w.Uvarint(math.Float64bits(e.percent))
			w.String(e.given)
			w.Bool(e.control)
			w.String(e.relation)
			encodeTime(w, e.start)
			encodeTime(w, e.end)
		}
	}
}

// encodeTime writes a holding's date (UTC midnight or zero, as linkDate
// gives them).
func encodeTime(w *binfile.Writer, t time.Time) {
	w.Bool(t.IsZero())
	if !t.IsZero() {
		w.Varint(t.Unix())
	}
}

func decodeTime(r *binfile.Reader) time.Time {
	if r.Bool() {
		return time.Time{}
	}
	return time.Unix(r.Varint(), 0).UTC()
}

// DecodeOwnership reads a graph Encode wrote; it fails, returning no
// graph, when the bytes are not one.
func DecodeOwnership(r *binfile.Reader) (*OwnershipGraph, error) {
	g := &OwnershipGraph{owners: map[string][]ownerEdge{}, nodes: map[string]*ownerNode{}}
	g.Unresolved = int(r.Uvarint())
	g.edges = int(r.Uvarint())
	for range r.Count(8) {
		n := &ownerNode{id: r.String(), source: r.String(), caption: r.String(), schema: lexscreen.Schema(r.String())}
		n.designations = r.Designations()
		g.nodes[n.id] = n
	}
	for range r.Count(3) {
		id := r.String()
		es := make([]ownerEdge, r.Count(8))
		for i := range es {
			e := &es[i]
			e.owner = r.String()
			e.percent = math.Float64frombits(r.Uvarint())
			e.given, e.control, e.relation = r.String(), r.Bool(), r.String()
			e.start, e.end = decodeTime(r), decodeTime(r)
		}
		g.owners[id] = es
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	return g, nil
}
