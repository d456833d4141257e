/*
 * cmd_report.c - the report: the plan's targets against what is registered,
 * by team (distinct people), category (records), the plan's targets
 * (people, people with a tag, villages covered, with the villages still
 * missing per township), township, and village when it is as of a day; and
 * the ledger of the plan's tasks. Now from the running counts, or as of a
 * day (--as-of, --year) for the year-end report a district sends upward:
 * printed, or written (--output) as printable text, CSV for Excel (UTF-8
 * with a BOM, Chinese headings) or xlsx (dates as date cells). Counts are
 * within the acting user's scope.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csv.h"
#include "ledger.h"
#include "present.h"
#include "report.h"
#include "table.h"
#include "text.h"
#include "userfile.h"
#include "xlsx.h"

enum rformat { RF_TABLE, RF_CSV, RF_JSON, RF_XLSX, RF_TEXT };

struct rep {
	struct app *app;
	struct report r;
	struct ledger ledger;
	enum rformat fmt;
	bool then;		/* as of a day */
	struct date as_of;
	int year;		/* --year, 0 none */
	char *title;
};

static const char *const sections[] = {"total", "team", "category", "target", "township",
				       "village"};
static const enum msg_id section_titles[] = {MSG_REPORT_TOTAL, MSG_REPORT_TEAMS,
					     MSG_REPORT_CATEGORIES, MSG_REPORT_TARGETS,
					     MSG_REPORT_TOWNSHIPS, MSG_REPORT_VILLAGES};

static char *progress(const struct report_line *l)
{
	int p = report_percent(l);
	return p < 0 ? xstrdup("—") : xasprintf("%d%%", p);
}

/* Writes s and a newline through the display sanitiser. */
static void put_line(FILE *out, const char *s)
{
	char *safe = text_sanitize(s);
	fputs(safe, out);
	putc('\n', out);
	free(safe);
}

static const char *target_label(const struct config *c, const char *key)
{
	const struct target *t = config_target(c, key);
	return t ? t->label : key;
}

/* Joins v with 、. */
/* ---- json -------------------------------------------------------------------- */

static void json_strv(struct buf *b, const struct strv *v)
{
	buf_putc(b, '[');
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			buf_putc(b, ',');
		json_str(b, v->v[i]);
	}
	buf_putc(b, ']');
}

static void json_ledger(struct buf *b, const struct ledger *l)
{
	buf_puts(b, ",\n\"ledger\":[");
	for (size_t i = 0; i < l->n; i++) {
		const struct ledger_item *it = &l->v[i];
		const struct item *item = it->item;
		buf_puts(b, i ? ",\n{\"id\":" : "\n{\"id\":");
		json_str(b, item->id);
		buf_printf(b, ",\"task\":%d,\"text\":", item->task);
		json_str(b, item->text);
		const char *texts[][2] = {
			{"unit", item->unit}, {"owner", item->owner}, {"deadline", item->deadline},
			{"counts", item->counts}, {"measure", it->measure},
			{"state", item_state_name(it->state)}, {"last_date", it->last_date},
			{"last_note", it->last_note}, {"closed_on", it->closed_on},
			{"closed_by", it->closed_by}, {"close_note", it->close_note},
		};
		for (size_t k = 0; k < ARRAY_LEN(texts); k++) {
			buf_printf(b, ",\"%s\":", texts[k][0]);
			if (texts[k][1])
				json_str(b, texts[k][1]);
			else
				buf_puts(b, "null");
		}
		buf_printf(b, ",\"overdue\":%s,\"progress\":%ld,\"target\":%d,\"notes\":%d}",
			   it->overdue ? "true" : "false", it->progress, it->target, it->notes);
	}
	buf_puts(b, "]");
}

