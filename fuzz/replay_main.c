/*
 * replay_main.c - a main() for a libFuzzer harness built without libFuzzer
 * (gcc, in $(BUILD)/fuzz/): runs LLVMFuzzerTestOneInput once on every file
 * named on the command line, or in a folder named there (sorted, hidden
 * files skipped), so `make test` replays the seed corpora and the crash
 * regressions in the plain and the sanitizer build.
 *
 *     replay_NAME DIR_OR_FILE...
 *
 * Prints "NAME: N inputs" and exits 0; a harness that finds a broken
 * property aborts. Exits 2 when an argument cannot be read or no input
 * was found at all.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* A harness without LLVMFuzzerInitialize leaves this weak symbol NULL. */
#pragma weak LLVMFuzzerInitialize

/* Runs the harness on the file at path, in a buffer of exactly its size
 * so that the sanitizers see any read past the end. Returns 0, or -1 when
 * the file cannot be read. */
static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	size_t cap = 4096, n = 0;
	uint8_t *buf = malloc(cap);
	for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
		n += got;
		if (n == cap) {
			uint8_t *more = realloc(buf, cap *= 2);
			if (more == NULL)
				free(buf);
			buf = more;
		}
	}
	int err = ferror(f);
	fclose(f);
	if (buf == NULL || err) {
		free(buf);
		return -1;
	}
	uint8_t *exact = malloc(n ? n : 1);
	if (exact == NULL)
		abort();
	memcpy(exact, buf, n);
	free(buf);
	fprintf(stderr, "replay %s\n", path);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays every regular file of the folder dir; adds their number to *count.
 * Returns 0, or -1 when the folder or one of its files cannot be read. */
static int replay_dir(const char *dir, long *count)
{
	DIR *dh = opendir(dir);
	if (dh == NULL)
		return -1;
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *e; (e = readdir(dh)) != NULL;) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		if (names == NULL || (names[n] = strdup(e->d_name)) == NULL)
			abort();
		n++;
	}
	closedir(dh);
	if (n)
		qsort(names, n, sizeof *names, cmp_name);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *path = malloc(len);
		struct stat st;
		if (path == NULL)
			abort();
		snprintf(path, len, "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay_file(path) < 0) {
				fprintf(stderr, "cannot read %s: %s\n", path, strerror(errno));
				rc = -1;
			} else {
				++*count;
			}
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	long count = 0;
	int rc = 0;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		int r = -1;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			r = replay_dir(argv[i], &count);
		else if (replay_file(argv[i]) == 0)
			r = 0, count++;
		if (r < 0) {
			fprintf(stderr, "%s: cannot read %s: %s\n", name, argv[i], strerror(errno));
			rc = 2;
		}
	}
	printf("%s: %ld inputs\n", name, count);
	return count == 0 ? 2 : rc;
}
