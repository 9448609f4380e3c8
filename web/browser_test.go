package web

// The browser test harness, shared by every page's tests: a real server
// (store, audit log, workspace, API and interface) on httptest with a
// temporary data directory, users of every role, and Debian's headless
// Chromium driven by chromedp.
//
//	e := theEnv(t)               // the shared server, its lists and users
//	                             // (a server of the test's own: startUIEnv, t.Cleanup(stop))
//	tab := e.login("ana")        // a browser context signed in as ana
//	tab.run(chromedp.Navigate(e.url + "/ui/alerts"), ...)
//	tab.axeCheck("alerts")       // no axe-core violation
//	tab.screenshot("alerts")     // $LEXSCREEN_SCREENSHOTS/alerts.png
//
// Without Chromium (/usr/bin/chromium or $CHROMIUM) the browser tests skip
// loudly, unless LEXSCREEN_BROWSER_TESTS=1 (set by .ci/run): then they fail.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lexscreen/lexscreen/audit"
	"github.com/lexscreen/lexscreen/bundled"
	"github.com/lexscreen/lexscreen/ingest"
	"github.com/lexscreen/lexscreen/server"
	"github.com/lexscreen/lexscreen/source/formats"
	"github.com/lexscreen/lexscreen/store/sqlite"
	"github.com/lexscreen/lexscreen/workspace"
)

// testPassword is every test user's password.
const testPassword = "correct horse battery staple"

// testUsers are the users startUIEnv makes, by name: their roles.
var testUsers = map[string]string{
	"ana":   audit.RoleAnalyst,  // decides
	"bob":   audit.RoleApprover, // decides and approves
	"cleo":  audit.RoleApprover, // the second approver
	"dora":  audit.RoleAuditor,  // reads
	"admin": audit.RoleAdmin,
}

// ofacExcerpt is the OFAC excerpt the server tests use (two dates).
const ofacExcerpt = "../cmd/lexscreen/testdata/ofac/"

// uiEnv is a running lexscreen with the web interface.
type uiEnv struct {
	t   testing.TB
	url string // the server's base URL (no trailing slash)
	srv *server.Server
	db  *sqlite.DB
	adb *audit.DB
	ws  *workspace.Store
	ui  *UI
}

// sharedEnv is the server most tests share (users are made once: an
// argon2id hash takes about a second here), started by the first test
// that asks and stopped by TestMain. Each pass of the tests (go test
// -count=N) gets a server of its own: the tests open alerts and decide
// them, and a second pass on the first one's workspace would find them
// already there.
var sharedEnv struct {
	mu    sync.Mutex
	e     *uiEnv
	err   string
	close func()
	// users are the tests that asked for the server in this pass: a test
	// asking again, as another *testing.T, is the next pass.
	users map[string]*testing.T
}

// theEnv returns the shared server.
func theEnv(t *testing.T) *uiEnv {
	t.Helper()
	sharedEnv.mu.Lock()
	defer sharedEnv.mu.Unlock()
	if prev, ok := sharedEnv.users[t.Name()]; ok && prev != t {
		stopSharedEnv()
	}
	if sharedEnv.users == nil {
		sharedEnv.users = map[string]*testing.T{}
	}
	sharedEnv.users[t.Name()] = t
	if sharedEnv.e == nil && sharedEnv.err == "" {
		func() {
			defer func() {
				if sharedEnv.e == nil && sharedEnv.err == "" {
					sharedEnv.err = "the shared test server did not start (see the first test's failure)"
				}
			}()
			sharedEnv.e, sharedEnv.close = startUIEnv(t)
		}()
	}
	if sharedEnv.e == nil {
		t.Fatal(sharedEnv.err)
	}
	e := *sharedEnv.e
	e.t = t
	return &e
}

// stopSharedEnv stops the shared server and forgets its users' browser
// sign-ins; the next theEnv starts a new one.
func stopSharedEnv() {
	if sharedEnv.close != nil {
		sharedEnv.close()
	}
	sharedEnv.e, sharedEnv.err, sharedEnv.close, sharedEnv.users = nil, "", nil, nil
	signedIn.mu.Lock()
	for _, cancel := range signedIn.cancel {
		cancel()
	}
	signedIn.ctx, signedIn.cancel = nil, nil
	signedIn.mu.Unlock()
}

func TestMain(m *testing.M) {
	workspace.CheapPasswordHashes() // the test users sign in again and again
	code := m.Run()
	sharedEnv.mu.Lock()
	stopSharedEnv()
	sharedEnv.mu.Unlock()
	if theBrowser.cancel != nil {
		theBrowser.cancel()
	}
	os.Exit(code)
}

