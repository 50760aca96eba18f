package testkeyring

import (
	"testing"

	"github.com/ligne-app/ligne/secrets"
)

func TestKeyringRoundTrip(t *testing.T) {
	Start(t)
	k := secrets.Keyring{}
	if err := k.Set("sip:4021@example.fr", "s3cret"); err != nil {
		t.Fatal(err)
	}
	if v, err := k.Get("sip:4021@example.fr"); err != nil || v != "s3cret" {
		t.Fatalf("got %q %v", v, err)
	}
	if err := k.Delete("sip:4021@example.fr"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get("sip:4021@example.fr"); err != secrets.ErrNotFound {
		t.Fatalf("after delete: %v", err)
	}
}
