package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof" // served only on LEXSCREEN_PPROF's address
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/regime"
	"github.com/lexscreen/lexscreen/screening"
	"github.com/lexscreen/lexscreen/server"
	"github.com/lexscreen/lexscreen/web"
	"github.com/lexscreen/lexscreen/workspace"
)

// audit opens the audit log once per invocation (<data-dir>/audit.db, or
// the PostgreSQL database of --store: openAudit); run closes it,
// as it closes the store. With a.signCheckpoints (serve), it signs
// checkpoints of the chain with the key at auditKeyPath (created if
// missing) and appends them to auditCheckpointsPath.
func (a *app) audit() (*audit.DB, error) {
	if a.auditDB != nil {
		return a.auditDB, nil
	}
	dir, err := a.dataPath()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "cannot create the data directory %s: %v", dir, err)
	}
	opts := audit.Options{Sync: a.auditSync}
	if a.signCheckpoints {
		keyPath, err := a.auditKeyPath()
		if err != nil {
			return nil, err
		}
		signer, created, err := audit.LoadOrCreateSigner(keyPath, "")
		if err != nil {
			return nil, err
		}
		if created {
			a.note("Created the audit signing key %s (public key: %s). In production keep it outside the data directory (--audit-key), where whoever can write audit.db cannot read it.", keyPath, signer.Verifier())
		}
		cps, err := a.auditCheckpointsPath()
		if err != nil {
			return nil, err
		}
		opts.Checkpoint = audit.CheckpointOptions{Signer: signer, File: cps, Every: a.checkpointEvery, Interval: a.checkpointInterval,
			Published: a.checkpointPublished}
	}
	db, err := a.openAudit(dir, opts)
	if err != nil {
		return nil, err
	}
	a.auditDB = db
	return db, nil
}

// auditKeyPath is --audit-key, by default audit.key next to audit.db.
func (a *app) auditKeyPath() (string, error) {
	if a.auditKey != "" {
		return a.auditKey, nil
	}
	dir, err := a.dataPath()
	return filepath.Join(dir, "audit.key"), err
}

// auditCheckpointsPath is --audit-checkpoints, by default
// audit.checkpoints next to audit.db.
func (a *app) auditCheckpointsPath() (string, error) {
	if a.auditCheckpoints != "" {
		return a.auditCheckpoints, nil
	}
	dir, err := a.dataPath()
	return filepath.Join(dir, "audit.checkpoints"), err
}

