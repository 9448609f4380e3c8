package web

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/lexscreen/lexscreen/server"
)

// TestLoginLogout is the sign-in flow in a browser: a page asked for
// without a session leads to the sign-in page and back to it; a wrong
// password is refused with a message; signing out ends the session.
func TestLoginLogout(t *testing.T) {
	e := theEnv(t)
	tb := e.newTab()
	tb.open("/ui/screen")
	if loc := tb.location(); !strings.HasPrefix(loc, "/ui/login?next=") {
		t.Fatalf("without a session /ui/screen went to %s, want the sign-in page", loc)
	}
	tb.axeCheck("the sign-in page")
	tb.run(chromedp.SendKeys(chromedp.CSS("#name"), "ana"), chromedp.SendKeys(chromedp.CSS("#password"), "not the password"),
		chromedp.Click(chromedp.CSS(`form[action="/ui/login"] button`)), chromedp.WaitVisible(chromedp.CSS(`[role=alert]`)))
	if msg := tb.text(`[role=alert]`); !strings.Contains(msg, "wrong password") {
		t.Errorf("a wrong password says %q", msg)
	}
	tb.screenshot("login")
	tb.run(chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/ui/login"] button`)), chromedp.WaitVisible(chromedp.CSS(`form.who`)))
	if who := tb.text(`form.who span`); !strings.Contains(who, "ana") || !strings.Contains(who, "analyst") {
		t.Errorf("signed in, the header says %q", who)
	}
	tb.axeCheck("the page after signing in")
	// Keyboard: the first Tab reaches the skip link, shown when focused;
	// Enter on it moves the focus to the main region.
	tb.open("/ui/alerts")
	tb.run(chromedp.KeyEvent(kb.Tab))
	if got := get(tb, chromedp.Evaluate[string](`document.activeElement.className + " " + getComputedStyle(document.activeElement).left`)); got != "skip 16px" {
		t.Errorf("the first Tab focuses %q, want the skip link shown at the left (skip 16px)", got)
	}
	tb.run(chromedp.KeyEvent(kb.Enter))
	if got := get(tb, chromedp.Evaluate[string](`document.activeElement.id`)); got != "main" {
		t.Errorf("after the skip link the focus is on %q, want main", got)
	}
	tb.submit(`form.who button`, `.flash`)
	if msg := tb.text(`.flash`); !strings.Contains(msg, "signed out") {
		t.Errorf("after signing out the page says %q", msg)
	}
	tb.open("/ui/screen")
	if loc := tb.location(); !strings.HasPrefix(loc, "/ui/login") {
		t.Errorf("after signing out /ui/screen went to %s, want the sign-in page", loc)
	}
}

// TestSessionCookieAndCSRF checks the session without a browser: the
// cookie's attributes, a state-changing form without the CSRF token
// refused (and the session still alive), sign-in audited, and no open
// redirect after sign-in.
func TestSessionCookieAndCSRF(t *testing.T) {
	e := theEnv(t)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(e.url+"/ui/login", url.Values{"name": {"bob"}, "password": {testPassword}, "next": {"https://evil.example/"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != Prefix {
		t.Errorf("sign-in: %d to %q, want 303 to %s (never another site)", res.StatusCode, res.Header.Get("Location"), Prefix)
	}
	var sc *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == server.SessionCookie {
			sc = ck
		}
	}
	if sc == nil || !sc.HttpOnly || sc.SameSite != http.SameSiteStrictMode || sc.Path != "/" {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Strict, Path=/", sc)
	}
	// A form posted from another site: refused, whatever it holds.
	req, _ := http.NewRequest("POST", e.url+"/ui/login", strings.NewReader(url.Values{"name": {"bob"}, "password": {testPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	res, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("sign-in posted from another site: %d, want 403", res.StatusCode)
	}
	// Sign out without the CSRF token: refused, the session lives on.
	res, err = c.PostForm(e.url+"/ui/logout", url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("sign-out without the CSRF token: %d, want 403", res.StatusCode)
	}
	res, err = c.Get(e.url + "/v1/session")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("after a refused sign-out, GET /v1/session: %d, want 200", res.StatusCode)
	}
}
