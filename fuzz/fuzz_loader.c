/*
 * fuzz_loader.c - the configuration and form loaders (config.c, form.c,
 * ini.c). They read files by path, so each input is cut into files that
 * are written to a scratch configuration folder (in /dev/shm when there
 * is one) and loaded with config_load(), as `talentreg check-config` does.
 *
 * The input is split at every line "%%"; the pieces are, in order:
 *   0  forms/KEY.ini   a category (KEY from its "key =" line, else form0)
 *   1  forms/person.ini
 *   2  targets.ini     3  areas.ini     4  users.ini     5  talentreg.ini
 *   6  forms/KEY.ini   a second category (absent when there is no piece 6)
 *   7  regions.txt     the division code table, read when talentreg.ini
 *                      names it ([validation] region_table = regions.txt)
 * A missing piece is a small valid file of the harness's own, so a seed of
 * one form file loads cleanly and the fuzzer works on that file.
 *
 * Properties:
 *   - config_load returns 0 exactly when it reported no problem, and every
 *     problem is one line "file:line: message" naming a line number;
 *   - no number read is negative (a target or a length that wrapped);
 *   - a clean load is what the program relies on: a database path and a
 *     forms folder, every category with an id_number field of type
 *     id_card, choices with options, patterns compiled, unique form keys,
 *     known teams, users' townships that exist, no negative target, and
 *     a division code table with codes when talentreg.ini names one;
 *   - no leak and no sanitizer report, clean load or not.
 */
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"

#define NPIECES 8

static char *root;	/* the scratch folder */

static const char *const def_text[NPIECES] = {
	"[form]\nkey = form0\ntitle = 测试\nteam = governance\nextends = person\n"
	"[field.school]\nlabel = 学校\ntype = text\nmax_chars = 40\n",
	"[form]\nkey = person\ntitle = 个人\nabstract = yes\n"
	"[field.name]\nlabel = 姓名\ntype = text\nrequired = yes\n"
	"[field.id_number]\nlabel = 身份证号\ntype = id_card\nrequired = yes\n",
	"[total]\nlabel = 全部\ntarget = 10\n[team.rural_industry]\nlabel = 产业\ntarget = 5\n"
	"[team.agri_production]\nlabel = 生产\ntarget = 0\n[team.public_service]\nlabel = 服务\n"
	"target = 5\n[team.governance]\nlabel = 治理\ntarget = 5\n[team.agri_tech]\nlabel = 科技\n"
	"target = 1\n",
	"[township.a]\nname = 宁远堡镇\nvillages = 东湾村|西坡村\n",
	"[user.root]\nrole = admin\n",
	"[paths]\ndatabase = talentreg.db\nforms = forms\n[site]\nid = district\n",
	NULL,
	"# 代码表\n620302\t金川区\t1984\t\n620321\t永昌县\t1981\t\n",
};
static const char *const def_name[NPIECES] = {
	NULL, "forms/person.ini", "targets.ini", "areas.ini", "users.ini", "talentreg.ini", NULL,
	"regions.txt",
};
static char *written[NPIECES];	/* paths written by the last input */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	struct stat st;
	const char *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
			   access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	size_t n = strlen(base) + 32;
	root = malloc(n);
	snprintf(root, n, "%s/talentreg-fuzz.XXXXXX", base);
	if (mkdtemp(root) == NULL) {
		perror(root);
		abort();
	}
	char *forms = malloc(n + 8);
	snprintf(forms, n + 8, "%s/forms", root);
	if (mkdir(forms, 0700) < 0)
		abort();
	free(forms);
	return 0;
}

/* Removes the scratch folder at exit (the replay and a fuzzing run that
 * ends normally; a crash leaves it in /dev/shm, small). */
static void cleanup(void)
{
	for (int i = 0; i < NPIECES; i++)
		if (written[i])
			unlink(written[i]);
	char *forms = malloc(strlen(root) + 8);
	sprintf(forms, "%s/forms", root);
	rmdir(forms);
	rmdir(root);
	free(forms);
}

/* Returns a new file name for a form piece: its key when it is a plain
 * name, so that seeds made of real forms load without a key mismatch. */
static char *form_name(const char *text, size_t len, int slot)
{
	char key[33];
	size_t k = 0;
	for (size_t i = 0; i + 3 < len; i++) {
		if ((i > 0 && text[i - 1] != '\n') || memcmp(text + i, "key", 3) != 0)
			continue;
		size_t j = i + 3;
		while (j < len && text[j] == ' ')
			j++;
		if (j >= len || text[j++] != '=')
			continue;
		while (j < len && text[j] == ' ')
			j++;
		while (j < len && k < 32 && ((text[j] >= 'a' && text[j] <= 'z') ||
					     (text[j] >= '0' && text[j] <= '9') || text[j] == '_'))
			key[k++] = text[j++];
		break;
	}
	key[k] = '\0';
	char *name = malloc(48);
	if (k == 0 || strcmp(key, "person") == 0)
		snprintf(name, 48, "forms/form%d.ini", slot);
	else
		snprintf(name, 48, "forms/%s.ini", key);
	return name;
}

static void write_file(int slot, const char *name, const char *text, size_t len)
{
	size_t n = strlen(root) + strlen(name) + 2;
	char *path = malloc(n);
	snprintf(path, n, "%s/%s", root, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		abort();
	}
	written[slot] = path;
}

/* Returns true when line looks like "file:N: message". */
static bool diag_shaped(const char *line)
{
	for (const char *p = strchr(line, ':'); p; p = strchr(p + 1, ':')) {
		const char *q = p + 1;
		while (*q >= '0' && *q <= '9')
			q++;
		if (q > p + 1 && q[0] == ':' && q[1] == ' ' && q[2])
			return true;
	}
	return false;
}

