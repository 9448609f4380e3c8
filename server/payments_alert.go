package server

import (
	"context"
	"net/http"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/match"
	"github.com/lexscreen/lexscreen/payments"
	"github.com/lexscreen/lexscreen/workspace"
)

// PaymentAlerts is what POST /v1/payments/screen?alert=1 did in the
// workspace.
type PaymentAlerts struct {
	Pairs  []workspace.PaymentAlert `json:"pairs" doc:"per party (or free-text name) not passed and listed entity: the alert opened or found, or the approved decision that suppressed it"`
	Report workspace.FoundReport    `json:"report"`
}

// paymentAlerter gathers the hits of the payments of one request and
// records them in the workspace.
type paymentAlerter struct {
	s      *Server
	lists  []lexscreen.ListVersion
	engine lexscreen.Engine
	hits   []workspace.PaymentHit
}

func (s *Server) newPaymentAlerter(lists []lexscreen.ListVersion) *paymentAlerter {
	return &paymentAlerter{s: s, lists: lists,
		engine: lexscreen.Engine{Version: "lexscreen payments " + match.Version, Threshold: match.DefaultThreshold}}
}

// add gathers the hits of one payment with their listings' fingerprints.
func (pa *paymentAlerter) add(ctx context.Context, res payments.Result) error {
	for _, h := range workspace.PaymentHits(res, pa.lists, pa.engine) {
		fps, err := workspace.Fingerprints(ctx, pa.s.cfg.Store, h.Result)
		if err != nil {
			return err
		}
		h.EntityFingerprints = fps
		pa.hits = append(pa.hits, h)
	}
	return nil
}

// record opens (or finds, or suppresses) the alerts, as the request's key.
func (pa *paymentAlerter) record(ctx context.Context, r *http.Request) (*PaymentAlerts, error) {
	out := &PaymentAlerts{Pairs: []workspace.PaymentAlert{}, Report: workspace.FoundReport{Opened: []int64{}, Realerted: []int64{}}}
	if len(pa.hits) == 0 {
		return out, nil
	}
	pairs, rep, err := pa.s.cfg.Workspace.FoundPayment(ctx, actorOf(r), "payment:"+time.Now().UTC().Format(time.RFC3339Nano), pa.hits)
	if err != nil {
		return nil, err
	}
	out.Pairs, out.Report = pairs, rep
	return out, nil
}
