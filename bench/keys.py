#!/usr/bin/env python3
"""Keys per record: the three records of issue 13 typed as a person would.

usage: keys.py [TALENTREG [TREE]]

TALENTREG defaults to build/talentreg; TREE, the source tree whose config/
and forms/ it runs with, to the one this script is in (an older program
needs its own: its loader refuses what it does not know). The figures of
issue 13 before and after, from this folder:

    git archive 8d4ba76 | (mkdir -p /tmp/base && tar -x -C /tmp/base)
    make -C /tmp/base binaries
    python3 bench/keys.py /tmp/base/build/talentreg /tmp/base    # before
    python3 bench/keys.py                                         # after

Makes a fresh configuration and database in a temporary folder, starts the
program in a tmux server of its own (-L, 80x24, LANG=C.UTF-8) as the officer
officer_ny (宁远堡镇), and registers, from the home screen: an e-commerce
trainee, a second trainee of the same class, a co-op leader and a rural
teacher. Every key sent is counted: a key name is one key, a string typed is
one key per character (a Chinese character typed through an input method
counts as one).

The typist is a person, not a script of keystrokes for one version: for each
record it knows the values it wants (the plan below) and, looking at the
screen, acts on the field the cursor is on (the line marked ">"):
  - a field of the plan that does not yet show its value: type it, then the
    field's one key (Tab for text; Enter for a choice, which picks it);
  - any other field (one the program fills itself, one left blank, one the
    person has no value for yet): Tab past it, which is a key wasted;
  - once every field of the plan shows its value: Ctrl-S (typed at once
    instead of the last field's Tab).
So a version that puts a filled field in the Tab order pays for it, and one
that carries a value into the next form (or fills the officer's one
township) does not type it again.

The goal (issue 13): the characters typed, plus one key per field filled,
plus the save key, nothing more. A multi-choice field's Space (marking an
item) counts as a character typed. The keys around the form (n, the
category's filter, Enter; the answer to 「继续登记下一位」) are counted
apart, as "around".

Prints one line per record: keys in the form, the goal, the keys around it,
and the keys wasted with the fields they were wasted on.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
SOCK = "trkeys%d" % os.getpid()

# (label, how, what to type, what the field shows when it holds the value)
#   text:   type, then Tab
#   pick:   type (it opens the choice list filtered), then Enter
#   multi:  type the filter, Space, Enter
#   accept: the value is there (a default): Tab
ECOM_CLASS = [
    ("培训课程", "text", "农村电商运营实务班", "农村电商运营实务班"),
    ("培训日期", "text", "20260510", "2026-05-10"),
    ("培训地点", "text", "宁远堡镇文化站", "宁远堡镇文化站"),
]
# what a class's trainees share: the second trainee's goal leaves them out
SHARED = ("培训课程", "培训日期", "培训地点", "乡镇", "村")
AREA = [
    ("乡镇", "pick", "宁远", "宁远堡镇"),
]


def person(name, idn, edu, phone, village, political=None):
    p = [("姓名", "text", name, name),
         ("身份证号", "text", idn, idn),
         ("民族", "accept", "", "汉族"),
         ("文化程度", "pick", edu[0], edu[1]),
         ("手机号", "text", phone, phone)]
    p += AREA
    p.append(("村", "pick", village[0], village[1]))
    p.append(political or ("政治面貌", "accept", "", "群众"))
    return p


RECORDS = [
    ("电商培训学员（第一位）", "电商", "y",
     person("张力", "620302200001010018", ("高中", "高中/中专"), "13700001111", ("东湾", "东湾村"))
     + ECOM_CLASS
     + [("经营平台", "multi", "抖", "抖音"),
        ("是否开设网店", "accept", "", "否"),
        ("是否直播带货", "pick", "是", "是"),
        ("月销售额(元)", "text", "3000", "3000")]),
    ("电商培训学员（同班第二位）", None, "n",	# what the class shares is not typed again
     person("刘芳", "620302199811230025", ("初中", "初中"), "13700002222", ("东湾", "东湾村"))
     + ECOM_CLASS
     + [("经营平台", "multi", "快", "快手"),
        ("是否开设网店", "accept", "", "否"),
        ("是否直播带货", "pick", "是", "是"),
        ("月销售额(元)", "text", "1500", "1500")]),
    ("农民合作社带头人", "合作社", "n",
     person("李建国", "620302199003071230", ("初中", "初中"), "13912345678", ("西坡", "西坡村"),
            ("政治面貌", "pick", "党员", "中共党员"))
     + [("合作社名称", "text", "西坡村蔬菜专业合作社", "西坡村蔬菜专业合作社"),
        ("合作社统一社会信用代码", "text", "93620302MA7XXXXX1B", "93620302MA7XXXXX1B"),
        ("成员数", "text", "12", "12"),
        ("职务", "pick", "理事长", "理事长"),
        ("示范社级别", "accept", "", "无"),
        ("成立日期", "text", "20150305", "2015-03-05"),
        ("主营业务", "text", "蔬菜种植与销售", "蔬菜种植与销售")]),
    ("乡村教师", "教师", "n",
     person("王小梅", "620302198506120028", ("本科", "本科"), "13800138000", ("东湾", "东湾村"))
     + [("任教学校", "text", "东湾村小学", "东湾村小学"),
        ("学段", "pick", "小学", "小学"),
        ("任教学科", "multi", "全", "全科"),
        ("职称", "pick", "一级", "一级教师"),
        ("用工类型", "pick", "在编", "在编"),
        ("教龄(年)", "text", "12", "12")]),
]


def tmux(*args, check=True):
    return subprocess.run(["tmux", "-u", "-L", SOCK, "-f", "/dev/null"] + list(args),
                          check=check, capture_output=True, text=True).stdout


def screen():
    return tmux("capture-pane", "-p", "-t", "k", check=False)


def settle(seconds=0.12):
    """Waits until the screen has not changed for `seconds`; returns it."""
    last, since = screen(), time.monotonic()
    end = since + 10
    while time.monotonic() - since < seconds and time.monotonic() < end:
        time.sleep(0.03)
        now = screen()
        if now != last:
            last, since = now, time.monotonic()
    return last


def wait_for(text, seconds=10):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if text in screen():
            return
        time.sleep(0.03)
    raise SystemExit("keys.py: %r never shown; the screen:\n%s" % (text, screen()))


class Typist:
    def __init__(self):
        self.keys = 0

    def key(self, *names):
        for n in names:
            tmux("send-keys", "-t", "k", n)
            self.keys += 1
            settle()

    def type(self, text):
        for ch in text:	# one at a time, as a person types
            tmux("send-keys", "-t", "k", "-l", ch)
            self.keys += 1
        settle()


FIELD_RE = re.compile(r"^([> ])[* ](\S+)(.*)$")


def fields(scr):
    """The form's fields as (label, rest of the line, current?)."""
    out = []
    for line in scr.splitlines()[2:-2]:
        m = FIELD_RE.match(line)
        if m:
            out.append((m.group(2), m.group(3), m.group(1) == ">"))
    return out


