#!/usr/bin/env python3
"""Writes data/sample/: a small registry (家庭, 家庭成员, 收入) over real villages of the four
southern prefectures, for the demo and tests. Deterministic (fixed seed). Run from the repo root:
    python3 tools/make_sample.py
Amounts are written in yuan with two decimals; ID numbers are valid GB 11643 numbers whose
region prefix is the household's county."""
import csv, random

rng = random.Random(20250101)
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"

def id_number(county, birth, seq):
    body = f"{county}{birth}{seq:03d}"
    return body + CHECK[sum(int(c) * w for c, w in zip(body, W)) % 11]

villages = [r for r in csv.DictReader(open("data/admin-divisions/villages.csv", encoding="utf-8"))
            if r["cityCode"] in ("6529", "6530", "6531", "6532")]
chosen = []
for pref, n in (("6529", 5), ("6530", 3), ("6531", 7), ("6532", 5)):
    pool = [v for v in villages if v["cityCode"] == pref and "村" in v["name"]]
    chosen += rng.sample(pool, n)

UY_GIVEN_M = ["阿卜杜拉", "艾买提", "买买提", "吐尔逊", "阿不都热依木", "努尔买买提", "艾力", "亚森", "热合曼", "库尔班"]
UY_GIVEN_F = ["布再乃普", "阿依古丽", "古丽尼沙", "帕提古丽", "热依拉", "阿米娜", "祖丽胡玛尔", "米热古丽"]
UY_FATHER = ["艾买提", "吐尔逊", "买买提", "阿不都拉", "司马义", "玉素甫", "如孜", "托乎提"]
KY_GIVEN = ["阿斯卡尔", "努尔兰", "古丽娜尔", "阿依别克"]
HAN_SUR = ["王", "李", "张", "刘", "陈", "杨", "马"]
HAN_GIVEN = ["建国", "秀英", "海燕", "志强", "丽娟", "文博", "晓东", "桂兰"]

def name(sex, pref, father=None):
    if rng.random() < 0.08:
        return rng.choice(HAN_SUR) + rng.choice(HAN_GIVEN)
    given = rng.choice(UY_GIVEN_M if sex == 1 else UY_GIVEN_F)
    if pref == "6530" and rng.random() < 0.5:
        given = rng.choice(KY_GIVEN)
    return f"{given}·{father or rng.choice(UY_FATHER)}"

households, persons, incomes = [], [], []
seq_by_key = {}
def next_seq(county, birth, sex):
    k = (county, birth)
    s = seq_by_key.get(k, 0) + 1
    while (s % 2 == 1) != (sex == 1):
        s += 1
    seq_by_key[k] = s
    return s

def birth(year):
    return f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"

def school_for(age):
    if age < 3: return "非在校"
    if age < 6: return "学前"
    if age < 12: return "小学"
    if age < 15: return "初中"
    if age < 18: return rng.choice(["高中", "中职"])
    if age < 22 and rng.random() < 0.3: return rng.choice(["高职/大专", "本科及以上"])
    return "非在校"

for v in chosen:
    county = v["areaCode"]
    for i in range(1, rng.randint(12, 20) + 1):
        code = f"{v['code']}{i:04d}"
        tuopin = rng.random() < 0.55
        households.append([code, v["code"], "脱贫户" if tuopin else "一般农户",
                           str(rng.randint(2016, 2020)) if tuopin else "",
                           "" if rng.random() > 0.1 else f"{v['name'][:-1]}安置区",
                           rng.choices("ABCD", [60, 35, 4, 1])[0], "是" if rng.random() < 0.97 else "否"])
        head_sex = 1 if rng.random() < 0.85 else 2
        head_year = rng.randint(1955, 1995)
        head_name = name(head_sex, v["cityCode"])
        members = [("户主", head_sex, head_year, head_name)]
        if rng.random() < 0.9:
            members.append(("配偶", 3 - head_sex, head_year + rng.randint(-3, 5), name(3 - head_sex, v["cityCode"])))
        father_given = head_name.split("·")[0] if "·" in head_name and head_sex == 1 else None
        for _ in range(rng.choice([0, 1, 2, 2, 3, 3, 4])):
            s = rng.choice([1, 2])
            members.append(("子女", s, min(2024, head_year + rng.randint(20, 35)), name(s, v["cityCode"], father_given)))
        if rng.random() < 0.2:
            members.append(("父母", 2, head_year - rng.randint(22, 30), name(2, v["cityCode"])))
        workers = 0
        for rel, sex, year, nm in members:
            b = birth(year)
            age = 2025 - year
            health = rng.choices(["健康", "长期慢性病", "患有大病", "残疾"], [82, 11, 3, 4])[0]
            if age < 16 or age > 70: labour = "无劳动力"
            elif health in ("患有大病", "残疾") and rng.random() < 0.6: labour = "丧失劳动力"
            elif age > 60 or health == "长期慢性病": labour = "弱劳动力或半劳动力"
            else: labour = rng.choices(["普通劳动力", "技能劳动力"], [75, 25])[0]
            months = rng.randint(3, 12) if labour in ("普通劳动力", "技能劳动力") and rng.random() < 0.6 else 0
            workers += months > 0
            persons.append([code, nm, id_number(county, b, next_seq(county, b, sex)), rel, health, labour,
                            school_for(age), "是" if rng.random() < 0.985 else "否",
                            str(rng.randint(1, 4)) if health == "残疾" else "", str(months) if months else ""])
        n = len(members)
        per_person = max(1500, rng.gauss(14000, 4500))
        total = per_person * n
        wage = total * rng.uniform(0.45, 0.7) if workers else total * 0.1
        business = total * rng.uniform(0.15, 0.35)
        transfer = total * rng.uniform(0.08, 0.2)
        prop = total * rng.uniform(0.0, 0.03)
        cost = business * rng.uniform(0.2, 0.4)
        incomes.append([code, "2024"] + [f"{x:.2f}" for x in (wage, business, prop, transfer, cost)])

def write(name, header, rows):
    with open(f"data/sample/{name}.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)

write("家庭", ["户编号", "村代码", "户类型", "脱贫年度", "易地搬迁安置点", "住房安全等级", "饮水安全"], households)
write("家庭成员", ["户编号", "姓名", "证件号码", "与户主关系", "健康状况", "劳动技能", "在校生状况",
                 "是否参加基本医疗保险", "残疾等级", "务工月数"], persons)
write("收入", ["户编号", "年度", "工资性收入", "生产经营性收入", "财产性收入", "转移性收入", "生产经营性支出"], incomes)
print(len(households), "households,", len(persons), "persons")
