#!/usr/bin/env python3
"""hostile_corpus.py - the hostile strings of the hostile-input test, made
by rule rather than kept as a file: every C0 and C1 control, DEL, terminal
escape sequences (OSC 0/8/52, CSI, DCS, 8-bit forms, tmux passthrough),
bidi overrides, embeddings, isolates and marks, zero-width and invisible
format characters, invalid UTF-8, very long names and lines, and SQL, printf,
CSV, JSON and shell meta-characters.

corpus() returns a list of (label, bytes). Most strings carry a control or
format character inside ordinary text ("王<c>梅"), so that trimming cannot
remove it. Run as a script it prints the labels and the count.
"""
import sys

ESC = b"\x1b"
BEL = b"\x07"
ST = ESC + b"\\"


def u(cp):
    """The UTF-8 bytes of code point cp."""
    return chr(cp).encode("utf-8")


def inside(b):
    """b between two Chinese characters, as in a name."""
    return "王".encode() + b + "梅".encode()


def corpus():
    c = []
    # every C0 control and DEL, inside a name
    for cp in list(range(0x00, 0x20)) + [0x7F]:
        c.append(("C0 U+%04X" % cp, inside(bytes([cp]))))
    # every C1 control, as a character (UTF-8) and as a raw byte
    for cp in range(0x80, 0xA0):
        c.append(("C1 U+%04X" % cp, inside(u(cp))))
        c.append(("raw byte 0x%02X" % cp, inside(bytes([cp]))))
    # terminal escape sequences
    seqs = {
        "OSC 0 title BEL": ESC + b"]0;pwned" + BEL,
        "OSC 0 title ST": ESC + b"]0;pwned" + ST,
        "OSC 2 title": ESC + b"]2;owned" + BEL,
        "OSC 8 hyperlink": ESC + b"]8;;https://evil.example/" + ST + b"click" + ESC + b"]8;;" + ST,
        "OSC 52 clipboard": ESC + b"]52;c;cm0gLXJmIH4K" + BEL,
        "OSC 52 query": ESC + b"]52;c;?" + BEL,
        "OSC 4 palette": ESC + b"]4;1;rgb:ff/00/00" + BEL,
        "OSC 8-bit": u(0x9D) + b"0;pwned" + u(0x9C),
        "CSI 2J": ESC + b"[2J",
        "CSI H 2J": ESC + b"[H" + ESC + b"[2J" + ESC + b"[3J",
        "CSI SGR": ESC + b"[31;1;5m",
        "CSI alt screen": ESC + b"[?1049h",
        "CSI cursor": ESC + b"[10;10H",
        "CSI erase line": ESC + b"[2K",
        "CSI DSR": ESC + b"[6n",
        "CSI DA": ESC + b"[c",
        "CSI 8-bit": u(0x9B) + b"2J",
        "CSI raw 0x9b": b"\x9b2J",
        "DCS": ESC + b"P1$r" + ST,
        "DCS DECRQSS": ESC + b"Pq#0;2;0;0;0" + ST,
        "DCS tmux passthrough": ESC + b"Ptmux;" + ESC + ESC + b"]52;c;aGFjaw==" + BEL + ST,
        "DCS 8-bit": u(0x90) + b"1$r" + u(0x9C),
        "APC": ESC + b"_Gpayload" + ST,
        "PM": ESC + b"^privacy" + ST,
        "SOS": ESC + b"Xstring" + ST,
        "RIS reset": ESC + b"c",
        "keypad mode": ESC + b"=",
        "charset G0 DEC": ESC + b"(0lqqk",
        "backspace overwrite": b"abc\x08\x08\x08XYZ",
        "CR overwrite": "管理员".encode() + b"\r" + "王梅".encode(),
        "BEL only": BEL * 3,
        "NUL middle": b"\x00",
        "tab": b"\t",
        "vertical tab": b"\x0b",
        "form feed": b"\x0c",
        "LF": b"\n",
        "CRLF": b"\r\n",
    }
    for label, s in seqs.items():
        c.append((label, inside(s)))
    # bidi overrides, embeddings, isolates and marks
    for cp in list(range(0x202A, 0x202F)) + list(range(0x2066, 0x206A)) + [0x200E, 0x200F, 0x061C]:
        c.append(("bidi U+%04X" % cp, inside(u(cp))))
    c.append(("RLO filename trick", "王梅".encode() + u(0x202E) + b"fdp.exe"))
    c.append(("RLO at start", u(0x202E) + "梅王".encode()))
    # zero-width and invisible format characters
    for cp in [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x2061, 0x2062, 0x2063, 0x2064,
               0x180E, 0x00AD, 0xFFF9, 0xFFFA, 0xFFFB, 0xE0001, 0xE0041, 0xE007F]:
        c.append(("invisible U+%04X" % cp, inside(u(cp))))
    c.append(("tag smuggling", "王梅".encode() + b"".join(u(0xE0000 + ord(ch)) for ch in "ignore")))
    c.append(("BOM first", u(0xFEFF) + "王梅".encode()))
    # invalid UTF-8
    bad = {
        "lone continuation": b"\x80",
        "overlong slash": b"\xc0\xaf",
        "overlong 3-byte": b"\xe0\x80\xaf",
        "overlong NUL": b"\xc0\x80",
        "surrogate": b"\xed\xa0\x80",
        "surrogate pair": b"\xed\xa0\xbd\xed\xb8\x80",
        "above U+10FFFF": b"\xf4\x90\x80\x80",
        "F5 lead": b"\xf5\x80\x80\x80",
        "FE": b"\xfe",
        "FF": b"\xff\xff",
        "truncated 3-byte": b"\xe4\xb8",
        "truncated 4-byte": b"\xf0\x9f\x98",
        "latin-1 name": "Zoë".encode("latin-1"),
        "GB18030 name": "王小梅".encode("gb18030"),
        "GB18030 with ESC": "王".encode("gb18030") + ESC + b"[2J",
    }
    for label, s in bad.items():
        c.append(("invalid UTF-8: " + label, inside(s)))
    c.append(("invalid UTF-8 at end", "王梅".encode() + b"\xe4"))
    # long names and lines
    c.append(("10,000 Chinese characters", "王".encode() * 10000))
    c.append(("10,000 ASCII letters", b"A" * 10000))
    c.append(("10,000 characters with ESC at the end", "梅".encode() * 10000 + ESC + b"[2J"))
    c.append(("30,000-byte line of digits", b"9" * 30000))
    c.append(("21 characters", "王".encode() * 21))
    c.append(("20 characters", "王".encode() * 20))
    c.append(("2 characters", "王梅".encode()))
    c.append(("1 character", "王".encode()))
    c.append(("41 characters", "校".encode() * 41))
    c.append(("combining marks", b"e" + u(0x0301) * 18))
    c.append(("zalgo", "王".encode() + b"".join(u(0x0300 + i) for i in range(60))))
    # SQL meta-characters
    sqlm = [
        "'; DROP TABLE records; --", "王'梅", "王''梅", "\" OR 1=1 --", "1' OR '1'='1",
        "Robert'); DROP TABLE audit;--", "'||(SELECT sqlite_version())||'", "%", "_",
        "王%梅", "王_梅", "\\", "王\\梅", "王\\'梅", "$.name", "王\"梅", "[records]",
        "`id`", "; PRAGMA writable_schema=1;", "' UNION SELECT * FROM users --",
        "NULL", "null", "0x41", "-- comment", "/* 注释 */", "王; VACUUM;",
        "records_fts MATCH '*'", "\"\"\"\"", "王 AND 梅", "NEAR(王 梅)", "王*",
    ]
    for s in sqlm:
        c.append(("SQL " + s, s.encode()))
    # printf meta-characters
    for s in ["%s%n", "%x%x%x%x%n", "%1$s", "%99999999s", "%.9999d", "%%n", "%ls", "%lc",
              "王%s梅", "%p%p%p"]:
        c.append(("printf " + s, s.encode()))
    # CSV and formula meta-characters
    for s in ["=1+1", "+SUM(A1:A9)", "-2+3", "@SUM(1)", "=HYPERLINK(\"http://evil\",\"点我\")",
              "=cmd|' /C calc'!A0", "'=1+1", "''=1+1", "=\"620302\"", "王,梅", "王\"\"梅",
              "\"王梅\"", "王梅,", ",王梅", "=", "+", "-", "@", "-王梅", "@王梅", "＝1+1",
              "王梅=1", " =1+1", "=1+1 "]:
        c.append(("CSV " + s, s.encode()))
    c.append(("CSV tab first", b"\t=1+1"))
    c.append(("CSV CR first", b"\r=1+1"))
    # JSON and shell meta-characters, and other odd but printable text
    for s in ["{\"name\":\"x\"}", "\"}", "\\u0000", "\\u001b[2J", "\\\"", "王梅\\",
              "$(reboot)", "`reboot`", "${IFS}", "王梅 && rm -rf /", "|", "<script>alert(1)</script>",
              "../../etc/passwd", "王\u3000梅", "\u3000王梅\u3000", "  王梅  ", "王 梅",
              "😀😀", "𠀀𠀁", "ئۇيغۇر", "\ufffd\ufffd", "\ue000\ue001", "\uffff",
              "\u2028", "\u2029", "王\u2028梅", "\u00a0王梅", "ＡＢＣ１２３"]:
        c.append(("odd " + s, s.encode("utf-8", "surrogatepass")))
    return c


if __name__ == "__main__":
    items = corpus()
    for label, s in items:
        print("%-40s %d bytes" % (label, len(s)))
    print("%d strings" % len(items), file=sys.stderr)
