package monitor

import (
	"context"
	"testing"

	"github.com/lexscreen/lexscreen"
)

// alertSink keeps one open alert and re-evaluates it.
type alertSink struct {
	*MemSink
	alert lexscreen.Match
	calls int
}

func (s *alertSink) Reevaluate(_ context.Context, _ string, obl ObligationsFunc) error {
	s.calls++
	o, _, err := obl("", s.alert)
	s.alert.Obligations = o
	return err
}

func TestReevaluate(t *testing.T) {
	ctx := context.Background()
	plain := &Runner{Sink: NewMemSink()}
	if ok, err := plain.Reevaluate(ctx, "r1", nil); ok || err != nil {
		t.Errorf("a sink without alerts: ok %v err %v", ok, err)
	}
	s := &alertSink{MemSink: NewMemSink(), alert: lexscreen.Match{Entity: lexscreen.EntityRef{ID: "x:1"}}}
	want := []lexscreen.Obligation{{Kind: "FREEZE", Basis: "test", Confidence: "V"}}
	ok, err := (&Runner{Sink: s}).Reevaluate(ctx, "r1", func(string, lexscreen.Match) ([]lexscreen.Obligation, []lexscreen.Conflict, error) {
		return want, nil, nil
	})
	if !ok || err != nil || s.calls != 1 || len(s.alert.Obligations) != 1 || s.alert.Obligations[0].Kind != "FREEZE" {
		t.Errorf("ok %v err %v calls %d obligations %+v", ok, err, s.calls, s.alert.Obligations)
	}
}
