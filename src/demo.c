/*
 * demo.c - sample records for the demo database and the benchmarks. Values
 * are made from the form itself (each field's type, bounds, options and
 * pattern, and the rules that tie fields together), never from a list per
 * category, so a form added tomorrow gets sample data too. Each record is
 * checked by validate_record(); one with any error or warning is thrown away
 * and made again from the next random numbers, which also covers what the
 * construction does not foresee. The generator is our own splitmix64, so a
 * seed gives the same records on every libc.
 */
#include "demo.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "validate.h"

#define DEMO_TRIES	50	/* records made before giving up */
#define PICK_TRIES	20	/* values tried for one field with a pattern */
#define FILL_PERCENT	70	/* how often an optional field is filled */
#define DEFAULT_PERCENT	85	/* how often a choice with a default takes it */
#define AREA_CODE	"620302"	/* 金昌市金川区 */
#define AGE_LO		25
#define AGE_HI		55
#define DATE_YEARS	10	/* dates fall within this many years by default */
#define ADULT_YEARS	18	/* other dates of a person's life come after this age */

/* --- the random numbers --------------------------------------------------- */

/* splitmix64 (Steele, Lea and Flood 2014): one 64-bit state, good enough
 * for sample data, and the same everywhere. */
static uint64_t rnd_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Returns a number in 0..n-1 (0 when n is 0); the modulo bias is nothing
 * for the small n used here. */
static size_t rnd_below(uint64_t *s, size_t n)
{
	return n ? (size_t)(rnd_next(s) % n) : 0;
}

/* Returns a number in lo..hi, both included; lo when hi < lo. */
static long rnd_between(uint64_t *s, long lo, long hi)
{
	return hi <= lo ? lo : lo + (long)rnd_below(s, (size_t)(hi - lo) + 1);
}

static bool rnd_percent(uint64_t *s, unsigned pct)
{
	return rnd_below(s, 100) < pct;
}

/* Returns one string of a NULL-terminated list. */
static const char *rnd_pick(uint64_t *s, const char *const *list)
{
	size_t n = 0;
	while (list[n])
		n++;
	return list[rnd_below(s, n)];
}

/* --- dates as day numbers ------------------------------------------------- */

/* Days since 1970-01-01 of a Gregorian date (H. Hinnant's days_from_civil). */
static long day_number(const struct date *d)
{
	long y = d->y - (d->m <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (d->m + (d->m > 2 ? -3 : 9)) + 2) / 5 + d->d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static struct date day_date(long z)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	return (struct date){(int)(yoe + era * 400 + (m <= 2)), m, (int)(doy - (153 * mp + 2) / 5 + 1)};
}

/* Returns d moved by n years; 29 February becomes the 28th in a common year. */
static struct date years_later(const struct date *d, int n)
{
	struct date r = {d->y + n, d->m, d->d};
	if (!date_valid(r.y, r.m, r.d))
		r.d = 28;
	return r;
}

static char *date_text(const struct date *d)
{
	return xasprintf("%04d-%02d-%02d", d->y, d->m, d->d);
}

/* --- word lists -------------------------------------------------------- */

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱",
	"胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
	"邓", "曹", "彭", "曾", "田", "董", "袁", "潘", "蒋", "蔡", "余", "杜", "叶", "程",
	"苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "谭", "陆", "范", "金",
	"石", "贾", "夏", "付", "方", "白", "孟", "秦", "邱", "江", "薛", "闫", "段", "雷",
	"侯", "龙", "史", "陶", "贺", "顾", "毛", "郝", "龚", "邵", "万", "严", "武", "戴",
	"牛", "祁", "火", "脱", NULL
};
static const char *const given_male[] = {
	"伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏",
	"华", "飞", "鑫", "波", "宁", "峰", "建", "国", "林", "文", "海", "东", "亮", "成",
	"志", "兵", "龙", "俊", "永", "福", "生", "忠", "德", "学", "武", "军", "宏", "新", NULL
};
static const char *const given_female[] = {
	"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "英", "玲", "桂", "兰", "萍",
	"红", "梅", "琳", "燕", "雪", "倩", "婷", "慧", "莉", "颖", "洁", "晶", "凤", "琴",
	"霞", "珍", "花", "玉", "春", "云", NULL
};
/* An industry with its verb, for names of cooperatives, bases and businesses. */
static const char *const trades[] = {
	"蔬菜种植", "高原夏菜种植", "制种玉米种植", "枸杞种植", "中药材种植", "食用菌种植",
	"肉羊养殖", "奶牛养殖", "土鸡养殖", "肉牛养殖", "农机作业服务", "果蔬", NULL
};
static const char *const goods[] = {
	"高原夏菜", "洋葱", "胡萝卜", "娃娃菜", "马铃薯", "枸杞", "苹果", "羊肉", "土鸡蛋",
	"蜂蜜", "小米", "手工挂面", "牛肉干", "红枣", NULL
};
static const char *const crafts[] = {
	"剪纸", "刺绣", "木雕", "砖雕", "面塑", "土陶", "皮影雕刻", "草编", "泥塑", "香包制作",
	"麦秆画", "传统榨油", "手工挂面", NULL
};
/* For an area field with a parent whose township lists no villages. */
static const char *const any_villages[] = {"新华村", "红光村", "永丰村", "团结村", NULL};

