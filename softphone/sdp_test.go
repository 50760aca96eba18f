package softphone

import (
	"errors"
	"strings"
	"testing"

	"github.com/ligne-app/ligne/media"
)

func testLocal(dir Direction) localMedia {
	return localMedia{ip: "127.0.0.1", port: 40000, codecs: []media.Codec{media.CodecPCMU, media.CodecPCMA},
		dtmfPT: 101, dir: dir, sessID: 1, version: 1}
}

const baresipOffer = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
	"m=audio 20000 RTP/AVP 8 0 96\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n" +
	"a=rtpmap:96 telephone-event/8000\r\na=fmtp:96 0-15\r\na=sendrecv\r\n"

func TestAnswerPicksTheOfferersFirstCommonCodecAndItsDTMFType(t *testing.T) {
	body, n, err := answerOffer([]byte(baresipOffer), testLocal(SendRecv), false)
	if err != nil {
		t.Fatal(err)
	}
	if n.codec.Name != "PCMA" || n.dtmfPT != 96 || !n.send || !n.recv || n.remote.Port != 20000 {
		t.Fatalf("negotiated %+v", n)
	}
	ans := string(body)
	for _, want := range []string{"m=audio 40000 RTP/AVP 8 96", "a=rtpmap:96 telephone-event/8000", "a=sendrecv"} {
		if !strings.Contains(ans, want) {
			t.Errorf("answer lacks %q:\n%s", want, ans)
		}
	}
}

func TestAnswerToHoldOfferIsRecvOnlyAndStopsSending(t *testing.T) {
	offer := strings.Replace(baresipOffer, "a=sendrecv", "a=sendonly", 1)
	body, n, err := answerOffer([]byte(offer), testLocal(SendRecv), false)
	if err != nil {
		t.Fatal(err)
	}
	if n.send || !n.recv || !strings.Contains(string(body), "a=recvonly") {
		t.Fatalf("hold answer %+v\n%s", n, body)
	}
	offer = strings.Replace(baresipOffer, "c=IN IP4 127.0.0.1", "c=IN IP4 0.0.0.0", 1)
	if _, n, _ = answerOffer([]byte(offer), testLocal(SendRecv), false); n.send {
		t.Fatalf("c=0.0.0.0 hold still sends: %+v", n)
	}
}

func TestOfferWithoutCommonCodecIsRefused(t *testing.T) {
	offer := "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
		"m=audio 20000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n"
	if _, _, err := answerOffer([]byte(offer), testLocal(SendRecv), false); !errors.Is(err, ErrNoMedia) {
		t.Fatalf("G729-only offer: err %v, want ErrNoMedia", err)
	}
	if _, _, err := answerOffer([]byte("garbage"), testLocal(SendRecv), false); !errors.Is(err, ErrMalformed) {
		t.Fatalf("garbage offer: err %v, want ErrMalformed", err)
	}
}

func TestOurOfferAndAnswerRoundTrip(t *testing.T) {
	l := testLocal(SendOnly)
	offer, err := l.offer()
	if err != nil {
		t.Fatal(err)
	}
	peer := testLocal(SendRecv)
	peer.port = 50000
	answer, pn, err := answerOffer(offer, peer, false)
	if err != nil {
		t.Fatal(err)
	}
	if pn.send || !pn.recv {
		t.Fatalf("peer answering our sendonly offer: %+v", pn)
	}
	n, err := applyAnswer(answer, l)
	if err != nil {
		t.Fatal(err)
	}
	if n.codec.Name != "PCMU" || !n.send || n.recv || n.remote.Port != 50000 || n.remoteDir != RecvOnly {
		t.Fatalf("applied %+v", n)
	}
}