static void print_json(const struct rep *p, FILE *out)
{
	const struct report *r = &p->r;
	struct buf b = {0};
	buf_puts(&b, "{\"site\":");
	json_str(&b, p->app->cfg->site_name);
	buf_puts(&b, ",\"as_of\":");
	if (r->as_of)
		json_str(&b, r->as_of);
	else
		buf_puts(&b, "null");
	/* whose townships the counts and targets are: [] for the whole district */
	const struct user *u = p->app->me;
	struct strv none = {0};
	buf_puts(&b, ",\"scope\":");
	json_strv(&b, u->role == ROLE_ADMIN ? &none : &u->townships);
	const char *names[] = {"total", "teams", "categories", "targets", "townships", "villages"};
	for (size_t s = 0; s < ARRAY_LEN(sections); s++) {
		if (s == 5 && !(p->then))
			continue;
		buf_printf(&b, ",\n\"%s\":[", names[s]);
		bool first = true;
		for (size_t i = 0; i < r->n; i++) {
			const struct report_line *l = &r->v[i];
			if (strcmp(l->section, sections[s]) != 0)
				continue;
			buf_puts(&b, first ? "\n{\"key\":" : ",\n{\"key\":");
			first = false;
			json_str(&b, l->key);
			buf_puts(&b, ",\"label\":");
			json_str(&b, l->label);
			if (l->town) {
				buf_puts(&b, ",\"township\":");
				json_str(&b, l->town);
			}
			if (str_eq(l->section, "target")) {
				buf_puts(&b, ",\"kind\":");
				json_str(&b, l->kind);
			}
			buf_printf(&b, ",\"target\":%d,\"split\":%s,\"approved\":%ld,\"submitted\":%ld,"
				       "\"total\":%ld}", l->target, l->split ? "true" : "false",
				   l->approved, l->submitted, l->total);
		}
		buf_puts(&b, "]");
	}
	buf_puts(&b, ",\n\"coverage\":[");
	for (size_t i = 0; i < r->ncover; i++) {
		const struct report_cover *cv = &r->cover[i];
		buf_puts(&b, i ? ",\n{\"key\":" : "\n{\"key\":");
		json_str(&b, cv->key);
		buf_puts(&b, ",\"township\":");
		json_str(&b, cv->town);
		buf_printf(&b, ",\"villages\":%d,\"approved\":%d,\"any\":%d,\"missing\":", cv->villages,
			   cv->approved, cv->any);
		json_strv(&b, &cv->missing);
		buf_puts(&b, ",\"pending\":");
		json_strv(&b, &cv->pending);
		buf_putc(&b, '}');
	}
	buf_puts(&b, "]");
	json_ledger(&b, &p->ledger);
	buf_puts(&b, "}\n");
	fputs(b.s, out);
	buf_free(&b);
}

/* ---- printable text (and the machine's csv on stdout) --------------------------- */

static void text_coverage(const struct rep *p, FILE *out)
{
	const struct report *r = &p->r;
	if (r->ncover == 0)
		return;
	fprintf(out, "\n[%s]\n", msg(MSG_REPORT_COVERAGE));
	const char *last = NULL;
	for (size_t i = 0; i < r->ncover; i++) {
		const struct report_cover *cv = &r->cover[i];
		if (!str_eq(last, cv->key)) {
			put_line(out, target_label(p->app->cfg, cv->key));
			last = cv->key;
		}
		char *line = report_cover_line(cv);
		char *indented = xasprintf("  %s", line);
		put_line(out, indented);
		free(indented);
		free(line);
	}
}

static void text_ledger(const struct rep *p, FILE *out)
{
	const struct ledger *l = &p->ledger;
	if (l->n == 0)
		return;
	fprintf(out, "\n[%s]\n", msg(MSG_REPORT_LEDGER));
	int task = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct ledger_item *it = &l->v[i];
		const struct item *item = it->item;
		if (item->task != task) {
			task = item->task;
			const struct task *t = config_task(p->app->cfg, task);
			char *head = xasprintf("%d. %s", task, t ? t->title : "");
			put_line(out, head);
			free(head);
		}
		char *prog = ledger_progress_text(it);
		char *state = it->overdue ? xasprintf("%s（%s）", item_state_label(it->state),
						      msg(MSG_ITEM_OVERDUE))
					  : xstrdup(item_state_label(it->state));
		char *lines[4];
		lines[0] = xasprintf("  %s  %s", item->id, item->text);
		lines[1] = msgf(MSG_LEDGER_WHO, item->unit ? item->unit : "", item->owner ? item->owner : "",
				item->deadline ? item->deadline : "");
		lines[2] = msgf(MSG_LEDGER_STATE, state, prog);
		lines[3] = it->closed_on ? msgf(MSG_LEDGER_CLOSED, it->closed_on, it->closed_by,
						it->close_note)
			   : it->last_date ? msgf(MSG_LEDGER_LAST, it->last_date, it->last_note)
					   : NULL;
		for (int k = 0; k < 4; k++) {
			if (lines[k] == NULL)
				continue;
			char *ind = k ? xasprintf("        %s", lines[k]) : xstrdup(lines[k]);
			put_line(out, ind);
			free(ind);
			free(lines[k]);
		}
		free(prog);
		free(state);
	}
}

