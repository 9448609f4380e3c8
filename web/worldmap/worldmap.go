// Package worldmap draws the countries of the world as SVG paths, server-side,
// from world-atlas's countries-110m.json (TopoJSON, Natural Earth 1:110m;
// vendored from the npm package world-atlas@2.0.2 with its ISC licence in
// data/LICENSE). Each country carries its ISO 3166-1 alpha-2 code, so that a
// page can colour it from data without any JavaScript.
//
// The projection is Natural Earth I (Šavrič, Jenny, Patterson 2011) in a
// 960 × 500 view box.
package worldmap

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed data/countries-110m.json
var countries110m []byte

// Width and Height are the view box of the paths.
const (
	Width  = 960
	Height = 500
)

// Country is one country's outline, projected.
type Country struct {
	ISO2 string // alpha-2 code; "" for the areas without one (N. Cyprus, Somaliland)
	Name string // world-atlas's name (Natural Earth's short name)
	Path string // SVG path data in the Width × Height view box
}

// topology is the part of a TopoJSON document the map reads.
type topology struct {
	Type      string `json:"type"`
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Objects map[string]struct {
		Type       string     `json:"type"`
		Geometries []geometry `json:"geometries"`
	} `json:"objects"`
	Arcs [][][2]float64 `json:"arcs"`
}

type geometry struct {
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Arcs       json.RawMessage `json:"arcs"`
	Properties struct {
		Name string `json:"name"`
	} `json:"properties"`
}

var (
	loadOnce sync.Once
	loaded   []Country
	loadErr  error
)

// Countries returns the world's countries, sorted by name, decoded and
// projected once.
func Countries() ([]Country, error) {
	loadOnce.Do(func() { loaded, loadErr = Decode(countries110m, "countries") })
	return loaded, loadErr
}

// Decode reads the GeometryCollection named object of a quantized or plain
// TopoJSON topology and projects its Polygons and MultiPolygons. A geometry
// of another type, or an arc index out of range, is an error: the map never
// draws a country half.
func Decode(b []byte, object string) ([]Country, error) {
	var t topology
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("worldmap: not TopoJSON: %w", err)
	}
	if t.Type != "Topology" {
		return nil, fmt.Errorf("worldmap: type %q, want Topology", t.Type)
	}
	obj, ok := t.Objects[object]
	if !ok {
		return nil, fmt.Errorf("worldmap: no object %q", object)
	}
	arcs := decodeArcs(t)
	var out []Country
	for _, g := range obj.Geometries {
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var rings [][]int
			if err := json.Unmarshal(g.Arcs, &rings); err != nil {
				return nil, fmt.Errorf("worldmap: %s: %w", g.Properties.Name, err)
			}
			polys = [][][]int{rings}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return nil, fmt.Errorf("worldmap: %s: %w", g.Properties.Name, err)
			}
		case "", "null":
			continue // a geometry without shape draws nothing
		default:
			return nil, fmt.Errorf("worldmap: %s: geometry type %q not drawn", g.Properties.Name, g.Type)
		}
		var sb strings.Builder
		for _, rings := range polys {
			for _, ring := range rings {
				pts, err := ringPoints(arcs, ring)
				if err != nil {
					return nil, fmt.Errorf("worldmap: %s: %w", g.Properties.Name, err)
				}
				writeRing(&sb, pts)
			}
		}
		out = append(out, Country{ISO2: iso2(g.ID, g.Properties.Name), Name: g.Properties.Name, Path: sb.String()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// iso2 is the alpha-2 code of a world-atlas id (ISO 3166-1 numeric).
// Kosovo has no ISO code; XK is the code in common use (EU, IMF, the ICC's
// own data do not need it, but a table may name it).
func iso2(id, name string) string {
	if c, ok := alpha2ByNumeric[id]; ok {
		return c
	}
	if name == "Kosovo" {
		return "XK"
	}
	return ""
}

// decodeArcs turns the (delta-encoded, when quantized) arcs into longitude
// and latitude pairs.
func decodeArcs(t topology) [][][2]float64 {
	out := make([][][2]float64, len(t.Arcs))
	for i, arc := range t.Arcs {
		pts := make([][2]float64, len(arc))
		var x, y float64
		for j, p := range arc {
			if t.Transform == nil {
				pts[j] = p
				continue
			}
			x += p[0]
			y += p[1]
			pts[j] = [2]float64{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
		}
		out[i] = pts
	}
	return out
}

// ringPoints joins the arcs of a ring; a negative index ~i is arc i reversed.
// Consecutive arcs share their end point, which is written once.
func ringPoints(arcs [][][2]float64, ring []int) ([][2]float64, error) {
	var pts [][2]float64
	for k, a := range ring {
		idx, rev := a, false
		if a < 0 {
			idx, rev = ^a, true
		}
		if idx >= len(arcs) {
			return nil, fmt.Errorf("arc %d of %d", idx, len(arcs))
		}
		arc := arcs[idx]
		for j := range arc {
			p := arc[j]
			if rev {
				p = arc[len(arc)-1-j]
			}
			if k > 0 && j == 0 {
				continue
			}
			pts = append(pts, p)
		}
	}
	return pts, nil
}

// writeRing writes one closed ring as "M x,y L x,y ... Z", dropping points
// that project onto the previous one at the precision written. A ring that
// crosses the antimeridian (a jump of more than 180° between two points) is
// unwrapped: its far side runs on past the edge of the view box, which clips
// it, instead of a line drawn across the whole map.
func writeRing(sb *strings.Builder, pts [][2]float64) {
	last := ""
	n := 0
	offset, prev := 0.0, 0.0
	for i, p := range pts {
		if i > 0 {
			switch d := p[0] - prev; {
			case d > 180:
				offset -= 360
			case d < -180:
				offset += 360
			}
		}
		prev = p[0]
		x, y := Project(p[0]+offset, p[1])
		xy := strconv.FormatFloat(x, 'f', 1, 64) + "," + strconv.FormatFloat(y, 'f', 1, 64)
		if xy == last {
			continue
		}
		if n == 0 {
			sb.WriteString("M")
		} else {
			sb.WriteString("L")
		}
		sb.WriteString(xy)
		last = xy
		n++
	}
	if n > 0 {
		sb.WriteString("Z")
	}
}

// Project maps a longitude and latitude (degrees) to the view box with the
// Natural Earth I projection, scaled so that the world fills Width.
func Project(lon, lat float64) (x, y float64) {
	l := lon * math.Pi / 180
	p := lat * math.Pi / 180
	p2 := p * p
	p4 := p2 * p2
	px := l * (0.8707 - 0.131979*p2 + p4*(-0.013791+p4*(0.003971*p2-0.001529*p4)))
	py := p * (1.007226 + p2*(0.015085+p4*(-0.044475+0.028874*p2-0.005916*p4)))
	// px spans ±0.8707π at the equator; py ±1.3173 (at the poles).
	scale := Width / (2 * 0.8707 * math.Pi)
	return Width/2 + px*scale, Height/2 - py*scale
}
