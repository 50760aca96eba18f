package voicemail

import "testing"

// BenchmarkImportGreetingMP3 checks, decodes, resamples and normalizes a
// 2-minute 44.1 kHz stereo MP3 (the longest greeting allowed).
func BenchmarkImportGreetingMP3(b *testing.B) {
	file := benchToneFile(b, "long.mp3", 120)
	for b.Loop() {
		if _, err := decodeGreetingFile(file); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTranscribePocketsphinx runs the default command on a 16 kHz
// message of one spoken sentence (about 5 s).
func BenchmarkTranscribePocketsphinx(b *testing.B) {
	file := benchSpeech(b)
	tr := CommandTranscriber{Command: DefaultTranscribeCommand}
	for b.Loop() {
		if _, err := tr.Transcribe(b.Context(), file); err != nil {
			b.Fatal(err)
		}
	}
}
