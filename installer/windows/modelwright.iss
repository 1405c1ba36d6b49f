; Inno Setup script: a Windows installer for the bundle that `make installer` (PyInstaller)
; writes to dist\Modelwright. Build on Windows with Inno Setup 6:
;     iscc /DVersion=0.1.0 installer\windows\modelwright.iss
; It installs per user (no administrator rights), adds Start-menu entries, registers *.mwproj,
; and offers English and Simplified Chinese setup pages.

#ifndef Version
  #define Version "0.1.0"
#endif

[Setup]
AppId={{8C5E7F0A-3B2D-4C61-9E0F-6D7A1B2C3D4E}
AppName=Modelwright
AppVersion={#Version}
AppPublisher=Modelwright
DefaultDirName={autopf}\Modelwright
DefaultGroupName=Modelwright
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=Modelwright-{#Version}-setup
SetupIconFile=modelwright.ico
UninstallDisplayIcon={app}\Modelwright.exe
Compression=lzma2/ultra64
SolidCompression=yes
DiskSpanning=no
ChangesAssociations=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\Modelwright\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Modelwright"; Filename: "{app}\Modelwright.exe"
Name: "{group}\{cm:UninstallProgram,Modelwright}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Modelwright"; Filename: "{app}\Modelwright.exe"; Tasks: desktopicon

[Registry]
Root: HKA; Subkey: "Software\Classes\.mwproj"; ValueType: string; ValueName: ""; ValueData: "Modelwright.Project"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Modelwright.Project"; ValueType: string; ValueName: ""; ValueData: "Modelwright Project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Modelwright.Project\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\Modelwright.exe,0"
Root: HKA; Subkey: "Software\Classes\Modelwright.Project\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\Modelwright.exe"" ""%1"""

[Run]
Filename: "{app}\Modelwright.exe"; Description: "{cm:LaunchProgram,Modelwright}"; Flags: nowait postinstall skipifsilent