func (a *app) serveCommand() *cobra.Command {
	var addr, tlsCert, tlsKey, config, profiles, witnessURL, monitorOperator string
	var gogc int
	var monitorOn, reloadElsewhere bool
	var monitorEvery time.Duration
	var monitorDist monitorDistFlags
	var cfg server.Config
	cmd := &cobra.Command{
		Use:   "serve [--addr HOST:PORT]",
		Short: "Serve the HTTP API (screening, lists, law, audit; yente and OpenRefine compatible)",
		Long: `Serve lexscreen's HTTP API: POST /v1/screen, POST /v1/screen/batch (NDJSON), entities, history,
lists, diff, obligations, regimes, yente's POST /match/{dataset} and GET /search/{dataset}, the
OpenRefine reconciliation API (/reconcile), the audit trail, the workspace (/v1/subjects,
/v1/alerts with four-eyes decisions, /v1/events, /v1/webhooks; <data-dir>/workspace.db), /healthz, /readyz, /metrics,
/openapi.json and /docs. Requests need an API key (lexscreen keys create --role ROLE) in
"Authorization: Bearer KEY", "Authorization: ApiKey KEY", Basic auth with the key as the password,
or ?api_key=KEY (never logged); --open-discovery serves the manifest, /catalog and /algorithms
without one. Every screening is recorded in <data-dir>/audit.db before it is answered (with a
postgres:// --store, in that database: one chain and one set of API keys for all replicas).

At start, every bundled list missing from the store is loaded (see lexscreen --help). Every
result carries warnings ("warnings") when no official list is in use or an official list is
older than --max-list-age (LEXSCREEN_MAX_LIST_AGE, or max-list-age in the config file).

A request's operator is a built-in profile, the name of a profile in the --profiles directory
(NAME.yaml, read at start), or an inline operator_profile: no request value names a file.
Connections, failed authentications, body times and heavy operations are limited (--max-conns,
--max-conns-per-addr, --auth-failures, --body-timeout, --max-replays, --max-verifies,
--max-batches; see server/API.md, "Limits and threat model").

The index is rebuilt in the background when the store changes (lexscreen import or update in
another process) and swapped without dropping a request; a failed rebuild keeps the old index.
The rebuild runs in a separate process at the lowest CPU and I/O priority (lexscreen --background index;
--reload-process=false: in the server, at --reload-cpu), and the server maps the file it keeps.
Run imports and updates beside a busy server with --background too.

With --monitor, the workspace's book is kept screened (lexscreen monitor): a monitoring run after
every new index (at start, and after each import or update) and at least every --monitor-every,
one at a time, as jobs of a queue in <data-dir>/jobs.db; new pairs open alerts, changed listings
re-alert suppressed pairs, a change of the legal facts re-evaluates the open alerts' obligations.
With --store postgres://…, the workspace, the monitoring checkpoints and the job queue are in that
database: several servers share one book, one set of alerts and one queue (docs/OPERATIONS.md).
Each run is logged ("monitoring run done"; a failure is an ERROR record, retried with back-off) and
counted in /metrics (lexscreen_monitor_*).

Every flag can also be set by the environment (LEXSCREEN_ADDR, LEXSCREEN_TLS_CERT,
LEXSCREEN_RATE_LIMIT, ... : LEXSCREEN_ and the flag name in upper case with _ for -) or by a YAML
config file (--config, keys are the flag names). Flags win over the environment, which wins over
the file. Screened names are never logged unless --log-names.`,
		Example: `  lexscreen keys create --role screener
  lexscreen serve --addr 127.0.0.1:8080
  LEXSCREEN_ADDR=127.0.0.1:9000 lexscreen serve --tls-cert cert.pem --tls-key key.pem
  curl -s -H "Authorization: Bearer $KEY" -d '{"name":"Karim Khan"}' http://127.0.0.1:8080/v1/screen
  lexscreen serve --monitor --monitor-operator us-bank      # keep the workspace's book screened`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyEnvAndConfig(cmd.Flags(), config); err != nil {
				return err
			}
			if addr := os.Getenv("LEXSCREEN_PPROF"); addr != "" {
				// Profiling for operators, on its own (loopback) address only.
				go http.ListenAndServe(addr, nil)
			}
			if gogc > 0 && os.Getenv("GOGC") == "" {
				// The index is most of the live heap and does not change
				// between reloads: collecting less often saves CPU and the
				// pauses of the screenings that each cycle slows down.
				debug.SetGCPercent(gogc)
			}
			if (tlsCert == "") != (tlsKey == "") {
				return lexscreen.Errorf(lexscreen.EINVALID, "--tls-cert and --tls-key go together")
			}
			if err := a.ensureLists(); err != nil {
				return err
			}
			db, err := a.store()
			if err != nil {
				return err
			}
			log := slog.New(slog.NewJSONHandler(a.errOut, nil))
			slog.SetDefault(log)
			screening.IndexNotes = func(msg string) { log.Warn(msg) } // a persisted index rebuilt or not written
			// Each signed checkpoint also goes to the log (stderr), a second
			// copy out of the database writer's reach if the log is shipped.
			a.signCheckpoints = true
			if witnessURL != "" {
				if a.witness, err = audit.NewWitness(witnessURL); err != nil {
					return lexscreen.Errorf(lexscreen.EINVALID, "--audit-witness: %v", err)
				}
				a.witness.Failed = func(note []byte, err error) {
					log.Error("audit checkpoint not received by the witness", "witness", witnessURL, "err", err, "note", string(note))
				}
			}
			a.checkpointPublished = func(note []byte, err error) {
				if err != nil {
					log.Error("audit checkpoint not written", "err", err)
					return
				}
				log.Info("audit checkpoint", "note", string(note))
				if a.witness != nil {
					a.witness.Publish(note)
				}
			}
			adb, err := a.audit()
			if err != nil {
				return err
			}
			ws, err := a.workspace()
			if err != nil {
				return err
			}
			cfg.Store, cfg.Audit, cfg.Workspace, cfg.EngineVersion, cfg.Logger = db, adb, ws, Version, log
			cfg.MaxListAge = a.maxListAge
			if reloadElsewhere && os.Getenv(screening.IndexCacheEnv) != "off" {
				// (With no index files kept, another process could not
				// hand its index over.)
				cfg.BuildIndex = a.buildIndexElsewhere(log)
			}
			if profiles != "" {
				if cfg.Profiles, err = regime.LoadProfiles(profiles); err != nil {
					return err
				}
			}
			if !cmd.Flags().Changed("max-conns") && os.Getenv("LEXSCREEN_MAX_CONNS") == "" {
				// Leave room under the open-file limit for the store, the
				// audit log and the connections waiting to be accepted.
				if n := openFileLimit(); n > 0 && n-128 < cfg.MaxConns {
					cfg.MaxConns = max(16, n-128)
				}
			}
			var loop *monitorLoop
			var monReq monitorRequest
			if monitorOn {
				if monitorEvery <= 0 {
					return lexscreen.Errorf(lexscreen.EINVALID, "--monitor-every %s: want a positive duration such as 24h", monitorEvery)
				}
				monReq = monitorRequest{legal: legalFlags{operator: monitorOperator}, profiles: cfg.Profiles, books: &bookCache{}}
				if monReq.opts, _, err = monReq.legal.options(); err != nil {
					return lexscreen.Errorf(lexscreen.EINVALID, "--monitor-operator: %v", err)
				}
				monReq.opts.MaxListAge = a.maxListAge
				fanout, closeFanout, err := monitorDist.open(a.ctx, a.errOut, "lexscreen serve --monitor")
				if err != nil {
					return err
				}
				defer closeFanout()
				monReq.fanout = fanout
				// Every new index (the first one, an import, an update, a
				// poll that found new lists) starts a run of what changed.
				cfg.AfterSwap = func(*server.Index) { loop.trigger(a.ctx, "new lists in use") }
			}
			srv := server.New(cfg)
			ctx, cancel := context.WithCancel(a.ctx)
			defer cancel()
			if monitorOn {
				dir, err := a.dataPath()
				if err != nil {
					return err
				}
				loop = newMonitorLoop(a, srv, db, log, monReq, monitorEvery, filepath.Join(dir, "jobs.db"))
				if err := loop.start(ctx); err != nil {
					return err
				}
				defer loop.stop()
				log.Info("monitoring on", "every", monitorEvery.String(), "default_operator", monitorOperator, "queue", loop.jobs.where)
			}
			srv.Start(ctx)
			// Webhook deliveries: retried with back-off, dead-lettered.
			go (&workspace.Sender{Store: ws}).Run(ctx)
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return lexscreen.Errorf(lexscreen.EINVALID, "--addr %s: %v", addr, err)
			}
			ln = srv.Listener(ln)
			ui := web.New(web.Config{API: srv.Handler(), Logger: log})
			hs := &http.Server{Handler: web.Mount(srv.Handler(), ui), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
				ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
			scheme := "http"
			if tlsCert != "" {
				scheme = "https"
			}
			log.Info("listening", "addr", ln.Addr().String(), "url", fmt.Sprintf("%s://%s", scheme, ln.Addr()), "audit", adb.Path(), "store", db.Location())
			fmt.Fprintf(a.errOut, "lexscreen web interface: %s://%s%s (users: lexscreen users create NAME --role analyst --password-stdin)\n", scheme, ln.Addr(), web.Prefix)
			errc := make(chan error, 1)
			go func() {
				if tlsCert != "" {
					errc <- hs.ServeTLS(ln, tlsCert, tlsKey)
				} else {
					errc <- hs.Serve(ln)
				}
			}()
			select {
			case err := <-errc:
				if !errors.Is(err, http.ErrServerClosed) {
					return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "serve: %v", err)
				}
			case <-a.ctx.Done():
				log.Info("shutting down: finishing the requests in flight")
				sctx, scancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer scancel()
				if err := hs.Shutdown(sctx); err != nil {
					log.Error("shutdown", "err", err)
				}
				log.Info("stopped")
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&a.auditSync, "audit-sync", "full", "audit durability: full (every record flushed to disk before the answer) or normal (survives a crash of lexscreen, not a power loss; about 1 ms faster)")
	f.StringVar(&a.auditKey, "audit-key", "", "ed25519 key signing the audit checkpoints, created (0600) if missing (default <data-dir>/audit.key; in production keep it elsewhere, out of reach of whoever can write audit.db)")
	f.StringVar(&a.auditCheckpoints, "audit-checkpoints", "", "file the signed audit checkpoints are appended to (default <data-dir>/audit.checkpoints; best on append-only or remote storage)")
	f.StringVar(&witnessURL, "audit-witness", os.Getenv("LEXSCREEN_AUDIT_WITNESS"), "also POST each signed audit checkpoint (text/plain) to this URL: a witness or collector on another machine; retried, failures logged ($LEXSCREEN_AUDIT_WITNESS)")
	f.Int64Var(&a.checkpointEvery, "audit-checkpoint-every", 1000, "sign a checkpoint once this many records were added since the last")
	f.DurationVar(&a.checkpointInterval, "audit-checkpoint-interval", 10*time.Second, "sign a checkpoint at least this often while records are added (and one at shutdown)")
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on, HOST:PORT")
	f.StringVar(&tlsCert, "tls-cert", "", "TLS certificate file (PEM); with --tls-key, serve HTTPS")
	f.StringVar(&tlsKey, "tls-key", "", "TLS private key file (PEM)")
	f.StringVar(&config, "config", "", "YAML config file (keys are flag names)")
	f.IntVar(&gogc, "gogc", 400, "Go garbage collector target (percent of the live heap allocated between collections; the GOGC variable wins; 0: Go's default 100)")
	f.Int64Var(&cfg.MaxBody, "max-body", 1<<20, "largest request body in bytes (batch: --max-batch-body)")
	f.Int64Var(&cfg.MaxBatchBody, "max-batch-body", 64<<20, "largest batch body in bytes")
	f.IntVar(&cfg.MaxBatch, "max-batch", 10000, "most queries in one batch, match or reconcile request")
	f.DurationVar(&cfg.Timeout, "timeout", 30*time.Second, "time limit of a request (batches: --batch-timeout)")
	f.DurationVar(&cfg.BatchTimeout, "batch-timeout", 10*time.Minute, "time limit of a batch request")
	f.Float64Var(&cfg.RateLimit, "rate-limit", 1000, "requests per second per API key (negative: no limit)")
	f.IntVar(&cfg.RateBurst, "rate-burst", 0, "burst of requests per key (default 2 × --rate-limit)")
	f.DurationVar(&cfg.PollInterval, "poll", 2*time.Second, "how often the store is checked for new lists")
	f.BoolVar(&reloadElsewhere, "reload-process", true, "when the lists change, build the new index in another process at the lowest CPU and I/O priority (lexscreen index --background) and map it; false: build it in the server, at --reload-cpu")
	f.BoolVar(&cfg.WarmHeap, "warm-heap", true, "before the server is ready, touch the memory its heap will grow into under load, so that the first second of traffic does not pay the page faults (some 0.6 s of CPU on a virtual machine)")
	f.Float64Var(&cfg.ReloadCPU, "reload-cpu", server.DefaultReloadCPU, "share of one core a rebuild of the index may take while the server answers (1: no limit; the rebuild then takes longer)")
	f.BoolVar(&cfg.LogNames, "log-names", false, "log screened names (personal data: off by default)")
	f.BoolVar(&cfg.OpenDiscovery, "open-discovery", false, "serve the reconciliation manifest (GET /reconcile), /catalog and /algorithms without an API key (Marble reads /catalog without one); screenings and entities still need a key")
	f.BoolVar(&monitorOn, "monitor", false, "keep the workspace's book screened: a monitoring run (lexscreen monitor) after every new list and every --monitor-every; results in the log and /metrics")
	f.DurationVar(&monitorEvery, "monitor-every", 24*time.Hour, "with --monitor, the longest time between two monitoring runs")
	f.StringVar(&monitorOperator, "monitor-operator", "", "with --monitor, the operator profile of subjects that have none")
	monitorDist.register(f, "monitor-")
	f.StringVar(&profiles, "profiles", "", "directory of operator profiles (NAME.yaml, read at start) that requests may name as operator NAME; requests never name files")
	f.DurationVar(&cfg.BodyTimeout, "body-timeout", server.DefaultBodyTimeout, "time to receive a request body after its headers (batches: --batch-timeout)")
	f.IntVar(&cfg.MaxConns, "max-conns", server.DefaultMaxConns, "open connections in all; more wait to be accepted (lowered to the open-file limit less 128; negative: no limit)")
	f.IntVar(&cfg.MaxConnsPerAddr, "max-conns-per-addr", server.DefaultMaxConnsPerAddr, "open connections per client address (IPv6: per /64); more are closed at once (behind a proxy, raise it; negative: no limit)")
	f.IntVar(&cfg.AuthFailures, "auth-failures", server.DefaultAuthFailures, "failed authentications a minute per client address, then 429 (negative: no limit)")
	f.IntVar(&cfg.MaxReplays, "max-replays", server.DefaultMaxReplays, "audit replays at once (each loads the lists it replays on), then 429 (negative: no limit)")
	f.IntVar(&cfg.MaxVerifies, "max-verifies", server.DefaultMaxVerifies, "audit verifications at once, then 429 (negative: no limit)")
	f.IntVar(&cfg.MaxBatches, "max-batches", server.DefaultMaxBatches, "streamed batches at once, then 429 (negative: no limit)")
	return cmd
}

