package softphone

import (
	"slices"
	"testing"

	"github.com/emiago/sipgo/sip"
)

func TestRAckAndRequireParsing(t *testing.T) {
	for _, c := range []struct {
		in        string
		rseq, seq uint32
		method    sip.RequestMethod
		ok        bool
	}{
		{"776656 1 INVITE", 776656, 1, sip.INVITE, true},
		{"  12 7 invite ", 12, 7, sip.INVITE, true},
		{"12 INVITE", 0, 0, "", false},
		{"x 1 INVITE", 0, 0, "", false},
		{"4294967296 1 INVITE", 0, 0, "", false}, // beyond 32 bits
	} {
		rseq, seq, m, ok := parseRAck(c.in)
		if ok != c.ok || rseq != c.rseq || seq != c.seq || m != c.method {
			t.Errorf("parseRAck(%q) = %d %d %q %v", c.in, rseq, seq, m, ok)
		}
	}
	req := sip.NewRequest(sip.INVITE, sip.Uri{User: "alice", Host: "example.com"})
	req.AppendHeader(sip.NewHeader("Require", "100REL, Replaces"))
	req.AppendHeader(sip.NewHeader("Require", "timer,,nothingSupportsThis"))
	if got := unsupportedOptions(req); !slices.Equal(got, []string{"timer", "nothingSupportsThis"}) {
		t.Errorf("unsupported options %v, want [timer nothingSupportsThis] as written", got)
	}
	if !requires100rel(req) {
		t.Error("100rel required but not seen")
	}
	ack := sip.NewRequest(sip.ACK, sip.Uri{User: "alice", Host: "example.com"})
	ack.AppendHeader(sip.NewHeader("Require", "foo"))
	if got := unsupportedOptions(ack); got != nil {
		t.Errorf("an ACK cannot be refused, got %v", got)
	}
}
