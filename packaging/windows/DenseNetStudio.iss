; Inno Setup 6 script: the Windows installer for DenseNet Studio, made from the PyInstaller one-folder app.
;
; On Windows, after `python packaging\build.py` (which also renders build\staging\icons\densenet-studio.ico):
;   iscc /DAppVersion=0.1.0 packaging\windows\DenseNetStudio.iss
; writes dist\DenseNetStudio-0.1.0-setup.exe. It installs per user (no administrator rights), adds a Start
; menu entry and optionally a desktop icon, and has an uninstaller. Not built on this project's Linux CI.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "DenseNet Studio"
#define AppExe "DenseNetStudio.exe"
#define Root "..\.."

[Setup]
AppId={{6E0C2B1F-8D3A-4B7E-9C55-2F4D1A7B3E90}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=DenseNet Studio
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Root}\dist
OutputBaseFilename=DenseNetStudio-{#AppVersion}-setup
SetupIconFile={#Root}\build\staging\icons\densenet-studio.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
; Korean.isl is among the official translations of recent Inno Setup 6 releases; on an older one, drop this line.
Name: "korean"; MessagesFile: "compiler:Languages\Korean.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\dist\DenseNetStudio\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