/* --- text by the field's key or label ----------------------------------- */

/*
 * Templates: %T the record's township, %V its village, %W another village
 * of the township, %F the person's name, %S a surname, %P a trade, %G goods,
 * %C a craft, %N a number, %D a digit.
 */
static const char *const t_coop[] = {
	"金川区%V%P专业合作社", "金川区%T%P农民专业合作社", "金昌市金川区%G产销专业合作社", NULL
};
static const char *const t_farm[] = {
	"金川区%F家庭农场", "金川区%V%F家庭农场", "金川区%T%G家庭农场", NULL
};
static const char *const t_school[] = {
	"%T中心小学", "%V小学", "%T初级中学", "%T中心幼儿园", "金川区%T九年制学校", "%V幼儿园", NULL
};
static const char *const t_shop[] = {"%T%G小店", "金川%G优选", "%F的%G铺", "%V特产店", NULL};
static const char *const t_course[] = {
	"农村电商运营实务班", "短视频与直播带货培训班", "农产品网络营销培训班", "电商创业技能提升班",
	"高素质农民培育设施蔬菜班", "高素质农民培育肉羊养殖班", NULL
};
static const char *const t_site[] = {
	"金川区职业技术培训中心", "%T农民文化技术学校", "%T便民服务中心",
	"金昌市电子商务公共服务中心", "%V党群服务中心", NULL
};
static const char *const t_clinic[] = {
	"%V卫生室", "%T卫生院", "%T中心卫生院", "金川区%T社区卫生服务站", NULL
};
static const char *const t_employer[] = {
	"金昌市农业科学研究所", "金川区农业技术推广中心", "甘肃省农业科学院", "金川区畜牧兽医站",
	"河西学院农业与生物技术学院", "甘肃农业大学", NULL
};
static const char *const t_station[] = {"%T公共法律服务站", "%V公共法律服务室", NULL};
static const char *const t_org[] = {
	"%T司法所", "甘肃金川律师事务所", "金川区%T法律服务所", "%V村民委员会", NULL
};
static const char *const t_served[] = {"%V村民委员会", "金川区%V%P专业合作社", "%T%P基地", NULL};
static const char *const t_villages[] = {"%V", "%V、%W", NULL};
static const char *const t_craft[] = {"%C", NULL};
static const char *const t_studio[] = {"%F%C工作室", "%T%C作坊", "金川%C传习所", NULL};
static const char *const t_business_line[] = {"%P与销售", "%P", "农产品收购与销售", NULL};
static const char *const t_business[] = {
	"金川区%F%G店", "金川区%T%G加工厂", "金昌%G电子商务有限公司", "金川区%V%P基地", NULL
};
static const char *const t_goods[] = {"%G", "%G、%G", NULL};
static const char *const t_scale[] = {
	"种植蔬菜%N亩", "存栏肉羊%N只", "养殖奶牛%N头", "制种玉米%N亩", "种植枸杞%N亩", NULL
};
static const char *const t_number[] = {"62030%D%D%D%D%D%D%D%D%D%D", NULL};
static const char *const t_technique[] = {
	"推广玉米密植高产和水肥一体化技术，示范面积%N亩。",
	"引进高原夏菜新品种，开展测土配方施肥技术培训%N人次。",
	"推广肉羊标准化养殖和全株青贮饲料技术。",
	"示范日光温室蔬菜栽培技术，带动%V农户种植%N亩。", NULL
};
static const char *const t_memo[] = {
	"工作认真负责，群众评价较好。", "积极参加各类培训，业务能力不断提高。",
	"热心服务群众，带动周边农户增收。", NULL
};
static const char *const t_text[] = {"良好", "正常", "已核实", "详见登记材料", NULL};

