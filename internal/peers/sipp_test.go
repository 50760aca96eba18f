package peers

import "testing"

func TestSippCallsBaresip(t *testing.T) {
	b := StartBaresip(t, BaresipOptions{AutoAnswer: true})
	r := Sipp(t, "uac", HostPort(b.SIPPort), "-s", "bob", "-m", "2", "-d", "200")
	if r.ExitCode != 0 || r.Successful != 2 {
		t.Fatalf("sipp: exit %d, %d successful %d failed\n%s", r.ExitCode, r.Successful, r.Failed, r.Log)
	}
}
