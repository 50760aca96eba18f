package selfcare

// Error codes. The text of each is in messages, in French and English.
const (
	CodeInternal   Code = "internal"
	CodeNotFound   Code = "not_found"
	CodeNoAccount  Code = "no_account"
	CodeRequired   Code = "required"
	CodeTooLong    Code = "too_long"
	CodeOutOfRange Code = "out_of_range"
	CodeDuplicate  Code = "duplicate"

	CodeChoiceInvalid    Code = "choice_invalid"
	CodeNumberInvalid    Code = "number_invalid"
	CodeEmailInvalid     Code = "email_invalid"
	CodeURLInvalid       Code = "url_invalid"
	CodePathInvalid      Code = "path_invalid"
	CodePINInvalid       Code = "pin_invalid"
	CodeMACInvalid       Code = "mac_invalid"
	CodeDomainInvalid    Code = "domain_invalid"
	CodeHostPortInvalid  Code = "hostport_invalid"
	CodeTransportInvalid Code = "transport_invalid"
	CodeSRTPInvalid      Code = "srtp_invalid"
	CodeSIPUserInvalid   Code = "sip_user_invalid"
	CodeLineInvalid      Code = "line_invalid"
	CodeTimeZoneInvalid  Code = "timezone_invalid"
	CodeClockInvalid     Code = "clock_invalid"

	CodeModelUnknown    Code = "model_unknown"
	CodeDeviceExists    Code = "device_exists"
	CodeRingtoneUnknown Code = "ringtone_unknown"

	CodeAnonymousMobileOnly Code = "anonymous_mobile_only"
	CodePresentedNotAllowed Code = "presented_not_allowed"

	CodeKeysOverCapacity        Code = "keys_over_capacity"
	CodeKeyPositionInvalid      Code = "key_position_invalid"
	CodeSupervisionLimit        Code = "supervision_limit"
	CodeRightDenied             Code = "right_denied"
	CodeSupervisionInternalOnly Code = "supervision_internal_only"
	CodeShortcutExternalOnly    Code = "shortcut_external_only"

	CodeContactUnknown  Code = "contact_unknown"
	CodeContactReadOnly Code = "contact_read_only"
	CodeContactNoNumber Code = "contact_no_number"

	CodeForwardKindInvalid      Code = "forward_kind_invalid"
	CodeImmediateExclusive      Code = "immediate_exclusive"
	CodeImmediateNeedsOthersOff Code = "immediate_needs_others_off"
	CodeDelayOutOfRange         Code = "delay_out_of_range"
	CodeSimultaneousNeedsNumber Code = "simultaneous_needs_number"
	CodePeriodNotAllowed        Code = "period_not_allowed"
	CodeMobileImmediateNoPeriod Code = "mobile_immediate_no_period"
	CodePeriodInvalid           Code = "period_invalid"
	CodePeriodOver              Code = "period_over"
	CodeHoursInvalid            Code = "hours_invalid"
	CodeHoursNoDay              Code = "hours_no_day"

	CodeSMSMobileOnly     Code = "sms_mobile_only"
	CodeGreetingTooLong   Code = "greeting_too_long"
	CodeGreetingNameTaken Code = "greeting_name_taken"
	CodeGreetingLimit     Code = "greeting_limit"
	CodeFileType          Code = "file_type"
	CodeFileTooLarge      Code = "file_too_large"
	CodeFileEmpty         Code = "file_empty"
	CodeFileCorrupt       Code = "file_corrupt"

	CodeProfileTooLarge Code = "profile_too_large"
	CodeProfileSyntax   Code = "profile_syntax"
	CodeProfileSchema   Code = "profile_schema"
	CodeProfileFetch    Code = "profile_fetch"
	CodeDocumentSource  Code = "document_source"

	CodeDatabaseForeign Code = "database_foreign"
	CodeDatabaseNewer   Code = "database_newer"
	CodeSecretStore     Code = "secret_store"

	// Desk phone provisioning (issue 10).
	CodeRingtoneBuiltInOnly Code = "ringtone_builtin_only"
	CodeDeviceNoAddress     Code = "device_no_address"
	CodeSyncNoAnswer        Code = "sync_no_answer"
	CodeSyncRefused         Code = "sync_refused"
	CodeProvisioningOff     Code = "provisioning_off"
	CodeProvisioningListen  Code = "provisioning_listen"
	CodeCertificateInvalid  Code = "certificate_invalid"
	CodeProvisionNotFound   Code = "provision_not_found"
	CodeProvisionAuth       Code = "provision_auth"
	CodeProvisionBasicTLS   Code = "provision_basic_tls"
	CodeProvisionMethod     Code = "provision_method"

	// Operator records import (call log, issue 8).
	CodeCSVColumns      Code = "csv_columns"
	CodeDateInvalid     Code = "date_invalid"
	CodeDurationInvalid Code = "duration_invalid"

	// Contacts, directory sources, documentation (issue 9).
	CodeExternalContactsDenied Code = "external_contacts_denied"
	CodeNotSupervisable        Code = "not_supervisable"
	CodeKeyExists              Code = "key_exists"
	CodeImportFormat           Code = "import_format"
	CodeImportNoNumber         Code = "import_no_number"
	CodeImportNothing          Code = "import_nothing"
	CodeImportTooLarge         Code = "import_too_large"
	CodeLDAPURLInvalid         Code = "ldap_url_invalid"
	CodeLDAPDNInvalid          Code = "ldap_dn_invalid"
	CodeLDAPFilterInvalid      Code = "ldap_filter_invalid"
	CodeLDAPAttributeInvalid   Code = "ldap_attribute_invalid"
	CodeLDAPUnreachable        Code = "ldap_unreachable"
	CodeLDAPAuth               Code = "ldap_auth"
	CodeLDAPSearch             Code = "ldap_search"
	CodeLDAPNotConfigured      Code = "ldap_not_configured"
	CodeDocumentDownload       Code = "document_download"
	CodeDocumentNoGuide        Code = "document_no_guide"
	CodeDocumentUnavailable    Code = "document_unavailable"

	// Softphone (issue 5).
	CodeNothingToRedial Code = "nothing_to_redial"

	// Contacts (issue 9), continued.
	CodeLDAPBaseNotFound    Code = "ldap_base_not_found"
	CodeLDAPPasswordMissing Code = "ldap_password_missing"
	CodeDocumentInterrupted Code = "document_interrupted"
	CodeDocumentNotDocument Code = "document_not_document"
	// Voicemail (issue 7).
	CodeSMSTemplateInvalid Code = "sms_template_invalid"
	CodeCommandInvalid     Code = "command_invalid"
	CodeSMTPFailed         Code = "smtp_failed"
	CodeSMSFailed          Code = "sms_failed"
	CodeSMTPNotConfigured  Code = "smtp_not_configured"
	CodeMicrophoneFailed   Code = "microphone_failed"
	CodeRecordingSilent    Code = "recording_silent"
	CodeSecurityInvalid    Code = "security_invalid"
	// Reliability and security (issue 12).
	CodeSecretConsent    Code = "secret_consent"
	CodeSecretFileUnsafe Code = "secret_file_unsafe"
	CodeSecretConsentAsk Code = "secret_consent_ask"
	// Calls.
	CodeNoVoicemail Code = "no_voicemail"
	// Reliability (issue 12), continued.
	CodeLineMissing Code = "line_missing"
)

