; Inno Setup 6 script for the Windows counter PC — UNTESTED (no Windows machine in this project's CI).
; Steps (docs/install.md, "Windows"):
;   py -3.11 -m venv .venv && .venv\Scripts\pip install -e ".[package]"
;   .venv\Scripts\pyinstaller --noconfirm installer\creditdesk.spec        -> dist\creditdesk\
;   .venv\Scripts\python installer\make_icons.py build\icons               -> build\icons\creditdesk.ico
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" installer\creditdesk.iss  -> dist\creditdesk-0.1.0-setup.exe
; Paths below are relative to this file (installer\).

#define AppName "信用报告窗口"
#define AppVersion "0.1.0"
#define AppPublisher "CreditDesk"
#define AppExe "creditdesk.exe"

[Setup]
AppId={{6F1C2B7E-4D2A-4C55-9E3B-7A51C0D7C8A1}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
DefaultDirName={autopf}\CreditDesk
DefaultGroupName={#AppName}
; per-machine install: every clerk's Windows account gets the Start-menu entry
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=creditdesk-{#AppVersion}-setup
SetupIconFile=..\build\icons\creditdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; the data directory (%LOCALAPPDATA%\CreditDesk: database, keys, backups) is never removed by uninstall
ShowLanguageDialog=no

[Languages]
; ChineseSimplified.isl ships with Inno Setup 6.1+ under Languages\Unofficial\; copy it next to
; ISCC's Languages\ folder, or point here at its full path.
Name: "chs"; MessagesFile: "compiler:Languages\Unofficial\ChineseSimplified.isl"

[CustomMessages]
chs.DesktopIconTask=在桌面上创建快捷方式(&D)
chs.LaunchAfter=立即启动信用报告窗口
chs.UninstallName=卸载信用报告窗口
chs.KeepData=卸载不会删除本机的数据目录（数据库、签名密钥、备份）。如需彻底清除，请在备份后手动删除 %LOCALAPPDATA%\CreditDesk。

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIconTask}"; Flags: unchecked

[Files]
Source: "..\dist\creditdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchAfter}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
Type: filesandordirs; Name: "{app}"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(CustomMessage('KeepData'), mbInformation, MB_OK);
end;