// startUIEnv starts a server with the OFAC excerpts of 2025-02-27 and
// 2025-12-24 (current) and the
// bundled ICC lists, a workspace and the testUsers, and returns it with
// the function that stops it.
func startUIEnv(t testing.TB) (*uiEnv, func()) {
	t.Helper()
	dir, err := os.MkdirTemp("", "lexscreen-web-")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	db, err := sqlite.Open(ctx, filepath.Join(dir, "lexscreen.db"))
	if err != nil {
		t.Fatal(err)
	}
	importDir(t, db, ofacExcerpt+"2025-02-27")
	importDir(t, db, ofacExcerpt+"2025-12-24") // the current one: entities changed, ICC designations added
	for _, l := range bundled.Lists() {
		if l.Attribution != "" { // lexscreen's own ICC compilations: small
			if _, err := ingest.Bundled(ctx, db, l, ingest.Options{Force: true}); err != nil {
				t.Fatal(err)
			}
		}
	}
	adb, err := audit.OpenSync(ctx, filepath.Join(dir, "audit.db"), "normal")
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Open(ctx, filepath.Join(dir, "workspace.db"), workspace.Options{Audit: adb, Listings: db})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(testUsers))
	for name, role := range testUsers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := ws.CreateUser(ctx, workspace.System("test"), name, role, testPassword); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := server.New(server.Config{Store: db, Audit: adb, Workspace: ws, EngineVersion: "test", Logger: quiet,
		PollInterval: 200 * time.Millisecond, RateLimit: -1, AuthFailures: -1})
	srv.Start(ctx)
	ui := New(Config{API: srv.Handler(), Logger: quiet})
	ts := httptest.NewServer(Mount(srv.Handler(), ui))
	e := &uiEnv{t: t, url: ts.URL, srv: srv, db: db, adb: adb, ws: ws, ui: ui}
	stop := func() {
		ts.Close()
		cancel()
		ws.Close()
		adb.Close()
		db.Close()
		os.RemoveAll(dir)
	}
	deadline := time.Now().Add(60 * time.Second)
	for srv.Index() == nil {
		if time.Now().After(deadline) {
			stop()
			t.Fatal("index not loaded")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return e, stop
}

// importDir imports the list files of a directory.
func importDir(t testing.TB, db *sqlite.DB, dir string) {
	t.Helper()
	jobs, err := formats.Detect([]string{dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		if _, err := ingest.Job(context.Background(), db, j, ingest.Options{}); err != nil {
			t.Fatal(err)
		}
	}
}

// theBrowser is the one Chromium of the test binary, started on first use.
var theBrowser struct {
	once   sync.Once
	ctx    context.Context // a chromedp context of the browser
	cancel func()          // stops the browser
	err    error
}

// chromiumPath is the browser to drive: $CHROMIUM or /usr/bin/chromium.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// needBrowser skips the test when there is no Chromium (fails under
// LEXSCREEN_BROWSER_TESTS=1) and returns the browser's context.
func needBrowser(t testing.TB) context.Context {
	t.Helper()
	path := chromiumPath()
	if _, err := exec.LookPath(path); err != nil {
		msg := fmt.Sprintf("!!! NO CHROMIUM at %s: the browser tests of the web interface did NOT run (apt-get install -y chromium, or set $CHROMIUM)", path)
		if os.Getenv("LEXSCREEN_BROWSER_TESTS") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	theBrowser.once.Do(func() {
		dataDir, err := os.MkdirTemp("", "lexscreen-chromium-")
		if err != nil {
			theBrowser.err = err
			return
		}
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
			chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(dataDir), chromedp.WindowSize(1280, 900),
			chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-dev-shm-usage", true),
		}
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelCtx := chromedp.NewContext(alloc)
		theBrowser.cancel = func() { cancelCtx(); cancelAlloc(); os.RemoveAll(dataDir) }
		if err := chromedp.Do(ctx); err != nil { // starts the browser
			theBrowser.err = fmt.Errorf("starting %s: %w", path, err)
			return
		}
		theBrowser.ctx = ctx
	})
	if theBrowser.err != nil {
		if os.Getenv("LEXSCREEN_BROWSER_TESTS") == "1" {
			t.Fatal(theBrowser.err)
		}
		t.Skip("!!! the browser tests of the web interface did NOT run: ", theBrowser.err)
	}
	return theBrowser.ctx
}

// tab is a browser tab in a browser context of its own (its own cookies).
type tab struct {
	t   testing.TB
	e   *uiEnv
	ctx context.Context
}

// newTab opens a tab in a fresh browser context (no cookies), closed at
// the end of the test.
func (e *uiEnv) newTab() *tab {
	e.t.Helper()
	b := needBrowser(e.t)
	ctx, cancel := chromedp.NewContext(b, chromedp.WithNewBrowserContext())
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	e.t.Cleanup(func() { cancelT(); cancel() })
	tb := &tab{t: e.t, e: e, ctx: ctx}
	tb.run(chromedp.Navigate("about:blank"))
	return tb
}

// run runs chromedp actions in the tab, failing the test on error.
func (tb *tab) run(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	start := time.Now()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		tb.t.Logf("slow browser step: %s", d.Round(time.Millisecond))
	}
}

// submit clicks sel, which loads a page (or swaps part of one), and waits
// until the NEW page shows wait: nodes matching wait before the click are
// marked, so a flash left by the previous step is not mistaken for this
// one's (and never read while the navigation removes it).
func (tb *tab) submit(sel, wait string) {
	tb.t.Helper()
	get(tb, chromedp.Evaluate[bool](`document.querySelectorAll(`+strconv.Quote(wait)+`).forEach(e => e.dataset.lexOld = "1"); true`))
	tb.run(chromedp.Click(chromedp.CSS(sel)), chromedp.WaitVisible(chromedp.CSS(wait+":not([data-lex-old])")))
}

// get runs one chromedp action that reads a value, failing the test on error.
func get[T any](tb *tab, a chromedp.Action[T]) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, a)
	if err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
	return v
}

