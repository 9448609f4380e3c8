package regime

import (
	"errors"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/internal/binfile"
)

// Encode writes the graph to w (nodes and holdings in id order: the same
// graph gives the same bytes). DecodeOwnership reads it back, in place.
// Only a built graph can be written (not one read in place): w fails
// otherwise.
func (g *OwnershipGraph) Encode(w *binfile.Writer) {
	if g.v != nil {
		w.Fail(errors.New("an ownership graph read from a file cannot be written again: build it"))
		return
	}
	w.Uvarint(uint64(g.Unresolved))
	w.Uvarint(uint64(g.edges))
	ids := slices.Sorted(maps.Keys(g.nodes))
	w.StringRefs(ids)
	w.Records(len(ids), func(i int, w *binfile.Writer) {
		n := g.nodes[ids[i]]
		w.String(n.source)
		w.String(n.caption)
		w.String(string(n.schema))
		w.Designations(n.designations)
	})
	owned := slices.Sorted(maps.Keys(g.owners))
	w.StringRefs(owned)
	w.Records(len(owned), func(i int, w *binfile.Writer) {
		es := g.owners[owned[i]]
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
	})
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

// ownerView is a graph read in place: the nodes and the holdings of each
// owned entity are decoded when an evaluation asks for them.
type ownerView struct {
	r                   *binfile.Reader
	nodeIDs, ownedIDs   binfile.Keys
	nodeOffs, ownedOffs []uint64
	nodeRecs, ownedRecs []byte
}

// DecodeOwnership reads a graph Encode wrote, in place (see ownerView);
// it checks every record first and fails, returning no graph, when the
// bytes are not one.
func DecodeOwnership(r *binfile.Reader) (*OwnershipGraph, error) {
	g := &OwnershipGraph{v: &ownerView{r: r}}
	v := g.v
	g.Unresolved = int(r.Uvarint())
	g.edges = int(r.Uvarint())
	v.nodeIDs = r.Keys()
	v.nodeOffs, v.nodeRecs = r.Records()
	v.ownedIDs = r.Keys()
	v.ownedOffs, v.ownedRecs = r.Records()
	if err := r.Err(); err != nil {
		return nil, err
	}
	if v.nodeIDs.Len() != len(v.nodeOffs)-1 || v.ownedIDs.Len() != len(v.ownedOffs)-1 {
		r.Fail("%d node ids for %d nodes, %d owned ids for %d", v.nodeIDs.Len(), len(v.nodeOffs)-1, v.ownedIDs.Len(), len(v.ownedOffs)-1)
		return nil, r.Err()
	}
	rr := r.Record(nil)
	for i := range v.nodeIDs.Len() {
		rr.Reset(v.nodeRecs[v.nodeOffs[i]:v.nodeOffs[i+1]])
		rr.SkipString()
		rr.SkipString()
		rr.SkipString()
		rr.SkipDesignations()
		if err := rr.Done(); err != nil {
			r.Fail("ownership node %d: %v", i, err)
			return nil, r.Err()
		}
	}
	for i := range v.ownedIDs.Len() {
		rr.Reset(v.ownedRecs[v.ownedOffs[i]:v.ownedOffs[i+1]])
		decodeEdges(rr, false)
		if err := rr.Done(); err != nil {
			r.Fail("ownership holdings %d: %v", i, err)
			return nil, r.Err()
		}
	}
	r.Release(v.nodeRecs)
	r.Release(v.ownedRecs)
	return g, nil
}

// decodeEdges reads the holdings of one owned entity (keep false: only
// checks them).
func decodeEdges(r *binfile.Reader, keep bool) []ownerEdge {
	n := r.Count(8)
	var es []ownerEdge
	if keep {
		es = make([]ownerEdge, n)
	}
	var e ownerEdge
	for i := range n {
		e.owner = r.String()
		e.percent = math.Float64frombits(r.Uvarint())
		e.given, e.control, e.relation = r.String(), r.Bool(), r.String()
		e.start, e.end = decodeTime(r), decodeTime(r)
		if keep {
			es[i] = e
		}
	}
	return es
}

// ownersOf returns the holdings in the entity id.
func (g *OwnershipGraph) ownersOf(id string) []ownerEdge {
	if g.v == nil {
		return g.owners[id]
	}
	i, ok := g.v.ownedIDs.Find(id)
	if !ok {
		return nil
	}
	return decodeEdges(g.v.r.Record(g.v.ownedRecs[g.v.ownedOffs[i]:g.v.ownedOffs[i+1]]), true)
}

// owned reports whether anyone holds the entity id.
func (g *OwnershipGraph) owned(id string) bool {
	if g.v == nil {
		return len(g.owners[id]) > 0
	}
	i, ok := g.v.ownedIDs.Find(id)
	return ok && g.v.r.Record(g.v.ownedRecs[g.v.ownedOffs[i]:g.v.ownedOffs[i+1]]).Uvarint() > 0
}

// node returns what the graph keeps of the entity id, or nil.
func (g *OwnershipGraph) node(id string) *ownerNode {
	if g.v == nil {
		return g.nodes[id]
	}
	i, ok := g.v.nodeIDs.Find(id)
	if !ok {
		return nil
	}
	r := g.v.r.Record(g.v.nodeRecs[g.v.nodeOffs[i]:g.v.nodeOffs[i+1]])
	n := &ownerNode{id: g.v.nodeIDs.At(i), source: r.String(), caption: r.String(), schema: lexscreen.Schema(r.String())}
	n.designations = r.Designations()
	return n
}