/* What holds after any load, clean or not: numbers read are never
 * negative (a target or a length that wrapped round). */
static void check_any(const struct config *c)
{
	FUZZ_CHECK(c->total_target >= 0, "negative total target %d", c->total_target);
	for (size_t i = 0; i < c->nteams; i++)
		FUZZ_CHECK(c->teams[i].target >= 0, "team %s: negative target %d", c->teams[i].key,
			   c->teams[i].target);
	for (size_t i = 0; i < c->ntargets; i++)
		FUZZ_CHECK(c->targets[i].target >= 0, "target %s: negative target %d",
			   c->targets[i].key, c->targets[i].target);
	for (size_t i = 0; i < c->forms.n; i++)
		for (size_t j = 0; j < c->forms.v[i]->nfields; j++) {
			const struct field *fd = &c->forms.v[i]->fields[j];
			FUZZ_CHECK(fd->min_chars >= 0 && fd->max_chars >= 0, "field %s: negative length", fd->key);
		}
}

/* What a clean load promises the rest of the program. */
static void check_clean(const struct config *c)
{
	FUZZ_CHECK(c->db_path && c->forms_dir && c->site_id && c->site_name, "a clean load lacks paths");
	FUZZ_CHECK(c->forms.n > 0, "a clean load without forms");
	FUZZ_CHECK(!c->regions_file || (c->regions && regions_count(c->regions) > 0),
		   "a clean load with region_table %s but no codes", c->regions_file);
	for (size_t i = 0; i < c->ntargets; i++)
		FUZZ_CHECK(formset_find(&c->forms, c->targets[i].category),
			   "target %s of no category", c->targets[i].key);
	for (size_t i = 0; i < c->nusers; i++)
		for (size_t t = 0; t < c->users[i].townships.n; t++)
			FUZZ_CHECK(config_township(c, c->users[i].townships.v[t]),
				   "user %s: unknown township", c->users[i].login);
	for (size_t i = 0; i < c->forms.n; i++) {
		const struct form *f = c->forms.v[i];
		FUZZ_CHECK(f->key && f->title, "a form without key or title");
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(c->forms.v[j]->key, f->key) != 0, "form %s twice", f->key);
		if (!f->abstract) {
			const struct field *id = form_field(f, "id_number");
			FUZZ_CHECK(id && id->type == FT_ID_CARD, "form %s without id_number", f->key);
			FUZZ_CHECK(f->team && config_team(c, f->team), "form %s: unknown team", f->key);
		}
		for (size_t j = 0; j < f->nfields; j++) {
			const struct field *fd = &f->fields[j];
			FUZZ_CHECK(form_field_index(f, fd->key) == (int)j, "field %s twice", fd->key);
			FUZZ_CHECK((fd->type != FT_CHOICE && fd->type != FT_MULTI) || fd->options.n > 0,
				   "choice %s without options", fd->key);
			FUZZ_CHECK(!fd->pattern || fd->has_regex, "pattern of %s not compiled", fd->key);
		}
		for (size_t j = 0; j < f->nrules; j++)
			FUZZ_CHECK(f->rules[j].field && form_field(f, f->rules[j].field),
				   "rule %s names no field", f->rules[j].key);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool registered;
	if (!registered) {
		if (root == NULL)
			LLVMFuzzerInitialize(NULL, NULL);
		atexit(cleanup);
		registered = true;
	}
	for (int i = 0; i < NPIECES; i++) {
		if (written[i])
			unlink(written[i]);
		free(written[i]);
		written[i] = NULL;
	}
	/* cut the input at the lines "%%" */
	const char *text = (const char *)data, *end = text + size;
	int slot = 0;
	const char *p = text;
	while (slot < NPIECES) {
		const char *cut = NULL;
		for (const char *q = p; q + 2 <= end; q++)
			if ((q == text || q[-1] == '\n') && q[0] == '%' && q[1] == '%' &&
			    (q + 2 == end || q[2] == '\n')) {
				cut = q;
				break;
			}
		const char *stop = cut ? cut : end;
		size_t len = (size_t)(stop - p);
		char *name = def_name[slot] ? strdup(def_name[slot]) : form_name(p, len, slot);
		write_file(slot, name, p, len);
		free(name);
		slot++;
		if (cut == NULL)
			break;
		p = cut + 2 < end ? cut + 3 : end;
	}
	for (; slot < NPIECES; slot++) {
		if (def_text[slot] == NULL)
			continue;
		char *name = def_name[slot] ? strdup(def_name[slot])
					    : form_name(def_text[slot], strlen(def_text[slot]), slot);
		/* a form piece's default must not take the name of a given one */
		bool taken = false;
		for (int i = 0; i < slot; i++)
			taken |= written[i] && strstr(written[i], name) != NULL;
		if (!taken)
			write_file(slot, name, def_text[slot], strlen(def_text[slot]));
		free(name);
	}

	struct config *c = NULL;
	struct diags d = {0};
	int rc = config_load(root, &c, &d);
	if (getenv("FUZZ_VERBOSE"))	/* to see what a seed does */
		for (size_t i = 0; i < d.lines.n; i++)
			fprintf(stderr, "  %s\n", d.lines.v[i]);
	FUZZ_CHECK(rc == 0 || rc == -1, "config_load returned %d", rc);
	FUZZ_CHECK((rc == 0) == (d.lines.n == 0), "config_load returned %d with %zu problems", rc, d.lines.n);
	for (size_t i = 0; i < d.lines.n; i++)
		FUZZ_CHECK(diag_shaped(d.lines.v[i]), "not file:line: message: %s", d.lines.v[i]);
	check_any(c);
	if (rc == 0)
		check_clean(c);
	config_free(c);
	diags_free(&d);
	return 0;
}
