package media

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// run runs an external program and fails the test with its output on error.
func run(t *testing.T, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(mustTool(t, name), args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out.String())
	}
}

// readWAVFile reads a whole WAV file as mono samples.
func readWAVFile(t *testing.T, path string) ([]int16, WAVInfo) {
	t.Helper()
	f, err := OpenWAV(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(f); err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return BytesToSamples(nil, buf.Bytes()), f.Info()
}

// speech synthesizes an English sentence with espeak-ng and returns it
// resampled to rate.
func speech(t *testing.T, rate int) []int16 {
	t.Helper()
	path := filepath.Join(t.TempDir(), "speech.wav")
	run(t, "espeak-ng", "-v", "en", "-s", "150", "-w", path,
		"The quick brown fox jumps over the lazy dog, then calls the office at nine fifteen.")
	s, info := readWAVFile(t, path)
	r, err := NewResampler(info.SampleRate, rate)
	if err != nil {
		t.Fatal(err)
	}
	return r.Process(nil, s)
}

func writeRaw(t *testing.T, path string, s []int16) {
	t.Helper()
	if err := os.WriteFile(path, SamplesToBytes(nil, s), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readRaw(t *testing.T, path string) []int16 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return BytesToSamples(nil, b)
}