/* Which templates a text field takes: the first entry one of whose hints
 * ('|'-separated) is in the field's key or label. Order matters. */
static const struct {
	const char *hints;
	const char *const *templates;
} text_kinds[] = {
	{"coop|合作社", t_coop},
	{"farm|农场", t_farm},
	{"school|学校", t_school},
	{"shop|网店|店铺", t_shop},
	{"course|课程", t_course},
	{"site|地点", t_site},
	{"institution|clinic|医疗机构|卫生", t_clinic},
	{"employer|派出单位", t_employer},
	{"station|服务站", t_station},
	{"organization|所在单位|单位", t_org},
	{"villages|服务村|村", t_villages},
	{"served|服务对象", t_served},
	{"studio|工作室|作坊", t_studio},
	{"craft|技艺", t_craft},
	{"main_business|主营业务|经营范围", t_business_line},
	{"business|创业主体|企业", t_business},
	{"product|产品", t_goods},
	{"scale|规模", t_scale},
	{"_no|number|证号|编号", t_number},
	{"techniques|技术|推广", t_technique},
};

/* --- the record being made ------------------------------------------------ */

struct gen {
	const struct config *cfg;
	const struct form *f;
	const struct date *today;
	uint64_t *seed;
	struct kv *vals;
};

/* Returns the value of key, or the default of its field when it is empty:
 * what validate_record will see. */
static const char *value_of(const struct gen *g, const char *key)
{
	const char *v = kv_get(g->vals, key);
	if (str_empty(v)) {
		const struct field *fd = form_field(g->f, key);
		v = fd ? fd->def : NULL;
	}
	return v;
}

/* Whether condition c holds for the values made so far (validate.c decides). */
static bool cond_holds(const struct gen *g, const struct cond *c)
{
	return cond_matches(c, c->field ? value_of(g, c->field) : NULL);
}

/* Reads the person's ID (the field key, or the first id_card field). */
static bool person_id(const struct gen *g, const char *key, struct id_info *info)
{
	if (key == NULL)
		for (size_t i = 0; i < g->f->nfields && key == NULL; i++)
			if (g->f->fields[i].type == FT_ID_CARD)
				key = g->f->fields[i].key;
	const char *id = key ? kv_get(g->vals, key) : NULL;
	return id && id_card_info(id, info) == 0;
}

/* True when one of hints ('|'-separated) is in the field's key or label. */
static bool has_hint(const struct field *fd, const char *hints)
{
	char h[64];
	for (const char *p = hints; *p;) {
		size_t n = strcspn(p, "|");
		if (n < sizeof h) {
			memcpy(h, p, n);
			h[n] = '\0';
			if (strstr(fd->key, h) || strstr(fd->label, h))
				return true;
		}
		p += n + (p[n] == '|');
	}
	return false;
}

/* True for the field holding the person's name. */
static bool is_person_name(const struct field *fd)
{
	return fd->type == FT_TEXT && (str_eq(fd->key, "name") || strstr(fd->label, "姓名"));
}

/* --- one value per type --------------------------------------------------- */

static char *person_name(struct gen *g)
{
	struct id_info info;
	bool male = person_id(g, NULL, &info) ? info.male : rnd_percent(g->seed, 50);
	const char *const *given = male ? given_male : given_female;
	struct buf b = {0};
	buf_puts(&b, rnd_pick(g->seed, surnames));
	buf_puts(&b, rnd_pick(g->seed, given));
	if (rnd_percent(g->seed, 60))
		buf_puts(&b, rnd_pick(g->seed, given));
	return buf_take(&b);
}

/* The record's township (a random one when none is chosen yet). */
static const struct township *record_town(struct gen *g)
{
	for (size_t i = 0; i < g->f->nfields; i++) {
		const struct field *fd = &g->f->fields[i];
		const char *v = kv_get(g->vals, fd->key);
		if (fd->type == FT_AREA && fd->parent == NULL && v)
			return config_township(g->cfg, v);
	}
	return g->cfg->ntowns ? &g->cfg->towns[rnd_below(g->seed, g->cfg->ntowns)] : NULL;
}

