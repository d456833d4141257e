/*
 * fuzz.h - what the libFuzzer harnesses in fuzz/ share. Each fuzz_NAME.c
 * defines LLVMFuzzerTestOneInput (and may define LLVMFuzzerInitialize); it
 * is linked either with libFuzzer (clang -fsanitize=fuzzer, `make fuzz`) or
 * with replay_main.c (any compiler, `make test`), which feeds it every file
 * of fuzz/corpus/NAME and fuzz/regressions/NAME.
 *
 * A harness reports a broken property with FUZZ_CHECK, which prints what
 * failed and aborts: libFuzzer saves the input, the replay fails its test.
 */
#ifndef TALENTREG_FUZZ_H
#define TALENTREG_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The libFuzzer entry points. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond, ...)                                                   \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "%s:%d: property broken: %s: ",         \
				__FILE__, __LINE__, #cond);                     \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
			abort();                                                \
		}                                                               \
	} while (0)

/* Returns a new NUL-terminated copy of the size bytes at data (the string
 * ends at the first NUL byte, as a C caller would see it); free it. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s == NULL)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