static void print_tables(const struct rep *p, enum out_format fmt, FILE *out)
{
	const struct report *r = &p->r;
	static const char *const keys[] = {"section", "key", "label", "target", "approved",
					   "submitted", "total", "progress", "township"};
	const char *heads[] = {msg(MSG_COL_SECTION), msg(MSG_COL_KEY), msg(MSG_COL_LABEL),
			       msg(MSG_COL_TARGET), msg(MSG_COL_APPROVED), msg(MSG_COL_SUBMITTED),
			       msg(MSG_COL_ALL), msg(MSG_COL_PROGRESS), msg(MSG_COL_TOWNSHIP)};
	struct table all;
	table_init(&all, ARRAY_LEN(keys), keys, heads);
	if (fmt == FMT_TABLE)
		put_line(out, p->title);
	bool split = false;
	for (size_t s = 0; s < ARRAY_LEN(sections); s++) {
		struct table t;
		bool village = s == 5;
		/* the text table leaves out the section and key columns; a
		 * village's line starts with its township */
		static const char *const vkeys[] = {"township", "label", "approved", "submitted",
						    "total"};
		const char *vheads[] = {msg(MSG_COL_TOWNSHIP), msg(MSG_COL_VILLAGE),
					msg(MSG_COL_APPROVED), msg(MSG_COL_SUBMITTED), msg(MSG_COL_ALL)};
		if (village)
			table_init(&t, 5, vkeys, vheads);
		else
			table_init(&t, 6, keys + 2, heads + 2);
		size_t rows = 0;
		for (size_t i = 0; i < r->n; i++) {
			const struct report_line *l = &r->v[i];
			if (strcmp(l->section, sections[s]) != 0)
				continue;
			rows++;
			split |= l->split && !str_eq(l->section, "township");
			char nums[4][24];
			snprintf(nums[0], sizeof nums[0], "%d%s", l->target,
				 l->split && fmt == FMT_TABLE ? "*" : "");
			snprintf(nums[1], sizeof nums[1], "%ld", l->approved);
			snprintf(nums[2], sizeof nums[2], "%ld", l->submitted);
			snprintf(nums[3], sizeof nums[3], "%ld", l->total);
			char *pr = progress(l);
			const char *row[] = {l->section, l->key, l->label,
					     l->target > 0 ? nums[0] : "", nums[1], nums[2], nums[3], pr,
					     l->town};
			table_row(&all, row);
			if (village) {
				const char *vrow[] = {l->town, l->label, nums[1], nums[2], nums[3]};
				table_row(&t, vrow);
			} else {
				table_row(&t, row + 2);
			}
			free(pr);
		}
		if (fmt == FMT_TABLE && rows) {
			fprintf(out, "\n[%s]\n", msg(section_titles[s]));
			table_print(&t, FMT_TABLE, out);
		}
		table_free(&t);
	}
	if (fmt == FMT_CSV) {
		table_print(&all, FMT_CSV, out);
	} else {
		text_coverage(p, out);
		text_ledger(p, out);
		fprintf(out, "\n%s\n", msg(MSG_REPORT_NOTE));
		if (split)
			fprintf(out, "%s\n", msg(MSG_REPORT_SPLIT_NOTE));
	}
	table_free(&all);
}

/* ---- the files for Excel --------------------------------------------------------- */

/* The columns of the year-end CSV and of the xlsx summary sheet. */
enum { XC_SECTION, XC_KEY, XC_NAME, XC_TOWN, XC_TARGET, XC_APPROVED, XC_SUBMITTED, XC_TOTAL,
       XC_PROGRESS, XC_STATE, XC_DEADLINE, XC_UNIT, XC_OWNER, XC_NOTE, XC__N };

