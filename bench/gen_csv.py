#!/usr/bin/env python3
"""Writes a CSV file of N valid rural_teacher rows for the import benchmark.

usage: gen_csv.py N FILE

Every row passes `talentreg import rural_teacher` as of TALENTREG_TODAY
2026-11-29 (bench/run.sh fixes it): a distinct GB 11643 ID of area 620302
(weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, check "10X98765432"[sum % 11])
for a person aged 25 to 55, a mobile number, township 宁远堡镇 and village
东湾村, and the form's required fields (forms/person.ini and
forms/rural_teacher.ini) with years of teaching below the age less 16.
The headings are the labels, as tests/cli/test_import.sh writes them. The
numbers come from a fixed seed, so every run writes the same file.
"""
import datetime
import random
import sys

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉梅海燕春晓文斌辉鹏飞雪琴云凤宁波亮林萍婷婕慧佳欣晨阳"
SCHOOLS = ("东湾村小学", "宁远堡镇中心小学", "宁远堡镇中学", "东湾村幼儿园", "宁远堡镇第二小学")
STAGES = ("幼儿园", "小学", "初中")
STAFFING = ("在编", "特岗教师", "支教", "代课", "其他")
TODAY = datetime.date(2026, 11, 29)


def id_number(birth, seq):
    """The 18-character ID of area 620302 for birth date and 3-digit seq."""
    body = "620302%s%03d" % (birth.strftime("%Y%m%d"), seq)
    return body + CHECK[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def main():
    n, path = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(20221)
    first = TODAY.replace(year=TODAY.year - 55) + datetime.timedelta(days=1)
    days = (TODAY.replace(year=TODAY.year - 25) - first).days
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("姓名,身份证号,手机号,乡镇,村,任教学校,学段,用工类型,教龄(年)\n")
        for i in range(n):
            # distinct: row i takes day i % days and the (i // days)th seq of it
            birth = first + datetime.timedelta(days=i % days)
            seq = i // days
            assert seq < 1000
            age = TODAY.year - birth.year - ((TODAY.month, TODAY.day) < (birth.month, birth.day))
            name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2, 2))))
            phone = "1%d%09d" % (rnd.choice((3, 5, 7, 8, 9)), rnd.randrange(10 ** 9))
            out.write("%s,%s,%s,宁远堡镇,东湾村,%s,%s,%s,%d\n" % (
                name, id_number(birth, seq), phone, rnd.choice(SCHOOLS), rnd.choice(STAGES),
                rnd.choice(STAFFING), rnd.randrange(0, age - 16)))


main()