/* The record's village, or with other a different village of tw. */
static const char *record_village(struct gen *g, const struct township *tw, bool other)
{
	const char *mine = NULL;
	for (size_t i = 0; i < g->f->nfields && mine == NULL; i++) {
		const struct field *fd = &g->f->fields[i];
		if (fd->type == FT_AREA && fd->parent)
			mine = kv_get(g->vals, fd->key);
	}
	if (mine && !other)
		return mine;
	if (tw == NULL || tw->villages.n == 0)
		return rnd_pick(g->seed, any_villages);
	size_t i = rnd_below(g->seed, tw->villages.n);
	if (str_eq(tw->villages.v[i], mine))
		i = (i + 1) % tw->villages.n;
	return tw->villages.v[i];
}

/* Returns a new copy of the person's name, made up when not chosen yet. */
static char *record_person(struct gen *g)
{
	for (size_t i = 0; i < g->f->nfields; i++) {
		const char *v = kv_get(g->vals, g->f->fields[i].key);
		if (is_person_name(&g->f->fields[i]) && !str_empty(v))
			return xstrdup(v);
	}
	return person_name(g);
}

static void expand_one(struct gen *g, char c, struct buf *b)
{
	const struct township *tw;
	char *s;
	switch (c) {
	case 'T': tw = record_town(g); buf_puts(b, tw ? tw->name : "宁远堡镇"); break;
	case 'V':
	case 'W': buf_puts(b, record_village(g, record_town(g), c == 'W')); break;
	case 'F':
		s = record_person(g);
		buf_puts(b, s);
		free(s);
		break;
	case 'S': buf_puts(b, rnd_pick(g->seed, surnames)); break;
	case 'P': buf_puts(b, rnd_pick(g->seed, trades)); break;
	case 'G': buf_puts(b, rnd_pick(g->seed, goods)); break;
	case 'C': buf_puts(b, rnd_pick(g->seed, crafts)); break;
	case 'N': buf_printf(b, "%ld", rnd_between(g->seed, 10, 300)); break;
	case 'D': buf_putc(b, (char)('0' + rnd_below(g->seed, 10))); break;
	default: buf_putc(b, '%'); buf_putc(b, c); break;
	}
}

static char *expand(struct gen *g, const char *tmpl)
{
	struct buf b = {0};
	for (const char *p = tmpl; *p; p++) {
		if (*p == '%' && p[1])
			expand_one(g, *++p, &b);
		else
			buf_putc(&b, *p);
	}
	return buf_take(&b);
}

/* Cuts s to at most n characters, never inside one. */
static void cut_chars(char *s, size_t n)
{
	size_t len = strlen(s), at = 0;
	uint32_t cp;
	for (size_t i = 0; i < n && at < len; i++)
		at += (size_t)utf8_decode(s + at, len - at, &cp);
	s[at] = '\0';
}

static char *gen_text(struct gen *g, const struct field *fd)
{
	const char *const *tmpl = fd->type == FT_MEMO ? t_memo : t_text;
	if (is_person_name(fd))
		tmpl = NULL;
	else
		for (size_t i = 0; i < ARRAY_LEN(text_kinds); i++)
			if (has_hint(fd, text_kinds[i].hints)) {
				tmpl = text_kinds[i].templates;
				break;
			}
	char *s = NULL;
	for (int i = 0; i < 8; i++) {
		free(s);
		s = tmpl ? expand(g, rnd_pick(g->seed, tmpl)) : person_name(g);
		if (!fd->max_chars || utf8_chars(s) <= (size_t)fd->max_chars)
			break;
	}
	if (fd->max_chars)
		cut_chars(s, (size_t)fd->max_chars);
	struct buf b = {0};
	buf_puts(&b, s);
	free(s);
	static const char *const pad[] = {"示", "例", "数", "据"};
	for (size_t n = utf8_chars(b.s); fd->min_chars && n < (size_t)fd->min_chars; n++)
		buf_puts(&b, pad[n % ARRAY_LEN(pad)]);
	return buf_take(&b);
}

/* How far above its minimum an int goes, by what it counts, so that sample
 * numbers look like real ones. Order matters: 本年度 is not a number of years. */
static const struct {
	const char *hints;
	long span;
} int_spans[] = {
	{"次数|times", 12}, {"纠纷|case", 30}, {"项目|project", 5}, {"劳动力|labor", 5},
	{"徒|apprentice", 10}, {"就业|jobs", 30}, {"成员|member", 80},
	{"头|只|livestock", 600}, {"years|年限|教龄|(年)", 10},
};
#define INT_SPAN_DEFAULT 20

