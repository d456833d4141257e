#!/usr/bin/env python3
"""Keys per attendee: people added to a class on the event screen (issue 15).

usage: attend.py [TALENTREG]

Makes a fresh configuration and database in a temporary folder with one
高素质农民培训班 of 宁远堡镇 and three people registered already (as
`talentreg add` registers them), starts the program in tmux (80x24, as the
officer officer_ny), opens the class from home (e, Enter) and presses a;
then adds the three registered people, and one person not registered, whose
form (the grower's, with the class carried in) is filled by the same typist
as bench/keys.py's: the values it wants typed, one key per field, Tab past
any other field (a key wasted), Ctrl-S once all show.

The goal: for a registered person, the ID number and Enter (19 keys); for a
new one, the ID and Enter, then only their own fields (characters, one key
per field, the save key). The keys to reach the class (e, Enter, a) are
counted apart, as "around".
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keys as K  # noqa: E402  (the typist and the screen of keys.py)

CLASS = ["title=第一期高素质农民培训班", "organiser=区农业农村局", "start_date=2026-05-10",
         "place=宁远堡镇文化站", "township=宁远堡镇", "hours=24"]
# the tests' three records (tests/cli/lib.sh), registered before the class
PEOPLE = [
    ("rural_teacher", "name=王小梅 id_number=620302198506120028 phone=13800138000 township=宁远堡镇 "
     "village=东湾村 school=东湾村小学 stage=小学 staffing=在编 years_teaching=12"),
    ("coop_leader", "name=李建国 id_number=620302199003071230 phone=13912345678 township=双湾镇 "
     "village=南湾村 coop_name=南湾村蔬菜专业合作社 coop_uscc=93620302MA7XXXXX1B member_count=12 "
     "position=理事长 founded_on=2015-03-05"),
    ("ecommerce_trainee", "name=张力 id_number=620302200001010018 phone=13700001111 "
     "township=宁远堡镇 village=东湾村 course=农村电商运营实务班 training_date=2026-05-10 "
     "training_site=宁远堡镇文化站 has_shop=否"),
]
IDS_REGISTERED = ["620302199003071230", "620302198506120028", "620302200001010018"]
NEW_ID = "620302197804050027"
NEW_PLAN = [("姓名", "text", "赵兰", "赵兰"),
            ("民族", "accept", "", "汉族"),
            ("文化程度", "pick", "初中", "初中"),
            ("手机号", "text", "13700003333", "13700003333"),
            ("村", "pick", "东湾", "东湾村"),
            ("政治面貌", "accept", "", "群众"),
            ("主要产业", "pick", "蔬", "蔬菜")]


def run(tr, env, *args):
    r = subprocess.run([tr] + list(args), env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("attend.py: talentreg %s failed:\n%s" % (" ".join(args), r.stderr))
    return r.stdout.strip()


def main():
    tr = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(K.TOP, "build", "talentreg"))
    tmp = tempfile.mkdtemp(prefix="trattend.")
    try:
        shutil.copytree(os.path.join(K.TOP, "config"), os.path.join(tmp, "config"))
        shutil.copytree(os.path.join(K.TOP, "forms"), os.path.join(tmp, "forms"))
        os.mkdir(os.path.join(tmp, "data"))
        env = dict(os.environ, TALENTREG_CONFIG=os.path.join(tmp, "config"),
                   TALENTREG_TODAY="2026-11-29", LANG="C.UTF-8")
        env.pop("TALENTREG_DB", None)
        run(tr, env, "init")
        for cat, vals in PEOPLE:
            run(tr, env, "add", cat, *vals.split())
        ev = run(tr, env, "event", "add", "hq_farmer_class", *CLASS)
        cmd = "env TALENTREG_CONFIG='%s' TALENTREG_TODAY=2026-11-29 LANG=C.UTF-8 '%s' --as officer_ny" % (
            env["TALENTREG_CONFIG"], tr)
        K.tmux("new-session", "-d", "-s", "k", "-x", "80", "-y", "24", cmd)
        K.wait_for("退出")
        t = K.Typist()
        t.key("e")
        K.wait_for("活动（1 个）")
        t.key("Enter")
        K.wait_for("参加人员（0 人）")
        t.key("a")
        K.wait_for("参加人员身份证号")
        around = t.keys
        print("%-24s %5s %5s  %s" % ("attendee", "keys", "goal", "keys wasted on"), flush=True)
        for n, idn in enumerate(IDS_REGISTERED, 1):
            start = t.keys
            t.type(idn)
            t.key("Enter")
            K.wait_for("参加人员（%d 人）" % n)
            K.wait_for("参加人员身份证号")
            print("%-24s %5d %5d  %s" % ("registered (%d)" % n, t.keys - start, len(idn) + 1, "-"))
        start = t.keys
        t.type(NEW_ID)
        t.key("Enter")
        K.wait_for("新登记")
        keys, wasted = K.fill_form(t, NEW_PLAN)
        K.wait_for("已现场登记并加入")
        goal = len(NEW_ID) + 1 + K.goal(NEW_PLAN, ())
        print("%-24s %5d %5d  %s" % ("not registered", t.keys - start, goal,
                                      "、".join(wasted) if wasted else "-"))
        print("around (e, Enter, a): %d" % around)
        shown = run(tr, env, "event", "show", ev, "--format", "json")
        n = shown.count('"source"')
        print("attendees stored: %d" % n)
        if n != len(IDS_REGISTERED) + 1:
            raise SystemExit("attend.py: %d attendees stored, %d expected" % (n, len(IDS_REGISTERED) + 1))
    finally:
        K.tmux("kill-server", check=False)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