def shows(scr, label, want):
    for lab, rest, _ in fields(scr):
        if lab == label:
            return rest.strip().startswith(want)
    return False


def fill_form(t, plan):
    """Fills one form as the person would; returns (keys, wasted labels)."""
    start, wasted, done = t.keys, [], set()
    labels = {p[0]: p for p in plan}
    for _ in range(200):
        scr = settle()
        if "有警告" in scr:	# a warning to confirm: not expected of these records
            raise SystemExit("keys.py: a warning was asked about:\n" + scr)
        missing = [p for p in plan if not shows(scr, p[0], p[3])]
        cur = [f for f in fields(scr) if f[2]]
        if not cur:
            raise SystemExit("keys.py: no current field:\n" + scr)
        label = cur[0][0]
        if not missing:
            t.key("C-s")
            return t.keys - start, wasted
        p = labels.get(label)
        if p is None or label in done:
            wasted.append(label)
            t.key("Tab")
            continue
        done.add(label)
        if p not in missing:	# it holds the value already: its one key
            t.key("Tab")
            continue
        last = len(missing) == 1
        how, text = p[1], p[2]
        if how == "text":
            t.type(text)
            t.key("C-s" if last else "Tab")
            if last:
                return t.keys - start, wasted
        elif how == "pick":
            t.type(text)
            t.key("Enter")
        elif how == "multi":
            t.type(text)
            t.key("Space", "Enter")
        elif how == "accept":
            t.key("Tab")
    raise SystemExit("keys.py: the form never filled:\n" + screen())


def goal(plan, shared):
    """The goal: characters typed (a Space marking an item counts as one),
    one key per field filled, the save key; a class's shared fields are not
    the second trainee's to fill."""
    own = [p for p in plan if p[0] not in shared]
    chars = sum(len(p[2]) + (1 if p[1] == "multi" else 0) for p in own)
    return chars + len(own) + 1


def main():
    tr = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, "build", "talentreg"))
    tree = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else TOP
    tmp = tempfile.mkdtemp(prefix="trkeys.")
    try:
        shutil.copytree(os.path.join(tree, "config"), os.path.join(tmp, "config"))
        shutil.copytree(os.path.join(tree, "forms"), os.path.join(tmp, "forms"))
        os.mkdir(os.path.join(tmp, "data"))
        env = dict(os.environ, TALENTREG_CONFIG=os.path.join(tmp, "config"),
                   TALENTREG_TODAY="2026-11-29", LANG="C.UTF-8")
        env.pop("TALENTREG_DB", None)
        init = subprocess.run([tr, "init"], env=env, capture_output=True, text=True)
        if init.returncode != 0:
            raise SystemExit("keys.py: %s init failed (an older program needs its own tree):\n%s"
                             % (tr, init.stderr))
        cmd = "env TALENTREG_CONFIG='%s' TALENTREG_TODAY=2026-11-29 LANG=C.UTF-8 '%s' --as officer_ny" % (
            env["TALENTREG_CONFIG"], tr)
        tmux("new-session", "-d", "-s", "k", "-x", "80", "-y", "24", cmd)
        wait_for("退出")
        t = Typist()
        print("%-28s %5s %5s %7s  %s" % ("record", "keys", "goal", "around", "keys wasted on"),
              flush=True)
        total = 0
        for title, cat, next_answer, plan in RECORDS:
            shared = SHARED if cat is None else ()
            around = t.keys
            if cat:	# from home: n, the category's filter, Enter
                t.key("n")
                wait_for("选择类别")
                t.type(cat)
                t.key("Enter")
                wait_for("新登记")
            around = t.keys - around
            keys, wasted = fill_form(t, plan)
            wait_for("继续登记下一位")
            t.key(next_answer)
            around += 1
            if next_answer == "y":
                wait_for("新登记")
            else:
                wait_for("退出")
            total += keys
            print("%-28s %5d %5d %7d  %s" % (title, keys, goal(plan, shared), around,
                                             "、".join(wasted) if wasted else "-"))
        n = subprocess.run([tr, "list", "--format", "json"], env=env, capture_output=True,
                           text=True).stdout.count('"uuid"')
        print("records saved: %d" % n)
        if n != len(RECORDS):
            raise SystemExit("keys.py: %d records saved, %d expected" % (n, len(RECORDS)))
    finally:
        tmux("kill-server", check=False)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
