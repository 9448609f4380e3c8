package distributed

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/lexscreen/lexscreen/distributed/natsembed"
)

// value reads a counter.
func value(c prometheus.Counter) float64 {
	var m dto.Metric
	c.Write(&m)
	return m.GetCounter().GetValue()
}

// testNATS returns the URL of the NATS server a test uses: Debian's
// nats-server of LEXSCREEN_TEST_NATS (its work stream emptied first), or
// an embedded one (see natsembed.TestServer).
func testNATS(t *testing.T) string {
	t.Helper()
	url, stop, err := natsembed.TestServer(t.TempDir(), deleteWorkStream)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return url
}

// deleteWorkStream deletes the work stream (and its consumer) of the
// server at url, if it has one.
func deleteWorkStream(url string) error {
	nc, err := nats.Connect(url, nats.Timeout(5*time.Second))
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := js.DeleteStream(ctx, StreamName); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
		return err
	}
	return nil
}

// testScreens are the ScreenFuncs a test worker process can be given
// (DISTRIBUTED_TEST_SCREEN), besides fakeScreen; external tests add theirs
// (RegisterTestScreen).
var testScreens = map[string]func() ScreenFunc{}