static void file_heads(const char *h[XC__N])
{
	static const enum msg_id ids[XC__N] = {
		MSG_COL_SECTION, MSG_COL_KEY, MSG_COL_LABEL, MSG_COL_TOWNSHIP, MSG_COL_TARGET,
		MSG_COL_APPROVED, MSG_COL_SUBMITTED, MSG_COL_ALL, MSG_COL_PROGRESS, MSG_COL_STATUS,
		MSG_COL_DEADLINE, MSG_COL_UNIT, MSG_COL_OWNER, MSG_COL_NOTE,
	};
	for (int i = 0; i < XC__N; i++)
		h[i] = msg(ids[i]);
}

/* Calls emit with each row of the summary (report lines, coverage per
 * township, ledger items), XC__N cells; *nums and *owned are scratch. */
static void each_file_row(const struct rep *p, void (*emit)(const char *const *row, void *arg),
			  void *arg)
{
	const struct report *r = &p->r;
	for (size_t s = 0; s < ARRAY_LEN(sections); s++)
		for (size_t i = 0; i < r->n; i++) {
			const struct report_line *l = &r->v[i];
			if (strcmp(l->section, sections[s]) != 0)
				continue;
			char n[4][24];
			snprintf(n[0], 24, "%d", l->target);
			snprintf(n[1], 24, "%ld", l->approved);
			snprintf(n[2], 24, "%ld", l->submitted);
			snprintf(n[3], 24, "%ld", l->total);
			char *pr = progress(l);
			const char *row[XC__N] = {msg(section_titles[s]), l->key, l->label, l->town,
						  l->target > 0 ? n[0] : NULL, n[1], n[2], n[3], pr};
			emit(row, arg);
			free(pr);
		}
	for (size_t i = 0; i < r->ncover; i++) {
		const struct report_cover *cv = &r->cover[i];
		char n[3][24];
		snprintf(n[0], 24, "%d", cv->villages);
		snprintf(n[1], 24, "%d", cv->approved);
		snprintf(n[2], 24, "%d", cv->any);
		char *miss = present_list(&cv->missing);
		char *note = cv->missing.n ? msgf(MSG_REPORT_MISSING, miss) : xstrdup("");
		const char *row[XC__N] = {msg(MSG_REPORT_COVERAGE), cv->key,
					  target_label(p->app->cfg, cv->key), cv->town, n[0], n[1],
					  NULL, n[2], NULL, NULL, NULL, NULL, NULL, note};
		emit(row, arg);
		free(miss);
		free(note);
	}
	for (size_t i = 0; i < p->ledger.n; i++) {
		const struct ledger_item *it = &p->ledger.v[i];
		char n[24];
		snprintf(n, sizeof n, "%d", it->target);
		char *prog = ledger_progress_text(it);
		char *state = it->overdue ? xasprintf("%s（%s）", item_state_label(it->state),
						      msg(MSG_ITEM_OVERDUE))
					  : xstrdup(item_state_label(it->state));
		const char *note = it->closed_on ? it->close_note : it->last_note;
		const char *row[XC__N] = {msg(MSG_REPORT_LEDGER), it->item->id, it->item->text, NULL,
					  it->target > 0 ? n : NULL, NULL, NULL, NULL, prog, state,
					  it->item->deadline, it->item->unit, it->item->owner, note};
		emit(row, arg);
		free(prog);
		free(state);
	}
}

static void csv_emit(const char *const *row, void *arg)
{
	csv_write_row(arg, row, NULL, XC__N);
}

static void write_csv(const struct rep *p, FILE *out)
{
	fputs(CSV_BOM, out);
	const char *title[XC__N] = {p->title};
	csv_write_row(out, title, NULL, 1);
	const char *h[XC__N];
	file_heads(h);
	csv_write_row(out, h, NULL, XC__N);
	each_file_row(p, csv_emit, out);
}

static void xlsx_emit(const char *const *row, void *arg)
{
	static const enum xlsx_cell kinds[XC__N] = {
		[XC_TARGET] = XC_NUMBER, [XC_APPROVED] = XC_NUMBER, [XC_SUBMITTED] = XC_NUMBER,
		[XC_TOTAL] = XC_NUMBER, [XC_DEADLINE] = XC_DATE,
	};
	xlsx_row_kinds(arg, row, kinds, XC__N);
}