/* The largest value the max_years_since_age rules allow (2^30 when none). */
static long years_cap(struct gen *g, const struct field *fd)
{
	long cap = 1L << 30;
	for (size_t i = 0; i < g->f->nrules; i++) {
		const struct rule *r = &g->f->rules[i];
		struct id_info info;
		if (r->kind == RK_MAX_YEARS_SINCE_AGE && str_eq(r->field, fd->key) &&
		    person_id(g, r->id_field, &info)) {
			long c = age_on(&info.birth, g->today) - r->offset;
			if (c < cap)
				cap = c;
		}
	}
	return cap;
}

static char *gen_int(struct gen *g, const struct field *fd)
{
	long span = INT_SPAN_DEFAULT;
	for (size_t i = 0; i < ARRAY_LEN(int_spans); i++)
		if (has_hint(fd, int_spans[i].hints)) {
			span = int_spans[i].span;
			break;
		}
	long lo = fd->has_min ? (long)ceil(fd->min) : 0;
	if (!fd->has_min && fd->has_max && fd->max < 0)
		lo = (long)floor(fd->max) - span;
	long hi = lo + span;
	if (fd->has_max && fd->max < hi)
		hi = (long)floor(fd->max);
	long cap = years_cap(g, fd);
	if (cap < hi)
		hi = cap;
	return hi < lo ? NULL : xasprintf("%ld", rnd_between(g->seed, lo, hi));
}

/* Typical amounts by unit, clipped to the field's bounds. */
static const struct {
	const char *hints;
	double lo, hi;
	bool whole;
} decimal_ranges[] = {
	{"万元", 1, 300, false}, {"元", 1000, 300000, true}, {"亩|area", 5, 500, false},
};

static char *gen_decimal(struct gen *g, const struct field *fd)
{
	double lo = 0, hi = 100;
	bool whole = false;
	for (size_t i = 0; i < ARRAY_LEN(decimal_ranges); i++)
		if (has_hint(fd, decimal_ranges[i].hints)) {
			lo = decimal_ranges[i].lo;
			hi = decimal_ranges[i].hi;
			whole = decimal_ranges[i].whole;
			break;
		}
	double flo = fd->has_min ? fd->min : (fd->has_max && fd->max < 0 ? fd->max - 100 : 0);
	double fhi = fd->has_max ? fd->max : flo + hi;
	if (lo < flo || lo > fhi)
		lo = flo;
	if (hi > fhi)
		hi = fhi;
	if (hi < lo)
		hi = fhi < lo + 100 ? fhi : lo + 100;
	/* tenths (or units) from ceil(lo) to floor(hi), so the text stays in bounds */
	double step = whole ? 1 : 10;
	long a = (long)ceil(lo * step), b = (long)floor(hi * step);
	if (b < a)
		return NULL;
	long v = rnd_between(g->seed, a, b);
	if (whole)
		return xasprintf("%ld", v);
	return xasprintf("%s%ld.%ld", v < 0 ? "-" : "", labs(v) / 10, labs(v) % 10);
}

/* Resolves a date bound ("today" or ISO) into *out; false when there is none. */
static bool date_bound(const char *s, const struct date *today, struct date *out)
{
	if (s == NULL)
		return false;
	if (str_eq(s, "today")) {
		*out = *today;
		return true;
	}
	return date_parse_iso(s, out) == 0;
}

/* Narrows [lo, hi] by the date_order rules whose other date is already set,
 * and by the person's age: dates of a life come after 18. */
static void date_narrow(struct gen *g, const struct field *fd, long *lo, long *hi)
{
	struct date d;
	struct id_info info;
	for (size_t i = 0; i < g->f->nrules; i++) {
		const struct rule *r = &g->f->rules[i];
		if (r->kind != RK_DATE_ORDER)
			continue;
		if (str_eq(r->field, fd->key) && date_parse_iso(kv_get(g->vals, r->other), &d) == 0 &&
		    day_number(&d) > *lo)
			*lo = day_number(&d);
		if (str_eq(r->other, fd->key) && date_parse_iso(kv_get(g->vals, r->field), &d) == 0 &&
		    day_number(&d) < *hi)
			*hi = day_number(&d);
	}
	if (person_id(g, NULL, &info)) {
		struct date adult = years_later(&info.birth, ADULT_YEARS);
		if (day_number(&adult) > *lo && day_number(&adult) <= *hi)
			*lo = day_number(&adult);
	}
}

