package server

import (
	"bufio"
	"embed"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/lexscreen/lexscreen/audit"
)

// The named what-if overlays the server offers (server/overlays/*.yaml):
// regime overlays (regime.Load) that a client sends back as the regimes of
// a screening, or names in the web interface's toggles. Each file starts
// with "# title:" and "# description:" lines.

//go:embed overlays/*.yaml
var overlayFiles embed.FS

// Overlay is a named what-if overlay: its id, what it supposes, and the
// YAML document to send as a screening's regimes.
type Overlay struct {
	ID          string `json:"id" example:"eu-blocks-icc-2027"`
	Title       string `json:"title"`
	Description string `json:"description"`
	YAML        string `json:"yaml" doc:"the overlay, to send as the regimes of POST /v1/screen (with an operator)"`
}

// OverlaysResponse is the answer of GET /v1/overlays.
type OverlaysResponse struct {
	Overlays []Overlay `json:"overlays"`
}

// Overlays are the named overlays, by id.
var Overlays = sync.OnceValue(func() []Overlay {
	names, _ := fs.Glob(overlayFiles, "overlays/*.yaml")
	var out []Overlay
	for _, n := range names {
		b, _ := overlayFiles.ReadFile(n)
		o := Overlay{ID: strings.TrimSuffix(path.Base(n), ".yaml"), YAML: string(b)}
		sc := bufio.NewScanner(strings.NewReader(o.YAML))
		for sc.Scan() {
			line := sc.Text()
			if v, ok := strings.CutPrefix(line, "# title: "); ok {
				o.Title = v
			} else if v, ok := strings.CutPrefix(line, "# description: "); ok {
				o.Description = v
			}
		}
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
})

func (s *Server) overlayRoute() route {
	return route{Method: "GET", Path: "/v1/overlays", Role: audit.RoleScreener, Summary: "The named what-if overlays: legal changes to try a screening or report under",
		Description: "Each overlay is a regime overlay (YAML) that supposes a change of the law (an annex, a designation date, a warrant's status); send its yaml as the regimes of a screening. Obligations that rest on an overlay say so.",
		Response:    OverlaysResponse{}, handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, OverlaysResponse{Overlays: Overlays()})
		}}
}
