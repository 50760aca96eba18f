; Ligne's Windows installer (NSIS 3, Unicode).
;
; Per user, without administrator rights: Ligne goes to
; %LocalAppData%\Programs\Ligne, its Start menu shortcut to the user's Start
; menu, and every registry key to HKEY_CURRENT_USER. The installer registers
; Ligne for tel:, sip: and callto: links; the uninstaller removes those
; registrations again and keeps the user's data (%AppData%\Ligne) unless the
; user ticks "Delete my data" or passes /DELETEDATA to a silent (/S) uninstall.
;
; scripts/dist-windows.sh compiles it:
;   makensis -DVERSION=v1.2.3 -DWIN_VERSION=1.2.3.0 -DSRCDIR=DIR -DOUTFILE=FILE ligne.nsi
; where DIR holds ligne.exe, lignectl.exe and ligne.ico.

!ifndef VERSION | WIN_VERSION | SRCDIR | OUTFILE
  !error "define VERSION, WIN_VERSION, SRCDIR and OUTFILE (see the head of ligne.nsi)"
!endif

Unicode true
SetCompressor /SOLID lzma
RequestExecutionLevel user
ManifestDPIAware true

!define APPNAME "Ligne"
!define APPKEY "Software\Ligne"
!define CAPSKEY "Software\Ligne\Capabilities"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Ligne"
!define EXE "ligne.exe"
!define OPENCMD '"$INSTDIR\${EXE}" "%1"'

Name "${APPNAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Ligne"
InstallDirRegKey HKCU "${APPKEY}" "InstallDir"
BrandingText "${APPNAME} ${VERSION}"

VIProductVersion "${WIN_VERSION}"
VIFileVersion "${WIN_VERSION}"
VIAddVersionKey /LANG=0 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${WIN_VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "${APPNAME} installer"
VIAddVersionKey /LANG=0 "CompanyName" "${APPNAME}"
VIAddVersionKey /LANG=0 "LegalCopyright" "the Ligne authors"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "Sections.nsh"

!define MUI_ICON "${SRCDIR}/ligne.ico"
!define MUI_UNICON "${SRCDIR}/ligne.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "French"
!insertmacro MUI_LANGUAGE "English"

LangString UrlTel ${LANG_FRENCH} "Appel téléphonique (Ligne)"
LangString UrlTel ${LANG_ENGLISH} "Phone call (Ligne)"
LangString UrlSip ${LANG_FRENCH} "Appel SIP (Ligne)"
LangString UrlSip ${LANG_ENGLISH} "SIP call (Ligne)"
LangString UrlCallto ${LANG_FRENCH} "Appel callto (Ligne)"
LangString UrlCallto ${LANG_ENGLISH} "callto call (Ligne)"
LangString AppDescription ${LANG_FRENCH} "Selfcare et softphone de votre téléphonie d'entreprise"
LangString AppDescription ${LANG_ENGLISH} "Selfcare and softphone of your business telephony"
LangString SecProgram ${LANG_FRENCH} "Ligne (programme, raccourci, liens tel:, sip:, callto:)"
LangString SecProgram ${LANG_ENGLISH} "Ligne (program, shortcut, tel:, sip:, callto: links)"
LangString SecData ${LANG_FRENCH} "Supprimer aussi mes données (comptes, messages vocaux, enregistrements, réglages)"
LangString SecData ${LANG_ENGLISH} "Also delete my data (accounts, voicemail, recordings, settings)"

; RegisterScheme makes Ligne open SCHEME: links: the scheme's own key (the
; handler when the user has not chosen another), and a ProgID listed in
; Ligne's Capabilities so that Windows' Default apps offers Ligne for it.
!macro RegisterScheme SCHEME DESCRIPTION
  WriteRegStr HKCU "Software\Classes\${SCHEME}" "" "URL:${DESCRIPTION}"
  WriteRegStr HKCU "Software\Classes\${SCHEME}" "URL Protocol" ""
  WriteRegStr HKCU "Software\Classes\${SCHEME}\DefaultIcon" "" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "Software\Classes\${SCHEME}\shell\open\command" "" '${OPENCMD}'
  WriteRegStr HKCU "Software\Classes\Ligne.Url.${SCHEME}" "" "URL:${DESCRIPTION}"
  WriteRegStr HKCU "Software\Classes\Ligne.Url.${SCHEME}" "URL Protocol" ""
  WriteRegStr HKCU "Software\Classes\Ligne.Url.${SCHEME}\DefaultIcon" "" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "Software\Classes\Ligne.Url.${SCHEME}\shell\open\command" "" '${OPENCMD}'
  WriteRegStr HKCU "${CAPSKEY}\URLAssociations" "${SCHEME}" "Ligne.Url.${SCHEME}"
!macroend

; UnregisterScheme removes what RegisterScheme wrote. The scheme's own key
; goes only while it still opens this Ligne: another program that took the
; scheme over since keeps it.
!macro UnregisterScheme SCHEME
  ReadRegStr $0 HKCU "Software\Classes\${SCHEME}\shell\open\command" ""
  ${If} $0 == '${OPENCMD}'
    DeleteRegKey HKCU "Software\Classes\${SCHEME}"
  ${EndIf}
  DeleteRegKey HKCU "Software\Classes\Ligne.Url.${SCHEME}"
!macroend

Section "!$(SecProgram)" SecMain
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "${SRCDIR}/ligne.exe"
  File "${SRCDIR}/lignectl.exe"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortCut "$SMPROGRAMS\Ligne.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 SW_SHOWNORMAL "" "$(AppDescription)"

  WriteRegStr HKCU "${APPKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${CAPSKEY}" "ApplicationName" "${APPNAME}"
  WriteRegStr HKCU "${CAPSKEY}" "ApplicationDescription" "$(AppDescription)"
  WriteRegStr HKCU "${CAPSKEY}" "ApplicationIcon" "$INSTDIR\${EXE},0"
  !insertmacro RegisterScheme "tel" "$(UrlTel)"
  !insertmacro RegisterScheme "sip" "$(UrlSip)"
  !insertmacro RegisterScheme "callto" "$(UrlCallto)"
  WriteRegStr HKCU "Software\RegisteredApplications" "${APPNAME}" "${CAPSKEY}"

  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "URLInfoAbout" "https://github.com/ligne-app/ligne"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" $0

  ; SHCNE_ASSOCCHANGED: let Explorer see the new URL handlers now.
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section "un.$(SecProgram)" UnSecMain
  SectionIn RO
  SetShellVarContext current
  Delete "$SMPROGRAMS\Ligne.lnk"
  !insertmacro UnregisterScheme "tel"
  !insertmacro UnregisterScheme "sip"
  !insertmacro UnregisterScheme "callto"
  DeleteRegValue HKCU "Software\RegisteredApplications" "${APPNAME}"
  DeleteRegKey HKCU "${APPKEY}"
  DeleteRegKey HKCU "${UNINSTKEY}"
  Delete "$INSTDIR\ligne.exe"
  Delete "$INSTDIR\lignectl.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

; Unticked by default: the user's data stays unless asked for.
Section /o "un.$(SecData)" UnSecData
  SetShellVarContext current
  RMDir /r "$APPDATA\Ligne"
  RMDir /r "$APPDATA\fyne\app.ligne.desktop"
SectionEnd

Function un.onInit
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/DELETEDATA" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${UnSecData}
  ${EndIf}
FunctionEnd
