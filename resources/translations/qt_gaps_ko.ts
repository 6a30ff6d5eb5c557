<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Written by hand, not by lupdate: the words of Qt's own file dialog that Qt 6's qtbase_ko.qm lacks (its
     labels gained shortcut keys, the folder type moved to QAbstractFileIconProvider). gui/translations.py loads
     it after qtbase_ko, so it is asked first; tests/gui/test_korean.py opens the dialog and reads them. -->
<TS version="2.1" language="ko_KR">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>다음에서 찾기(&amp;L):</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>파일 형식(&amp;T):</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Folder</source>
        <comment>All other platforms</comment>
        <translation>폴더</translation>
    </message>
</context>
</TS>