/* The ledger's own sheet: one row per item, its dates as date cells. */
static void xlsx_ledger(const struct rep *p, struct xlsx *x)
{
	static const enum msg_id ids[] = {
		MSG_COL_ITEM, MSG_COL_TASK, MSG_COL_DEMAND, MSG_COL_UNIT, MSG_COL_OWNER,
		MSG_COL_DEADLINE, MSG_COL_STATUS, MSG_ITEM_OVERDUE, MSG_COL_LEDGER_PROGRESS, MSG_COL_TARGET,
		MSG_COL_MEASURE, MSG_COL_LAST_DATE, MSG_COL_LAST_NOTE, MSG_COL_CLOSED_ON,
		MSG_COL_CLOSE_NOTE,
	};
	static const enum xlsx_cell kinds[] = {
		XC_TEXT, XC_TEXT, XC_TEXT, XC_TEXT, XC_TEXT, XC_DATE, XC_TEXT, XC_TEXT, XC_NUMBER,
		XC_NUMBER, XC_TEXT, XC_DATE, XC_TEXT, XC_DATE, XC_TEXT,
	};
	const char *h[ARRAY_LEN(ids)];
	for (size_t i = 0; i < ARRAY_LEN(ids); i++)
		h[i] = msg(ids[i]);
	xlsx_sheet(x, msg(MSG_REPORT_LEDGER));
	xlsx_header(x, h, NULL, ARRAY_LEN(ids));
	for (size_t i = 0; i < p->ledger.n; i++) {
		const struct ledger_item *it = &p->ledger.v[i];
		const struct task *t = config_task(p->app->cfg, it->item->task);
		char prog[24], target[24];
		snprintf(prog, sizeof prog, "%ld", it->progress);
		snprintf(target, sizeof target, "%d", it->target);
		const char *row[] = {
			it->item->id, t ? t->title : "", it->item->text, it->item->unit, it->item->owner,
			it->item->deadline, item_state_label(it->state),
			it->overdue ? msg(MSG_YES) : "", prog, it->target > 0 ? target : NULL,
			it->measure, it->last_date, it->last_note, it->closed_on, it->close_note,
		};
		xlsx_row_kinds(x, row, kinds, ARRAY_LEN(row));
	}
}

static int write_xlsx(const struct rep *p, const char *path)
{
	struct xlsx *x;
	char *cause = NULL;
	if (xlsx_open(path, msg(MSG_REPORT_SHEET), &x, &cause) < 0) {
		cli_err_text(cause);
		free(cause);
		return EXIT_BROKEN;
	}
	const char *title[] = {p->title};
	xlsx_row(x, title, NULL, 1);
	const char *h[XC__N];
	file_heads(h);
	xlsx_header(x, h, NULL, XC__N);
	each_file_row(p, xlsx_emit, x);
	xlsx_ledger(p, x);
	if (xlsx_close(x, &cause) < 0) {
		cli_err_text(cause);
		free(cause);
		return EXIT_BROKEN;
	}
	return EXIT_DONE;
}

/* Writes the report to path, atomically (userfile.h), and records it. */
static int write_file(struct rep *p, const char *path)
{
	struct outfile o;
	int rc = outfile_open(p->app, &o, path, p->fmt != RF_XLSX);
	if (rc != EXIT_DONE)
		return rc;
	if (p->fmt == RF_XLSX)
		rc = write_xlsx(p, o.name);
	else if (p->fmt == RF_CSV)
		write_csv(p, o.f);
	else if (p->fmt == RF_JSON)
		print_json(p, o.f);
	else
		print_tables(p, FMT_TABLE, o.f);
	if (rc == EXIT_DONE) {
		static const char *const names[] = {"table", "csv", "json", "xlsx", "text"};
		char *detail = xasprintf("format=%s as_of=%s file=%s", names[p->fmt],
					 p->r.as_of ? p->r.as_of : "now", path);
		char *cause = NULL;
		int src = store_audit(p->app->st, &p->app->actor, "report", detail, &cause);
		free(detail);
		if (src != SR_OK)
			rc = cli_store_error(src, cause);
	}
	if (rc == EXIT_DONE)
		rc = outfile_commit(&o);
	else
		outfile_abort(&o);
	if (rc == EXIT_DONE)
		cli_out(MSG_REPORT_WRITTEN, path);
	return rc;
}

/* ---- options -------------------------------------------------------------------------- */