static char *gen_date(struct gen *g, const struct field *fd)
{
	struct date lo, hi;
	bool has_lo = date_bound(fd->min_date, g->today, &lo);
	bool has_hi = date_bound(fd->max_date, g->today, &hi);
	if (!has_hi)
		hi = has_lo && date_cmp(&lo, g->today) > 0 ? years_later(&lo, DATE_YEARS) : *g->today;
	if (!has_lo)
		lo = years_later(&hi, -DATE_YEARS);
	long a = day_number(&lo), b = day_number(&hi);
	date_narrow(g, fd, &a, &b);
	if (b < a)
		return NULL;
	struct date d = day_date(rnd_between(g->seed, a, b));
	return date_text(&d);
}

static char *gen_choice(struct gen *g, const struct field *fd)
{
	if (fd->def && strv_has(&fd->options, fd->def) && rnd_percent(g->seed, DEFAULT_PERCENT))
		return xstrdup(fd->def);
	return fd->options.n ? xstrdup(fd->options.v[rnd_below(g->seed, fd->options.n)]) : NULL;
}

/* One or two options, in the options' order (the stored form). */
static char *gen_multi(struct gen *g, const struct field *fd)
{
	size_t n = fd->options.n;
	if (n == 0)
		return NULL;
	size_t a = rnd_below(g->seed, n), b = rnd_below(g->seed, n);
	if (a == b || rnd_percent(g->seed, 50))
		return xstrdup(fd->options.v[a]);
	if (b < a) {
		size_t t = a;
		a = b;
		b = t;
	}
	return xasprintf("%s|%s", fd->options.v[a], fd->options.v[b]);
}

static char *gen_yesno(struct gen *g, const struct field *fd)
{
	(void)fd;
	return xstrdup(rnd_percent(g->seed, 50) ? "是" : "否");
}

static char *gen_phone(struct gen *g, const struct field *fd)
{
	static const char *const prefixes[] = {
		"130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
		"152", "153", "155", "156", "157", "158", "159", "166", "173", "176", "177", "178",
		"180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "193", "199", NULL
	};
	(void)fd;
	char num[12];
	memcpy(num, rnd_pick(g->seed, prefixes), 3);
	for (int i = 3; i < 11; i++)
		num[i] = (char)('0' + rnd_below(g->seed, 10));
	num[11] = '\0';
	return xstrdup(num);
}

/* --- resident ID and credit code --------------------------------------- */

/* The ages the form's age_range rules on ID field key allow, narrowed to
 * 25..55 where they overlap. */
static void id_ages(const struct form *f, const char *key, int *lo, int *hi)
{
	double rlo = 0, rhi = 150;
	for (size_t i = 0; i < f->nrules; i++) {
		const struct rule *r = &f->rules[i];
		if (r->kind != RK_AGE_RANGE || !str_eq(r->id_field, key))
			continue;
		if (r->has_min && r->min > rlo)
			rlo = r->min;
		if (r->has_max && r->max < rhi)
			rhi = r->max;
	}
	*lo = AGE_LO > rlo ? AGE_LO : (int)ceil(rlo);
	*hi = AGE_HI < rhi ? AGE_HI : (int)floor(rhi);
	if (*lo > *hi) {
		*lo = (int)ceil(rlo);
		*hi = (int)floor(rhi);
	}
}

static char *gen_id_card(struct gen *g, const struct field *fd)
{
	int amin, amax;
	id_ages(g->f, fd->key, &amin, &amax);
	struct date latest = years_later(g->today, -amin);
	struct date earliest = years_later(g->today, -amax - 1);
	struct date birth = day_date(rnd_between(g->seed, day_number(&earliest) + 1,
						 day_number(&latest)));
	/* the order code: two digits for the police station, then odd for a man */
	unsigned station = (unsigned)rnd_below(g->seed, 100);
	unsigned last = (unsigned)rnd_below(g->seed, 10);
	char id[19];
	snprintf(id, sizeof id, "%s%04d%02d%02d%02u%u", AREA_CODE, birth.y, birth.m, birth.d,
		 station, last);
	id[17] = id_check_char(id);
	id[18] = '\0';
	return xstrdup(id);
}

/* A credit code with the given two leading characters, the district's area
 * code, an organisation code with its own GB 11714 check, and the GB 32100
 * check character. */
