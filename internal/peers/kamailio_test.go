package peers

import (
	"strings"
	"testing"
)

func TestKamailioStartsAnswersAndRestarts(t *testing.T) {
	k := StartKamailio(t, KamailioOptions{Users: map[string]string{"alice": "s3cret"}, Presence: true})
	if err := probeSIP(k.Addr()); err != nil {
		t.Fatalf("OPTIONS to kamailio: %v", err)
	}
	k.Stop()
	if err := probeSIP(k.Addr()); err == nil {
		t.Fatalf("kamailio still answers after Stop")
	}
	k.Start()
	if err := probeSIP(k.Addr()); err != nil {
		t.Fatalf("OPTIONS after restart: %v", err)
	}
	if err := k.PublishMWI("alice", 2, 5); err != nil {
		t.Fatalf("publish MWI: %v", err)
	}
	if strings.Contains(k.Log(), "ERROR") {
		t.Logf("kamailio log has errors:\n%s", k.Log())
	}
}
