package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestScreenFlow screens in a browser: the listed Cuban state bank for an
// EU subsidiary of a US bank (OFAC's CACR reaches it, the EU Blocking
// Statute annexes the CACR: a conflict with its ways out), the words
// aligned, each obligation with its basis and confidence, UNCONFIRMED
// visible; then opens an alert from the result.
func TestScreenFlow(t *testing.T) {
	e := theEnv(t)
	tb := e.login("ana")
	tb.open("/ui/screen")
	tb.axeCheck("the empty screening form")
	tb.run(
		chromedp.SendKeys(chromedp.CSS("#q-name"), "Banco Nacional de Cuba"),
		chromedp.SetValue(chromedp.CSS("#q-type"), "organization"),
		chromedp.SetValue(chromedp.CSS("#q-operator"), "eu-subsidiary-of-us-bank"),
		chromedp.Click(chromedp.CSS(`form[action="/ui/screen"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#result-h")),
	)
	body := tb.text("#content")
	for _, want := range []string{"BANCO NACIONAL DE CUBA", "BLOCK", "31 CFR", "Conflicts of laws", "Ways out", "UNCONFIRMED"} {
		if !strings.Contains(body, want) {
			t.Errorf("the result lacks %q", want)
		}
	}
	if marks := get(tb, chromedp.Evaluate[int](`document.querySelectorAll("table.align mark").length`)); marks < 6 {
		t.Errorf("%d words highlighted in the alignment, want the 4 query and 4 listed words of the bank", marks)
	}
	tb.axeCheck("a screening result")
	tb.screenshot("screen")
	tb.submit("#open-alert", ".flash")
	if msg := tb.text(".flash"); !strings.Contains(msg, "alert") {
		t.Errorf("after opening an alert the page says %q", msg)
	}
	tb.run(chromedp.Click(chromedp.CSS(`a[href^="/ui/alerts/"]`)), chromedp.WaitVisible(chromedp.CSS("#main h1")))
	if loc := tb.location(); !strings.HasPrefix(loc, "/ui/alerts/") {
		t.Errorf("the alert link went to %s", loc)
	}
}

// TestScreenOverlay: the what-if overlay toggles change the obligations
// (the EU annexing EO 14203 makes complying with it DO_NOT_COMPLY for an
// EU bank), and the form keeps the toggle on.
func TestScreenOverlay(t *testing.T) {
	e := theEnv(t)
	tb := e.login("bob")
	tb.open("/ui/screen?name=Karim+Asad+Ahmad+Khan&operator=eu-subsidiary-of-us-bank&overlay=eu-blocks-icc-2025")
	tb.run(chromedp.Click(chromedp.CSS(`form[action="/ui/screen"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#result-h")))
	if body := tb.text("#content"); !strings.Contains(body, "DO_NOT_COMPLY") {
		t.Errorf("with the EU annexing EO 14203 the result of the ICC Prosecutor lacks DO_NOT_COMPLY: %.2000s", body)
	}
	if !get(tb, chromedp.Evaluate[bool](`document.getElementById("ov-eu-blocks-icc-2025").checked`)) {
		t.Error("the overlay toggle is off after screening with it")
	}
}