// applyEnvAndConfig sets the flags not given on the command line from
// LEXSCREEN_<FLAG> variables, then from the config file.
func applyEnvAndConfig(fs *pflag.FlagSet, path string) error {
	if path == "" {
		path = os.Getenv("LEXSCREEN_CONFIG")
	}
	file := map[string]any{}
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return lexscreen.Errorf(lexscreen.EINVALID, "--config: %v", err)
		}
		if err := yaml.Unmarshal(b, &file); err != nil {
			return lexscreen.Errorf(lexscreen.EINVALID, "--config %s: %v", path, err)
		}
		for k := range file {
			if fs.Lookup(k) == nil || k == "config" {
				return lexscreen.Errorf(lexscreen.EINVALID, "--config %s: unknown key %q", path, k)
			}
		}
	}
	var err error
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Changed || err != nil || f.Name == "config" {
			return
		}
		env := "LEXSCREEN_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if e := f.Value.Set(v); e != nil {
				err = lexscreen.Errorf(lexscreen.EINVALID, "%s=%q: %v", env, v, e)
			}
			return
		}
		if v, ok := file[f.Name]; ok {
			if e := f.Value.Set(fmt.Sprint(v)); e != nil {
				err = lexscreen.Errorf(lexscreen.EINVALID, "--config %s: %s: %v", path, f.Name, e)
			}
		}
	})
	return err
}
