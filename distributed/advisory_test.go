package distributed

import (
	"strings"
	"testing"

	"github.com/nats-io/nats.go"
)

const advPrefix = "$JS.EVENT.ADVISORY.CONSUMER."

// Advisories, as nats-server sends them, mark chunks dead with a reason;
// other advisories and junk are ignored.
func TestAdvised(t *testing.T) {
	for _, tc := range []struct {
		name, subject, data string
		wantSeq             uint64
		want                string // "" for ignored
	}{
		{"max deliveries", advPrefix + "MAX_DELIVERIES." + StreamName + "." + ConsumerName,
			`{"type":"io.nats.jetstream.advisory.v1.max_deliver","stream":"LEXSCREEN_WORK","consumer":"lexscreen-workers","stream_seq":42,"deliveries":5}`, 42, "delivered 5 times"},
		{"terminated with a reason", advPrefix + "MSG_TERMINATED." + StreamName + "." + ConsumerName,
			`{"type":"io.nats.jetstream.advisory.v1.terminated","stream_seq":7,"deliveries":1,"reason":"unreadable chunk"}`, 7, "refused by a worker: unreadable chunk"},
		{"terminated without one", advPrefix + "MSG_TERMINATED." + StreamName + "." + ConsumerName,
			`{"stream_seq":8,"deliveries":1}`, 8, "refused by a worker: unreadable chunk"},
		{"a nak", advPrefix + "MSG_NAKED." + StreamName + "." + ConsumerName, `{"stream_seq":9,"deliveries":1}`, 9, ""},
		{"no sequence", advPrefix + "MAX_DELIVERIES." + StreamName + "." + ConsumerName, `{"deliveries":5}`, 0, ""},
		{"junk", advPrefix + "MAX_DELIVERIES." + StreamName + "." + ConsumerName, `{"stream_seq":`, 0, ""},
	} {
		s := &Submission{dead: map[uint64]string{}}
		s.advised(&nats.Msg{Subject: tc.subject, Data: []byte(tc.data)})
		got, ok := s.dead[tc.wantSeq]
		switch {
		case tc.want == "" && len(s.dead) > 0:
			t.Errorf("%s: marked dead %v", tc.name, s.dead)
		case tc.want != "" && (!ok || !strings.Contains(got, tc.want)):
			t.Errorf("%s: dead %v, want seq %d with %q", tc.name, s.dead, tc.wantSeq, tc.want)
		}
	}
}

// FuzzAdvised: whatever comes on the advisory subjects, the submitter
// does not panic, and marks at most one sequence, never 0.
func FuzzAdvised(f *testing.F) {
	f.Add("MAX_DELIVERIES", []byte(`{"stream_seq":42,"deliveries":5}`))
	f.Add("MSG_TERMINATED", []byte(`{"stream_seq":1,"reason":"x"}`))
	f.Add("X", []byte(`null`))
	f.Fuzz(func(t *testing.T, kind string, data []byte) {
		s := &Submission{dead: map[uint64]string{}}
		s.advised(&nats.Msg{Subject: advPrefix + kind + "." + StreamName + "." + ConsumerName, Data: data})
		if len(s.dead) > 1 {
			t.Fatalf("one advisory marked %d chunks", len(s.dead))
		}
		if _, ok := s.dead[0]; ok {
			t.Fatal("marked sequence 0")
		}
	})
}
