package worldmap

import (
	"strings"
	"testing"
)

// TestCountries checks the vendored atlas decodes into the countries a
// States Parties map needs, each with a closed path inside the view box.
func TestCountries(t *testing.T) {
	cs, err := Countries()
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 177 {
		t.Errorf("%d countries, want 177 (world-atlas 110m)", len(cs))
	}
	byCode := map[string]Country{}
	for _, c := range cs {
		if c.Path == "" || !strings.HasPrefix(c.Path, "M") || !strings.HasSuffix(c.Path, "Z") {
			t.Errorf("%s: path %.40q", c.Name, c.Path)
		}
		if c.ISO2 != "" {
			if _, dup := byCode[c.ISO2]; dup {
				t.Errorf("two countries coded %s", c.ISO2)
			}
			byCode[c.ISO2] = c
		}
	}
	// States whose ICC cooperation the pages discuss, and non-parties.
	for _, cc := range []string{"MN", "HU", "IT", "TJ", "UA", "BI", "PH", "US", "RU", "IL", "DE", "XK", "FJ"} {
		if _, ok := byCode[cc]; !ok {
			t.Errorf("no country coded %s", cc)
		}
	}
}

// TestProject checks the projection's frame: the origin in the middle, the
// antimeridian at the edges, the poles inside the view box, north up.
func TestProject(t *testing.T) {
	tests := []struct {
		lon, lat float64
		check    func(x, y float64) bool
		what     string
	}{
		{0, 0, func(x, y float64) bool { return x == Width/2 && y == Height/2 }, "centre"},
		{-180, 0, func(x, y float64) bool { return x > -0.01 && x < 0.01 }, "left edge"},
		{180, 0, func(x, y float64) bool { return x > Width-0.01 && x < Width+0.01 }, "right edge"},
		{0, 90, func(x, y float64) bool { return y > 0 && y < 30 }, "north pole near the top"},
		{0, -90, func(x, y float64) bool { return y < Height && y > Height-30 }, "south pole near the bottom"},
		{106.9, 47.9, func(x, y float64) bool { return x > Width/2 && y < Height/2 }, "Ulaanbaatar north-east"},
		{-58.4, -34.6, func(x, y float64) bool { return x < Width/2 && y > Height/2 }, "Buenos Aires south-west"},
	}
	for _, tc := range tests {
		if x, y := Project(tc.lon, tc.lat); !tc.check(x, y) {
			t.Errorf("%s: Project(%v, %v) = %.1f, %.1f", tc.what, tc.lon, tc.lat, x, y)
		}
	}
}

// TestDecodeErrors checks that a damaged topology is refused, never drawn in part.
func TestDecodeErrors(t *testing.T) {
	for name, doc := range map[string]string{
		"not json":     `{`,
		"not topology": `{"type":"FeatureCollection"}`,
		"no object":    `{"type":"Topology","objects":{},"arcs":[]}`,
		"bad arc":      `{"type":"Topology","objects":{"countries":{"type":"GeometryCollection","geometries":[{"type":"Polygon","arcs":[[5]],"id":"008"}]}},"arcs":[[[0,0],[1,1]]]}`,
		"point":        `{"type":"Topology","objects":{"countries":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[0,0]}]}},"arcs":[]}`,
	} {
		if _, err := Decode([]byte(doc), "countries"); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	cs, err := Decode([]byte(`{"type":"Topology","objects":{"countries":{"type":"GeometryCollection","geometries":[{"type":"Polygon","arcs":[[0,~0]],"id":"008","properties":{"name":"Albania"}}]}},"arcs":[[[19,40],[20,41],[21,42]]]}`), "countries")
	if err == nil {
		t.Errorf("~0 is not JSON: want an error, got %v", cs)
	}
	cs, err = Decode([]byte(`{"type":"Topology","objects":{"countries":{"type":"GeometryCollection","geometries":[{"type":"Polygon","arcs":[[0,-1]],"id":"008","properties":{"name":"Albania"}}]}},"arcs":[[[19,40],[20,41],[21,42]]]}`), "countries")
	if err != nil || len(cs) != 1 || cs[0].ISO2 != "AL" || strings.Count(cs[0].Path, "L") != 4 {
		t.Errorf("reversed arc: %v %+v", err, cs)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"type":"Topology","transform":{"scale":[1,1],"translate":[0,0]},"objects":{"countries":{"type":"GeometryCollection","geometries":[{"type":"MultiPolygon","arcs":[[[0]]],"id":"840"}]}},"arcs":[[[0,0],[1,1],[-1,0]]]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = Decode(b, "countries")
	})
}