/* Reads --as-of and --year into p. */
static int read_day(struct rep *p, const char *as_of, const char *year)
{
	if (as_of && year)
		return cli_usage(MSG_REPORT_ASOF_AND_YEAR, NULL);
	if (year) {
		long y;
		if (str_to_long(year, &y) < 0 || y < 1900 || y > 2999) {
			cli_err(MSG_BAD_OPTION_VALUE, "--year", year);
			return EXIT_USAGE;
		}
		p->year = (int)y;
		p->as_of = (struct date){(int)y, 12, 31};
		p->then = true;
	} else if (as_of) {
		char *iso = NULL;
		enum msg_id why;
		if (check_date(as_of, &iso, &why) < 0 || date_parse_iso(iso, &p->as_of) < 0) {
			cli_err(MSG_BAD_OPTION_VALUE, "--as-of", as_of);
			free(iso);
			return EXIT_USAGE;
		}
		free(iso);
		p->then = true;
	}
	return EXIT_DONE;
}

/* --format, else the output's extension: table, csv or json on stdout;
 * csv, xlsx, json or text (.txt) in a file. */
static int read_format(struct rep *p, const char *format, const char *output)
{
	static const char *const names[] = {"table", "csv", "json", "xlsx", "text", "txt"};
	int f = -1;
	if (format == NULL && output) {
		const char *dot = strrchr(output, '.');
		f = dot ? cli_format_find(dot + 1, names, ARRAY_LEN(names)) : -1;
		if (f < 0)
			f = RF_TEXT;
	}
	int rc = cli_format(format, names, ARRAY_LEN(names), f < 0 ? RF_TABLE : f, &f);
	if (f == 5)
		f = RF_TEXT;
	if (f == RF_TABLE && output)
		f = RF_TEXT;
	p->fmt = (enum rformat)f;
	if (rc == EXIT_DONE && output == NULL && (p->fmt == RF_XLSX || p->fmt == RF_TEXT))
		rc = cli_usage(MSG_REPORT_NEEDS_OUTPUT, names[p->fmt]);
	return rc;
}

static char *make_title(const struct rep *p)
{
	const char *site = p->app->cfg->site_name;
	char *scope = NULL;
	const struct user *u = p->app->me;
	if (u->role != ROLE_ADMIN && u->townships.n > 0) {
		char *towns = present_list(&u->townships);
		scope = xasprintf("%s·%s", site, towns);
		free(towns);
	}
	const char *where = scope ? scope : site;
	char *t = p->year ? msgf(MSG_REPORT_TITLE_YEAR, p->year, where, p->r.as_of)
		: p->then ? msgf(MSG_REPORT_TITLE_ASOF, where, p->r.as_of)
			  : msgf(MSG_REPORT_TITLE, where);
	free(scope);
	return t;
}

int cmd_report(struct app *app, int argc, char **argv)
{
	const char *format = NULL, *as_of = NULL, *year = NULL, *output = NULL;
	struct opt opts[] = {{"--format", &format, NULL}, {"--as-of", &as_of, NULL},
			     {"--year", &year, NULL}, {"--output", &output, NULL}};
	struct rep p = {.app = app};
	int rc = opts_only(argc, argv, opts, ARRAY_LEN(opts));
	if (rc == EXIT_DONE)
		rc = read_day(&p, as_of, year);
	if (rc == EXIT_DONE)
		rc = read_format(&p, format, output);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	char *cause = NULL;
	int src = SR_OK;
	if (rc == EXIT_DONE) {
		src = p.then ? report_build_then(app->st, &app->actor, app->cfg,
						 REP_ALL | REP_VILLAGES, &p.as_of, &p.r, &cause)
			     : report_build(app->st, &app->actor, app->cfg, REP_ALL, &p.r, &cause);
		if (src == SR_OK)
			src = ledger_build(app->st, app->cfg, &p.r, p.then ? &p.as_of : &app->today,
					   &p.ledger, &cause);
		if (src != SR_OK)
			rc = cli_store_error(src, cause);
	}
	if (rc == EXIT_DONE) {
		p.title = make_title(&p);
		if (output)
			rc = write_file(&p, output);
		else if (p.fmt == RF_JSON)
			print_json(&p, stdout);
		else
			print_tables(&p, p.fmt == RF_CSV ? FMT_CSV : FMT_TABLE, stdout);
	}
	free(p.title);
	ledger_free(&p.ledger);
	report_free(&p.r);
	return rc;
}