// open goes to a path of the server and waits for its main region.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.run(chromedp.Navigate(tb.e.url+path), chromedp.WaitReady(chromedp.CSS("#main")))
}

// signedIn are the browser contexts of the shared server's users, signed
// in once for the package (a sign-in costs an argon2id hash): by user.
var signedIn struct {
	mu     sync.Mutex
	ctx    map[string]context.Context
	cancel map[string]context.CancelFunc
}

// login returns a tab signed in as a test user. On the shared server the
// user's browser context is kept for the next tests (do not sign out in
// it: use signIn for that); on a test's own server each call signs in
// afresh.
func (e *uiEnv) login(user string) *tab {
	e.t.Helper()
	if sharedEnv.e == nil || e.url != sharedEnv.e.url {
		return e.signIn(user)
	}
	signedIn.mu.Lock()
	defer signedIn.mu.Unlock()
	if signedIn.ctx == nil {
		signedIn.ctx, signedIn.cancel = map[string]context.Context{}, map[string]context.CancelFunc{}
	}
	base, ok := signedIn.ctx[user]
	if !ok {
		b := needBrowser(e.t)
		var cancel context.CancelFunc
		base, cancel = chromedp.NewContext(b, chromedp.WithNewBrowserContext()) // ends with the browser or the server
		tb := &tab{t: e.t, e: e, ctx: base}
		tb.signInHere(user)
		signedIn.ctx[user], signedIn.cancel[user] = base, cancel
	}
	ctx, cancel := context.WithTimeout(base, 90*time.Second)
	e.t.Cleanup(cancel)
	return &tab{t: e.t, e: e, ctx: ctx}
}

// signIn opens a fresh tab (its own browser context) and signs in as a
// test user through the sign-in page.
func (e *uiEnv) signIn(user string) *tab {
	e.t.Helper()
	tb := e.newTab()
	tb.signInHere(user)
	return tb
}

// signInHere signs in as a test user in this tab.
func (tb *tab) signInHere(user string) {
	tb.t.Helper()
	tb.open("/ui/login")
	tb.run(
		chromedp.SendKeys(chromedp.CSS("#name"), user),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/ui/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.who`)),
	)
}

// text is the text content of the first element a selector finds.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return get(tb, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
}

// location is the tab's URL path and query.
func (tb *tab) location() string {
	tb.t.Helper()
	return strings.TrimPrefix(get(tb, chromedp.Location()), tb.e.url)
}

// screenshot saves the whole page as $LEXSCREEN_SCREENSHOTS/NAME.png when
// that is set (make screenshots refreshes docs/screenshots/ so).
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	dir := os.Getenv("LEXSCREEN_SCREENSHOTS")
	if dir == "" {
		return
	}
	png := get(tb, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// axeSource is the vendored axe-core (testdata/vendor, VERSIONS).
var axeSource = sync.OnceValues(func() ([]byte, error) { return os.ReadFile("testdata/vendor/axe.min.js") })

// axeViolation is one rule axe-core found broken, with where.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// axeCheck runs axe-core (WCAG 2.x A and AA rules, best practices) on the
// page in the tab and fails the test on any violation, printing each.
func (tb *tab) axeCheck(what string) {
	tb.t.Helper()
	src, err := axeSource()
	if err != nil {
		tb.t.Fatal(err)
	}
	get(tb, chromedp.Evaluate[bool](string(src)+";true"))
	run := `axe.run(document, {resultTypes: ["violations"], runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}).then(r => r.violations)`
	out := get(tb, chromedp.Evaluate[[]axeViolation](run, chromedp.EvalAwaitPromise))
	for _, v := range out {
		b, _ := json.Marshal(v.Nodes)
		tb.t.Errorf("axe on %s: %s (%s): %s: %.600s", what, v.ID, v.Impact, v.Help, b)
	}
}
