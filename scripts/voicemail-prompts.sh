#!/usr/bin/env bash
# voicemail-prompts.sh regenerates assets/voicemail/: the default greeting
# and the voice-menu prompts of Ligne's voicemail, in French and English.
# Run once by hand after changing a text below (needs espeak-ng, festival with festvox-us-slt-hts, and ffmpeg:
# scripts/deps.sh test). The files are small MP3s (mono, 16 kHz, 24 kbit/s)
# that media.OpenAudioFile decodes with go-mp3.
#
# Voices: English uses festival's HTS voice cmu_us_slt_arctic_hts (Debian
# festvox-us-slt-hts), far less robotic than espeak-ng. French has no such
# voice in Debian's free archive (the mbrola voices are not installable), so
# it uses espeak-ng with a softer female variant, a slower rate and a lower
# pitch range than its defaults.
set -euo pipefail
cd "$(dirname "$0")/../assets/voicemail"

say() { # say LANG NAME TEXT
  local lang=$1 name=$2 text=$3 voice
  mkdir -p "$lang"
  case "$lang" in
    fr) espeak-ng -v fr+Annie -s 138 -p 42 -g 2 -w "/tmp/vm-$$.wav" "$text" ;;
    en) echo "$text" | text2wave -eval "(voice_cmu_us_slt_arctic_hts)" -o "/tmp/vm-$$.wav" ;;
  esac
  ffmpeg -loglevel error -y -i "/tmp/vm-$$.wav" -af "silenceremove=start_periods=1:start_threshold=-50dB,areverse,silenceremove=start_periods=1:start_threshold=-50dB,areverse,highpass=f=120,volume=1.6,apad=pad_dur=0.15" -ac 1 -ar 16000 \
    -codec:a libmp3lame -b:a 24k "$lang/$name.mp3"
  rm -f "/tmp/vm-$$.wav"
}

fr() { say fr "$@"; }
en() { say en "$@"; }

fr greeting "Bonjour. Votre correspondant n'est pas disponible pour le moment. Laissez-lui un message après le bip sonore. Merci."
en greeting "Hello. The person you are calling is not available right now. Please leave a message after the tone. Thank you."
fr full "La messagerie de votre correspondant est pleine. Vous ne pouvez pas laisser de message pour le moment. Au revoir."
en full "The mailbox of the person you are calling is full. You cannot leave a message right now. Goodbye."
fr welcome "Bienvenue sur votre messagerie vocale."
en welcome "Welcome to your voicemail."
fr pin "Composez votre code d'accès, puis la touche dièse."
en pin "Please enter your access code, followed by the hash key."
fr wrong_pin "Code incorrect."
en wrong_pin "That code is not correct."
fr you_have "Vous avez"
en you_have "You have"
fr new_one "nouveau message."
en new_one "new message."
fr new_many "nouveaux messages."
en new_many "new messages."
fr no_new "Vous n'avez pas de nouveau message."
en no_new "You have no new messages."
fr over_99 "plus de quatre-vingt-dix-neuf"
en over_99 "more than ninety-nine"
fr next_message "Message suivant."
en next_message "Next message."
fr options "Pour le réécouter, tapez 1. Pour le supprimer, tapez 7. Pour le conserver, tapez 9. Pour passer au suivant, tapez dièse."
en options "To hear it again, press 1. To delete it, press 7. To save it, press 9. For the next message, press hash."
fr deleted "Message supprimé."
en deleted "Message deleted."
fr saved "Message conservé."
en saved "Message saved."
fr end "Vous avez écouté tous vos messages."
en end "You have heard all your messages."
fr goodbye "Au revoir."
en goodbye "Goodbye."

# Numbers 1 to 99, spoken whole (composing "vingt" + "et un" sounds choppy).
for n in $(seq 1 99); do
  fr "n$n" "$n"
  en "n$n" "$n"
done
du -sh fr en
