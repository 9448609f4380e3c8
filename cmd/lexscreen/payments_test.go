package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestScreenPayment screens an ISO and an MT batch against the bundled
// lists for a US bank: the payments naming a listed party (by name, in
// free text, by BIC, and the cover payment of one) are blocked, the
// others pass, the unreadable message is reported with its line and
// field and the run exits 7.
func TestScreenPayment(t *testing.T) {
	dir := bundledDir(t)
	out, errOut, code := lex(t, dir, "screen-payment", "--operator", "us-bank", "--json",
		"testdata/payments/e2e.xml", "testdata/payments/e2e.fin")
	if code != 7 {
		t.Fatalf("exit %d, want 7 (one unreadable message): %s", code, errOut)
	}
	var res struct {
		Payments []struct {
			Decision string `json:"decision"`
			Message  struct {
				Reference string `json:"reference"`
			} `json:"message"`
			Pair string `json:"pair"`
		} `json:"payments"`
		Errors []struct {
			File, Element string
			Line, Doc     int
		} `json:"errors"`
		Counts struct {
			Payments, Unreadable, Pairs int
		} `json:"counts"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if res.Counts.Payments != 14 || res.Counts.Unreadable != 1 || res.Counts.Pairs != 1 {
		t.Errorf("counts %+v", res.Counts)
	}
	if len(res.Errors) != 1 || res.Errors[0].Element != "32A" || res.Errors[0].Doc != 7 || res.Errors[0].Line == 0 {
		t.Errorf("errors %+v", res.Errors)
	}
	want := map[string]string{
		"INGB-20250901-7/E2E-HON-1": "block", "INGB-20250901-7/E2E-CONF-2": "block", "INGB-20250901-7/E2E-TRADE-3": "block",
		"MT103-REF-5500": "block", "COV-5500": "block",
	}
	for _, p := range res.Payments {
		w := want[p.Message.Reference]
		if w == "" {
			w = "pass"
		}
		if p.Decision != w {
			t.Errorf("%s: %s, want %s", p.Message.Reference, p.Decision, w)
		}
	}
	// Text output and --fail-on-match on a clean file.
	out, _, code = lex(t, dir, "screen-payment", "--operator", "eu-bank", "--fail-on-match", "../../payments/testdata/pain001.xml")
	if code != 0 || !strings.Contains(out, "2 payment(s)") || !strings.Contains(out, "PAYRUN-2025-05-15/SUP-3321") {
		t.Errorf("exit %d: %s", code, out)
	}
	out, _, code = lex(t, dir, "screen-payment", "--operator", "us-bank", "--fail-on-match", "testdata/payments/e2e.xml")
	if code != 6 || !strings.Contains(out, "BLOCK (US-OFAC") || !strings.Contains(out, `free text [CdtTrfTxInf/RmtInf/Ustrd] "Francesca Albanese"`) {
		t.Errorf("exit %d: %s", code, out)
	}
}
