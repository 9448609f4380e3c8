package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/pflag"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/distributed"
	"github.com/lexscreen/lexscreen/monitor"
)

// monitorDistFlags are the flags that send a monitoring run's screening to
// `lexscreen worker` processes (lexscreen monitor, serve --monitor).
type monitorDistFlags struct {
	natsURL, results string
}

// register adds the flags; prefix is "" (lexscreen monitor) or
// "monitor-" (serve).
func (d *monitorDistFlags) register(f *pflag.FlagSet, prefix string) {
	f.StringVar(&d.natsURL, prefix+"distributed", "", "screen the run's chunks on lexscreen worker processes pulling from the NATS server at `URL` (nats://host:4222)")
	f.StringVar(&d.results, prefix+"results", os.Getenv("LEXSCREEN_RESULTS"), "with --"+prefix+"distributed: the workers' results store, a SQLite file or a postgres:// URL ($LEXSCREEN_RESULTS)")
}

// monitorDistributedHelp is added to monitor --help.
const monitorDistributedHelp = `

With --distributed nats://HOST:PORT the forward screening of the run is done by ` + "`lexscreen worker`" + `
processes (on this machine or others) pulling chunks of the book from the NATS JetStream work stream:
a full re-screen sends every chunk, a delta only the subjects that reverse retrieval found (retrieval
stays here). Workers store, in --results, which subjects of each chunk matched, and ack the chunk
only then: a chunk whose worker dies is given to another, and is stored once. This process then
screens those subjects again for the alerts (their operator profiles, obligations and the listings'
fingerprints) and checkpoints each chunk as a local run does: the alerts are exactly those of a local
run, each opened once. Workers must have the same lists (source and version) as this data directory.
A chunk no worker could screen (given up after --max-deliver deliveries) stops the run, named, with
the other chunks delivered: the same command finishes it.`

// open connects to NATS and the results store; close ends both. With no
// --distributed it returns nil: the run screens in this process.
func (d monitorDistFlags) open(ctx context.Context, errOut io.Writer, who string) (*monitor.Fanout, func(), error) {
	if d.natsURL == "" {
		return nil, func() {}, nil
	}
	if !strings.Contains(d.natsURL, "://") {
		return nil, nil, lexscreen.Errorf(lexscreen.EINVALID, "--distributed %q: want the URL of the NATS server the workers pull from, e.g. nats://127.0.0.1:4222", d.natsURL)
	}
	if d.results == "" {
		return nil, nil, lexscreen.Errorf(lexscreen.EINVALID, "--distributed needs --results: the results store the workers write to (a SQLite file or a postgres:// URL, the workers' --results)")
	}
	res, err := distributed.OpenResults(ctx, d.results)
	if err != nil {
		return nil, nil, err
	}
	nc, err := nats.Connect(d.natsURL, nats.Name(who), nats.MaxReconnects(-1))
	if err != nil {
		res.Close()
		return nil, nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "--distributed %s: %v", d.natsURL, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		res.Close()
		return nil, nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "--distributed %s: %v", d.natsURL, err)
	}
	var once sync.Once
	f := &monitor.Fanout{NC: nc, JS: js, Results: res, Progress: func(p distributed.Progress) {
		if p.Idle {
			once.Do(func() {
				fmt.Fprintf(errOut, "lexscreen: warning: no worker is pulling from %s on %s: start `lexscreen worker --nats %s --results %s`\n",
					distributed.StreamName, d.natsURL, d.natsURL, d.results)
			})
		}
	}}
	return f, func() { nc.Close(); res.Close() }, nil
}