static void uscc_make(uint64_t *s, const char *prefix, char out[19])
{
	static const int org_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
	memcpy(out, prefix, 2);
	memcpy(out + 2, AREA_CODE, 6);
	int sum = 0;
	for (int i = 0; i < 8; i++) {
		int d = (int)rnd_below(s, 10);
		out[8 + i] = (char)('0' + d);
		sum += d * org_weights[i];
	}
	int c = 11 - sum % 11;
	out[16] = c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
	out[17] = uscc_check_char(out);
	out[18] = '\0';
}

static char *gen_uscc(struct gen *g, const struct field *fd)
{
	/* registration authority and kind: cooperatives, companies, sole
	 * traders first, then the other kinds GB 32100 lists */
	static const char *const prefixes[] = {
		"93", "91", "92", "12", "11", "13", "19", "51", "52", "53", "59", "31", "32", "33",
		"34", "35", "39", "41", "49", "61", "62", "69", "71", "72", "79", "81", "89", "A1",
		"A9", "N1", "N2", "N3", "N9", "Y1", NULL
	};
	char code[19];
	if (fd->has_regex) {
		for (size_t i = 0; prefixes[i]; i++) {
			uscc_make(g->seed, prefixes[i], code);
			if (regexec(&fd->regex, code, 0, NULL, 0) == 0)
				return xstrdup(code);
		}
	}
	const char *p = has_hint(fd, "coop|合作社") ? "93" : prefixes[rnd_below(g->seed, 3)];
	uscc_make(g->seed, p, code);
	return xstrdup(code);
}

static char *gen_area(struct gen *g, const struct field *fd)
{
	if (fd->parent == NULL)
		return g->cfg->ntowns ? xstrdup(g->cfg->towns[rnd_below(g->seed, g->cfg->ntowns)].name)
				      : NULL;
	const char *t = kv_get(g->vals, fd->parent);
	const struct township *tw = t ? config_township(g->cfg, t) : NULL;
	if (tw == NULL)
		return NULL;
	if (tw->villages.n == 0)
		return xstrdup(rnd_pick(g->seed, any_villages));
	return xstrdup(tw->villages.v[rnd_below(g->seed, tw->villages.n)]);
}

static char *(*const generators[])(struct gen *, const struct field *) = {
	[FT_TEXT] = gen_text, [FT_MEMO] = gen_text, [FT_INT] = gen_int,
	[FT_DECIMAL] = gen_decimal, [FT_DATE] = gen_date, [FT_CHOICE] = gen_choice,
	[FT_MULTI] = gen_multi, [FT_YESNO] = gen_yesno, [FT_PHONE] = gen_phone,
	[FT_ID_CARD] = gen_id_card, [FT_USCC] = gen_uscc, [FT_AREA] = gen_area,
};

/* True when v fits the field's length and pattern. */
static bool fits(const struct field *fd, const char *v)
{
	size_t n = utf8_chars(v);
	if ((fd->min_chars && n < (size_t)fd->min_chars) || (fd->max_chars && n > (size_t)fd->max_chars))
		return false;
	return !fd->has_regex || regexec(&fd->regex, v, 0, NULL, 0) == 0;
}

/* Sets a value for fd; a field that cannot be given one is left empty and
 * the record's validation says so. */
static void fill(struct gen *g, const struct field *fd)
{
	for (int i = 0; i < PICK_TRIES; i++) {
		char *v = generators[fd->type](g, fd);
		if (v == NULL)
			return;
		bool done = fits(fd, v) || i == PICK_TRIES - 1;
		if (done)
			kv_set(g->vals, fd->key, v);
		free(v);
		if (done)
			return;
	}
}

/* --- which fields, in which order ------------------------------------- */

/* What a field that follows from the ID holds. */
enum derive { DER_NONE, DER_BIRTH, DER_GENDER };

/* Says whether fd follows from an ID, and from which one (*id): the
 * targets of the id_matches_* rules, and what validate_record derives. */
static enum derive derivation(const struct form *f, const struct field *fd, const char **id)
{
	*id = "id_number";
	for (size_t i = 0; i < f->nrules; i++) {
		const struct rule *r = &f->rules[i];
		if ((r->kind == RK_ID_MATCHES_BIRTH_DATE || r->kind == RK_ID_MATCHES_GENDER) &&
		    str_eq(r->field, fd->key)) {
			*id = r->id_field;
			return r->kind == RK_ID_MATCHES_BIRTH_DATE ? DER_BIRTH : DER_GENDER;
		}
	}
	if (form_field(f, "id_number") == NULL)
		return DER_NONE;
	return str_eq(fd->key, "birth_date") ? DER_BIRTH
	     : str_eq(fd->key, "gender")     ? DER_GENDER : DER_NONE;
}

