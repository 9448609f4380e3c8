package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// openAlert screens a name in the tab (as its user) and opens an alert
// from the result; it returns the alert page's path.
func (tb *tab) openAlert(name, operator string) string {
	tb.t.Helper()
	tb.open("/ui/screen?" + url.Values{"name": {name}, "operator": {operator}}.Encode())
	tb.run(chromedp.Click(chromedp.CSS(`form[action="/ui/screen"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#open-alert")),
		chromedp.Click(chromedp.CSS("#open-alert")), chromedp.WaitVisible(chromedp.CSS(`a[href^="/ui/alerts/"]`)))
	href := get(tb, chromedp.AttributeValue(chromedp.CSS(`#content a[href^="/ui/alerts/"]`), "href"))
	if !href.Exists {
		tb.t.Fatal("no link to the alert opened")
	}
	return href.Value
}

// TestAlertFlow: an analyst finds the alert in the queue, assigns it to
// herself and comments; an approver decides it and is refused approving
// his own decision (four eyes, said on the page); a second approver
// approves it; the history shows who did what.
func TestAlertFlow(t *testing.T) {
	e := theEnv(t)
	ana := e.login("ana")
	alert := ana.openAlert("Cubatabaco", "us-bank")

	ana.open("/ui/alerts?filtered=1&status=open&operator=us-bank")
	if body := ana.text("#content"); !strings.Contains(body, "CUBATABACO") {
		t.Fatalf("the queue filtered to open us-bank alerts lacks the new alert: %.1500s", body)
	}
	ana.axeCheck("the alert queue")
	ana.run(chromedp.Click(chromedp.CSS(`a[href="`+alert+`"]`)), chromedp.WaitVisible(chromedp.CSS("#decide-h")))
	ana.submit("#assign", ".flash")
	ana.run(chromedp.SendKeys(chromedp.CSS("#comment"), "asked the branch for the customer's articles of association"))
	ana.submit("#add-comment", ".flash")
	if body := ana.text("#content"); !strings.Contains(body, "user:ana") || !strings.Contains(body, "articles of association") {
		t.Errorf("the alert page lacks the assignment or the comment: %.1500s", body)
	}
	ana.axeCheck("an open alert")

	bob := e.login("bob")
	bob.open(alert)
	bob.run(chromedp.Click(chromedp.CSS("#o-tm")), chromedp.SendKeys(chromedp.CSS("#reason"), "same name, the company is the Cuban state tobacco exporter"),
		chromedp.Click(chromedp.CSS("#decide")), chromedp.WaitVisible(chromedp.CSS("#four-eyes-note")))
	bob.submit("#approve", "[role=alert]")
	if msg := bob.text("[role=alert]"); !strings.Contains(msg, "four eyes") {
		t.Errorf("approving one's own decision says %q, want the four-eyes refusal", msg)
	}
	bob.axeCheck("a refused approval")

	cleo := e.login("cleo")
	cleo.open(alert)
	cleo.run(chromedp.SendKeys(chromedp.CSS("#check-note"), "checked the registry extract"))
	cleo.submit("#approve", ".flash")
	body := cleo.text("#content")
	for _, want := range []string{"True match", "user:bob", "user:cleo", "checked the registry extract"} {
		if !strings.Contains(body, want) {
			t.Errorf("after approval the alert page lacks %q", want)
		}
	}
	cleo.axeCheck("a decided alert")
	cleo.screenshot("alert")
}

// TestAlertAnalystCannotApprove: an analyst sees a pending decision but no
// approve button, and the API refuses her anyway.
func TestAlertAnalystCannotApprove(t *testing.T) {
	e := theEnv(t)
	bob := e.login("bob")
	alert := bob.openAlert("Cubafrutas", "us-bank")
	bob.open(alert)
	bob.run(chromedp.Click(chromedp.CSS("#o-fp")), chromedp.SendKeys(chromedp.CSS("#reason"), "our customer is a fruit importer in Valencia, not the listed exporter"))
	bob.submit("#decide", ".flash")
	ana := e.login("ana")
	ana.open(alert)
	if n := get(ana, chromedp.Evaluate[int](`document.querySelectorAll("#approve").length`)); n != 0 {
		t.Error("an analyst is offered the approve button")
	}
	if body := ana.text("#content"); !strings.Contains(body, "Only an approver") {
		t.Errorf("the page does not say who may approve: %.800s", body)
	}
}
