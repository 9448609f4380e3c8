package server

import (
	"bufio"
	"net/http"
	"strconv"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/source/ftm"
)

// handleExport streams the lists in use as FtM JSON lines. An error after
// the first line can't change the status any more: the stream then ends
// with no trailer X-Export-Complete: true, and the log says why.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	if err := checkParams(r.URL.Query(), "source"); err != nil {
		writeErr(w, r, err)
		return
	}
	ix, err := s.current()
	if err != nil {
		writeErr(w, r, err)
		return
	}
	want := r.URL.Query().Get("source")
	snaps := ix.Snapshots
	if want != "" {
		snaps = nil
		for _, sn := range ix.Snapshots {
			if ftm.NamesSource(want, sn.Source) {
				snaps = append(snaps, sn)
			}
		}
		if len(snaps) == 0 {
			writeErr(w, r, lexscreen.Errorf(lexscreen.ENOTFOUND, "source=%q: no such list in use (see /v1/lists)", want))
			return
		}
	}
	h := w.Header()
	h.Set("Content-Type", "application/x-ndjson")
	h.Set("Trailer", "X-Export-Complete, X-Export-Entities")
	bw := bufio.NewWriterSize(w, 64<<10)
	out := ftm.NewWriter(bw)
	topics := ix.factsOf().topics
	for _, sn := range snaps {
		err := s.cfg.Store.Entities(r.Context(), sn.ID, func(e *lexscreen.Entity) error {
			x := ftm.Export(e, topics[e.ID])
			x.SetLastSeen(ftm.Timestamp(snapshotTime(sn)))
			return out.Write(x)
		})
		if err != nil {
			bw.Flush()
			s.log.Error("export broke off", "source", sn.Source, "written", out.Count(), "err", err)
			h.Set("X-Export-Complete", "false")
			h.Set("X-Export-Entities", strconv.Itoa(out.Count()))
			return
		}
	}
	bw.Flush()
	h.Set("X-Export-Complete", "true")
	h.Set("X-Export-Entities", strconv.Itoa(out.Count()))
}