/* Writes the fields that follow from the ID (der, one per field),
 * consistently with it. */
static void set_derived(struct gen *g, const enum derive *der)
{
	for (size_t i = 0; i < g->f->nfields; i++) {
		const struct field *fd = &g->f->fields[i];
		struct id_info info;
		const char *id;
		if (der[i] == DER_NONE)
			continue;
		derivation(g->f, fd, &id);
		if (!person_id(g, id, &info))
			continue;
		char *v = der[i] == DER_BIRTH ? date_text(&info.birth)
					      : xstrdup(info.male ? "男" : "女");
		kv_set(g->vals, fd->key, v);
		free(v);
	}
}

enum want { WANT_NO, WANT_MAYBE, WANT_YES };

/* Whether fd must, may or must not have a value, given the values so far. */
static enum want wanted(struct gen *g, const struct field *fd)
{
	for (size_t i = 0; i < g->f->nrules; i++) {
		const struct rule *r = &g->f->rules[i];
		if (r->kind == RK_REQUIRED_IF && str_eq(r->field, fd->key) && cond_holds(g, &r->when))
			return WANT_YES;
	}
	if (!cond_holds(g, &fd->show_if))
		return WANT_NO;
	if (fd->required || (fd->required_if.field && cond_holds(g, &fd->required_if)))
		return WANT_YES;
	return WANT_MAYBE;
}

static void maybe_fill(struct gen *g, const struct field *fd)
{
	enum want w = wanted(g, fd);
	if (w == WANT_YES || (w == WANT_MAYBE && rnd_percent(g->seed, FILL_PERCENT)))
		fill(g, fd);
}

/* Makes one candidate record in g->vals. The ID comes first (age and
 * gender shape the rest), then townships (a village needs its township),
 * then the other fields in the form's order; a last pass empties hidden
 * fields and fills those a later value made necessary. */
static void build(struct gen *g)
{
	const struct form *f = g->f;
	enum derive *der = xcalloc(f->nfields, sizeof *der);
	for (size_t i = 0; i < f->nfields; i++) {
		const char *id;
		der[i] = derivation(f, &f->fields[i], &id);
	}
	for (size_t i = 0; i < f->nfields; i++)
		if (f->fields[i].type == FT_ID_CARD)
			maybe_fill(g, &f->fields[i]);
	for (size_t i = 0; i < f->nfields; i++)
		if (f->fields[i].type == FT_AREA && f->fields[i].parent == NULL)
			maybe_fill(g, &f->fields[i]);
	for (size_t i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		if (fd->type != FT_ID_CARD && !(fd->type == FT_AREA && fd->parent == NULL) &&
		    der[i] == DER_NONE)
			maybe_fill(g, fd);
	}
	set_derived(g, der);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < f->nfields; i++) {
			const struct field *fd = &f->fields[i];
			enum want w = wanted(g, fd);
			if (w == WANT_NO)
				kv_del(g->vals, fd->key);
			else if (w == WANT_YES && str_empty(kv_get(g->vals, fd->key)) &&
				 der[i] == DER_NONE)
				fill(g, fd);
		}
	free(der);
}

int demo_record(const struct config *cfg, const struct form *f, const struct date *today,
		uint64_t *seed, struct kv *vals)
{
	assert(cfg && f && today && seed && vals);
	kv_free(vals);
	for (int t = 0; t < DEMO_TRIES; t++) {
		struct kv v = {0};
		struct gen g = {cfg, f, today, seed, &v};
		build(&g);
		struct issues is = {0};
		validate_record(f, &v, cfg, today, &is);
		bool ok = is.errors == 0 && is.warnings == 0;
		issues_free(&is);
		if (ok) {
			*vals = v;
			return 0;
		}
		kv_free(&v);
	}
	return -1;
}

void demo_day_before(const struct date *today, int days, char out[11])
{
	char *iso = day_start_iso(today->y, today->m, today->d - days);
	char *local = date_local(iso);
	snprintf(out, 11, "%s", local);
	free(local);
	free(iso);
}