type message struct{ fr, en string }

// messages holds the user text of every code. Arguments follow the order
// given to Errorf.
var messages = map[Code]message{
	CodeInternal:   {"Une erreur inattendue s'est produite. Le détail est dans le journal.", "Something unexpected went wrong. The details are in the log."},
	CodeNotFound:   {"Élément introuvable : il a peut-être été supprimé.", "Not found: it may have been deleted."},
	CodeNoAccount:  {"Aucun compte n'est configuré.", "No account is set up."},
	CodeRequired:   {"Ce champ est obligatoire.", "This field is required."},
	CodeTooLong:    {"Trop long : %d caractères au plus.", "Too long: %d characters at most."},
	CodeOutOfRange: {"Valeur hors limites : entre %v et %v.", "Out of range: between %v and %v."},
	CodeDuplicate:  {"« %v » figure déjà dans la liste.", "“%v” is already in the list."},

	CodeChoiceInvalid:    {"Choix non reconnu : « %v ».", "Unknown choice: “%v”."},
	CodeNumberInvalid:    {"« %v » n'est pas un numéro valide. Exemples : 01 23 45 67 89, +33 1 23 45 67 89, 4021 ou sip:nom@domaine.", "“%v” is not a valid number. Examples: 01 23 45 67 89, +33 1 23 45 67 89, 4021 or sip:name@domain."},
	CodeEmailInvalid:     {"« %v » n'est pas une adresse email valide.", "“%v” is not a valid email address."},
	CodeURLInvalid:       {"« %v » n'est pas une adresse web valide (http:// ou https://).", "“%v” is not a valid web address (http:// or https://)."},
	CodePathInvalid:      {"Chemin de fichier refusé : « %v ».", "File path refused: “%v”."},
	CodePINInvalid:       {"Le code doit comporter de 4 à 8 chiffres.", "The code must have 4 to 8 digits."},
	CodeMACInvalid:       {"« %v » n'est pas une adresse MAC valide (12 chiffres hexadécimaux, par exemple 80:5E:C0:AA:BB:CC).", "“%v” is not a valid MAC address (12 hexadecimal digits, for example 80:5E:C0:AA:BB:CC)."},
	CodeDomainInvalid:    {"« %v » n'est pas un nom de domaine valide.", "“%v” is not a valid domain name."},
	CodeHostPortInvalid:  {"« %v » n'est pas une adresse de serveur valide (hôte ou hôte:port).", "“%v” is not a valid server address (host or host:port)."},
	CodeTransportInvalid: {"Transport inconnu « %v » : choisissez UDP, TCP ou TLS.", "Unknown transport “%v”: choose UDP, TCP or TLS."},
	CodeSRTPInvalid:      {"Chiffrement de l'audio inconnu « %v » : choisissez automatique, exigé (required) ou jamais (off).", "Unknown audio encryption “%v”: choose automatic, required or off."},
	CodeSIPUserInvalid:   {"« %v » contient des caractères interdits dans un identifiant SIP.", "“%v” contains characters not allowed in a SIP user name."},
	CodeLineInvalid:      {"Ligne inconnue « %v » : fixe ou mobile.", "Unknown line “%v”: fixed or mobile."},
	CodeTimeZoneInvalid:  {"Fuseau horaire inconnu : « %v ».", "Unknown time zone: “%v”."},
	CodeClockInvalid:     {"Heure invalide « %v » : utilisez HH:MM.", "Invalid time “%v”: use HH:MM."},

	CodeModelUnknown:    {"Modèle de poste inconnu : « %v ».", "Unknown phone model: “%v”."},
	CodeDeviceExists:    {"Un poste avec l'adresse MAC %v existe déjà.", "A phone with MAC address %v already exists."},
	CodeRingtoneUnknown: {"La sonnerie « %v » n'existe pas sur le %v.", "Ringtone “%v” does not exist on the %v."},

	CodeAnonymousMobileOnly: {"La présentation anonyme n'est possible que sur la ligne mobile avancée.", "Anonymous presentation is only available on the advanced mobile line."},
	CodePresentedNotAllowed: {"Le numéro %v ne fait pas partie des numéros que vous pouvez présenter.", "Number %v is not one of the numbers you may present."},

	CodeKeysOverCapacity:        {"Le %v accepte au plus %d touches de fonction.", "The %v holds at most %d function keys."},
	CodeKeyPositionInvalid:      {"Position de touche invalide : %v.", "Invalid key position: %v."},
	CodeSupervisionLimit:        {"Votre administrateur autorise au plus %d touches de supervision.", "Your administrator allows at most %d supervision keys."},
	CodeRightDenied:             {"Vos droits ne permettent pas ce type de touche. Rapprochez-vous de votre administrateur.", "Your rights do not allow this kind of key. Ask your administrator."},
	CodeSupervisionInternalOnly: {"La supervision n'est accessible que pour les utilisateurs internes.", "Supervision is only available for internal users."},
	CodeShortcutExternalOnly:    {"Les raccourcis sont accessibles pour vos interlocuteurs externes.", "Shortcuts are for your external contacts."},

	CodeContactUnknown:  {"Contact introuvable : « %v ».", "Contact not found: “%v”."},
	CodeContactReadOnly: {"Les contacts internes viennent de l'annuaire de l'entreprise et ne peuvent pas être modifiés. Seuls les contacts externes s'ajoutent, se modifient ou se suppriment.", "Internal contacts come from the company directory and cannot be changed. Only external contacts can be added, edited or deleted."},
	CodeContactNoNumber: {"Indiquez au moins un numéro.", "Enter at least one number."},

	CodeForwardKindInvalid:      {"Ce renvoi n'existe pas sur cette ligne : « %v ».", "This forwarding does not exist on this line: “%v”."},
	CodeImmediateExclusive:      {"Le renvoi immédiat prend le pas sur tous les renvois. Si vous activez le renvoi immédiat vous ne pouvez activer d'autre renvoi.", "Immediate forwarding takes precedence over all forwarding. While immediate forwarding is on, no other forwarding can be turned on."},
	CodeImmediateNeedsOthersOff: {"Le renvoi immédiat prend le pas sur tous les renvois : désactivez d'abord les autres renvois actifs (%v).", "Immediate forwarding takes precedence over all forwarding: first turn off the other active rules (%v)."},
	CodeDelayOutOfRange:         {"Le délai d'attente va de 10 secondes à 1 min 30 secondes, par pas de 5 secondes (reçu : %d s).", "The delay goes from 10 seconds to 1 min 30 seconds, in 5-second steps (got %d s)."},
	CodeSimultaneousNeedsNumber: {"La sonnerie simultanée fait sonner un numéro : indiquez-le.", "Simultaneous ring rings a number: enter it."},
	CodePeriodNotAllowed:        {"Seul le renvoi immédiat accepte une période précise.", "Only immediate forwarding takes a specific period."},
	CodeMobileImmediateNoPeriod: {"Sur la ligne mobile avancée, le renvoi immédiat est sans temporalité.", "On the advanced mobile line, immediate forwarding has no schedule."},
	CodePeriodInvalid:           {"La période est invalide : la fin doit suivre le début.", "The period is invalid: the end must come after the start."},
	CodePeriodOver:              {"Cette période est déjà terminée.", "This period is already over."},
	CodeHoursInvalid:            {"Horaires invalides : le début et la fin doivent différer.", "Invalid hours: start and end must differ."},
	CodeHoursNoDay:              {"Choisissez au moins un jour.", "Choose at least one day."},

	CodeSMSMobileOnly:     {"Les notifications SMS sont réservées à la ligne mobile avancée.", "SMS notifications are for the advanced mobile line only."},
	CodeGreetingTooLong:   {"Une annonce dure au plus %d secondes.", "A greeting lasts at most %d seconds."},
	CodeGreetingNameTaken: {"Une annonce s'appelle déjà « %v ».", "A greeting is already called “%v”."},
	CodeGreetingLimit:     {"Vous avez déjà %d annonces : supprimez-en une d'abord.", "You already have %d greetings: delete one first."},
	CodeFileType:          {"Ce fichier n'est pas un %v lisible.", "This file is not a readable %v."},
	CodeFileTooLarge:      {"Fichier trop volumineux : %d Mo au plus.", "File too large: %d MB at most."},
	CodeFileEmpty:         {"Le fichier est vide.", "The file is empty."},
	CodeFileCorrupt:       {"Le fichier est abîmé ou incomplet : %v.", "The file is damaged or incomplete: %v."},

	CodeProfileTooLarge: {"Le profil dépasse %d Mo.", "The profile is larger than %d MB."},
	CodeProfileSyntax:   {"Le profil n'est pas un JSON valide : %v.", "The profile is not valid JSON: %v."},
	CodeProfileSchema:   {"Version de profil « %v » non prise en charge (attendu : %v).", "Profile version “%v” is not supported (expected %v)."},
	CodeProfileFetch:    {"Impossible de télécharger le profil : %v.", "Could not download the profile: %v."},
	CodeDocumentSource:  {"Un document a soit une adresse web, soit un fichier fourni, pas les deux.", "A document has either a web address or a bundled file, not both."},

	CodeDatabaseForeign: {"Le fichier %v n'est pas une base Ligne lisible. Une copie a été gardée sous %v ; rien n'a été effacé.", "File %v is not a readable Ligne database. A copy was kept as %v; nothing was erased."},
	CodeDatabaseNewer:   {"Cette base a été écrite par une version plus récente de Ligne (schéma %v). Mettez Ligne à jour.", "This database was written by a newer Ligne (schema %v). Please update Ligne."},
	CodeSecretStore:     {"Le trousseau du système est indisponible : %v.", "The system keyring is not available: %v."},

	CodeRingtoneBuiltInOnly: {"Le %v ne joue que ses sonneries intégrées : choisissez-en une dans la liste.", "The %v only plays its built-in ringtones: pick one from the list."},
	CodeDeviceNoAddress:     {"Adresse du poste inconnue : saisissez-la, ou attendez qu'il récupère sa configuration une première fois.", "The phone's address is unknown: type it in, or wait until it fetches its configuration once."},
	CodeSyncNoAnswer:        {"Le poste (%v) n'a pas répondu à la demande de synchronisation : est-il allumé et joignable ?", "The phone (%v) did not answer the sync request: is it on and reachable?"},
	CodeSyncRefused:         {"Le poste a refusé la demande de synchronisation : %d %v.", "The phone refused the sync request: %d %v."},
	CodeProvisioningOff:     {"Le serveur de configuration des postes est arrêté : activez-le d'abord.", "The desk phone configuration server is off: turn it on first."},
	CodeProvisioningListen:  {"Impossible d'ouvrir %v pour le serveur de configuration : %v.", "Could not open %v for the configuration server: %v."},
	CodeCertificateInvalid:  {"Certificat ou clé illisible (%v) : %v.", "Unreadable certificate or key (%v): %v."},
	CodeProvisionNotFound:   {"Aucun fichier de configuration à cette adresse.", "No configuration file at this address."},
	CodeProvisionAuth:       {"Identifiants du poste absents ou refusés.", "The phone's credentials are missing or wrong."},
	CodeProvisionBasicTLS:   {"L'authentification Basic n'est acceptée qu'en HTTPS : utilisez Digest ou HTTPS.", "Basic authentication is only accepted over HTTPS: use Digest or HTTPS."},
	CodeProvisionMethod:     {"Seule la lecture (GET) est acceptée ici.", "Only reading (GET) is accepted here."},

	CodeCSVColumns:      {"Colonnes obligatoires absentes de l'en-tête : %v.", "Required columns missing from the header: %v."},
	CodeDateInvalid:     {"Date invalide « %v » : utilisez AAAA-MM-JJ HH:MM:SS ou JJ/MM/AAAA HH:MM:SS.", "Invalid date “%v”: use YYYY-MM-DD HH:MM:SS or DD/MM/YYYY HH:MM:SS."},
	CodeDurationInvalid: {"Durée invalide « %v » : en secondes ou HH:MM:SS.", "Invalid duration “%v”: in seconds or HH:MM:SS."},

	CodeExternalContactsDenied: {"Votre administrateur ne vous permet pas d'enregistrer des contacts externes.", "Your administrator does not let you keep external contacts."},
	CodeNotSupervisable:        {"Votre administrateur n'autorise pas la supervision de %v.", "Your administrator does not allow supervising %v."},
	CodeKeyExists:              {"%v a déjà une touche de fonction (touche %d).", "%v already has a function key (key %d)."},
	CodeImportFormat:           {"Ce fichier n'est ni un fichier de contacts vCard (.vcf) ni un tableau CSV de contacts.", "This file is neither a vCard contacts file (.vcf) nor a CSV table of contacts."},
	CodeImportNoNumber:         {"Aucun numéro de téléphone : ce contact n'est pas importé.", "No phone number: this contact is not imported."},
	CodeImportNothing:          {"Aucun contact valide dans ce fichier : rien n'a été modifié.", "No valid contact in this file: nothing was changed."},
	CodeImportTooLarge:         {"Fichier trop volumineux : %d Mo au plus.", "File too large: %d MB at most."},
	CodeLDAPURLInvalid:         {"« %v » n'est pas une adresse d'annuaire valide (ldap://hôte:port ou ldaps://hôte:port).", "“%v” is not a valid directory address (ldap://host:port or ldaps://host:port)."},
	CodeLDAPDNInvalid:          {"« %v » n'est pas un DN valide (par exemple dc=exemple,dc=fr).", "“%v” is not a valid DN (for example dc=example,dc=com)."},
	CodeLDAPFilterInvalid:      {"Filtre de recherche invalide « %v » (par exemple (objectClass=person)).", "Invalid search filter “%v” (for example (objectClass=person))."},
	CodeLDAPAttributeInvalid:   {"Nom d'attribut invalide « %v ».", "Invalid attribute name “%v”."},
	CodeLDAPUnreachable:        {"Impossible de joindre l'annuaire %v : %v.", "Could not reach the directory %v: %v."},
	CodeLDAPAuth:               {"L'annuaire a refusé l'identifiant ou le mot de passe de connexion.", "The directory refused the bind DN or password."},
	CodeLDAPSearch:             {"La recherche dans l'annuaire a échoué : %v. L'annuaire déjà chargé n'a pas changé.", "The directory search failed: %v. The directory already loaded has not changed."},
	CodeLDAPNotConfigured:      {"Aucun annuaire LDAP n'est configuré.", "No LDAP directory is set up."},
	CodeDocumentDownload:       {"Le téléchargement de « %v » a échoué : %v.", "Downloading “%v” failed: %v."},
	CodeDocumentNoGuide:        {"Aucun guide utilisateur n'est disponible pour le %v.", "No user guide is available for the %v."},
	CodeDocumentUnavailable:    {"Le document « %v » n'est pas disponible.", "Document “%v” is not available."},

	CodeNothingToRedial: {"Aucun numéro à rappeler pour l'instant.", "No number to redial yet."},

	CodeLDAPBaseNotFound:    {"La base « %v » n'existe pas dans l'annuaire (ou le compte de connexion ne peut pas la lire).", "Base “%v” does not exist in the directory (or the bind account cannot read it)."},
	CodeLDAPPasswordMissing: {"Saisissez le mot de passe du compte de connexion à l'annuaire.", "Enter the password of the directory bind account."},
	CodeDocumentInterrupted: {"Le téléchargement de « %v » a été interrompu ; rien n'a été gardé. Réessayez.", "Downloading “%v” was interrupted; nothing was kept. Try again."},
	CodeDocumentNotDocument: {"Pour « %v », le serveur a renvoyé une page web au lieu du document (une connexion à ce site est peut-être nécessaire).", "For “%v”, the server sent a web page instead of the document (the site may need you to sign in)."},
	CodeSMSTemplateInvalid:  {"Le modèle du SMS est invalide : %v.", "The SMS template is invalid: %v."},
	CodeCommandInvalid:      {"La commande de transcription est invalide : %v.", "The transcription command is invalid: %v."},
	CodeSMTPFailed:          {"L'envoi par le serveur SMTP %v a échoué : %v. Le message reste en file et sera renvoyé.", "Sending through the SMTP server %v failed: %v. The message stays queued and will be sent again."},
	CodeSMSFailed:           {"La passerelle SMS a refusé l'envoi : %v. Le SMS reste en file et sera renvoyé.", "The SMS gateway refused the message: %v. The SMS stays queued and will be sent again."},
	CodeSMTPNotConfigured:   {"Aucun serveur SMTP n'est configuré : renseignez-le dans les paramètres de la messagerie.", "No SMTP server is set up: fill it in the voicemail settings."},
	CodeMicrophoneFailed:    {"Le micro n'a pas pu être ouvert : %v.", "The microphone could not be opened: %v."},
	CodeRecordingSilent:     {"L'enregistrement est silencieux : vérifiez le micro et recommencez.", "The recording is silent: check the microphone and try again."},
	CodeSecurityInvalid:     {"Sécurité SMTP non reconnue « %v » : starttls, tls ou aucune.", "Unknown SMTP security “%v”: starttls, tls or none."},

	CodeSecretConsent: {"Aucun trousseau système n'est disponible (%v), et vous n'avez pas accepté que Ligne garde vos mots de passe dans un fichier : rien n'a été enregistré. Ce fichier serait dans votre dossier de données, lisible par votre seul compte, mais en clair : quiconque utilise votre session ou lit vos sauvegardes pourrait les lire. Acceptez-le (Paramètres, ou lignectl secrets allow-file) ou installez un trousseau (GNOME Keyring, KWallet).",
		"No system keyring is available (%v), and you have not agreed to let Ligne keep your passwords in a file: nothing was saved. That file would be in your data folder, readable by your account only, but in clear: anyone using your session or reading your backups could read them. Agree to it (Settings, or lignectl secrets allow-file) or install a keyring (GNOME Keyring, KWallet)."},
	CodeSecretFileUnsafe: {"Le fichier de mots de passe %v est lisible par d'autres comptes : Ligne ne s'en sert pas. Rendez-le privé (chmod 600) ou supprimez-le.", "The password file %v can be read by other accounts: Ligne does not use it. Make it private (chmod 600) or delete it."},
	CodeSecretConsentAsk: {"Aucun trousseau système n'est disponible sur cet ordinateur (%v). Ligne peut garder vos mots de passe (compte SIP, SMTP, annuaire, postes) dans le fichier %v, lisible par votre seul compte utilisateur. Ils y seront en clair : quiconque utilise votre session ou lit vos sauvegardes pourra les lire. Si vous refusez, rien ne sera enregistré et il faudra installer un trousseau (GNOME Keyring, KWallet). Garder les mots de passe dans ce fichier ?",
		"No system keyring is available on this computer (%v). Ligne can keep your passwords (SIP account, SMTP, directory, desk phones) in the file %v, readable by your user account only. They will be in clear there: anyone using your session or reading your backups could read them. If you refuse, nothing is saved and a keyring must be installed (GNOME Keyring, KWallet). Keep the passwords in this file?"},
	CodeNoVoicemail: {"Aucune messagerie ne peut prendre cet appel : la messagerie de Ligne n'est pas active et le profil de l'entreprise ne donne pas de numéro de messagerie.", "No voicemail can take this call: Ligne's voicemail is not running and the company profile gives no voicemail number."},
	CodeLineMissing: {"La ligne « %v » n'existe pas encore : chargez d'abord le profil de l'organisation (lignectl profile load), puis ajoutez le poste.",
		"Line “%v” does not exist yet: load the organization profile first (lignectl profile load), then add the phone."},
}

// Codes lists every known code (for tests and documentation).
func Codes() []Code {
	out := make([]Code, 0, len(messages))
	for c := range messages {
		out = append(out, c)
	}
	return out
}
